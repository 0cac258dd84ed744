"""The answers the bot has sent: which question each one answers, kept in the database for a while.

Two things need it after the answer is out, even across a restart: the "More"
button (its callback data holds only the question's message id and how many
quotes were shown, to stay within Telegram's 64 bytes; the question itself is
here), and an edited question, whose earlier answer is edited in place. Rows
are keyed by (chat, question message) and kept ``RETENTION`` seconds: a week
of buttons and edits, not a log of what people asked.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

__all__ = ["RETENTION", "Answered", "AnsweredStore"]

RETENTION = 7 * 24 * 3600.0
"""Seconds an answer's question is kept (then its "More" button says to ask again)."""
PRUNE_EVERY = 500
"""Old rows are deleted at start-up and after this many new ones."""


@dataclass(frozen=True, slots=True)
class Answered:
    """One answer sent: the question's message, the answer's message, and the question as asked."""

    chat_id: int
    question_id: int
    answer_id: int
    question: str
    asked_at: float


class AnsweredStore:
    """The ``answers`` table (``bot.database``): question message -> answer message and question text."""

    def __init__(self, connection: sqlite3.Connection, retention: float = RETENTION) -> None:
        self.db = connection
        self.retention = retention
        self._since_prune = 0
        self.prune()

    def keep(self, chat_id: int, question_id: int, answer_id: int, question: str, now: float | None = None) -> None:
        """Remember an answer (a question answered again, e.g. after an edit, replaces its row)."""
        now = time.time() if now is None else now
        self.db.execute(
            "INSERT INTO answers (chat_id, question_id, answer_id, question, asked_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (chat_id, question_id) DO UPDATE SET "
            "answer_id = excluded.answer_id, question = excluded.question, asked_at = excluded.asked_at",
            (chat_id, question_id, answer_id, question, now),
        )
        self._since_prune += 1
        if self._since_prune >= PRUNE_EVERY:
            self.prune(now)

    def get(self, chat_id: int, question_id: int) -> Answered | None:
        """The answer to a chat's question message; None when there is none (or it is too old)."""
        row = self.db.execute(
            "SELECT chat_id, question_id, answer_id, question, asked_at FROM answers "
            "WHERE chat_id = ? AND question_id = ? AND asked_at >= ?",
            (chat_id, question_id, time.time() - self.retention),
        ).fetchone()
        return Answered(*row) if row else None

    def prune(self, now: float | None = None) -> int:
        """Delete rows older than the retention; how many went."""
        now = time.time() if now is None else now
        self._since_prune = 0
        return self.db.execute("DELETE FROM answers WHERE asked_at < ?", (now - self.retention,)).rowcount
