"""One error type per layer, each message saying what to fix.

They turn into a friendly message only at the edge: the CLI's exit or the
bot's error handler. ``exit_code`` is what the CLI exits with.
"""

from __future__ import annotations


class BotError(Exception):
    """Base of every error this package raises on purpose."""

    exit_code = 1


class ConfigError(BotError):
    """A setting is missing or malformed (environment, ``.env``)."""

    exit_code = 2


class CorpusError(BotError):
    """The corpus directory or one of its article files cannot be used."""


class QuestionError(BotError):
    """The question cannot be asked at all (e.g. it is empty)."""

    exit_code = 2


class RulesError(BotError):
    """A data file in ``bot/rules/`` is malformed; the message names ``file:line``."""


class WorkerError(BotError):
    """A worker process of a parallel load died (killed, out of memory) before its batch was done."""


class IndexCacheError(BotError):
    """A saved index is missing, stale or corrupt (callers rebuild it)."""


class FetchError(BotError):
    """A link cannot be read: not http(s), a private address, too big, too slow, not a page (message says which)."""


class ExtractError(BotError):
    """A page or file was read but holds no article text (an empty page, a login wall, a list of links)."""


class SearchBackendError(BotError):
    """The configured search backend cannot answer: no shard reachable, shards that do not fit together."""
