"""Per-user flood limit: at most ``limit`` questions per sliding ``window`` seconds.

A user who goes over is told so once (``Verdict.WARN``), then ignored
(``Verdict.IGNORE``) until enough of their earlier questions have left the
window. Pure Python and clock-injectable, so it is tested without Telegram or
sleeping; nothing here knows about Telegram.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from enum import Enum

__all__ = ["FloodLimiter", "Verdict"]


class Verdict(Enum):
    """What to do with one incoming question."""

    ALLOW = "allow"
    WARN = "warn"  # the first question over the limit: answer politely, once
    IGNORE = "ignore"  # every further one until the window has room again


@dataclass(slots=True)
class _Record:
    times: deque[float] = field(default_factory=deque)
    warned: bool = False


class FloodLimiter:
    """Sliding-window counter per user; memory is bounded by the users active in the last window."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1 or window <= 0:
            raise ValueError(f"limit must be >= 1 and window > 0, got limit={limit} window={window}")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._users: dict[Hashable, _Record] = {}
        self._next_sweep = clock() + window

    def check(self, user: Hashable) -> Verdict:
        """Count one question from ``user`` and say whether to answer it.

        Only allowed questions are counted, so a flooder who keeps sending is
        let back in once the window has room, not punished forever.
        """
        now = self._clock()
        if now >= self._next_sweep:
            self._sweep(now)
        record = self._users.setdefault(user, _Record())
        times = record.times
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            record.warned = False
            return Verdict.ALLOW
        if record.warned:
            return Verdict.IGNORE
        record.warned = True
        return Verdict.WARN

    def retry_in(self, user: Hashable) -> float:
        """Seconds until ``user`` may ask again (0 when they may now)."""
        record = self._users.get(user)
        if record is None or len(record.times) < self.limit:
            return 0.0
        return max(0.0, record.times[0] + self.window - self._clock())

    def __len__(self) -> int:
        """Users currently tracked (for tests and memory checks)."""
        return len(self._users)

    def _sweep(self, now: float) -> None:
        """Forget users whose last question has left the window (runs at most once per window)."""
        cutoff = now - self.window
        self._users = {u: r for u, r in self._users.items() if r.times and r.times[-1] > cutoff}
        self._next_sweep = now + self.window
