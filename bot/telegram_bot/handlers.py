"""The bot's Telegram handlers: each a short ``async def`` that asks and replies.

Handlers parse and score nothing: ``bot.answer.ask`` finds the quotes,
``bot.render.render_html`` formats them, and the small text builders at the
bottom of this module say what the commands show. Routing (which message is
a question for the bot) lives in ``bot.telegram_bot.app``; everything a handler
needs is in ``context.bot_data[SHARED]``, put there once by ``build_app``.

Typing indicator: answering is synchronous and takes milliseconds, so a
"typing…" action is only sent when a reply is still not out after
``TYPING_DELAY`` seconds (a slow or retried send); fast replies cost one API
call, not two.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, replace
from functools import wraps
from html import escape

from telegram import (
    Chat,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ChatAction, MessageLimit
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.answer import Reply, ask
from bot.library import Library
from bot.render import attribution, render_html, render_text
from bot.telegram_bot.flood import FloodLimiter, Verdict

__all__ = [
    "SHARED",
    "Shared",
    "article",
    "ask_command",
    "group_question",
    "help_command",
    "inline_query",
    "non_text",
    "on_error",
    "private_question",
    "speakers",
    "start",
    "unknown_command",
]

logger = logging.getLogger(__name__)

SHARED = "shared"
TYPING_DELAY = 0.5
"""Seconds a reply may take before the chat shows "typing…"."""
INLINE_CACHE_SECONDS = 10
"""Small: Telegram may reuse an inline answer this long, and the corpus can change between restarts."""
INLINE_RESULTS = 3
LIST_LIMIT = 20
"""Articles or speakers listed before "…and N more"."""

FLOOD_TEXT = ("You're asking faster than I can keep up with, so I'll pause for a bit. "
              "Please try again in about {seconds} seconds.")
SORRY_TEXT = "Sorry, something went wrong while answering. Please try again in a moment."
NON_TEXT_TEXT = "I can only read text. Ask me a question about the article, or send /help."
UNKNOWN_COMMAND_TEXT = "I don't know that command. Send /help to see what I can do."
USAGE_TEXT = "Put your question after the command, e.g. <code>/ask {example}</code>"

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Shared:
    """What every handler reads: built once at start-up, never changed."""

    library: Library
    examples: tuple[str, ...]
    flood: FloodLimiter
    top_k: int = 3


def _shared(context: ContextTypes.DEFAULT_TYPE) -> Shared:
    return context.bot_data[SHARED]


# ---------------------------------------------------------------- guards


def flood_guarded(handler: Handler) -> Handler:
    """Answer a flooding user's first surplus message politely, then ignore them until the window has room."""

    @wraps(handler)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        who = user.id if user else update.effective_chat.id if update.effective_chat else 0
        flood = _shared(context).flood
        verdict = flood.check(who)
        if verdict is Verdict.ALLOW:
            await handler(update, context)
        elif verdict is Verdict.WARN and update.effective_message:
            seconds = max(1, round(flood.retry_in(who)))
            await update.effective_message.reply_text(FLOOD_TEXT.format(seconds=seconds))

    return guarded


@asynccontextmanager
async def typing_after(chat: Chat, delay: float = TYPING_DELAY) -> AsyncIterator[None]:
    """Show "typing…" in ``chat`` if the body is still running after ``delay`` seconds."""

    async def later() -> None:
        await asyncio.sleep(delay)
        with suppress(TelegramError):  # a cosmetic call: never worth an error
            await chat.send_action(ChatAction.TYPING)

    task = asyncio.create_task(later())
    try:
        yield
    finally:
        task.cancel()


