"""What Telegram refuses with 400: the checks the strict fake Bot API applies to each request."""

import re
from typing import Any

TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
BUTTON_LIMIT = 100
INLINE_RESULT_LIMIT = 50
TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "tg-emoji",
    "code",
    "pre",
    "blockquote",
}
NAMED_ENTITIES = {"lt", "gt", "amp", "quot"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-z-]+(?:=\"[^\"<>]*\")?)*)\s*>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|([a-zA-Z]+));")


def html_problem(text: str) -> str | None:
    """Why Telegram cannot parse `text` as HTML (parse_mode HTML), or None when it can."""
    open_tags: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == "<":
            tag = _TAG.match(text, position)
            if tag is None:
                return f"Can't parse entities: unclosed start tag at byte offset {position}"
            closing, name = tag.group(1) == "/", tag.group(2).lower()
            if name not in TAGS:
                return f'Can\'t parse entities: unsupported start tag "{name}" at {position}'
            if closing:
                if not open_tags or open_tags.pop() != name:
                    return f"Can't parse entities: can't find end tag corresponding to \"{name}\""
            else:
                open_tags.append(name)
            position = tag.end()
        elif char == "&":
            entity = _ENTITY.match(text, position)
            if entity is None or (entity.group(1) and entity.group(1) not in NAMED_ENTITIES):
                return f"Can't parse entities: unsupported HTML entity at {position}"
            position = entity.end()
        elif char == ">":
            return f"Can't parse entities: unexpected end tag at {position}"
        else:
            position += 1
    if open_tags:
        return f"Can't parse entities: can't find end tag for \"{open_tags[-1]}\""
    return None


def text_problem(text: str, parse_mode: str | None) -> str | None:
    """Empty, longer than 4,096 characters, or invalid HTML."""
    if not text.strip():
        return "message text is empty"
    if len(text) > TEXT_LIMIT:
        return "message is too long"
    if (parse_mode or "").upper() == "HTML":
        return html_problem(text)
    return None


def markup_problem(markup: Any) -> str | None:
    """An inline keyboard with more than 100 buttons or callback_data over 64 bytes."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    buttons = [button for row in markup["inline_keyboard"] for button in row]
    if len(buttons) > BUTTON_LIMIT:
        return "reply markup is too long"
    for button in buttons:
        data = button.get("callback_data")
        if data is not None and not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
            return "BUTTON_DATA_INVALID"
        if not button.get("text"):
            return "text buttons are unallowed in the inline keyboard"
    return None


def request_problem(method: str, params: dict) -> str | None:
    """Why Telegram would answer this request with 400 Bad Request, or None."""
    problem = None
    if method in ("sendMessage", "editMessageText"):
        problem = text_problem(str(params.get("text", "")), params.get("parse_mode"))
    if method in ("sendPhoto", "sendDocument") and params.get("caption"):
        caption = str(params["caption"])
        problem = "message caption is too long" if len(caption) > 1024 else None
        problem = problem or text_problem(caption, params.get("parse_mode"))
    if method == "answerInlineQuery":
        problem = _inline_problem(params.get("results") or [])
    if problem is None and params.get("reply_markup") is not None:
        problem = markup_problem(params["reply_markup"])
    return problem


def _inline_problem(results: list[dict]) -> str | None:
    if len(results) > INLINE_RESULT_LIMIT:
        return "RESULTS_TOO_MUCH"
    for result in results:
        content = result.get("input_message_content") or {}
        if "message_text" in content:
            found = text_problem(content["message_text"], content.get("parse_mode"))
            if found:
                return found
        if (problem := markup_problem(result.get("reply_markup"))) is not None:
            return problem
    return None
