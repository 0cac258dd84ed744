"""Logging for the bot: one stderr handler, chatty libraries quieted, secrets redacted.

The bot token is part of every Bot API URL (``.../bot<token>/sendMessage``),
and httpx logs each request URL at INFO. So httpx and httpcore are held at
WARNING, and every record that reaches our handler passes ``RedactingFilter``
anyway, which also covers exception text (PTB's ``InvalidToken`` message
quotes the token).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

__all__ = ["REDACTED", "RedactingFilter", "configure_logging", "quiet_libraries"]

REDACTED = "[REDACTED]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
NOISY_LOGGERS = ("httpx", "httpcore", "apscheduler")
"""Libraries that log request URLs (and so the token) or per-request chatter below WARNING."""


class RedactingFilter(logging.Filter):
    """Replaces each secret in a record's message, exception and stack text; never drops a record."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def _redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        redacted = self._redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        return True


def quiet_libraries() -> None:
    """Hold the libraries that would log the token (or flood the log) at WARNING."""
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure_logging(level: str, secrets: Iterable[str | None] = ()) -> logging.Handler:
    """Log to stderr at ``level`` with ``secrets`` redacted; returns the handler (tests inspect it)."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter(secrets))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    quiet_libraries()
    return handler
