"""Button taps: narrow an ambiguous reply in place, a project's overview, an example question,
another page of a keyboard; each button's key resolved through the store."""

from telegram import CallbackQuery, Message, Update
from telegram.ext import ContextTypes

from bot.tg.callbacks import assistant, send_reply
from bot.tg.formatting import EXAMPLE, KEYBOARD, NARROW, OVERVIEW, PAGE, button_page, reply_html


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons: narrow an ambiguous reply in place, a project's overview, an example question,
    another page of buttons."""
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    kind, _, value = (query.data or "").partition(":")
    message = query.message if isinstance(query.message, Message) else None
    helper = assistant(context)
    if message is None:
        return
    if kind == NARROW:
        code, question = await _narrowing(context, value, message)
        if question:
            reply = await helper.off_loop(helper.ask_about, question, code)
            await query.edit_message_text(reply_html(reply)[0])
    elif kind == OVERVIEW:
        found = await helper.off_loop(helper.button_payload, OVERVIEW, value)
        code = found["c"] if found else value  # a button sent before keys were stored
        await send_reply(context, message, await helper.off_loop(helper.overview, code))
    elif kind == EXAMPLE and value.isdigit():
        examples = await helper.off_loop(helper.examples)
        if int(value) < len(examples):
            reply = await helper.off_loop(helper.ask, examples[int(value)])
            await send_reply(context, message, reply)
    elif kind == PAGE:
        await _turn_page(context, query, value)


async def _narrowing(
    context: ContextTypes.DEFAULT_TYPE, value: str, message: Message
) -> tuple[str, str]:
    """(project code, question) of a narrowing button: from its stored key, or for a button
    sent before keys were stored, its code and the question the message replied to."""
    helper = assistant(context)
    found = await helper.off_loop(helper.button_payload, NARROW, value)
    if found:
        return found["c"], found["q"]
    replied = message.reply_to_message
    return value, (replied.text or "") if replied else ""


async def _turn_page(context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery, value: str) -> None:
    """Show another page of a stored keyboard under the same message."""
    key, _, page = value.partition(":")
    helper = assistant(context)
    found = await helper.off_loop(helper.button_payload, KEYBOARD, key)
    if found and page.lstrip("-").isdigit():
        buttons = [(label, data) for label, data in found["b"]]
        await query.edit_message_reply_markup(button_page(buttons, int(page), key))
