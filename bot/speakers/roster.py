"""Who is quoted in an article or corpus: one summary per person or body, most quoted first.

Kept apart from the attribution rules so that answering questions about speakers needs
only these records, not the rules that produced them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.records import Speaker, byline
from bot.speakers.tokens import surname

__all__ = ["SpeakerSummary", "roster", "roster_of_table"]


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
    quoted = [(s.name, s.role) for s in speakers if s.kind != "narrator" and s.name]
    counts = Counter(name for name, _ in quoted)
    roles: dict[str, str | None] = {}  # insertion order = first quoted; sorted() below is stable
    for name, role in quoted:
        roles[name] = roles.get(name) or role
    return [
        SpeakerSummary(name, roles[name], counts[name], _aliases(name))
        for name in sorted(roles, key=lambda n: -counts[n])
    ]


def _aliases(name: str) -> tuple[str, ...]:
    """Short forms a reader may use: the surname of a several-word name ("Putin", "Ashley")."""
    return (surname(name),) if len(name.split()) > 1 else ()


def roster_of_table(table: Sequence[Speaker], counts: Sequence[int]) -> list[SpeakerSummary]:
    """``roster`` of a corpus given as its distinct speakers (first appearance order) and each one's count.

    Counted per distinct speaker instead of per sentence (no million Speaker
    objects at start-up): ``roster`` of one name's distinct speakers gives its
    role and aliases, the counts its count. Names go in order of first
    appearance, so the stable sort by count breaks ties as ``roster`` does.
    """
    groups: dict[str, list[Speaker]] = {}
    totals: dict[str, int] = {}
    for speaker, n in zip(table, counts, strict=True):
        if n and speaker.name and speaker.kind != "narrator":  # whom roster counts: not the article's voice
            groups.setdefault(speaker.name, []).append(speaker)
            totals[speaker.name] = totals.get(speaker.name, 0) + n
    summaries = [replace(s, count=totals[name]) for name, group in groups.items() for s in roster(group)]
    return sorted(summaries, key=lambda s: -s.count)
