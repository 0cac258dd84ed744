"""A batch's share of the first build, done by the worker that parses the batch, and the shares' merge.

Parsing a big corpus runs on every core (``bot.corpus.files.run_batches``); if
the loader then analysed every sentence itself, that one core would bound the
whole load (measured at 300,000 sentences on 2 workers: 15 s of analysis and
5 s of word counting in the loading process, against 44 s of waiting for the
workers). So each worker also analyses its own batch: term ids over a
vocabulary of the batch (``count_terms``), the words it needed stems of, and
the counts of the words whose vectors are saved. The loader only merges them
in corpus order: a batch's terms and words get global ids in one pass and its
term ids become global ones with one numpy look-up; stems and word counts keep
their order of first occurrence. So the index, ``analyzer.json`` and the saved
vocabulary are byte for byte those of one process (``tests/test_parallel.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from bot.corpus.files import load_batch
from bot.corpus.packed import PackedArticles, pack
from bot.search.analysis import MAX_CACHED_CHUNKS, Analyzer, normalize, shared_stemmer
from bot.search.bm25 import BM25Index, BM25Params, TermCounts, count_terms
from bot.search.vectors import word_counts

__all__ = ["AnalysedBatch", "BatchMerge", "load_analysed"]


@dataclass(frozen=True, slots=True)
class Words:
    """Distinct strings with a count each, in order of first occurrence."""

    words: list[str]
    counts: np.ndarray  # int64

    @classmethod
    def of(cls, counts: Counter[str]) -> Words:
        return cls(list(counts), np.fromiter(counts.values(), dtype=np.int64, count=len(counts)))


@dataclass(frozen=True, slots=True)
class AnalysedBatch:
    """One parsed batch with its analysis: what a worker sends back."""

    articles: PackedArticles
    terms: TermCounts  # of the sentences, in order
    sentence_stems: dict[str, str]
    """The stems the batch's sentences needed, in order of first need."""
    title_stems: dict[str, str]
    """Then the ones its headlines needed besides (a corpus's headlines are analysed after all its sentences)."""
    sentence_words: Words
    title_words: Words


class _ChunkAnalysis:
    """Chunk -> terms on one worker, recording which stems each batch needs.

    The order of an analyzer's stems is the order in which words were first
    stemmed; a worker's cache would hide which of its words a later batch needs.
    So each chunk is analysed once per worker by an analyzer of its own, which
    tells exactly the words the chunk stems, and every look-up adds those to
    ``needed``: a fresh analyzer per batch would instead analyse every chunk of
    every batch again (measured: 0.35 s against 0.11 s for a 5,000-sentence batch).
    """

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.needed: dict[str, None] = {}
        """Words stemmed by the chunks looked up since the last reset, in order of first need."""

    def terms(self, chunk: str) -> tuple[str, ...]:
        known = self._known.get(chunk)
        if known is None:
            if len(self._known) >= MAX_CACHED_CHUNKS:
                self._known.clear()
            alone = Analyzer(stemmer=shared_stemmer())
            known = self._known[chunk] = (alone.chunk_terms[chunk], tuple(alone.stems))
        terms, stemmed = known
        for word in stemmed:
            self.needed.setdefault(word)
        return terms

    def stems(self) -> dict[str, str]:
        """The stems of the words needed since the last call, in order; then none are."""
        stem = shared_stemmer()
        stems = {word: stem(word) for word in self.needed}
        self.needed = {}
        return stems


@cache
def _chunks() -> _ChunkAnalysis:
    """The worker process's one chunk cache (a worker runs one task at a time)."""
    return _ChunkAnalysis()


def load_analysed(paths: Iterable[Path]) -> AnalysedBatch:
    """A worker's task: parse and attribute a batch of files (``load_batch``), pack it and analyse it."""
    articles, problems = load_batch(paths)
    sentences = [s.text for a in articles for s in a.sentences]
    titles = [a.title for a in articles]
    chunks = _chunks()
    chunks.stems()  # nothing left over from a batch that failed
    terms = count_terms(sentences, chunks.terms)
    sentence_stems = chunks.stems()
    for title in titles:  # as Analyzer.analyze looks a text's chunks up
        for chunk in normalize(title).split():
            chunks.terms(chunk)
    return AnalysedBatch(
        pack(articles, problems),
        terms,
        sentence_stems,
        chunks.stems(),
        Words.of(word_counts(sentences)),
        Words.of(word_counts(titles)),
    )


def _numbered(numbers: dict[str, int], names: list[str]) -> np.ndarray:
    """The ids of distinct names, those not yet numbered getting the next ids in order (one dict pass)."""
    new = [name for name in names if name not in numbers]
    numbers.update(zip(new, range(len(numbers), len(numbers) + len(new)), strict=True))
    return np.fromiter(map(numbers.__getitem__, names), dtype=np.int32, count=len(names))


@dataclass
class BatchMerge:
    """The analysed batches of a corpus, added in corpus order, as one index and one word count."""

    analyzer: Analyzer
    """The analyzer the index is saved with: it takes in every batch's stems."""
    _vocabulary: dict[str, int] = field(default_factory=dict)
    _term_ids: list[np.ndarray] = field(default_factory=list)
    _doc_lens: list[np.ndarray] = field(default_factory=list)
    _title_stems: list[dict[str, str]] = field(default_factory=list)
    _words: dict[str, int] = field(default_factory=dict)
    _word_ids: list[np.ndarray] = field(default_factory=list)
    _word_counts: list[np.ndarray] = field(default_factory=list)
    _title_words: list[Words] = field(default_factory=list)

    def add(self, batch: AnalysedBatch) -> None:
        """Take in the next batch: its terms get global ids (new ones numbered on), its stems and words follow."""
        self._term_ids.append(_numbered(self._vocabulary, batch.terms.terms)[batch.terms.term_ids])
        self._doc_lens.append(batch.terms.doc_lens)
        self.analyzer.learn_stems(batch.sentence_stems)
        self._title_stems.append(batch.title_stems)
        self._count(batch.sentence_words)
        self._title_words.append(batch.title_words)

    def _count(self, words: Words) -> None:
        self._word_ids.append(_numbered(self._words, words.words))
        self._word_counts.append(words.counts)

    def index(self, params: BM25Params) -> BM25Index:
        """The index of every batch's sentences; the headlines' stems then join the analyzer's."""
        for stems in self._title_stems:
            self.analyzer.learn_stems(stems)
        counts = TermCounts(list(self._vocabulary), _joined(self._term_ids), _joined(self._doc_lens))
        return BM25Index.from_counts(counts, params, self.analyzer)

    def word_counts(self) -> Counter[str]:
        """The words of every sentence and then of every headline, counted as ``word_counts`` counts them."""
        for words in self._title_words:
            self._count(words)
        self._title_words = []
        ids, counts = _joined(self._word_ids), _joined(self._word_counts, np.int64)
        totals = np.bincount(ids, weights=counts, minlength=len(self._words)).astype(np.int64)  # exact below 2**53
        return Counter(dict(zip(self._words, totals.tolist(), strict=True)))


def _joined(parts: list[np.ndarray], dtype: type = np.int32) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype)
