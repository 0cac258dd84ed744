"""Who is quoted in an article or corpus: one summary per person or body, most quoted first.

Kept apart from the attribution rules so that answering questions about speakers needs
only these records, not the rules that produced them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.records import Speaker, byline
from bot.speakers.tokens import surname

__all__ = ["SpeakerSummary", "roster"]


@dataclass(frozen=True)
class SpeakerSummary:
    """One person or body quoted in an article, as listed by :func:`roster`."""

    name: str
    role: str | None
    count: int
    aliases: tuple[str, ...]

    @property
    def byline(self) -> str:
        """ "Name, role", as a "who is" answer leads with it."""
        return byline(self.name, self.role)


def roster(speakers: Sequence[Speaker]) -> list[SpeakerSummary]:
    """People and bodies quoted (not the narrator), most frequent first, then first quoted."""
    quoted = [s for s in speakers if s.kind != "narrator" and s.name]
    counts = Counter(s.name for s in quoted)
    roles: dict[str, str | None] = {}
    for s in quoted:
        roles[s.name] = roles.get(s.name) or s.role  # type: ignore[index]
    first_quoted = dict.fromkeys(s.name for s in quoted)  # insertion order; sorted() below is stable
    return [
        SpeakerSummary(name, roles[name], counts[name], _aliases(name))  # type: ignore[index,arg-type]
        for name in sorted(first_quoted, key=lambda n: -counts[n])
    ]


def _aliases(name: str) -> tuple[str, ...]:
    """Short forms a reader may use: the surname of a several-word name ("Putin", "Ashley")."""
    return (surname(name),) if len(name.split()) > 1 else ()
