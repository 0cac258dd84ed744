"""Site boilerplate: sentences that are not article text ("Share your thoughts ..."), by the
patterns of ``bot/rules/boilerplate.txt``."""

from __future__ import annotations

import re
from functools import cache

from bot import rules

__all__ = ["is_boilerplate"]


@cache
def _alternations() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns as two alternations: those anchored at the start (tried only there, with ``match``)
    and the rest (``search``): one regex call or two per sentence instead of one per pattern."""
    patterns = [p.regex.pattern for p in rules.patterns("boilerplate.txt")]

    def alternation(group: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in group) or r"(?!)", re.IGNORECASE)

    return alternation([p for p in patterns if p.startswith("^")]), alternation(
        [p for p in patterns if not p.startswith("^")]
    )


def is_boilerplate(sentence: str) -> bool:
    """True when a sentence is site furniture rather than article text."""
    anchored, anywhere = _alternations()
    return anchored.match(sentence) is not None or anywhere.search(sentence) is not None
