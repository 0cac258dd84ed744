"""The bot's Telegram handlers: each a short ``async def`` that asks and replies.

Handlers parse and score nothing: ``bot.answer.ask`` finds the quotes,
``bot.render.render_html`` formats them, ``bot.telegram_bot.texts`` says what
the commands show. Routing (which message is a question for the bot) lives in
``bot.telegram_bot.app``, the command table in ``bot.telegram_bot.commands``;
everything a handler needs is in the typed ``context.bot_data`` (``BotData``).

Sending an answer (quoting, topics, buttons, "typing…", edits, "More") is in
``bot.telegram_bot.answering``. Reading a link takes longer (up to the fetch's
10 s): the chat shows "typing…" throughout, and one progress message is edited
into the result (``_reading``), so every link or file gets exactly one message.

Links and files are read by ``bot.chats.Chats`` (fetching, extraction, the
per-chat database); here is only what Telegram needs: where the link is in
the message, downloading a document, and the messages.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from contextlib import suppress
from dataclasses import replace
from functools import wraps
from html import escape
from typing import Any

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, MessageLimit
from telegram.error import BadRequest, TelegramError

from bot.answer import Reply, ask
from bot.answer.addressing import question_of
from bot.chats import Read
from bot.corpus.reader import check_document, find_link
from bot.errors import BotError
from bot.render import attribution, render_html
from bot.search.backend import SearchBackend
from bot.telegram_bot import answering
from bot.telegram_bot.answering import keep_typing
from bot.telegram_bot.context import Context
from bot.telegram_bot.failures import describe, verdict
from bot.telegram_bot.flood import Verdict
from bot.telegram_bot.texts import (
    FLOOD_TEXT,
    FORGET_ADMINS_TEXT,
    INLINE_BUTTON_TEXT,
    INLINE_START,
    NON_TEXT_TEXT,
    READ_USAGE_TEXT,
    SORRY_TEXT,
    STALE_BUTTON_TEXT,
    STATS_ADMINS_TEXT,
    UNKNOWN_COMMAND_TEXT,
    article_menu,
    forgot_text,
    group_greeting_text,
    help_text,
    parse_choice,
    read_failed_text,
    read_text,
    reading_text,
    speakers_text,
    start_text,
    stats_text,
)

__all__ = [
    "added_to_group",
    "article",
    "ask_command",
    "document",
    "edited_question",
    "forget",
    "help_command",
    "inline_query",
    "more_quotes",
    "non_text",
    "on_error",
    "pick_article",
    "private_link",
    "question",
    "read_command",
    "speakers",
    "stale_button",
    "start",
    "stats",
    "unknown_command",
]

logger = logging.getLogger(__name__)

INLINE_CACHE_SECONDS = 10
"""Small: Telegram may reuse an inline answer this long, and the corpus can change between restarts."""
INLINE_RESULTS = 3
INLINE_QUESTION = 256
"""Characters of the question shown above an inline quote (Telegram's inline query is at most 256)."""

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


def message_of(update: Update) -> Message:
    """The message an update carries: the routing filters let only such updates reach a handler."""
    message = update.effective_message
    if message is None:
        raise ValueError(f"update {update.update_id} carries no message")
    return message


# ---------------------------------------------------------------- guards


def flood_guarded(handler: Handler) -> Handler:
    """Answer a flooding user's first surplus message politely, then ignore them until the window has room."""

    @wraps(handler)
    async def guarded(update: Update, context: Context) -> None:
        user = update.effective_user
        who = user.id if user else update.effective_chat.id if update.effective_chat else 0
        flood = context.bot_data.flood
        verdict = flood.check(who)
        if verdict is Verdict.ALLOW:
            await handler(update, context)
        elif verdict is Verdict.WARN and update.effective_message:
            seconds = max(1, round(flood.retry_in(who)))
            await message_of(update).reply_text(FLOOD_TEXT.format(seconds=seconds))

    return guarded


async def may_change_group(message: Message) -> bool:
    """True in a private chat, and in a group for its admins (an anonymous admin writes as the group itself)."""
    if message.chat.type == ChatType.PRIVATE or (message.sender_chat and message.sender_chat.id == message.chat_id):
        return True
    if message.from_user is None:
        return False
    member = await message.chat.get_member(message.from_user.id)
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


def link_in(message: Message | None) -> str | None:
    """The first link a message holds: a visible URL, or the target of a text link."""
    if message is None:
        return None
    for entity, text in message.parse_entities([MessageEntity.URL, MessageEntity.TEXT_LINK]).items():
        link = entity.url or text
        if find_link(link):
            return link
    for entity, text in message.parse_caption_entities([MessageEntity.URL, MessageEntity.TEXT_LINK]).items():
        if find_link(entity.url or text):
            return entity.url or text
    return find_link(message.text or message.caption)


async def _reading(message: Message, progress: str, what: str, work: Callable[[], Awaitable[Read]]) -> None:
    """One message for one read: a progress line, "typing…" while ``work`` runs, then edited into the result."""
    sent = await message.reply_html(progress)
    async with keep_typing(message):
        try:
            text = read_text(await work())
        except BotError as exc:
            text = read_failed_text(exc, what)
        except Exception:  # an extractor failing on odd markup: say so in the one message, log it
            logger.exception("Reading a %s in chat %s failed", what, message.chat_id)
            text = read_failed_text(None)
    await sent.edit_text(text)


async def _read_link(message: Message, context: Context, link: str | None) -> None:
    if link is None:
        await message.reply_html(READ_USAGE_TEXT)
        return
    chats, user = context.bot_data.chats, message.from_user.id if message.from_user else None
    await _reading(message, reading_text(link), "link", lambda: chats.read_link(message.chat_id, link, user))


async def _read_document(message: Message, context: Context) -> None:
    doc, chats = message.document, context.bot_data.chats
    user = message.from_user.id if message.from_user else None

    async def work() -> Read:
        assert doc is not None
        check_document(doc.file_name or "", doc.file_size)  # before downloading anything
        data = await (await doc.get_file()).download_as_bytearray()
        return await chats.read_file(message.chat_id, doc.file_name or "", bytes(data), user)

    await _reading(message, reading_text(None), "file", work)


# ---------------------------------------------------------------- commands


@flood_guarded
async def start(update: Update, context: Context) -> None:
    """Greet, name the article(s) I know, and offer example questions."""
    await message_of(update).reply_html(start_text(context.bot_data.library, context.bot_data.examples))


@flood_guarded
async def help_command(update: Update, context: Context) -> None:
    """Explain how to ask in private, in groups and inline."""
    data = context.bot_data
    await message_of(update).reply_html(help_text(context.bot.username, data.examples, data.help_lines))


@flood_guarded
async def article(update: Update, context: Context) -> None:
    """What this chat has read and my own articles, with buttons to pick where questions go."""
    text, buttons = article_menu(*context.bot_data.chats.listing(message_of(update).chat_id))
    await message_of(update).reply_html(text, reply_markup=buttons)


async def pick_article(update: Update, context: Context) -> None:
    """A button under /article: this chat's questions now go where it says."""
    query, chats = update.callback_query, context.bot_data.chats
    if query is None or query.message is None:  # a button on a message too old for Telegram to send
        return
    chat_id = query.message.chat.id
    picked = chats.store.choose(chat_id, parse_choice(query.data))
    await query.answer("Done." if picked else "That article is no longer here.")
    text, buttons = article_menu(*chats.listing(chat_id))
    with suppress(BadRequest):  # "message is not modified": the same button pressed twice
        await query.edit_message_text(text, reply_markup=buttons)


@flood_guarded
async def read_command(update: Update, context: Context) -> None:
    """``/read <link>``, or ``/read`` in reply to a message holding a link (private chats and groups)."""
    message, given = message_of(update), " ".join(context.args or ())
    await _read_link(message, context, (find_link(given) or given) if given else link_in(message.reply_to_message))


@flood_guarded
async def private_link(update: Update, context: Context) -> None:
    """A private message holding a link: read the article it points to."""
    message = message_of(update)
    await _read_link(message, context, link_in(message))


@flood_guarded
async def document(update: Update, context: Context) -> None:
    """A document sent in a private chat: read it if it is a .txt or .html file."""
    await _read_document(message_of(update), context)


@flood_guarded
async def forget(update: Update, context: Context) -> None:
    """Remove the articles read in this chat (in a group, only its admins may)."""
    message = message_of(update)
    allowed = await may_change_group(message)
    await message.reply_html(
        forgot_text(context.bot_data.chats.forget(message.chat_id)) if allowed else FORGET_ADMINS_TEXT
    )


@flood_guarded
async def speakers(update: Update, context: Context) -> None:
    """List who is quoted, with roles: in the article this chat's questions go to first."""
    message = message_of(update)
    await message.reply_html(speakers_text(context.bot_data.chats.focus(message.chat_id)))


@flood_guarded
async def ask_command(update: Update, context: Context) -> None:
    """Answer ``/ask <question>``; a bare /ask answers the message it replies to, or gets a usage hint."""
    await answering.answer_ask_command(message_of(update), context, " ".join(context.args or ()))


@flood_guarded
async def question(update: Update, context: Context) -> None:
    """A question: any text (or photo caption) in a private chat; in a group one that mentions me or replies
    to me. The text, minus the mention and its fillers, is the question."""
    message = message_of(update)
    await answering.answer(message, context, question_of(message.text or message.caption or "", context.bot.username))


@flood_guarded
async def edited_question(update: Update, context: Context) -> None:
    """A question edited after I answered it: my answer is edited to answer the new text."""
    await answering.answer_again(message_of(update), context)


async def more_quotes(update: Update, context: Context) -> None:
    """The "More" button under an answer: the next quotes."""
    if update.callback_query is not None:
        await answering.more(update.callback_query, context)


async def stale_button(update: Update, context: Context) -> None:
    """Any other button press (an old or foreign button): answered, so the client stops its spinner."""
    if update.callback_query is not None:
        await update.callback_query.answer(STALE_BUTTON_TEXT)


@flood_guarded
async def non_text(update: Update, context: Context) -> None:
    """Stickers, photos and the like in a private chat: say I read text only."""
    await message_of(update).reply_text(NON_TEXT_TEXT)


@flood_guarded
async def unknown_command(update: Update, context: Context) -> None:
    """A command I don't have, in a private chat: point to /help."""
    await message_of(update).reply_text(UNKNOWN_COMMAND_TEXT)


@flood_guarded
async def stats(update: Update, context: Context) -> None:
    """/stats: questions since start, no-answer rate and latency, for the user ids in ADMIN_IDS only."""
    message, data = message_of(update), context.bot_data
    admin = message.from_user is not None and message.from_user.id in data.admin_ids
    await message.reply_html(stats_text(data.stats.summary()) if admin else STATS_ADMINS_TEXT)


async def added_to_group(update: Update, context: Context) -> None:
    """my_chat_member: the bot was just added to a group; one short message on how to ask there."""
    change = update.my_chat_member
    if change is None or change.chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return
    was = change.old_chat_member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
    now = change.new_chat_member.status in (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR)
    if was and now:
        await context.bot.send_message(
            change.chat.id, group_greeting_text(context.bot.username, context.bot_data.examples)
        )


async def inline_query(update: Update, context: Context) -> None:
    """``@Bot question`` in any chat: up to three quotes to pick from (examples when the query is empty)."""
    data, query = context.bot_data, update.inline_query
    if query is not None:
        results = inline_results(data.library, query.query, data.examples, data.top_k)
        button = None if results else InlineQueryResultsButton(text=INLINE_BUTTON_TEXT, start_parameter=INLINE_START)
        await query.answer(results, cache_time=INLINE_CACHE_SECONDS, button=button)


async def on_error(update: object, context: Context) -> None:
    """The one error handler: report the failure as ``failures.verdict`` says; the bot keeps running.

    Routine failures (a chat the bot may not write to, a send that timed out after Telegram
    may have delivered it) are one WARNING line and no apology; a revoked token stops the bot.
    """
    error, found = context.error, verdict(context.error)
    if found.kind == "revoked":
        context.bot_data.health.token_revoked()
    chat = update.effective_chat.id if isinstance(update, Update) and update.effective_chat else None
    update_id = update.update_id if isinstance(update, Update) else None
    if found.traceback:
        logger.log(found.level, "Handling update %s failed", update_id, exc_info=error)
    else:
        logger.log(found.level, "Update %s in chat %s: %s (%s)", update_id, chat, describe(error), found.note)
    if not found.apologise or not isinstance(update, Update) or update.effective_message is None or update.channel_post:
        return
    try:
        await message_of(update).reply_text(SORRY_TEXT)
    except TelegramError as exc:  # Telegram unreachable: nothing more to do than say so in the log
        logger.warning("Could not tell the user about the failure either: %s", type(exc).__name__)


# ---------------------------------------------------------------- inline answers


def _article_result(result_id: str, title: str, description: str, html: str) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=result_id,
        title=title[:256],
        description=description[:256],
        input_message_content=InputTextMessageContent(html),
    )


