"""Every message the bot sends besides the answers themselves (``bot.render`` formats those).

Fixed texts are constants; texts that depend on the corpus are pure functions of it, so
they are tested without Telegram. Everything from an article or a user is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.chats import CORPUS, ChatArticle, Read, Target
from bot.errors import BotError
from bot.render import Page
from bot.search.backend import SearchBackend
from bot.telegram_bot.stats import Summary

__all__ = [
    "CHOICE_PREFIX",
    "FLOOD_TEXT",
    "FORGET_ADMINS_TEXT",
    "INLINE_BUTTON_TEXT",
    "INLINE_START",
    "MORE_GONE_TEXT",
    "MORE_PREFIX",
    "NON_TEXT_TEXT",
    "NOT_ENGLISH_TEXT",
    "NO_MORE_TEXT",
    "READ_USAGE_TEXT",
    "SORRY_TEXT",
    "STALE_BUTTON_TEXT",
    "STATS_ADMINS_TEXT",
    "UNKNOWN_COMMAND_TEXT",
    "USAGE_TEXT",
    "answer_buttons",
    "article_menu",
    "article_text",
    "forgot_text",
    "group_greeting_text",
    "help_text",
    "parse_choice",
    "parse_more",
    "read_failed_text",
    "read_text",
    "reading_text",
    "short_date",
    "speakers_text",
    "start_text",
    "stats_text",
    "without_more",
]

LIST_LIMIT = 20
"""Articles or speakers listed before "…and N more"."""

FLOOD_TEXT = (
    "You're asking faster than I can keep up with, so I'll pause for a bit. "
    "Please try again in about {seconds} seconds."
)
SORRY_TEXT = "Sorry, something went wrong while answering. Please try again in a moment."
NON_TEXT_TEXT = (
    "I read text, links and .txt or .html files. Ask me a question about the article, send me a link, or send /help."
)
UNKNOWN_COMMAND_TEXT = "I don't know that command. Send /help to see what I can do."
USAGE_TEXT = "Put your question after the command, e.g. <code>/ask {example}</code>"
FALLBACK_EXAMPLE = "Who is quoted?"
READ_USAGE_TEXT = (
    "Put a link after the command, e.g. <code>/read https://example.com/news/story.html</code>, "
    "or send /read as a reply to a message that holds a link."
)
READ_SORRY_TEXT = "Sorry, something went wrong while reading that. Please try again in a moment."
CHOICE_PREFIX = "article:"
"""Callback data of the /article buttons: ``article:<id>``, ``article:corpus``, ``article:newest``."""
NEWEST = "newest"
TITLE_LIMIT = 300
"""Characters of a title shown after "Read:" (a page's og:title can be anything)."""
SOURCE_LIMIT = 100
BUTTON_TITLE = 40
"""Characters of a title shown on a button."""
MENU_TITLE = 120
"""Characters of a title in a list of articles (a page's og:title can be anything)."""
EXAMPLE_LIMIT = 200
"""Characters of an example question shown."""
MORE_PREFIX = "more:"
"""Callback data of the "More" button: ``more:<question message id>:<first quote to show>`` (under 64 bytes)."""
MORE_GONE_TEXT = "That question is too old for more quotes now. Please ask it again."
NO_MORE_TEXT = "That's all I found."
STALE_BUTTON_TEXT = "This button no longer works. Please ask again."
INLINE_BUTTON_TEXT = "Not in the article. Ask in private chat"
"""Telegram's button above inline results when nothing answers: opens the private chat with /start INLINE_START."""
INLINE_START = "ask"


def _more(shown: int, total: int) -> list[str]:
    return [f"…and {total - shown} more."] if total > shown else []


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis: cut as text, before it is escaped, never HTML."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fit(lines: Sequence[str], limit: int = MessageLimit.MAX_TEXT_LENGTH) -> str:
    """Join lines, dropping whole trailing lines so the message stays within Telegram's limit (never cut HTML)."""
    text = "\n".join(lines)
    while len(text) > limit and len(lines) > 1:
        lines = lines[:-1]
        text = "\n".join(lines)
    return text


def _fit_list(
    head: Sequence[str],
    items: Sequence[str],
    total: int,
    tail: Sequence[str] = (),
    limit: int = MessageLimit.MAX_TEXT_LENGTH,
) -> str:
    """``head``, as many ``items`` as fit, "…and N more." for the ``total - shown`` left out, then ``tail``.

    Items go first when room is short, so the "more" line and the tail (example questions, what to do
    next) always stay. Each item is whole HTML: lines are dropped, never cut.
    """
    shown = len(items)
    while True:
        text = "\n".join([*head, *items[:shown], *_more(shown, total), *tail])
        if len(text) <= limit or shown == 0:
            return text
        shown -= 1


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def usage_text(examples: Sequence[str]) -> str:
    """What a bare /ask gets: how to put a question after it."""
    return USAGE_TEXT.format(example=escape(examples[0] if examples else FALLBACK_EXAMPLE))


def start_text(library: SearchBackend, examples: Sequence[str]) -> str:
    """The /start greeting: what I know and three questions to try."""
    articles = library.articles
    lines = [
        "Hi! I answer questions about the news by quoting the article and naming who said it.",
        "",
        "I know " + ("this article:" if len(articles) == 1 else f"these {len(articles)} articles:"),
    ]
    items = [
        f"• <b>{escape(_clip(a.title, MENU_TITLE))}</b>"
        + (f" ({escape(_clip(a.source, SOURCE_LIMIT))})" if a.source else "")
        for a in articles[:LIST_LIMIT]
    ]
    tail = ["", "Try asking:", *(f"• {escape(_clip(q, EXAMPLE_LIMIT))}" for q in examples)] if examples else []
    tail += ["", "Just send me a question, or a link to another article. /help shows how to ask in groups and inline."]
    return _fit_list(lines, items, len(articles), tail)


def help_text(username: str | None, examples: Sequence[str], commands: Sequence[tuple[str, str]]) -> str:
    """The /help text: private chat, groups, inline mode, then each (command, what it does)."""
    bot = f"@{username}" if username else "@the bot"
    example = escape(_clip(examples[0], EXAMPLE_LIMIT)) if examples else FALLBACK_EXAMPLE
    return _fit(
        [
            "<b>How to ask</b>",
            f"• In a private chat with me: just send a question, e.g. <i>{example}</i>",
            f"• In a group: <code>/ask your question</code>, mention me ({escape(bot)} your question), "
            "reply to one of my messages, or send /ask in reply to someone's question.",
            "• Edit your question and I'll edit my answer; tap <i>More</i> under an answer for more quotes.",
            f"• In any chat: type <code>{escape(bot)} your question</code> and pick a quote to send.",
            "• Send me a link to an article (or a .txt or .html file) and I'll read it; in a group: "
            "<code>/read link</code>. Then ask about it. /article shows what I've read, /forget forgets it.",
            "",
            "<b>Commands</b>",
            *(f"/{name} — {escape(what)}" for name, what in commands),
        ]
    )


def article_text(library: SearchBackend) -> str:
    """The /article text: per article its title, source, date, link and sentence count."""
    items: list[str] = []
    for a in library.articles[:LIST_LIMIT]:
        details = [escape(_clip(x, SOURCE_LIMIT)) for x in (a.source, a.published) if x]
        details.append(_plural(len(a.sentences), "sentence"))
        item = f"<b>{escape(_clip(a.title, TITLE_LIMIT))}</b>\n" + " · ".join(details)
        if a.url:
            item += f'\n<a href="{escape(a.url)}">{escape(_clip(a.url, TITLE_LIMIT))}</a>'
        items.append(item + "\n")
    return _fit_list([], items, len(library.articles)).strip()


def speakers_text(library: SearchBackend) -> str:
    """The /speakers text: everyone quoted, most quoted first, with roles."""
    people = library.speakers
    if not people:
        return "The article quotes no one: every sentence is its own reporting."
    items = []
    for p in people[:LIST_LIMIT]:
        role = f", {escape(_clip(p.role, TITLE_LIMIT))}" if p.role else ""
        items.append(f"• <b>{escape(_clip(p.name, MENU_TITLE))}</b>{role} — {_plural(p.count, 'sentence')}")
    return _fit_list(["<b>Quoted in the article</b>"], items, len(people))


# ---------------------------------------------------------------- reading links and files


def short_date(published: str | None) -> str | None:
    """``2024-08-13`` -> ``13 Aug 2024``; anything that is not an ISO date is shown as it is."""
    if not published:
        return None
    try:
        day = date.fromisoformat(published[:10])
    except ValueError:
        return published
    return f"{day.day} {day:%b %Y}"


def _details(source: str | None, published: str | None) -> str:
    shown = [escape(x[:SOURCE_LIMIT]) for x in (source, short_date(published)) if x]
    return f" ({', '.join(shown)})" if shown else ""


def reading_text(link: str | None) -> str:
    """The progress message while a link (or, with None, a file) is read; edited into the result."""
    host = urlsplit(link).hostname if link else None
    return f"Reading {escape(host)}…" if host else "Reading it…"


def read_text(read: Read) -> str:
    """What a read gives: "Read: <title> (Outlet, 13 Aug 2024) — 34 sentences, 5 people quoted. Ask me about it."."""
    a = read.article
    people = {0: "no one", 1: "1 person"}.get(a.people, f"{a.people} people")
    title = a.title if len(a.title) <= TITLE_LIMIT else a.title[: TITLE_LIMIT - 1] + "…"
    text = (
        f"Read: <b>{escape(title)}</b>{_details(a.source, a.published)} — {_plural(a.sentences, 'sentence')}, "
        f"{people} quoted. Ask me about it."
    )
    if read.dropped:
        text += f" (To make room I forgot the oldest {_plural(read.dropped, 'article')} read here.)"
    return text


def read_failed_text(error: BotError | None, what: str = "link") -> str:
    """Why a link or file could not be read, in one friendly line (None: an unexpected failure)."""
    if error is None:
        return READ_SORRY_TEXT
    reason = str(error).rstrip(".")
    return f"I couldn't read that {what}: {escape(reason)}."


FORGET_ADMINS_TEXT = "In a group, only its admins can make me forget the articles it has read."


def forgot_text(count: int) -> str:
    if not count:
        return "There is nothing to forget: no article has been read in this chat."
    return f"Done: I forgot the {_plural(count, 'article')} read in this chat. Questions go to my own articles again."


def parse_choice(data: str | None) -> Target | None:
    """The /article button's target (an article id, CORPUS, or None for newest first); ValueError if not ours."""
    value = (data or "").removeprefix(CHOICE_PREFIX)
    if not (data or "").startswith(CHOICE_PREFIX) or not value:
        raise ValueError(f"not an /article button: {data!r}")
    if value == NEWEST:
        return None
    if value == CORPUS:
        return CORPUS
    return int(value)


def _button(label: str, target: str, chosen: bool) -> InlineKeyboardButton:
    label = label if len(label) <= BUTTON_TITLE else label[: BUTTON_TITLE - 1] + "…"
    return InlineKeyboardButton(("✓ " if chosen else "") + label, callback_data=CHOICE_PREFIX + target)


def article_menu(
    articles: Sequence[ChatArticle], choice: Target, shared: SearchBackend
) -> tuple[str, InlineKeyboardMarkup | None]:
    """/article: the chat's articles (newest first) and the shared corpus, with buttons to pick where questions go.

    A chat that has read nothing sees the shared corpus as before, and no buttons.
    """
    if not articles:
        return _fit([article_text(shared), "", "Send me a link (or a .txt or .html file) to read another one."]), None
    chosen_id = choice if isinstance(choice, int) else None
    where = (
        "the shared articles"
        if choice == CORPUS
        else "the article marked ✓"
        if chosen_id is not None
        else "the newest first, then older ones, then my own articles"
    )
    lines = ["<b>Read in this chat</b>"]
    for n, a in enumerate(articles, start=1):
        mark = "✓ " if a.id == chosen_id else ""
        title = escape(_clip(a.title, MENU_TITLE))
        lines.append(f"{n}. {mark}<b>{title}</b>{_details(a.source, a.published)} · {_plural(a.sentences, 'sentence')}")
    lines += ["", "<b>My own articles</b>"]
    items = [
        f"• <b>{escape(_clip(a.title, MENU_TITLE))}</b>{_details(a.source, a.published)}"
        for a in shared.articles[:LIST_LIMIT]
    ]
    tail = ["", f"Questions go to {where}. Pick another:"]
    rows = [[_button(f"{n}. {a.title}", str(a.id), a.id == chosen_id)] for n, a in enumerate(articles, start=1)]
    rows.append([_button("Newest first", NEWEST, choice is None), _button("My own articles", CORPUS, choice == CORPUS)])
    return _fit_list(lines, items, len(shared.articles), tail), InlineKeyboardMarkup(rows)


# ---------------------------------------------------------------- for the operator, and new groups

STATS_ADMINS_TEXT = "Sorry, /stats is for the bot's operators. Ask me a question about the article instead."
NOT_ENGLISH_TEXT = (
    "Sorry, I understand questions in English only (the articles I know are in English). Please ask again in English."
)


def stats_text(summary: Summary) -> str:
    """/stats for an operator: questions since start, how many found nothing, how fast."""
    hours = summary.uptime_s / 3600
    since = f"{hours:.1f} h" if hours >= 1 else f"{summary.uptime_s / 60:.0f} min"
    chats = ", ".join(f"{kind} {count}" for kind, count in sorted(summary.by_chat.items())) or "none yet"
    return "\n".join(
        [
            f"<b>Since start</b> ({since} ago)",
            f"Questions: {summary.questions} ({chats})",
            f"No answer: {summary.no_answer} ({summary.no_answer_rate:.0%})",
            f"Latency: p50 {summary.p50_ms:.0f} ms, p99 {summary.p99_ms:.0f} ms",
        ]
    )


def group_greeting_text(username: str | None, examples: Sequence[str]) -> str:
    """The one message the bot sends when it is added to a group: how to ask there."""
    me = f"@{username}" if username else "me"
    example = escape(examples[0] if examples else FALLBACK_EXAMPLE)
    return (
        f"Hello! I answer questions about news articles, quoting them and naming who said it. "
        f"To ask here, mention me (<code>{me} {example}</code>), reply to one of my messages, "
        f"or use <code>/ask {example}</code>. /help says more."
    )


# ---------------------------------------------------------------- buttons under an answer


def answer_buttons(question_id: int, page: Page) -> InlineKeyboardMarkup | None:
    """ "More" (the next quotes) when some are left, "Open article" when the quoted article has a link."""
    row = []
    if page.next is not None:
        row.append(InlineKeyboardButton("More", callback_data=f"{MORE_PREFIX}{question_id}:{page.next}"))
    if page.url and page.url.startswith(("https://", "http://")):
        row.append(InlineKeyboardButton("Open article", url=page.url))
    return InlineKeyboardMarkup([row]) if row else None


def without_more(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The buttons of an answer whose "More" was pressed: the others (e.g. "Open article"), or None."""
    rows = [
        [b for b in row if not (b.callback_data and str(b.callback_data).startswith(MORE_PREFIX))]
        for row in (markup.inline_keyboard if markup else ())
    ]
    kept = [row for row in rows if row]
    return InlineKeyboardMarkup(kept) if kept else None


def parse_more(data: str | None) -> tuple[int, int]:
    """(question message id, first quote to show) of a "More" button; ValueError if it is not one."""
    question, _, start = (data or "").removeprefix(MORE_PREFIX).partition(":")
    if not (data or "").startswith(MORE_PREFIX):
        raise ValueError(f"not a More button: {data!r}")
    return int(question), int(start)
