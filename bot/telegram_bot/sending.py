"""How the bot sends: retries of transient failures around PTB's rate limiter.

Sending policy (``RetryingLimiter``): PTB retries nothing by itself, so a 500
from Telegram or a dropped connection would lose an answer. Requests other
than getUpdates (which the Updater retries itself) are retried up to
``SEND_RETRIES`` times with a short exponential backoff when they failed
before Telegram could act on them: 5xx, a refused or dropped connection, a
connect or pool timeout. A read timeout is *not* retried: Telegram may have
delivered the message already, and a duplicate answer is worse than a logged
error. 429 Too Many Requests is waited out (``retry_after``) by PTB's
``AIORateLimiter``, which also paces sends to Telegram's limits; with
``RATE_LIMITER=off`` (benchmarks) the pacing is gone and 429s are waited out
here instead.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

__all__ = ["RATE_LIMIT_RETRIES", "RETRY_BACKOFF", "SEND_RETRIES", "RetryingLimiter", "is_transient"]

logger = logging.getLogger(__name__)

SEND_RETRIES = 3
RETRY_BACKOFF = 0.25
"""Seconds before the first retry; doubled for each further one."""
RATE_LIMIT_RETRIES = 3
"""Times AIORateLimiter waits out a 429 before giving up."""


def is_transient(exc: TelegramError) -> bool:
    """True for failures Telegram cannot have acted on (see the module docstring), so a retry is safe."""
    if isinstance(exc, BadRequest):  # BadRequest subclasses NetworkError, but retrying cannot fix it
        return False
    if isinstance(exc, TimedOut):
        return isinstance(exc.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout)
    return isinstance(exc, NetworkError)


def _retry_after(exc: RetryAfter) -> float:
    """Seconds Telegram asked us to wait (an int in PTB 22, a timedelta later; read without the warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class RetryingLimiter(BaseRateLimiter[int]):
    """Retries transient send failures around an optional rate limiter (PTB's AIORateLimiter)."""

    def __init__(
        self, limiter: BaseRateLimiter[Any] | None, retries: int = SEND_RETRIES, backoff: float = RETRY_BACKOFF
    ) -> None:
        self.limiter = limiter
        self.retries = retries
        self.backoff = backoff

    async def initialize(self) -> None:
        if self.limiter:
            await self.limiter.initialize()

    async def shutdown(self) -> None:
        if self.limiter:
            await self.limiter.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        attempt = 0
        while True:
            try:
                if self.limiter is None:
                    return await callback(*args, **kwargs)
                return await self.limiter.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except RetryAfter as exc:
                if self.limiter is not None or attempt >= self.retries:
                    raise  # the rate limiter has already waited out its share of 429s
                wait, why = _retry_after(exc), type(exc).__name__
            except NetworkError as exc:
                if attempt >= self.retries or not is_transient(exc):
                    raise
                wait, why = self.backoff * 2**attempt, type(exc).__name__
            attempt += 1
            logger.warning("%s failed (%s); retry %d of %d in %.2fs", endpoint, why, attempt, self.retries, wait)
            await asyncio.sleep(wait)
