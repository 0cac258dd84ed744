"""Every message the bot sends besides the answers themselves (``bot.render`` formats those).

Fixed texts are constants; texts that depend on the corpus are pure functions of it, so
they are tested without Telegram. Everything from an article or a user is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram.constants import MessageLimit

from bot.library import Library

__all__ = [
    "FLOOD_TEXT",
    "NON_TEXT_TEXT",
    "SORRY_TEXT",
    "UNKNOWN_COMMAND_TEXT",
    "USAGE_TEXT",
    "article_text",
    "help_text",
    "speakers_text",
    "start_text",
]

LIST_LIMIT = 20
"""Articles or speakers listed before "…and N more"."""

FLOOD_TEXT = (
    "You're asking faster than I can keep up with, so I'll pause for a bit. "
    "Please try again in about {seconds} seconds."
)
SORRY_TEXT = "Sorry, something went wrong while answering. Please try again in a moment."
NON_TEXT_TEXT = "I can only read text. Ask me a question about the article, or send /help."
UNKNOWN_COMMAND_TEXT = "I don't know that command. Send /help to see what I can do."
USAGE_TEXT = "Put your question after the command, e.g. <code>/ask {example}</code>"
FALLBACK_EXAMPLE = "Who is quoted?"


def _more(shown: int, total: int) -> list[str]:
    return [f"…and {total - shown} more."] if total > shown else []


def _fit(lines: Sequence[str], limit: int = MessageLimit.MAX_TEXT_LENGTH) -> str:
    """Join lines, dropping whole trailing lines so the message stays within Telegram's limit."""
    text = "\n".join(lines)
    while len(text) > limit and len(lines) > 1:
        lines = lines[:-1]
        text = "\n".join(lines)
    return text[:limit]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def usage_text(examples: Sequence[str]) -> str:
    """What a bare /ask gets: how to put a question after it."""
    return USAGE_TEXT.format(example=escape(examples[0] if examples else FALLBACK_EXAMPLE))


def start_text(library: Library, examples: Sequence[str]) -> str:
    """The /start greeting: what I know and three questions to try."""
    articles = library.articles
    lines = [
        "Hi! I answer questions about the news by quoting the article and naming who said it.",
        "",
        "I know " + ("this article:" if len(articles) == 1 else f"these {len(articles)} articles:"),
    ]
    for a in articles[:LIST_LIMIT]:
        lines.append(f"• <b>{escape(a.title)}</b>" + (f" ({escape(a.source)})" if a.source else ""))
    lines += _more(min(len(articles), LIST_LIMIT), len(articles))
    if examples:
        lines += ["", "Try asking:", *(f"• {escape(q)}" for q in examples)]
    lines += ["", "Just send me a question. /help shows how to ask in groups and inline."]
    return _fit(lines)


def help_text(username: str | None, examples: Sequence[str], commands: Sequence[tuple[str, str]]) -> str:
    """The /help text: private chat, groups, inline mode, then each (command, what it does)."""
    bot = f"@{username}" if username else "@the bot"
    example = escape(examples[0]) if examples else FALLBACK_EXAMPLE
    return _fit(
        [
            "<b>How to ask</b>",
            f"• In a private chat with me: just send a question, e.g. <i>{example}</i>",
            f"• In a group: <code>/ask your question</code>, mention me ({escape(bot)} your question), "
            "or reply to one of my messages.",
            f"• In any chat: type <code>{escape(bot)} your question</code> and pick a quote to send.",
            "",
            "<b>Commands</b>",
            *(f"/{name} — {escape(what)}" for name, what in commands),
        ]
    )


def article_text(library: Library) -> str:
    """The /article text: per article its title, source, date, link and sentence count."""
    lines: list[str] = []
    for a in library.articles[:LIST_LIMIT]:
        details = [escape(x) for x in (a.source, a.published) if x]
        details.append(_plural(len(a.sentences), "sentence"))
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
        lines.append(f"• <b>{escape(p.name)}</b>{role} — {_plural(p.count, 'sentence')}")
    lines += _more(min(len(people), LIST_LIMIT), len(people))
    return _fit(lines)
