"""The records that flow through the pipeline: article -> sentences -> speakers -> hits.

Named, immutable records instead of parallel lists, so every stage (and every
program reusing this package) reads fields by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np

from bot.errors import CorpusError

SpeakerKind = Literal["direct", "reported", "narrator"]


def byline(name: str, role: str | None) -> str:
    """ "Name, role" as shown under a quote ("Aleksey Smirnov, acting head of the Kursk region")."""
    return f"{name}, {role}" if role else name


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a sentence is attributed to.

    ``kind`` is ``direct`` for a quotation in quote marks, ``reported`` for
    indirect speech or a statement credited to someone, ``narrator`` for the
    article's own voice (then ``name`` is the outlet, or None if unknown).
    ``rule`` names the attribution rule that fired, for debugging and tests.
    """

    name: str | None
    role: str | None = None
    cue: str | None = None
    kind: SpeakerKind = "narrator"
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape (``rule`` is internal and left out)."""
        return {"name": self.name, "role": self.role, "cue": self.cue, "kind": self.kind}

    @property
    def byline(self) -> str | None:
        """ "Name, role" as shown under a quote, or None when nobody is known."""
        return byline(self.name, self.role) if self.name else None


NARRATOR = Speaker(name=None, kind="narrator")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One body sentence; ``start``/``end`` are character offsets into the article file's text."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    speaker: Speaker = NARRATOR


@dataclass(frozen=True, slots=True)
class Article:
    """One corpus file: metadata, full text, and its body sentences (headline and boilerplate excluded)."""

    path: Path
    title: str
    text: str
    sentences: tuple[Sentence, ...]
    source: str | None = None
    url: str | None = None
    published: str | None = None
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The file name, used to say where an answer comes from."""
        return self.path.name


@dataclass(frozen=True, slots=True)
class Corpus:
    """The articles of a corpus directory, the files that could not load (with why), and a speaker table.

    One record whether the corpus was parsed afresh (``bot.corpus``) or read back from the
    saved index (``bot.search.cache``, where ``articles`` builds each Article on first use):
    ``sentence_counts`` and ``speaker_ids`` are per article and per sentence position, and
    ``speaker_ids[p]`` indexes ``speakers``, the distinct speakers in order of first appearance.
    """

    directory: Path
    articles: Sequence[Article]
    problems: tuple[CorpusError, ...]
    sentence_counts: np.ndarray
    speakers: tuple[Speaker, ...]
    speaker_ids: np.ndarray

    @classmethod
    def of(cls, directory: Path, articles: Sequence[Article], problems: tuple[CorpusError, ...] = ()) -> Corpus:
        """A corpus of parsed articles, its counts and speaker table computed here."""
        numbers: dict[Speaker, int] = {}
        ids = [numbers.setdefault(s.speaker, len(numbers)) for a in articles for s in a.sentences]
        return cls(
            directory,
            articles,
            problems,
            np.asarray([len(a.sentences) for a in articles], dtype=np.int64),
            tuple(numbers),
            np.asarray(ids, dtype=np.int32),
        )

    def __len__(self) -> int:
        """The number of sentences."""
        return len(self.speaker_ids)


class TermContext(NamedTuple):
    """Which of a question's terms occur around one candidate sentence (the re-ranker's context features)."""

    before: frozenset[str]  # in the previous sentence of the same article
    after: frozenset[str]  # in the next sentence of the same article
    around: frozenset[str]  # anywhere in the sentence's article
