"""Sending answers in Telegram: the first page, "More", an edited question, and "typing…".

The handlers call these; what to answer is ``bot.chats.Chats.ask`` and how it reads is
``bot.render.page``. What is Telegram's here:

- Quoting the question: always in groups; in a private chat only when answers could
  be confused (``bot.pending``: another question of the chat in flight or asked since).
- Forum topics: replies and "typing…" go through the question's ``Message``, so they
  land in its topic (PTB passes ``message_thread_id`` for topic messages).
- The buttons under an answer (``texts.answer_buttons``), and remembering which
  message answers which question (``bot.answered``) so "More" and edits still work
  after a restart.

Typing indicator: answering is synchronous and takes milliseconds, so a "typing…"
action is only sent when a reply is still not out after ``TYPING_DELAY`` seconds
(a slow or retried send); fast replies cost one API call, not two.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from telegram import CallbackQuery, Message
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, TelegramError

from bot.answer.addressing import question_of
from bot.answer.language import looks_english
from bot.render import Page, page
from bot.telegram_bot.context import BotData, Context
from bot.telegram_bot.texts import (
    MORE_GONE_TEXT,
    NO_MORE_TEXT,
    NOT_ENGLISH_TEXT,
    STALE_BUTTON_TEXT,
    answer_buttons,
    parse_more,
    usage_text,
    without_more,
)

__all__ = [
    "TYPING_DELAY",
    "TYPING_EVERY",
    "answer",
    "answer_again",
    "answer_ask_command",
    "keep_typing",
    "more",
    "typing_after",
]

TYPING_DELAY = 0.5
"""Seconds a reply may take before the chat shows "typing…"."""
TYPING_EVERY = 4.0
"""Telegram shows "typing…" for 5 s per action: renewed this often while a link is read."""


@asynccontextmanager
async def typing_after(message: Message, delay: float = TYPING_DELAY) -> AsyncIterator[None]:
    """Show "typing…" where ``message`` is (its chat, its forum topic) if the body still runs after ``delay`` s."""

    async def later() -> None:
        await asyncio.sleep(delay)
        with suppress(TelegramError):  # a cosmetic call: never worth an error
            await message.reply_chat_action(ChatAction.TYPING)

    task = asyncio.create_task(later())
    try:
        yield
    finally:
        task.cancel()


@asynccontextmanager
async def keep_typing(message: Message, every: float = TYPING_EVERY) -> AsyncIterator[None]:
    """Show "typing…" where ``message`` is from now until the body is done."""

    async def loop() -> None:
        with suppress(TelegramError):  # cosmetic: a failed action must not fail the read
            while True:
                await message.reply_chat_action(ChatAction.TYPING)
                await asyncio.sleep(every)

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()


async def _page(data: BotData, chat_id: int, question: str, start: int = 0) -> Page:
    """Answers ``start`` to ``start + top_k`` of a chat's question (one more is asked for, to know if "More")."""
    await data.chats.prepare(chat_id)
    reply, examples = data.chats.ask(chat_id, question, k=start + data.top_k + 1)
    sources = data.chats.article_count(chat_id) > 1
    return page(reply, examples or data.examples, start, data.top_k, sources=sources)


async def answer(asked: Message, context: Context, question: str, via: Message | None = None) -> None:
    """Answer ``question``, asked in ``asked`` (a reply to it); ``via`` is the message that asked for it
    (an ``/ask`` sent in reply to someone's question), where "typing…" goes.

    Each question is timed and logged as one line (``bot.telegram_bot.stats``). A question that finds
    nothing and is plainly not in English gets "I understand English questions", not English examples.
    """
    data, chat_id = context.bot_data, asked.chat_id
    with data.pending.asking(chat_id) as ticket:
        async with typing_after(via or asked), data.stats.question(asked.chat.type, question) as timed:
            shown = await _page(data, chat_id, question)
            quote = asked.chat.type != ChatType.PRIVATE or via is not None or data.pending.confusable(ticket)
            if not shown.shown and not looks_english(question):
                await asked.reply_text(NOT_ENGLISH_TEXT, do_quote=quote)
                timed.answered("refused")
                return
            sent = await asked.reply_html(
                shown.html, reply_markup=answer_buttons(asked.message_id, shown), do_quote=quote
            )
            timed.answered(shown.status)
    data.answered.keep(chat_id, asked.message_id, sent.message_id, question)


async def answer_ask_command(message: Message, context: Context, question: str) -> None:
    """``/ask question``; a bare ``/ask`` in reply to someone's question answers that; else a usage hint."""
    replied = message.reply_to_message
    theirs = replied if replied and not (replied.from_user and replied.from_user.id == context.bot.id) else None
    text = theirs and (theirs.text or theirs.caption)
    if question:
        await answer(message, context, question)
    elif theirs is not None and text:
        await answer(theirs, context, question_of(text, context.bot.username), via=message)
    else:
        await message.reply_html(usage_text(context.bot_data.examples))


async def answer_again(message: Message, context: Context) -> None:
    """An edited question: edit its earlier answer into the new one (a message never answered is left alone)."""
    data = context.bot_data
    earlier = data.answered.get(message.chat_id, message.message_id)
    if earlier is None:
        return
    question = question_of(message.text or message.caption or "", context.bot.username)
    shown = await _page(data, message.chat_id, question)
    try:
        await context.bot.edit_message_text(
            shown.html,
            chat_id=message.chat_id,
            message_id=earlier.answer_id,
            reply_markup=answer_buttons(message.message_id, shown),
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():  # the same answer: nothing to change
            raise
    data.answered.keep(message.chat_id, message.message_id, earlier.answer_id, question)


async def more(query: CallbackQuery, context: Context) -> None:
    """The "More" button: the next quotes as a reply to the answer, then the pressed message loses its "More"
    (so the same quotes are not sent twice); the button's press is always answered."""
    data, message = context.bot_data, query.message
    try:
        question_id, start = parse_more(query.data)
    except ValueError:  # "more:" and then not ours
        question_id, start = 0, 0
    if not isinstance(message, Message) or not question_id:  # too old for Telegram to send, or not a button of mine
        await query.answer(STALE_BUTTON_TEXT)
        return
    earlier = data.answered.get(message.chat.id, question_id)
    shown = await _page(data, message.chat.id, earlier.question, start) if earlier else None
    if earlier is None or shown is None or not shown.shown:
        await query.answer(MORE_GONE_TEXT if earlier is None else NO_MORE_TEXT)
        return
    await query.answer()
    await message.reply_html(shown.html, reply_markup=answer_buttons(question_id, shown), do_quote=True)
    with suppress(BadRequest):  # pressed twice at once: the button is gone already
        await query.edit_message_reply_markup(without_more(message.reply_markup))
