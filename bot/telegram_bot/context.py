"""The typed context every handler gets: ``context.bot_data`` is a :class:`BotData`, not a dict.

PTB builds ``bot_data`` with no arguments (``ContextTypes(bot_data=BotData)``); ``build_app``
then sets every field once, before the first update, and handlers only read them.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.answered import AnsweredStore
from bot.chats import Chats
from bot.pending import Pending
from bot.search.backend import SearchBackend
from bot.telegram_bot.flood import FloodLimiter
from bot.telegram_bot.health import Health
from bot.telegram_bot.stats import QuestionStats

__all__ = ["CONTEXT_TYPES", "BotData", "Context"]


class BotData:
    """What every handler reads, set once by ``build_app``."""

    library: SearchBackend
    examples: tuple[str, ...]
    flood: FloodLimiter
    top_k: int
    help_lines: tuple[tuple[str, str], ...]
    """(command, what it does) for /help, from the command table."""
    chats: Chats
    """Each chat's own articles (links and files it sent), and answering from them before ``library``."""
    health: Health
    """The link to Telegram: outages, a revoked token (``bot.telegram_bot.health``)."""
    stats: QuestionStats
    """Questions since start, for the per-question log line and /stats."""
    admin_ids: frozenset[int]
    """User ids allowed /stats (ADMIN_IDS)."""
    pending: Pending
    """Each chat's questions in flight: when an answer must quote its question."""
    answered: AnsweredStore
    """Which message answers which question: for "More" and edited questions, across restarts."""


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