async def _answer(message: Message, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Ask the library and reply to ``message`` with the rendered quotes (quoted in groups, PTB's default)."""
    shared = _shared(context)
    async with typing_after(message.chat):
        reply = ask(shared.library, question, k=shared.top_k)
        await message.reply_html(render_html(reply, shared.examples))


# ---------------------------------------------------------------- commands


@flood_guarded
async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet, name the article(s) I know, and offer example questions."""
    shared = _shared(context)
    await update.effective_message.reply_html(start_text(shared.library, shared.examples))


@flood_guarded
async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain how to ask in private, in groups and inline."""
    await update.effective_message.reply_html(help_text(context.bot.username, _shared(context).examples))


@flood_guarded
async def article(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Describe the loaded article(s): title, source, date, link, sentence count."""
    await update.effective_message.reply_html(article_text(_shared(context).library))


@flood_guarded
async def speakers(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List who is quoted, with roles."""
    await update.effective_message.reply_html(speakers_text(_shared(context).library))


@flood_guarded
async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer ``/ask <question>`` (or ``/ask@Bot <question>``); a bare /ask gets a usage hint."""
    question = " ".join(context.args or ())
    if not question:
        example = _shared(context).examples[0] if _shared(context).examples else "Who is quoted?"
        await update.effective_message.reply_html(USAGE_TEXT.format(example=escape(example)))
        return
    await _answer(update.effective_message, context, question)


@flood_guarded
async def private_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a private chat every text message is a question."""
    await _answer(update.effective_message, context, update.effective_message.text)


@flood_guarded
async def group_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group message that mentions me or replies to me: the text, minus the mention, is the question."""
    message = update.effective_message
    await _answer(message, context, without_mention(message.text, context.bot.username))


@flood_guarded
async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos and the like in a private chat: say I read text only."""
    await update.effective_message.reply_text(NON_TEXT_TEXT)


@flood_guarded
async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command I don't have, in a private chat: point to /help."""
    await update.effective_message.reply_text(UNKNOWN_COMMAND_TEXT)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``@Bot question`` in any chat: up to three quotes to pick from (examples when the query is empty)."""
    shared = _shared(context)
    results = inline_results(shared.library, update.inline_query.query, shared.examples, shared.top_k)
    await update.inline_query.answer(results, cache_time=INLINE_CACHE_SECONDS)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what failed and tell the asker once; the bot keeps running."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("Handling update %s failed", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_message is None or update.channel_post:
        return
    try:
        await update.effective_message.reply_text(SORRY_TEXT)
    except TelegramError as exc:  # Telegram unreachable: nothing more to do than say so in the log
        logger.warning("Could not tell the user about the failure either: %s", type(exc).__name__)


# ---------------------------------------------------------------- texts (pure: tested without Telegram)


def without_mention(text: str, username: str | None) -> str:
    """``text`` without ``@username`` (any case), for questions like "@QuoteBot who is Putin?"."""
    if not username:
        return text
    return " ".join(re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).split())


def _more(shown: int, total: int) -> list[str]:
    return [f"…and {total - shown} more."] if total > shown else []


def _fit(lines: Sequence[str], limit: int = MessageLimit.MAX_TEXT_LENGTH) -> str:
    """Join lines, dropping whole trailing lines so the message stays within Telegram's limit."""
    text = "\n".join(lines)
    while len(text) > limit and len(lines) > 1:
        lines = lines[:-1]
        text = "\n".join(lines)
    return text[:limit]


def start_text(library: Library, examples: Sequence[str]) -> str:
    """The /start greeting: what I know and three questions to try."""
    articles = library.articles
    lines = ["Hi! I answer questions about the news by quoting the article and naming who said it.", "",
             "I know " + ("this article:" if len(articles) == 1 else f"these {len(articles)} articles:")]
    for a in articles[:LIST_LIMIT]:
        lines.append(f"• <b>{escape(a.title)}</b>" + (f" ({escape(a.source)})" if a.source else ""))
    lines += _more(min(len(articles), LIST_LIMIT), len(articles))
    if examples:
        lines += ["", "Try asking:", *(f"• {escape(q)}" for q in examples)]
    lines += ["", "Just send me a question. /help shows how to ask in groups and inline."]
    return _fit(lines)


def help_text(username: str | None, examples: Sequence[str]) -> str:
    """The /help text: private chat, groups, inline mode and the commands."""
    bot = f"@{username}" if username else "@the bot"
    example = escape(examples[0]) if examples else "Who is quoted?"
    return _fit([
        "<b>How to ask</b>",
        f"• In a private chat with me: just send a question, e.g. <i>{example}</i>",
        f"• In a group: <code>/ask your question</code>, mention me ({escape(bot)} your question), "
        "or reply to one of my messages.",
        f"• In any chat: type <code>{escape(bot)} your question</code> and pick a quote to send.",
        "",
        "<b>Commands</b>",
        "/ask — ask a question",
        "/article — what I have read",
        "/speakers — who is quoted",
        "/help — this message",
    ])


def article_text(library: Library) -> str:
    """The /article text: per article its title, source, date, link and sentence count."""
    lines: list[str] = []
    for a in library.articles[:LIST_LIMIT]:
        details = [escape(x) for x in (a.source, a.published) if x]
        details.append(f"{len(a.sentences)} sentence{'s' if len(a.sentences) != 1 else ''}")
        lines.append(f"<b>{escape(a.title)}</b>\n" + " · ".join(details))
        if a.url:
            lines.append(f'<a href="{escape(a.url)}">{escape(a.url)}</a>')
        lines.append("")
    lines += _more(min(len(library.articles), LIST_LIMIT), len(library.articles))
    return _fit(lines).strip()


def speakers_text(library: Library) -> str:
    """The /speakers text: everyone quoted, most quoted first, with roles."""
    people = library.speakers
    if not people:
        return "The article quotes no one: every sentence is its own reporting."
    lines = ["<b>Quoted in the article</b>"]
    for p in people[:LIST_LIMIT]:
        role = f", {escape(p.role)}" if p.role else ""
        lines.append(f"• <b>{escape(p.name)}</b>{role} — {p.count} sentence{'s' if p.count != 1 else ''}")
    lines += _more(min(len(people), LIST_LIMIT), len(people))
    return _fit(lines)


def _article_result(result_id: str, title: str, description: str, html: str) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=result_id, title=title[:256], description=description[:256],
        input_message_content=InputTextMessageContent(html),
    )


def inline_results(library: Library, query: str, examples: Sequence[str], k: int) -> list[InlineQueryResultArticle]:
    """Inline answers: one result per quote; example questions for an empty query; one "not found" result."""
    if not query.strip():
        results = []
        for number, question in enumerate(examples[:INLINE_RESULTS]):
            header = f"<b>{escape(question)}</b>\n\n"
            body = render_html(ask(library, question, k=k), examples, limit=MessageLimit.MAX_TEXT_LENGTH - len(header))
            results.append(_article_result(f"example-{number}", f"Try: {question}", "Sends the question and the "
                                           "quotes that answer it", header + body))
        return results
    reply = ask(library, query, k=min(k, INLINE_RESULTS))
    if not reply.answers:
        return [_article_result("none", "Not in the article", render_text(reply, examples),
                                render_html(reply, examples))]
    return [
        _article_result(f"quote-{number}", attribution(answer), answer.sentence.text,
                        render_html(_only(reply, number), examples))
        for number, answer in enumerate(reply.answers[:INLINE_RESULTS])
    ]


def _only(reply: Reply, number: int) -> Reply:
    """The reply reduced to one of its answers (the lead kept), to render as one inline result."""
    return replace(reply, answers=(reply.answers[number],))
