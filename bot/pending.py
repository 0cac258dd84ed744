"""Questions being answered, per chat: when could two answers be confused?

Updates are handled concurrently, so two quick questions in one chat can be
answered out of order. An answer must then quote its question. It need not
when it is the only question in flight in that chat and no other was asked
since: then the answer right after a question is its answer, and a private
chat stays free of quotes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = ["Pending", "Ticket"]


@dataclass(frozen=True, slots=True)
class Ticket:
    """One question in flight: its chat and its number among that chat's questions."""

    chat_id: int
    number: int


class Pending:
    """Counts each chat's questions in flight (a chat's count is dropped when none is)."""

    def __init__(self) -> None:
        self._open: Counter[int] = Counter()
        self._asked: Counter[int] = Counter()

    @contextmanager
    def asking(self, chat_id: int) -> Iterator[Ticket]:
        """Hold a ticket while a question of ``chat_id`` is answered."""
        self._asked[chat_id] += 1
        self._open[chat_id] += 1
        try:
            yield Ticket(chat_id, self._asked[chat_id])
        finally:
            self._open[chat_id] -= 1
            if self._open[chat_id] <= 0:
                del self._open[chat_id], self._asked[chat_id]

    def confusable(self, ticket: Ticket) -> bool:
        """True when another question of the chat is in flight, or was asked after this one."""
        return self._open[ticket.chat_id] > 1 or self._asked[ticket.chat_id] != ticket.number
