"""Replies rendered for Telegram: escaped HTML, split under 4,096 characters, buttons."""

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.html_split import split_html
from handlers.reply import Reply

LIMIT = 4096
NARROW, OVERVIEW, EXAMPLE, PAGE, KEYBOARD = "p", "o", "x", "g", "k"
PAGE_SIZE = 30  # buttons a page; with the paging row far under Telegram's 100


def reply_html(reply: Reply) -> list[str]:
    """The reply's title in bold and its lines, every value from the store escaped, in
    message-sized pieces."""
    lines = [html.escape(line) for line in reply.lines]
    if reply.title:
        lines.insert(0, f"<b>{html.escape(reply.title)}</b>")
    return split_html("\n".join(lines), LIMIT)


def button_page(
    buttons: list[tuple[str, str]], page: int = 0, keyboard_key: str | None = None
) -> InlineKeyboardMarkup:
    """One button a row, `PAGE_SIZE` a page; with more than one page a row of paging buttons
    (‹ 1/3 ›) that carry the stored keyboard's key and the page they show."""
    pages = max(1, -(-len(buttons) // PAGE_SIZE))
    page = page % pages
    shown = buttons[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows = [[InlineKeyboardButton(label, callback_data=data)] for label, data in shown]
    if pages > 1 and keyboard_key:
        rows.append(
            [
                InlineKeyboardButton("‹", callback_data=f"{PAGE}:{keyboard_key}:{page - 1}"),
                # where we are; a tap changes nothing (Telegram refuses an edit to the same)
                InlineKeyboardButton(
                    f"{page + 1}/{pages}", callback_data=f"{PAGE}:{keyboard_key}:."
                ),
                InlineKeyboardButton("›", callback_data=f"{PAGE}:{keyboard_key}:{page + 1}"),
            ]
        )
    return InlineKeyboardMarkup(rows)


def project_buttons(
    projects: list[tuple[str, str]], action: str, keys: list[str]
) -> list[tuple[str, str]]:
    """(label, callback_data) of a button per project, each carrying its stored key."""
    return [(name[:40], f"{action}:{key}") for (_, name), key in zip(projects, keys, strict=True)]


def examples_buttons(examples: list[str]) -> list[tuple[str, str]]:
    """The example questions of /start as buttons."""
    return [(text[:60], f"{EXAMPLE}:{i}") for i, text in enumerate(examples)]
