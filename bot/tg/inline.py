"""Inline mode (@bot 逾期率 in any chat): answers, or the suggestions marked as such."""

import html

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import ContextTypes

from bot.tg.callbacks import assistant, in_store
from handlers.reply import Reply
from handlers.reply_text import answer_line, answer_summary
from store.messages import say

INLINE_RESULTS = 50  # Telegram's most results of an inline query


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot 逾期率: the matching answers as articles that post the answer."""
    query = update.inline_query
    if query is None:
        return
    if not query.query.strip():
        await query.answer([], cache_time=5)
        return
    reply = await in_store(context, assistant(context).ask, query.query)
    results = inline_answers(reply) or inline_suggestions(reply)
    await query.answer(results, cache_time=30)


def inline_answers(reply: Reply) -> list[InlineQueryResultArticle]:
    """The answers as articles that post the answer (Telegram takes at most 50)."""
    return [
        InlineQueryResultArticle(
            id=str(number),
            title=answer_summary(item, reply.language)[:100],
            description=getattr(item, "project_name", reply.query),
            input_message_content=InputTextMessageContent(
                html.escape(answer_line(item, reply.language))
            ),
        )
        for number, item in enumerate(reply.answers[:INLINE_RESULTS])
    ]


def inline_suggestions(reply: Reply) -> list[InlineQueryResultArticle]:
    """No answer: the suggestions (near misses, or example questions), each marked as one."""
    note = say(reply.language, "inline_suggestion_note", query=reply.query.strip()[:40])
    return [
        InlineQueryResultArticle(
            id=f"s{number}",
            title=say(reply.language, "inline_suggestion", suggestion=text)[:100],
            description=note,
            input_message_content=InputTextMessageContent(html.escape(text)),
        )
        for number, text in enumerate(reply.suggestions[:INLINE_RESULTS])
    ]
