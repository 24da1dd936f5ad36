"""python-telegram-bot callbacks: questions, commands, other messages, errors; sending a reply
with its buttons (taps: bot/tg/buttons.py, inline mode: bot/tg/inline.py)."""

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from telegram import (
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.assistant import Assistant, unavailable_reply
from bot.tg.formatting import (
    KEYBOARD,
    NARROW,
    OVERVIEW,
    PAGE_SIZE,
    button_page,
    examples_buttons,
    project_buttons,
    reply_html,
)
from bot.tg.limits import maybe_delivered
from handlers.reply import Reply
from store.messages import Language, say
from store.offloop import StoreUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")


async def in_store(context: ContextTypes.DEFAULT_TYPE, function: Callable[..., T], *args: Any) -> T:
    """An assistant call off the event loop: a slow or silent store holds only this update."""
    return await assistant(context).off_loop(function, *args)


def assistant(context: ContextTypes.DEFAULT_TYPE) -> Assistant:
    return context.application.bot_data["assistant"]


async def keyboard_of(
    context: ContextTypes.DEFAULT_TYPE, buttons: list[tuple[str, str]]
) -> InlineKeyboardMarkup | None:
    """The first page of (label, callback_data) buttons; a keyboard of several pages is stored
    so that its paging buttons can show the others."""
    if not buttons:
        return None
    key = None
    if len(buttons) > PAGE_SIZE:
        helper = assistant(context)
        (key,) = await helper.off_loop(helper.button_keys, KEYBOARD, [{"b": buttons}])
    return button_page(buttons, 0, key)


async def project_keyboard(
    context: ContextTypes.DEFAULT_TYPE,
    projects: list[tuple[str, str]],
    action: str,
    question: str = "",
) -> InlineKeyboardMarkup | None:
    """A button per project; each carries a stored key for the project (and the question a
    narrowing button answers), so callback_data stays short whatever the project code."""
    payloads = [
        {"c": code, "q": question} if action == NARROW else {"c": code} for code, _ in projects
    ]
    helper = assistant(context)
    keys = await helper.off_loop(helper.button_keys, action, payloads)
    return await keyboard_of(context, project_buttons(projects, action, keys))


async def send_reply(
    context: ContextTypes.DEFAULT_TYPE,
    message: Message,
    reply: Reply,
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:
    """Send a reply in as many messages as it needs; buttons (given, or one per project of an
    answer from several projects) go under the last one, which quotes the question."""
    pieces = reply_html(reply)
    if keyboard is None and len(projects := reply.projects()) > 1:
        keyboard = await project_keyboard(context, projects, NARROW, reply.query)
    for number, piece in enumerate(pieces, start=1):
        last = number == len(pieces)
        await message.reply_html(
            piece,
            reply_markup=keyboard if last else None,
            reply_parameters=ReplyParameters(message.message_id) if keyboard else None,
        )


def question_text(message: Message, bot_username: str) -> str | None:
    """The question in a message: all of it in private; in groups only when the bot is addressed."""
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    mention = f"@{bot_username}".lower()
    mentions = message.parse_entities([MessageEntity.MENTION]).values()
    if any(m.lower() == mention for m in mentions):
        return text.replace(f"@{bot_username}", " ").strip()
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.username == bot_username:
        return text
    return None


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text: a question in private chats, or when the bot is mentioned or replied to."""
    message = update.effective_message
    if message is None:
        return
    question = question_text(message, context.bot.username)
    if question is None:
        return
    await send_reply(context, message, await in_store(context, assistant(context).ask, question))


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help, /plan, /next, /ask ... answered by the engine's command functions."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split(maxsplit=1)[0]
    if "@" in command and command.split("@", 1)[1].lower() != context.bot.username.lower():
        return  # a command for another bot in the group
    reply = await in_store(context, assistant(context).ask, message.text)
    await send_reply(context, message, reply)


async def on_subscription(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/subscribe [项目], /unsubscribe, /reminders for this chat: quick, and on the event loop,
    which their rescheduling of the reminders needs."""
    message = update.effective_message
    if message is None or not message.text:
        return
    user = message.from_user
    language: Language | None = None
    if user and (user.language_code or "").startswith("en"):
        language = "en"
    reply = await in_store(
        context, assistant(context).command, f"telegram:{message.chat_id}", message.text, language
    )
    await send_reply(context, message, reply)


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot knows, and three example questions as buttons."""
    examples = await in_store(context, assistant(context).examples)
    keyboard = await keyboard_of(context, examples_buttons(examples))
    await _answer_with_buttons(update, context, "/start", keyboard)


async def on_projects(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The projects, each a button that shows its overview."""
    projects = await in_store(context, assistant(context).project_names)
    keyboard = await project_keyboard(context, projects, OVERVIEW)
    await _answer_with_buttons(update, context, "/projects", keyboard)


async def _answer_with_buttons(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    command: str,
    keyboard: InlineKeyboardMarkup | None,
) -> None:
    if message := update.effective_message:
        reply = await in_store(context, assistant(context).ask, command)
        await send_reply(context, message, reply, keyboard)


async def on_other_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice: a short hint instead of silence (in groups: only replies to us)."""
    message = update.effective_message
    if message is None:
        return
    if message.chat.type != ChatType.PRIVATE:
        replied = message.reply_to_message
        if not (replied and replied.from_user and replied.from_user.id == context.bot.id):
            return
    examples = await in_store(context, assistant(context).examples) or [
        say("zh", "example_question")
    ]
    await message.reply_text(say("zh", "non_text", example=examples[0]), parse_mode=None)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception with the update; tell the user briefly (not after a reply that timed
    out: it may have arrived); never stop the bot."""
    if isinstance(context.error, StoreUnavailable):
        await tell_store_unavailable(update, context.error)
        return
    if maybe_delivered(context.error):
        log.warning("a reply timed out and is not sent again (it may have arrived)")
        return
    summary = update.to_dict() if isinstance(update, Update) else repr(update)
    log.error("error while handling update %s", str(summary)[:2000], exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        try:
            await update.effective_message.reply_text(say("zh", "error"), parse_mode=None)
        except Exception:  # the reply itself may be what fails
            log.warning("could not tell the user about the error", exc_info=True)


async def tell_store_unavailable(update: object, error: StoreUnavailable) -> None:
    """暂时无法查询，请稍后再试 (in English for English-language users)."""
    log.warning("store unavailable while handling an update: %s", error)
    if not isinstance(update, Update) or not update.effective_message:
        return
    user = update.effective_user
    language: Language = "en" if user and (user.language_code or "").startswith("en") else "zh"
    text = unavailable_reply(update.effective_message.text or "", language).text
    try:
        await update.effective_message.reply_text(text, parse_mode=None)
    except Exception:  # the reply itself may be what fails
        log.warning("could not tell the user the store is unavailable", exc_info=True)
