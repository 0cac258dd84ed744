"""A batch's share of the first build, done by the worker that parses the batch, and the shares' merge.

Parsing a big corpus runs on every core (``bot.corpus.files.run_batches``); if
the loader then analysed every sentence itself, that one core would bound the
whole load (measured at 300,000 sentences on 2 workers: 15 s of analysis and
5 s of word counting in the loading process, against 44 s of waiting for the
workers). So each worker also analyses its own batch: term ids over a
vocabulary of the batch (``count_terms``), the stems its analyzer learnt, and
the counts of the words whose vectors are saved. The loader only merges them
in corpus order: a batch's term ids become global ones through one numpy
look-up, and the stems and word counts keep their order of first occurrence,
so the index, ``analyzer.json`` and the saved vocabulary are byte for byte
those of one process (``tests/test_parallel.py`` checks it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.corpus.files import load_batch
from bot.corpus.packed import PackedArticles, pack
from bot.search.analysis import Analyzer, shared_stemmer
from bot.search.bm25 import BM25Index, BM25Params, TermCounts, count_terms
from bot.search.vectors import word_counts

__all__ = ["AnalysedBatch", "BatchMerge", "load_analysed"]


@dataclass(frozen=True, slots=True)
class AnalysedBatch:
    """One parsed batch with its analysis: what a worker sends back."""

    articles: PackedArticles
    terms: TermCounts  # of the sentences, in order
    sentence_stems: dict[str, str]
    """The stems the batch's sentences needed, in order of first need."""
    title_stems: dict[str, str]
    """Then the ones its headlines needed besides (a corpus's headlines are analysed after all its sentences)."""
    sentence_words: Counter[str]
    title_words: Counter[str]


def load_analysed(paths: Iterable[Path]) -> AnalysedBatch:
    """A worker's task: parse and attribute a batch of files (``load_batch``), pack it and analyse it.

    A fresh analyzer per batch records exactly the stems this batch needs; the worker's shared memo of
    Snowball stems (``shared_stemmer``) keeps later batches from stemming the same words again.
    """
    articles, problems = load_batch(paths)
    sentences = [s.text for a in articles for s in a.sentences]
    titles = [a.title for a in articles]
    analyzer = Analyzer(stemmer=shared_stemmer())
    terms = count_terms(sentences, analyzer)
    stems = list(analyzer.stems.items())
    for title in titles:
        analyzer.analyze(title)
    return AnalysedBatch(
        pack(articles, problems),
        terms,
        dict(stems),
        dict(list(analyzer.stems.items())[len(stems) :]),
        word_counts(sentences),
        word_counts(titles),
    )


@dataclass
class BatchMerge:
    """The analysed batches of a corpus, added in corpus order, as one index and one word count."""

    analyzer: Analyzer
    """The analyzer the index is saved with: it takes in every batch's stems."""
    _vocabulary: dict[str, int] = field(default_factory=dict)
    _term_ids: list[np.ndarray] = field(default_factory=list)
    _doc_lens: list[np.ndarray] = field(default_factory=list)
    _title_stems: list[dict[str, str]] = field(default_factory=list)
    _words: Counter[str] = field(default_factory=Counter)
    _title_words: list[Counter[str]] = field(default_factory=list)

    def add(self, batch: AnalysedBatch) -> None:
        """Take in the next batch: its terms get global ids (new ones numbered on), its stems and words follow."""
        vocabulary, terms = self._vocabulary, batch.terms.terms
        global_ids = np.fromiter(
            (vocabulary.setdefault(t, len(vocabulary)) for t in terms), dtype=np.int32, count=len(terms)
        )
        self._term_ids.append(global_ids[batch.terms.term_ids])
        self._doc_lens.append(batch.terms.doc_lens)
        self.analyzer.learn_stems(batch.sentence_stems)
        self._title_stems.append(batch.title_stems)
        self._words.update(batch.sentence_words)
        self._title_words.append(batch.title_words)

    def index(self, params: BM25Params) -> BM25Index:
        """The index of every batch's sentences; the headlines' stems then join the analyzer's."""
        for stems in self._title_stems:
            self.analyzer.learn_stems(stems)
        counts = TermCounts(
            list(self._vocabulary),
            np.concatenate(self._term_ids) if self._term_ids else np.zeros(0, np.int32),
            np.concatenate(self._doc_lens) if self._doc_lens else np.zeros(0, np.int32),
        )
        return BM25Index.from_counts(counts, params, self.analyzer)

    def word_counts(self) -> Counter[str]:
        """The words of every sentence and then of every headline, counted as ``word_counts`` counts them."""
        counts = Counter(self._words)
        for words in self._title_words:
            counts.update(words)
        return counts
