"""FloodLimiter with a hand-driven clock: allow, warn once, ignore, let back in."""

from __future__ import annotations

import pytest

from bot.telegram_bot.flood import FloodLimiter, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_allows_up_to_the_limit_then_warns_once_then_ignores(clock: Clock) -> None:
    flood = FloodLimiter(limit=3, window=60, clock=clock)
    assert [flood.check("ann") for _ in range(6)] == [
        Verdict.ALLOW,
        Verdict.ALLOW,
        Verdict.ALLOW,
        Verdict.WARN,
        Verdict.IGNORE,
        Verdict.IGNORE,
    ]


def test_users_are_counted_separately(clock: Clock) -> None:
    flood = FloodLimiter(limit=1, window=60, clock=clock)
    assert flood.check(1) is Verdict.ALLOW
    assert flood.check(2) is Verdict.ALLOW
    assert flood.check(1) is Verdict.WARN


def test_window_slides_and_a_warned_user_is_let_back_in(clock: Clock) -> None:
    flood = FloodLimiter(limit=2, window=10, clock=clock)
    assert flood.check("u") is Verdict.ALLOW  # t=1000
    clock.now += 5
    assert flood.check("u") is Verdict.ALLOW  # t=1005
    assert flood.check("u") is Verdict.WARN
    assert flood.retry_in("u") == pytest.approx(5)
    clock.now += 5  # the first question (t=1000) leaves the window
    assert flood.retry_in("u") == 0
    assert flood.check("u") is Verdict.ALLOW
    assert flood.check("u") is Verdict.WARN  # warned again: a new flood, a new single notice


def test_ignored_questions_do_not_extend_the_ban(clock: Clock) -> None:
    flood = FloodLimiter(limit=1, window=10, clock=clock)
    flood.check("u")
    for _ in range(9):
        clock.now += 1
        flood.check("u")
    clock.now += 1
    assert flood.check("u") is Verdict.ALLOW


def test_idle_users_are_forgotten(clock: Clock) -> None:
    flood = FloodLimiter(limit=5, window=10, clock=clock)
    for user in range(100):
        flood.check(user)
    assert len(flood) == 100
    clock.now += 11
    flood.check("newcomer")
    assert len(flood) == 1


@pytest.mark.parametrize(("limit", "window"), [(0, 10), (1, 0), (-1, 5)])
def test_rejects_nonsense_limits(limit: int, window: float) -> None:
    with pytest.raises(ValueError, match="limit"):
        FloodLimiter(limit, window)