def _with_question(question: str, reply: Reply, examples: Sequence[str]) -> str:
    """What an inline result posts: the question in bold, then the quote(s), within Telegram's limit."""
    header = f"<b>{escape(question[:INLINE_QUESTION])}</b>\n\n"
    return header + render_html(reply, examples, limit=MessageLimit.MAX_TEXT_LENGTH - len(header))


def inline_results(
    library: SearchBackend, query: str, examples: Sequence[str], k: int
) -> list[InlineQueryResultArticle]:
    """Inline answers: one result per quote, each posted with the question; example questions for an empty
    query; none when nothing answers (the caller then offers Telegram's "Ask in private chat" button)."""
    if not query.strip():
        return [
            _article_result(
                f"example-{number}",
                f"Try: {question}",
                "Sends the question and the quotes that answer it",
                _with_question(question, ask(library, question, k=k), examples),
            )
            for number, question in enumerate(examples[:INLINE_RESULTS])
        ]
    reply = ask(library, query, k=min(k, INLINE_RESULTS))
    return [
        _article_result(
            f"quote-{number}",
            attribution(answer),
            answer.sentence.text,
            _with_question(query, _only(reply, number), examples),
        )
        for number, answer in enumerate(reply.answers[:INLINE_RESULTS])
    ]


def _only(reply: Reply, number: int) -> Reply:
    """The reply reduced to one of its answers (the lead kept), to render as one inline result."""
    return replace(reply, answers=(reply.answers[number],))
