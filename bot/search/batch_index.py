"""A batch's share of the first build, done by the worker that parses the batch, and the shares' merge.

Parsing a big corpus runs on every core (``bot.corpus.files.run_batches``); if
the loader then analysed every sentence itself, that one core would bound the
whole load (measured at 300,000 sentences on 2 workers: 15 s of analysis and
5 s of word counting in the loading process, against 44 s of waiting for the
workers). So each worker also analyses its own batch: term ids (``count_terms``),
the stems its words needed, and the counts of the words whose vectors are saved.
The loader only merges them in corpus order, so the index, ``analyzer.json``
and the saved vocabulary are byte for byte those of one process
(``tests/test_parallel.py``).

A worker keeps its vocabularies across the batches it does (terms, the
sentences' words, the stems it reported), and a batch carries its ids over
them and only the strings new to that worker. The loader keeps, per worker, an
array from the worker's ids to global ones, extended with those strings. So the
loader's work per batch grows with what is new, not with what the batch holds:
when every batch sent all its distinct strings (~27k terms, words and stems
each, nearly all known), merging took 11.4 s of the loader's 22 s of CPU at
1M sentences on 2 workers, CPU taken from the 2 workers on 2 cores.

Why this is exact. Global ids, and the analyzer's stems, are in order of first
occurrence in the corpus, as in one process. The pool hands batches out in
the order they were submitted (one queue), so each worker does its batches in
corpus order; the loader merges in corpus order, so it takes each worker's
batches in the order that worker did them, and its arrays follow the worker's
numbering. A string first met in batch i is in no earlier batch, so in no
earlier batch of the worker that did batch i: that worker sends it with batch
i, in its order within the batch, and the loader numbers it there; the other
strings it sends have global ids already. Stems likewise: a batch's sentence
stems leave out those its worker already reported as sentence stems, and its
headline stems those it reported either way; the loader has those. A sentence
stem is not left out for having been a headline stem: the analyzer orders
every sentence stem before every headline stem, so a stem first needed by a
headline in batch 1 and by a sentence in batch 3 must come with batch 3's
sentence stems. Each batch names its worker (process id), how many batches it
did before and how many terms and words it had numbered; the merge raises if
these do not follow on from what it took in from that worker (a pool that
reordered a worker's batches, a worker that started its numbering again),
rather than build a wrong index.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from bot.corpus.files import load_batch
from bot.corpus.packed import PackedArticles, pack
from bot.search.analysis import MAX_CACHED_CHUNKS, Analyzer, normalize, shared_stemmer
from bot.search.bm25 import BM25Index, BM25Params, ChunkIds, TermCounts, count_terms
from bot.search.vectors import word_counts

__all__ = ["Added", "AnalysedBatch", "BatchMerge", "load_analysed"]


@dataclass(frozen=True, slots=True)
class Words:
    """Distinct strings with a count each, in order of first occurrence."""

    words: list[str]
    counts: np.ndarray  # int64

    @classmethod
    def of(cls, counts: Counter[str]) -> Words:
        return cls(list(counts), np.fromiter(counts.values(), dtype=np.int64, count=len(counts)))


@dataclass(frozen=True, slots=True)
class Added:
    """The strings a worker numbered in one batch: ids ``before``, ``before + 1``, ... of its vocabulary."""

    before: int
    """How many it had numbered in its earlier batches."""
    strings: list[str]


@dataclass(frozen=True, slots=True)
class AnalysedBatch:
    """One parsed batch with its analysis, in the ids of the worker that did it: what a worker sends back."""

    articles: PackedArticles
    worker: int
    """The worker's process id."""
    sequence: int
    """How many batches that worker did before this one."""
    terms: Added
    """The terms new to the worker."""
    term_ids: np.ndarray  # int32, over the worker's terms: every sentence's, one after the other
    doc_lens: np.ndarray  # int32, terms per sentence
    sentence_stems: dict[str, str]
    """The stems the batch's sentences needed that the worker had not reported as sentence stems, in order of first
    need."""
    title_stems: dict[str, str]
    """Then the ones its headlines needed that it had not reported at all (a corpus's headlines are analysed after
    all its sentences)."""
    words: Added
    """The sentences' words new to the worker."""
    word_ids: np.ndarray  # int32, over the worker's words: each word of the sentences once, in order
    word_counts: np.ndarray  # int64, how often each occurs in the sentences
    title_words: Words


