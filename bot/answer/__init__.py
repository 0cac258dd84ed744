"""A question -> the best sentences, quoted, each with its speaker."""

from bot.answer.ask import Answer, Reply, ask

__all__ = ["Answer", "Reply", "ask"]
