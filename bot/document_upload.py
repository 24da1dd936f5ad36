"""A document sent to the bot in a chat: admins import it with the command line's rules."""

from pathlib import Path

from sqlalchemy import Engine

from bot.import_report import import_with_report
from bot.settings import Settings, is_admin
from store.messages import say

SUFFIXES = (".docx", ".xlsx", ".xls", ".pdf", ".txt", ".doc", ".wps")
TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # what the Bot API lets a bot download


def refusal_for(settings: Settings, user_id: object, name: str, size: int | None) -> str | None:
    """Why a sent file is not imported (not an admin, not a document, too large), or None."""
    if not is_admin(settings, user_id):
        return say("zh", "upload_admins_only")
    if Path(name).suffix.lower() not in SUFFIXES:
        return say("zh", "upload_unsupported", name=name, formats=" ".join(SUFFIXES))
    if size is not None and size > TELEGRAM_DOWNLOAD_LIMIT:
        return say("zh", "upload_too_large", name=name, limit=TELEGRAM_DOWNLOAD_LIMIT // 2**20)
    return None


def import_upload(engine: Engine, name: str, data: bytes) -> str:
    """Import a sent file; the reply is the same report as `targetbot import` prints."""
    from store.documents import parse_bytes  # the readers load with the first document

    lines, errors, _ = import_with_report(engine, name, lambda: parse_bytes(data, name))
    # the report names each refused project; a file refused as a whole has no report
    refused = [] if lines else [say("zh", "upload_refused", reason=error) for error in errors]
    if not lines and not refused:
        return say("zh", "upload_nothing")
    return "\n".join(lines + refused)
