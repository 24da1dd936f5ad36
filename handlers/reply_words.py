"""Buttons as reply words, for chats without buttons (WeCom): offered in the text, matched back."""

from dataclasses import replace

from handlers.monitoring_chat import FORCE, Button, ChatOutcome
from handlers.normalize import half_width
from handlers.progress_answers import monitoring_words
from handlers.reply import Reply
from store.messages import Language, say


def _words(button: Button) -> list[str]:
    """The words that press a button: confirm words for a confirm, undo words for an undo."""
    kind = button.data.partition(":")[0]
    return monitoring_words()["reply_confirm" if kind == FORCE else "reply_undo"]


def with_reply_words(outcome: ChatOutcome, language: Language = "zh") -> Reply:
    """The reply with one line per button saying which word to answer with."""
    offers = [
        say(language, "reply_word_offer", word=_words(b)[0], label=b.label) for b in outcome.buttons
    ]
    return replace(outcome.reply, lines=outcome.reply.lines + tuple(offers))


def pressed_by_word(text: str, offered: list[Button]) -> Button | None:
    """The offered button a reply word presses (`确认`, `撤销`), or None."""
    word = half_width(text).strip().strip("。.!！").lower()
    for button in offered:
        if word in (w.lower() for w in _words(button)):
            return button
    return None
