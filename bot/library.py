"""A loaded corpus with its search index: what the CLI and the bot ask questions of.

``Library.load(directory)`` reuses the index saved beside the corpus
(``bot.search.cache``) when the corpus, the rules and the code are unchanged,
and otherwise parses the articles, indexes them and saves the result. A
cached library needs neither the sentence splitter nor the speaker rules to
load (questions about speakers bring the latter in), and builds Article
records only for the articles it is asked about. The vectors of the corpus's
words are saved with it (``bot.search.vectors.save_vocabulary``), so a
question in words the corpus has never loads the word-vector tokenizer.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.columns import LazyArticles
from bot.errors import IndexCacheError
from bot.records import Article, Corpus, Sentence, TermContext
from bot.search.bm25 import BM25Index, BM25Params, Hit

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.search.analysis import Analyzer
    from bot.speakers import SpeakerSummary

log = logging.getLogger(__name__)

MAX_CACHED_HEADLINES = 50_000
"""Articles whose headline terms are kept (~1 KB each)."""

INDEX_PARAMS = BM25Params(k1=0.6, b=0.5)
"""BM25Okapi's k1 and b for answering (rank-bm25's defaults, which ``BM25Index`` keeps, are 1.5 and 0.75).

News answers are long sentences: a lower k1 lets a second occurrence of a
word count for less and a lower b penalises length less. Chosen by
measurement; see the README's "How it answers".
"""


@dataclass(frozen=True, slots=True)
class Located:
    """A sentence together with the article it belongs to."""

    article: Article
    sentence: Sentence


class Library:
    """All sentences of all articles in one BM25 index, addressable by position: the in-process search backend
    (``bot.search.backend.SearchBackend``)."""

    unavailable: tuple[str, ...] = ()
    """Nothing of an in-process corpus is ever out of reach."""

    def __init__(self, corpus: Corpus, index: BM25Index | None = None, params: BM25Params = INDEX_PARAMS) -> None:
        self.corpus = corpus
        self.articles = corpus.articles
        counts = corpus.sentence_counts
        self._article_of = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
        self._first = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.index = (
            index if index is not None else BM25Index((s.text for a in self.articles for s in a.sentences), params)
        )
        self._headlines: dict[int, frozenset[str]] = {}
        self._word_counts: Counter[str] | None = None  # the corpus's words, when the workers counted them
        if index is None:
            self._stem_headlines()

    def _stem_headlines(self) -> None:
        """The headlines' stems are saved with a new index: no stemmer at a cold start's first question."""
        for article in self.articles:
            self.index.analyzer.analyze(article.title)

    @classmethod
    def load(cls, directory: Path | str, *, cache: bool = True, workers: int | None = None) -> Library:
        """Load a corpus directory with its index, from the saved index when it is current.

        Parsing a big corpus (no current saved index) uses ``workers`` processes, by
        default every core; ``workers=1`` keeps it in this process. As with any
        multiprocessing, a script that calls this at import time needs an
        ``if __name__ == "__main__":`` guard. Raises CorpusError when nothing loads.
        A damaged saved index is rebuilt (with a warning); an unwritable directory
        only means nothing is saved.
        """
        from bot.search.cache import IndexCache

        directory = Path(directory)
        store = IndexCache(directory, INDEX_PARAMS) if cache else None
        if store is not None:
            try:
                cached = store.load()
            except IndexCacheError as exc:
                log.warning("saved index unusable, rebuilding it: %s", exc)
                cached = None
            if cached is not None:
                if store.loaded is not None:
                    _load_vocabulary(store.loaded)
                return cls(*cached)
        library = cls._parse(directory, workers)
        if store is not None:
            store.save(library.corpus, library.index, extra=library._save_vocabulary)
        return library

    @classmethod
    def _parse(cls, directory: Path, workers: int | None) -> Library:
        """Parse and index a corpus directory: a big one on ``workers`` processes, each of which also
        analyses its own batch (``bot.search.batch_index``), so that this process only merges; a small
        one here. Either way the texts reach the index in corpus order: it is the index of the corpus."""
        from bot.corpus.files import article_files, corpus_of, load_batch, parallel_batches

        paths = article_files(directory)
        batches = parallel_batches(paths, workers)
        if batches is None:
            return cls(corpus_of(directory, *load_batch(paths)))
        return cls._parse_on_workers(directory, batches, workers)

    @classmethod
    def _parse_on_workers(cls, directory: Path, batches: Sequence[list[Path]], workers: int | None) -> Library:
        """Parse, attribute and analyse batches on local worker processes, merging each batch as it arrives:
        the articles into columns (``PackedJoin``: no record per sentence here), the analyses into one index."""
        from bot.corpus.files import run_batches
        from bot.corpus.packed import PackedJoin
        from bot.search.analysis import default_analyzer
        from bot.search.batch_index import BatchMerge, load_analysed

        join = PackedJoin(directory)
        merge = BatchMerge(default_analyzer())
        for batch in run_batches(batches, workers, load_analysed):
            join.add(batch.articles)
            merge.add(batch)
        library = cls(join.corpus(), merge.index(INDEX_PARAMS))
        library._word_counts = merge.word_counts()
        return library

    def _save_vocabulary(self, directory: Path) -> None:
        """The vectors of the corpus's words, saved with the index: a later start needs no tokenizer for them."""
        from bot.search.vectors import save_counted_vocabulary, word_counts

        counts = self._word_counts
        if counts is None:
            texts = (s.text for a in self.articles for s in a.sentences)
            counts = word_counts(chain(texts, (a.title for a in self.articles)))
        save_counted_vocabulary(directory, counts)

    def __len__(self) -> int:
        return len(self._article_of)

    def locate(self, position: int) -> Located:
        """The article and sentence at a flat index position."""
        article_no = int(self._article_of[position])
        article = self.articles[article_no]
        return Located(article, article.sentences[position - int(self._first[article_no])])

    def headline_terms(self, position: int) -> frozenset[str]:
        """The index terms of the headline of the article that holds ``position``, analysed once per article."""
        article_no = int(self._article_of[position])
        terms = self._headlines.get(article_no)
        if terms is None:
            if len(self._headlines) >= MAX_CACHED_HEADLINES:
                self._headlines.clear()
            title = self.sentence(position)[1]
            terms = self._headlines[article_no] = frozenset(self.index.analyzer.analyze(title))
        return terms

    def sentence(self, position: int) -> tuple[Sentence, str]:
        """The sentence at a flat position and its article's headline; a saved index's articles are not built
        for it (see ``LazyArticles.sentence``)."""
        article_no = int(self._article_of[position])
        j = position - int(self._first[article_no])
        if isinstance(self.articles, LazyArticles):
            return self.articles.sentence(article_no, j), self.articles.title(article_no)
        article = self.articles[article_no]
        return article.sentences[j], article.title

    def positions(self, article: Article) -> range:
        """The flat index positions of one article's sentences."""
        no = self.articles.index(article)
        return range(int(self._first[no]), int(self._first[no + 1]))

    def article_span(self, position: int) -> range:
        """The flat positions of the sentences of the article that holds ``position``."""
        no = int(self._article_of[position])
        return range(int(self._first[no]), int(self._first[no + 1]))

    @cached_property
    def speakers(self) -> list[SpeakerSummary]:
        """Everyone quoted across the corpus, most quoted first (``bot.speakers.roster_of_table``)."""
        from bot.speakers.roster import roster_of_table

        ids, table = self.corpus.speaker_ids, self.corpus.speakers
        return roster_of_table(table, np.bincount(ids, minlength=len(table)).tolist())

    def speaker_positions(self, name: str) -> list[int]:
        """The flat positions of the sentences attributed to a speaker name, in corpus order."""
        ids, table = self.corpus.speaker_ids, self.corpus.speakers
        wanted = [i for i, s in enumerate(table) if s.name == name]
        return np.flatnonzero(np.isin(ids, wanted)).tolist() if wanted else []

    # ---- the rest of the SearchBackend protocol (bot.search.backend) ----

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(f"skipped {p}" for p in self.corpus.problems)

    @property
    def analyzer(self) -> Analyzer:
        return self.index.analyzer

    def doc_freq(self, term: str) -> int:
        return self.index.doc_freq(term)

    def search(self, terms: Sequence[str], k: int, exclude_speaker: str | None = None) -> list[Hit]:
        """BM25's k best sentences; a speaker's own are left out when asked (ties stay in corpus order)."""
        if exclude_speaker is None:
            return self.index.search(terms, k=k)
        exclude = frozenset(self.speaker_positions(exclude_speaker))
        return [h for h in self.index.search(terms, k=k + len(exclude)) if h.index not in exclude][:k]

    def speaker_hits(self, name: str, terms: Sequence[str], k: int) -> list[Hit]:
        """The k best of a speaker's sentences that mention a term (score above 0), ties in corpus order."""
        scores = self.index.get_scores(terms)
        about = [p for p in self.speaker_positions(name) if scores[p] > 0]
        return [Hit(p, float(scores[p])) for p in sorted(about, key=lambda p: (-scores[p], p))[:k]]

    def speaker_sentences(self, name: str, k: int) -> list[int]:
        return self.speaker_positions(name)[:k]

    def term_context(self, terms: Sequence[str], positions: Sequence[int]) -> list[TermContext]:
        """From the index's postings: one vectorised look-up per term for all positions."""
        at = np.asarray(positions, dtype=np.int64)
        spans = [self.article_span(p) for p in at.tolist()]
        lo = np.array([s.start for s in spans], dtype=np.int64)
        hi = np.array([s.stop for s in spans], dtype=np.int64)
        before: list[set[str]] = [set() for _ in positions]
        after: list[set[str]] = [set() for _ in positions]
        around: list[set[str]] = [set() for _ in positions]
        for term in dict.fromkeys(terms):
            ids = self.index.postings_of(term)
            if not len(ids):
                continue
            for found, where in (
                (_holds(ids, at - 1) & (at > lo), before),
                (_holds(ids, at + 1) & (at + 1 < hi), after),
                (np.searchsorted(ids, hi) > np.searchsorted(ids, lo), around),
            ):
                for n in np.flatnonzero(found).tolist():
                    where[n].add(term)
        return [
            TermContext(frozenset(b), frozenset(a), frozenset(r)) for b, a, r in zip(before, after, around, strict=True)
        ]


def _holds(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Per wanted id, whether the ascending ids hold it."""
    if not len(ids):
        return np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
    return np.asarray(ids[at] == wanted)


def _load_vocabulary(directory: Path) -> None:
    """Remember the saved vectors of a cached corpus's words (a damaged file only costs the tokenizer later)."""
    from bot.search.vectors import load_vocabulary

    try:
        load_vocabulary(directory)
    except (OSError, ValueError) as exc:
        log.warning("saved word vectors unusable, the tokenizer will be used: %s", exc)
