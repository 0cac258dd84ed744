"""What a failed update means: one log line for the operator, and an apology only where it can help.

``handlers.on_error`` (the bot's one error handler) asks ``verdict(error)`` and does
what it says. The routine failures of a real deployment are one WARNING line each,
no traceback:

- the chat cannot be written to (403 "bot was blocked by the user", "kicked from the
  group", 400 "not enough rights": the phrases are ``bot/rules/unwritable_chats.txt``):
  an apology would fail the same way, so none is tried;
- a send timed out while reading Telegram's answer: Telegram may well have delivered
  it, so the bot neither sends it again (``sending.is_transient``) nor claims it failed;
- the token was revoked (401): the bot stops (``health.Health.token_revoked``) and the
  command line exits with one line saying so.

Anything else is a bug or an outage the retries could not ride out: ERROR with the
traceback, and the asker is told once that something went wrong.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from telegram.error import BadRequest, Forbidden, InvalidToken, TelegramError, TimedOut

from bot import rules
from bot.telegram_bot.sending import is_transient

__all__ = ["Verdict", "cannot_write", "describe", "verdict"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """How to report one failure."""

    kind: str
    """revoked | cannot_write | maybe_sent | failed"""
    level: int
    traceback: bool
    apologise: bool
    note: str = ""
    """What the bot does about it, for the log line."""


REVOKED = Verdict("revoked", logging.DEBUG, False, False, "the token was revoked; stopping")
"""DEBUG only: the command line's exit line says it (one line for the operator, not one per update)."""
CANNOT_WRITE = Verdict("cannot_write", logging.WARNING, False, False, "the bot may not write there; no reply tried")
MAYBE_SENT = Verdict("maybe_sent", logging.WARNING, False, False, "Telegram may have delivered it: not sent again")
FAILED = Verdict("failed", logging.ERROR, True, True, "the asker is told once")


@cache
def _unwritable_phrases() -> tuple[str, ...]:
    return rules.words("unwritable_chats.txt")


def cannot_write(error: BaseException) -> bool:
    """True when Telegram refused because the bot may not write into that chat (blocked, kicked, muted)."""
    if isinstance(error, Forbidden):
        return True
    return isinstance(error, BadRequest) and any(p in error.message.lower() for p in _unwritable_phrases())


def verdict(error: BaseException | None) -> Verdict:
    """The report for ``error`` (see the module docstring)."""
    if isinstance(error, InvalidToken):
        return REVOKED
    if error is not None and cannot_write(error):
        return CANNOT_WRITE
    if isinstance(error, TimedOut) and not is_transient(error):
        return MAYBE_SENT
    return FAILED


def describe(error: BaseException | None) -> str:
    """``Forbidden: bot was blocked by the user``: the type and Telegram's description, for a one-line report."""
    if error is None:
        return "unknown error"
    text = error.message if isinstance(error, TelegramError) else str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
