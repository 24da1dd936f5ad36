"""Replies over many projects (every project's 6月底 plan, budget, 质量指标) kept per catalog.

Such a reply lists thousands of answers at city size and is the same for every question that
reads the same way (kind, month or category, language, projects in scope): it is built once
per catalog (store version) and only given the new question's wording afterwards."""

import threading
from collections.abc import Callable, Hashable
from dataclasses import replace

from handlers.catalog import Catalog, ProjectEntry
from handlers.reply import Intent, Reply

BROAD = 50  # projects in scope from which a reply is worth keeping
KEPT = 64  # replies kept per catalog (the oldest goes first)
_KEEPING = threading.Lock()  # chats are answered in worker threads


def remembered(
    catalog: Catalog,
    question: str,
    key: tuple[Hashable, ...],
    scope: list[ProjectEntry],
    intent: Intent,
    build: Callable[[], Reply],
) -> Reply:
    """The reply `build` makes, from the catalog's kept replies when the scope is broad; only a
    reply of the expected intent is kept (a fallback may depend on more of the question)."""
    if len(scope) < BROAD:
        return build()
    kept: dict[tuple[Hashable, ...], Reply] = catalog.memo("broad replies", dict)
    full_key = (*key, tuple(id(project) for project in scope))
    if (reply := kept.get(full_key)) is not None:
        return replace(reply, query=question)
    reply = build()
    if reply.intent == intent:
        with _KEEPING:
            if len(kept) >= KEPT:
                kept.pop(next(iter(kept)))
            kept[full_key] = reply
    return reply
