"""Is Telegram answering, and does the token still work: one log line per outage, and a revoked token stops the bot.

PTB's polling loop retries a failed getUpdates forever, logging each failure as an
ERROR with a chained traceback; and when Telegram answers 401 (the token was revoked
or regenerated with @BotFather) it ends the loop with a traceback while the process
stays alive answering nothing. Both are handled here, at the one place every poll
passes through: ``PollingRequest``, the HTTP client getUpdates is given
(``ApplicationBuilder.get_updates_request``).

- An outage is one WARNING when the first poll fails and one INFO when a poll
  succeeds again (how many failed, for how long); the polls in between are quiet.
- A 401 marks ``Health.revoked`` and calls ``Health.stop`` (set by ``run``: the same
  stop as Ctrl-C), so ``run`` shuts the bot down and the command line exits with one
  line saying what to do. The error handler reports a 401 on a send the same way.

The token is never logged: lines name the exception type and Telegram's description,
and the log handler redacts the token anyway (``bot.logging_setup``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from telegram.error import TelegramError
from telegram.request import HTTPXRequest

__all__ = ["Health", "PollingRequest", "quiet_poll_errors"]

logger = logging.getLogger(__name__)


class Health:
    """What the bot knows about its link to Telegram: the token revoked, an outage going on."""

    def __init__(self) -> None:
        self.revoked = False
        self.stop: Callable[[], object] | None = None
        """Set by ``run``: ends serving, as Ctrl-C does."""
        self.failed_polls = 0
        self._outage_since = 0.0

    def token_revoked(self) -> None:
        """Telegram answered 401 while running: stop serving (once); ``run`` then exits non-zero."""
        if not self.revoked:
            self.revoked = True
            if self.stop is not None:
                self.stop()

    def poll_failed(self, why: str) -> None:
        """One WARNING for the first failed poll of an outage; the retries after it stay quiet."""
        if not self.failed_polls:
            self._outage_since = time.monotonic()
            logger.warning("getUpdates failed (%s); retrying quietly until Telegram answers", why)
        self.failed_polls += 1

    def poll_succeeded(self) -> None:
        """After an outage: one INFO line saying it is over."""
        if self.failed_polls:
            logger.info(
                "Telegram answers getUpdates again, after %d failed poll%s over %.1f s",
                self.failed_polls,
                "" if self.failed_polls == 1 else "s",
                time.monotonic() - self._outage_since,
            )
            self.failed_polls = 0


def quiet_poll_errors(exc: TelegramError) -> None:
    """``run_polling(error_callback=...)``: PTB's default logs every failed poll with a traceback; Health logs it."""


class PollingRequest(HTTPXRequest):
    """getUpdates' HTTP client: reports each poll to ``health`` (see the module docstring)."""

    def __init__(self, health: Health, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.health = health

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if self.health.revoked:  # the token is gone: nothing to fetch, nor to confirm in PTB's last poll at shutdown
            return HTTPStatus.OK, NO_UPDATES
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except TelegramError as exc:  # the connection failed or timed out (PTB has wrapped httpx's error)
            self.health.poll_failed(f"{type(exc).__name__}: {exc}")
            raise
        if code == HTTPStatus.UNAUTHORIZED:
            self.health.token_revoked()
            # Answering 401 would end PTB's polling task with a traceback (re-raised by Updater.stop);
            # instead this poll waits until the shutdown that token_revoked() started cancels it.
            await asyncio.Event().wait()
        if HTTPStatus.OK <= code < HTTPStatus.MULTIPLE_CHOICES:
            self.health.poll_succeeded()
        else:
            self.health.poll_failed(f"HTTP {code}: {_description(payload)}")
        return code, payload


NO_UPDATES = b'{"ok": true, "result": []}'


def _description(payload: bytes) -> str:
    """Telegram's ``description`` of an error answer (e.g. "Conflict: terminated by other getUpdates request")."""
    try:
        return str(json.loads(payload).get("description", "")) or "no description"
    except (ValueError, AttributeError):
        return "not a Bot API answer"
