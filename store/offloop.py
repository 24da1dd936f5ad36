"""Database work from an event loop: in worker threads, with a deadline, retried with backoff."""

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import exc

log = logging.getLogger(__name__)
T = TypeVar("T")
# Threads for database calls: a call stuck on a silent network holds one, never the loop.
_executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="db")


class StoreUnavailable(Exception):
    """The database did not answer in time, or kept failing for longer than allowed."""


def transient(error: BaseException) -> bool:
    """A failure that may pass: connection lost or refused, timeouts, a locked SQLite file."""
    if isinstance(error, StoreUnavailable | exc.OperationalError | exc.InterfaceError):
        return True
    if isinstance(error, exc.TimeoutError | exc.DisconnectionError):
        return True
    return isinstance(error, exc.DBAPIError) and error.connection_invalidated


async def in_thread(deadline: float, function: Callable[..., T], *args: Any) -> T:
    """Run `function(*args)` in a database thread; StoreUnavailable after `deadline` seconds
    (the thread is left to finish on its own)."""
    loop = asyncio.get_running_loop()
    future = loop.run_in_executor(_executor, lambda: function(*args))
    try:
        return await asyncio.wait_for(asyncio.shield(future), deadline)
    except TimeoutError:
        name = getattr(function, "__name__", "call")
        raise StoreUnavailable(f"the database did not answer {name} in {deadline:g}s") from None


@dataclass
class Retrying:
    """Calls retried on transient errors with exponential backoff; `give_up_after` seconds of
    failing (None: never) raise StoreUnavailable. `deadline` bounds each attempt."""

    backoff: float = 0.5
    backoff_max: float = 10.0
    give_up_after: float | None = None
    deadline: float = 30.0

    async def call(
        self,
        function: Callable[..., T],
        *args: Any,
        on_error: Callable[[BaseException], None] | None = None,
        give_up_after: float | None = None,
    ) -> T:
        limit = give_up_after if give_up_after is not None else self.give_up_after
        started, delay = time.monotonic(), self.backoff
        while True:
            try:
                return await in_thread(self.deadline, function, *args)
            except Exception as error:
                if not transient(error):
                    raise
                if on_error:
                    on_error(error)
                waited = time.monotonic() - started
                if limit is not None and waited + delay > limit:
                    message = f"database unavailable for {waited:.0f}s: {_brief(error)}"
                    raise StoreUnavailable(message) from error
                log.warning("database unavailable (%s); retrying in %.1fs", _brief(error), delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff_max)


def _brief(error: BaseException) -> str:
    text = str(error.args[0]) if getattr(error, "args", None) else str(error)
    return f"{type(error).__name__}: {text.splitlines()[0][:200] if text else ''}"
