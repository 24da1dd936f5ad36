"""Replies rendered for Telegram: escaped HTML, split under 4,096 characters, buttons."""

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.html_split import split_html
from handlers.reply import Reply

LIMIT = 4096
NARROW, OVERVIEW, EXAMPLE = "p", "o", "x"


def reply_html(reply: Reply) -> list[str]:
    """The reply's title in bold and its lines, every value from the store escaped, in
    message-sized pieces."""
    lines = [html.escape(line) for line in reply.lines]
    if reply.title:
        lines.insert(0, f"<b>{html.escape(reply.title)}</b>")
    return split_html("\n".join(lines), LIMIT)


def narrow_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """One button per project when the answers come from several projects."""
    projects = reply.projects()
    if len(projects) < 2:
        return None
    buttons = [
        [InlineKeyboardButton(name[:40], callback_data=f"{NARROW}:{code}")]
        for code, name in projects
    ]
    return InlineKeyboardMarkup(buttons)


def projects_keyboard(projects: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """A button per project; a tap shows its overview."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(name[:40], callback_data=f"{OVERVIEW}:{code}")]
            for code, name in projects
        ]
    )


def examples_keyboard(examples: list[str]) -> InlineKeyboardMarkup:
    """The example questions of /start as buttons."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(text[:60], callback_data=f"{EXAMPLE}:{i}")]
            for i, text in enumerate(examples)
        ]
    )
