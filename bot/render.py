"""Turn a Reply into text for people: plain text (CLI, console chat) or Telegram HTML.

Both renderings share one structure: an optional lead line, then each answer
as a quote followed by "— Name, role" (the outlet for the article's own voice).
In Telegram, when more than one article could have answered (``sources=True``),
each quote also names its article, linked when its URL is known, so two
near-identical quotes from two articles can be told apart. ``page`` renders a
slice of the answers, for the "More" button.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from html import escape

from bot.answer import Answer, Reply
from bot.records import byline

TELEGRAM_LIMIT = 4096
SOURCE_TITLE = 80
"""Characters of an article's title shown under a quote (cut as text, then escaped)."""
NO_ANSWER = "I couldn't find that in the article."
NO_ONE = "The article quotes no one by that name ({subject})."
INCOMPLETE = "(Part of the archive could not be searched just now, so this answer may be incomplete.)"


def credited(answer: Answer) -> tuple[str, str | None]:
    """(name, role) of who said it: the speaker, or for the article's own voice its source ("the article")."""
    speaker = answer.sentence.speaker
    if speaker.name and speaker.kind != "narrator":
        return speaker.name, speaker.role
    return answer.article.source or speaker.name or "the article", None


def attribution(answer: Answer) -> str:
    """Who said it, as plain text: "Name, role"."""
    return byline(*credited(answer))


def hint(examples: Sequence[str]) -> str:
    """A nudge towards questions that work."""
    if not examples:
        return "Try other words, or ask about a person quoted in the article."
    return "Try, for example: " + " / ".join(f"“{q}”" for q in examples)


def problem_text(reply: Reply, examples: Sequence[str]) -> str | None:
    """The message for a reply without answers, or None when there are answers."""
    if reply.status == "empty":
        return "Please ask a question about the article. " + hint(examples)
    if reply.status == "unknown_speaker":
        return NO_ONE.format(subject=reply.subject) + " " + hint(examples)
    if not reply.answers:
        return NO_ANSWER + " " + hint(examples)
    return None


def render_text(reply: Reply, examples: Sequence[str] = (), show_source: bool = True) -> str:
    """Plain text: numbered quotes, each with its speaker and where it comes from (and a note when a shard
    was out of reach)."""
    text = _render_text(reply, examples, show_source)
    return f"{text}\n{INCOMPLETE}" if reply.incomplete else text


def _render_text(reply: Reply, examples: Sequence[str], show_source: bool) -> str:
    problem = problem_text(reply, list(examples))
    if problem:
        return problem
    lines = [f"{reply.lead}:", ""] if reply.lead else []
    for number, answer in enumerate(reply.answers, start=1):
        lines.append(f"{number}. “{answer.sentence.text}”")
        lines.append(f"   — {attribution(answer)}")
        if show_source:
            lines.append(f"   ({answer.article.title}; {answer.article.name}, sentence {answer.sentence.index})")
    return "\n".join(lines)


def render_html(reply: Reply, examples: Sequence[str] = (), limit: int = TELEGRAM_LIMIT, sources: bool = False) -> str:
    """Telegram HTML: a <blockquote> per answer and "— <b>Name</b>, role"; never over ``limit`` characters.

    Everything that comes from the user or the article is escaped. Answers
    that would overflow the limit are left out; a first answer too long on its
    own is cut with an ellipsis. ``sources``: name each quote's article too. A reply searched without some
    shard ends with a note saying so.
    """
    return _render_html(reply, examples, limit, sources)[0]


@dataclass(frozen=True, slots=True)
class Page:
    """Some of a reply's answers as Telegram HTML, and what a "More" and an "Open article" button need."""

    html: str
    shown: int
    """Answers on this page (0: none left from ``start``)."""
    next: int | None
    """Where the next page starts, when answers remain after this one."""
    url: str | None
    """The link of the first quoted article, when it has one."""
    status: str = "answered"
    """The reply's status (``Reply.status``): what the per-question log line and /stats count."""


def page(
    reply: Reply,
    examples: Sequence[str] = (),
    start: int = 0,
    size: int = 3,
    sources: bool = False,
    limit: int = TELEGRAM_LIMIT,
) -> Page:
    """``reply``'s answers ``start`` to ``start + size`` (the lead only on the first page), as Telegram HTML."""
    answers = reply.answers[start : start + size]
    if start and not answers:
        return Page("", 0, None, None, reply.status)
    html, shown = _render_html(
        replace(reply, answers=answers, lead=reply.lead if not start else None), examples, limit, sources
    )
    end = start + shown
    url = answers[0].article.url if answers else None
    return Page(html, shown, end if end < len(reply.answers) else None, url, reply.status)


def _render_html(reply: Reply, examples: Sequence[str], limit: int, sources: bool) -> tuple[str, int]:
    """The HTML and how many answers it holds."""
    if reply.incomplete:
        note = f"\n\n<i>{escape(INCOMPLETE)}</i>"
        html, shown = _render_html(replace(reply, incomplete=False), examples, limit - len(note), sources)
        return html + note, shown
    problem = problem_text(reply, list(examples))
    if problem:
        return _cut(problem, limit), 0
    parts = [f"<b>{escape(reply.lead)}</b>"] if reply.lead else []
    shown = 0
    for number, answer in enumerate(reply.answers):
        who = f"\n— {_who_html(answer)}" + (f"\n{source_html(answer)}" if sources else "")
        part = f"<blockquote>{escape(answer.sentence.text)}</blockquote>{who}"
        room = limit - len("\n\n".join(parts)) - (2 if parts else 0)
        if len(part) > room:
            if number:
                break
            quote = _cut(answer.sentence.text, room - len("<blockquote></blockquote>") - len(who))
            part = f"<blockquote>{quote}</blockquote>{who}"
        parts.append(part)
        shown += 1
    return "\n\n".join(parts), shown


def source_html(answer: Answer) -> str:
    """Which article a quote is from: its title (cut as text, then escaped), linked when the URL is known."""
    title = _cut(answer.article.title or answer.article.name, SOURCE_TITLE)
    url = answer.article.url
    if url and url.startswith(("https://", "http://")):
        return f'<i>from</i> <a href="{escape(url)}">{title}</a>'
    return f"<i>from {title}</i>"


def _cut(text: str, budget: int) -> str:
    """``text`` escaped, cut (with an ellipsis) so the escaped form fits ``budget`` characters."""
    escaped = escape(text)
    if len(escaped) <= budget:
        return escaped
    out: list[str] = []
    used = 1  # the ellipsis
    for char in text:
        piece = escape(char)
        if used + len(piece) > budget:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out) + "…"


def _who_html(answer: Answer) -> str:
    """Who said it, as Telegram HTML: "<b>Name</b>, role"."""
    name, role = credited(answer)
    return f"<b>{escape(name)}</b>" + (f", {escape(role)}" if role else "")
