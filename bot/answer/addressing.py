"""A message addressed to the bot by name -> the question it asks.

In groups people write "Hey @QuoteBot what did Gladkov say?", "@QuoteBot, who is
Putin?" or "Who is Putin, @QuoteBot?". The mention, the punctuation around it and
the fillers next to it ("hey", "please": ``bot/rules/mention_fillers.txt``) are
no part of the question; left in, "who is" no longer starts the question and BM25
searches for "hey". Nothing here knows Telegram: the caller passes the bot's username.
"""

from __future__ import annotations

import re
from functools import cache

from bot.rules import words

__all__ = ["question_of", "without_mention"]

_AROUND = r"[\s,;:!.\u2014\u2013-]*"
"""Punctuation that joins a mention or a filler to the question (not "?": it ends the question)."""
_BEFORE = r"[\s,;:\u2014\u2013-]*"
"""Punctuation between the question and a mention after it ("Who is Putin, @QuoteBot?")."""


@cache
def _mention(username: str) -> re.Pattern[str]:
    fillers = sorted(words("mention_fillers.txt"), key=len, reverse=True)
    filler = "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in fillers)
    around = rf"(?:(?<![\w@])(?:{filler})\b{_AROUND})*"
    return re.compile(
        rf"{around}{_BEFORE}(?<![\w@]){re.escape('@' + username)}(?![\w]){_AROUND}{around}",
        re.IGNORECASE,
    )


def without_mention(text: str, username: str | None) -> str:
    """``text`` without ``@username`` (any case), the fillers and the punctuation around it.

    >>> without_mention("Hey @QuoteBot, what did Gladkov say?", "QuoteBot")
    'what did Gladkov say?'
    >>> without_mention("Who is Putin, @quotebot?", "QuoteBot")
    'Who is Putin?'
    """
    if not username:
        return " ".join(text.split())
    stripped = _mention(username).sub(" ", text)
    stripped = re.sub(r"\s+([?!.,;:])", r"\1", " ".join(stripped.split()))
    return stripped.strip(" ,;:\u2014\u2013-")


def question_of(text: str, username: str | None) -> str:
    """The question a message asks: its text without a leading ``/ask`` (or ``/ask@username``) and the mention.

    >>> question_of("/ask@QuoteBot who is Putin?", "QuoteBot"), question_of("Hey @QuoteBot who is Putin?", "QuoteBot")
    ('who is Putin?', 'who is Putin?')
    """
    command = re.match(rf"/ask(?:@{re.escape(username or '')})?(?![\w@])", text.lstrip(), re.IGNORECASE)
    if command:
        text = text.lstrip()[command.end() :]
    return without_mention(text, username)
