"""Per-question figures for the operator: one log line per question, and the totals /stats shows.

Every question the bot answers (or cannot) is one INFO line, greppable as key=value::

    question chat=group status=answered ms=12

``status`` is ``answered``, ``no-answer`` (nothing in the article, or no one quoted by
that name), ``empty`` (no words to search for), ``refused`` (not a question the bot can
take, e.g. not in English) or ``failed`` (an error; the error handler logs it). The
question's text is logged only at DEBUG, as a line of its own: group members never
agreed to have their messages in the operator's log. ``ms`` runs from the handler's
start to the reply being sent.

``QuestionStats`` keeps the counts since start and the latest ``KEEP`` latencies, for
/stats (``bot.telegram_bot.texts.stats_text`` words it); it needs no Telegram.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

__all__ = ["KEEP", "Question", "QuestionStats", "Summary", "percentile"]

logger = logging.getLogger(__name__)

KEEP = 10_000
"""Latencies kept for the percentiles (the latest ones): a fixed memory, however long the bot runs."""
STATUS = {"no_answer": "no-answer", "unknown_speaker": "no-answer"}
"""``bot.answer`` statuses as the log line names them (the others are the same)."""


@dataclass(slots=True)
class Question:
    """One question being answered: the handler sets ``status`` from the reply."""

    chat_type: str
    status: str = "failed"

    def answered(self, status: str) -> None:
        """The reply's status (``Reply.status``, or ``refused``)."""
        self.status = STATUS.get(status, status)


@dataclass(frozen=True, slots=True)
class Summary:
    """What /stats shows."""

    questions: int
    no_answer: int
    p50_ms: float
    p99_ms: float
    uptime_s: float
    by_chat: dict[str, int]

    @property
    def no_answer_rate(self) -> float:
        return self.no_answer / self.questions if self.questions else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile (0 < q <= 100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


class QuestionStats:
    """Counts since start, and the latest latencies."""

    def __init__(self, keep: int = KEEP) -> None:
        self.started = time.monotonic()
        self.statuses: Counter[str] = Counter()
        self.chats: Counter[str] = Counter()
        self.latencies: deque[float] = deque(maxlen=keep)

    @asynccontextmanager
    async def question(self, chat_type: str, text: str) -> AsyncIterator[Question]:
        """Time one question (the body answers it and sets the status); then log its line and count it."""
        logger.debug("question text=%r", text)
        asked, start = Question(chat_type), time.perf_counter()
        try:
            yield asked
        finally:
            ms = (time.perf_counter() - start) * 1000
            logger.info("question chat=%s status=%s ms=%d", asked.chat_type, asked.status, round(ms))
            self.record(asked.chat_type, asked.status, ms)

    def record(self, chat_type: str, status: str, ms: float) -> None:
        self.statuses[status] += 1
        self.chats[chat_type] += 1
        self.latencies.append(ms)

    def summary(self) -> Summary:
        latencies = list(self.latencies)
        return Summary(
            questions=sum(self.statuses.values()),
            no_answer=self.statuses["no-answer"],
            p50_ms=percentile(latencies, 50),
            p99_ms=percentile(latencies, 99),
            uptime_s=time.monotonic() - self.started,
            by_chat=dict(self.chats),
        )
