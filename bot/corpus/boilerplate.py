"""Site boilerplate: sentences that are not article text ("Share your thoughts ..."), by the
patterns of ``bot/rules/boilerplate.txt``."""

from __future__ import annotations

from bot import rules

__all__ = ["is_boilerplate"]


def is_boilerplate(sentence: str) -> bool:
    """True when a sentence is site furniture rather than article text."""
    return any(p.regex.search(sentence) for p in rules.patterns("boilerplate.txt"))
