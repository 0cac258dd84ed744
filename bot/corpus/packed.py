"""Parsed articles as a few flat arrays, to send from a worker process back to the loader.

Pickling Article records costs a Python call per Sentence and Speaker on each
side (measured: unpickling 7,300 sentences took 0.42 s, so ~1 minute for a
million, in the one process that gathers them). Packed, a batch is a handful
of strings, lists and int32 arrays, which pickle at memory speed; unpacking
builds the same records again (~2 us a sentence). ``unpack(pack(a, p))``
equals ``(a, p)`` field for field: a sentence's text is ``text[start:end]``
and its index its position, as the parser makes them.

The first load of a big corpus does not unpack at all: ``PackedJoin`` joins
the batches, in corpus order, into the columns a saved index holds
(``bot.columns``), so the loading process builds no per-sentence
object, and the index cache saves the columns as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path

import numpy as np

from bot.columns import ArticleColumns, LazyArticles, article_meta, relative_path
from bot.corpus.files import load_batch, no_articles
from bot.errors import CorpusError
from bot.records import Article, Corpus, Sentence, Speaker, SpeakerKind

__all__ = ["PackedArticles", "PackedJoin", "load_packed", "pack", "unpack"]


@dataclass(frozen=True, slots=True)
class PackedArticles:
    """One batch: per-article fields, per-sentence arrays, the batch's distinct speakers, its problems."""

    articles: list[tuple[str, str, str, str | None, str | None, str | None, dict[str, str]]]
    """(path, title, text, source, url, published, meta) per article."""
    counts: np.ndarray  # sentences per article
    starts: np.ndarray
    ends: np.ndarray
    paragraphs: np.ndarray
    speaker_ids: np.ndarray  # into ``speakers``
    speakers: list[tuple[str | None, str | None, str | None, SpeakerKind, str | None]]  # Speaker's fields
    problems: list[str]


def pack(articles: Sequence[Article], problems: Sequence[CorpusError] = ()) -> PackedArticles:
    """The batch as flat arrays (raises ValueError should a sentence not be its text's slice)."""
    numbers: dict[Speaker, int] = {}
    starts: list[int] = []
    ends: list[int] = []
    paragraphs: list[int] = []
    ids: list[int] = []
    for article in articles:
        for j, s in enumerate(article.sentences):
            if s.index != j or article.text[s.start : s.end] != s.text:
                raise ValueError(f"{article.path}: sentence {s.index} is not text[start:end] at its position")
            starts.append(s.start)
            ends.append(s.end)
            paragraphs.append(s.paragraph)
            ids.append(numbers.setdefault(s.speaker, len(numbers)))
    return PackedArticles(
        articles=[(str(a.path), a.title, a.text, a.source, a.url, a.published, a.meta) for a in articles],
        counts=np.asarray([len(a.sentences) for a in articles], dtype=np.int32),
        starts=np.asarray(starts, dtype=np.int32),
        ends=np.asarray(ends, dtype=np.int32),
        paragraphs=np.asarray(paragraphs, dtype=np.int32),
        speaker_ids=np.asarray(ids, dtype=np.int32),
        speakers=[astuple(s) for s in numbers],
        problems=[str(p) for p in problems],
    )


def _check(packed: PackedArticles) -> None:
    """A batch received from a worker must be whole: as many sentences as its articles' counts add up to."""
    if int(packed.counts.sum()) != len(packed.starts):
        raise ValueError("packed articles: the sentence counts do not add up to the sentences")


def unpack(packed: PackedArticles) -> tuple[list[Article], list[CorpusError]]:
    """The Article records and problems that were packed."""
    _check(packed)
    speakers = [Speaker(*row) for row in packed.speakers]
    rows = zip(
        packed.starts.tolist(),
        packed.ends.tolist(),
        packed.paragraphs.tolist(),
        packed.speaker_ids.tolist(),
        strict=True,
    )
    articles: list[Article] = []
    for (path, title, text, source, url, published, meta), n in zip(
        packed.articles, packed.counts.tolist(), strict=True
    ):
        sentences = []
        for j in range(n):
            start, end, paragraph, speaker = next(rows)
            sentences.append(Sentence(j, start, end, text[start:end], paragraph, speakers[speaker]))
        articles.append(Article(Path(path), title, text, tuple(sentences), source, url, published, meta))
    return articles, [CorpusError(p) for p in packed.problems]


class PackedJoin:
    """Packed batches, added in corpus order, joined into one Corpus held as columns.

    The Corpus equals ``Corpus.of`` of the batches' unpacked articles: the same articles (built on demand),
    problems, sentence counts, and speaker table numbered in order of first appearance.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._meta: list[dict] = []
        self._texts: list[bytes] = []
        self._text_lens: list[int] = []
        self._counts: list[np.ndarray] = []
        self._columns: dict[str, list[np.ndarray]] = {"starts": [], "ends": [], "paragraphs": [], "speaker_ids": []}
        self._speakers: dict[tuple, int] = {}
        self._problems: list[CorpusError] = []

    def add(self, packed: PackedArticles) -> None:
        """Take in the next batch: its texts and arrays are kept, its speakers numbered on."""
        _check(packed)
        for path, title, text, source, url, published, meta in packed.articles:
            data = text.encode("utf-8")
            self._texts.append(data)
            self._text_lens.append(len(data))
            where = relative_path(Path(path), self.directory)
            self._meta.append(article_meta(where, title, source, url, published, meta))
        global_ids = np.fromiter(
            (self._speakers.setdefault(row, len(self._speakers)) for row in packed.speakers),
            dtype=np.int32,
            count=len(packed.speakers),
        )
        self._counts.append(packed.counts)
        self._columns["starts"].append(packed.starts)
        self._columns["ends"].append(packed.ends)
        self._columns["paragraphs"].append(packed.paragraphs)
        self._columns["speaker_ids"].append(global_ids[packed.speaker_ids])
        self._problems += (CorpusError(p) for p in packed.problems)

    def corpus(self) -> Corpus:
        """The joined corpus (raises CorpusError with every reason when no article loaded)."""
        if not self._meta:
            raise no_articles(self.directory, self._problems)
        counts = np.concatenate(self._counts).astype(np.int64)
        arrays = {name: np.concatenate(parts).astype(np.int32) for name, parts in self._columns.items()}
        speaker_ids = arrays.pop("speaker_ids")
        columns = ArticleColumns(
            self._meta,
            np.frombuffer(b"".join(self._texts), dtype=np.uint8),
            np.concatenate(([0], np.cumsum(self._text_lens, dtype=np.int64))),
            np.concatenate(([0], np.cumsum(counts))),
            **arrays,
        )
        speakers = tuple(Speaker(*row) for row in self._speakers)
        articles = LazyArticles(self.directory, columns, speakers, speaker_ids)
        return Corpus(self.directory, articles, tuple(self._problems), counts, speakers, speaker_ids)


def load_packed(paths: Iterable[Path]) -> PackedArticles:
    """A worker's task: parse and attribute a batch of files (``load_batch``), packed to send back."""
    return pack(*load_batch(paths))