class _ChunkAnalysis:
    """Chunk -> terms on one worker, recording which stems each batch needs.

    The order of an analyzer's stems is the order in which words were first
    stemmed; a worker's cache would hide which of its words a later batch needs.
    So each chunk is analysed once per worker by an analyzer of its own, which
    tells exactly the words the chunk stems, and every look-up adds those to
    ``needed``: a fresh analyzer per batch would instead analyse every chunk of
    every batch again (measured: 0.35 s against 0.11 s for a 5,000-sentence batch).
    A sentence's chunk is looked up only the first time the worker meets it (its
    ``ChunkIds`` keeps the ids): its stems went with that batch's.
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


class _Worker:
    """One worker process's analysis over the batches it does: the ids it gave and the stems it reported."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.batches = 0
        self.chunks = _ChunkAnalysis()
        self.term_ids = ChunkIds(self.chunks.terms)
        self.terms = 0
        """How many of its terms it has sent."""
        self.words: dict[str, int] = {}
        self.sentence_stemmed: set[str] = set()
        self.stemmed: set[str] = set()
        """Reported as sentence or headline stems."""

    def analyse(self, articles: PackedArticles, sentences: list[str], titles: list[str]) -> AnalysedBatch:
        """The batch's terms, stems and words in this worker's ids, with what is new to it."""
        if len(self.term_ids) >= MAX_CACHED_CHUNKS:
            self.term_ids.clear()  # its chunks are analysed again, and their stems dropped below as reported
        counts = count_terms(sentences, self.term_ids)
        sentence_stems = _unreported(self.chunks.stems(), self.sentence_stemmed)
        self.sentence_stemmed.update(sentence_stems)
        self.stemmed.update(sentence_stems)
        for title in titles:  # as Analyzer.analyze looks a text's chunks up
            for chunk in normalize(title).split():
                self.chunks.terms(chunk)
        title_stems = _unreported(self.chunks.stems(), self.stemmed)
        self.stemmed.update(title_stems)
        words = word_counts(sentences)
        words_before = len(self.words)
        new_words = _number_new(self.words, words)
        batch = AnalysedBatch(
            articles,
            self.pid,
            self.batches,
            Added(self.terms, counts.terms[self.terms :]),
            counts.term_ids,
            counts.doc_lens,
            sentence_stems,
            title_stems,
            Added(words_before, new_words),
            np.fromiter(map(self.words.__getitem__, words), dtype=np.int32, count=len(words)),
            np.fromiter(words.values(), dtype=np.int64, count=len(words)),
            Words.of(word_counts(titles)),
        )
        self.batches += 1
        self.terms = len(counts.terms)
        return batch


def _unreported(stems: dict[str, str], reported: set[str]) -> dict[str, str]:
    return {word: stem for word, stem in stems.items() if word not in reported}


@cache
def _worker(pid: int) -> _Worker:
    """This worker process's one analysis (a worker runs one task at a time). Keyed on the process id: a
    process forked from one that analysed batches itself starts afresh, not with its parent's ids."""
    return _Worker(pid)


def load_analysed(paths: Iterable[Path]) -> AnalysedBatch:
    """A worker's task: parse and attribute a batch of files (``load_batch``), pack it and analyse it."""
    articles, problems = load_batch(paths)
    sentences = [s.text for a in articles for s in a.sentences]
    titles = [a.title for a in articles]
    try:
        return _worker(os.getpid()).analyse(pack(articles, problems), sentences, titles)
    except BaseException:  # ids given, stems taken but never sent: a later batch would miss them
        _worker.cache_clear()  # so the next batch starts a new numbering, which the merge refuses
        raise


def _number_new(numbers: dict[str, int], names: Iterable[str]) -> list[str]:
    """The names not yet numbered, in order, now numbered after the others."""
    new = [name for name in names if name not in numbers]
    numbers.update(zip(new, range(len(numbers), len(numbers) + len(new)), strict=True))
    return new


def _numbered(numbers: dict[str, int], names: list[str]) -> np.ndarray:
    """The ids of distinct names, those not yet numbered getting the next ids in order (one dict pass)."""
    _number_new(numbers, names)
    return np.fromiter(map(numbers.__getitem__, names), dtype=np.int32, count=len(names))


@dataclass
class _FromWorker:
    """What the merge took in from one worker: how many batches, and the global id of each of its ids."""

    batches: int = 0
    terms: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    words: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))


@dataclass
class BatchMerge:
    """The analysed batches of a corpus, added in corpus order, as one index and one word count."""

    analyzer: Analyzer
    """The analyzer the index is saved with: it takes in every batch's stems."""
    _vocabulary: dict[str, int] = field(default_factory=dict)
    _workers: dict[int, _FromWorker] = field(default_factory=dict)
    _term_ids: list[np.ndarray] = field(default_factory=list)
    _doc_lens: list[np.ndarray] = field(default_factory=list)
    _title_stems: list[dict[str, str]] = field(default_factory=list)
    _words: dict[str, int] = field(default_factory=dict)
    _word_ids: list[np.ndarray] = field(default_factory=list)
    _word_counts: list[np.ndarray] = field(default_factory=list)
    _title_words: list[Words] = field(default_factory=list)

    def add(self, batch: AnalysedBatch) -> None:
        """Take in the next batch: its worker's new terms and words get global ids (those new to the corpus
        numbered on), its ids become global ones with one numpy look-up, its stems follow.

        Raises RuntimeError when the batch does not follow on from what this merge took in from its worker
        (its batches out of the order it did them: the ids would be wrong).
        """
        worker = self._workers.setdefault(batch.worker, _FromWorker())
        took = (worker.batches, len(worker.terms), len(worker.words))
        if (batch.sequence, batch.terms.before, batch.words.before) != took:
            raise RuntimeError(
                f"batch {batch.sequence} of worker {batch.worker} (after {batch.terms.before} terms and "
                f"{batch.words.before} words) does not follow the {took[0]} batches ({took[1]} terms, {took[2]} words) "
                "merged from it: its batches reached the merge out of the order it did them"
            )
        worker.batches += 1
        worker.terms = np.concatenate((worker.terms, _numbered(self._vocabulary, batch.terms.strings)))
        worker.words = np.concatenate((worker.words, _numbered(self._words, batch.words.strings)))
        self._term_ids.append(worker.terms[batch.term_ids])
        self._doc_lens.append(batch.doc_lens)
        self.analyzer.learn_stems(batch.sentence_stems)
        self._title_stems.append(batch.title_stems)
        self._word_ids.append(worker.words[batch.word_ids])
        self._word_counts.append(batch.word_counts)
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
