"""The BM25 index: Okapi BM25 over sparse postings of precomputed weights, with rank-bm25's exact scores.

It needs neither Telegram nor the corpus format. ``BM25Index(texts)`` scores a query exactly as
``rank_bm25.BM25Okapi([analyze(t) for t in texts]).get_scores(analyze(q))``
does (bit for bit, not just approximately), but keeps the per-term,
per-sentence weights precomputed in a sparse matrix, so a query costs time
proportional to the postings of its terms instead of the size of the corpus.
"""

from __future__ import annotations

import json
import math
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import numpy as np

from bot.search.analysis import Analyzer, default_analyzer, normalize

__all__ = ["BM25Index", "BM25Params", "ChunkIds", "Hit", "TermCounts", "count_terms"]


def _as_terms(analyzer: Analyzer, query: str | Sequence[str]) -> Sequence[str]:
    """A question string is analysed; a token list is taken as it is (rank-bm25's calling style)."""
    return analyzer.analyze(query) if isinstance(query, str) else query


class Hit(NamedTuple):
    """One matching text: its position in the input order and its BM25 score."""

    index: int  # type: ignore[assignment]  # shadows tuple.index(); the field name is the public API
    score: float


@dataclass(frozen=True, slots=True)
class BM25Params:
    """BM25Okapi's parameters, with rank-bm25's defaults."""

    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25


def okapi_idf(n_docs: int, doc_freq: np.ndarray) -> np.ndarray:
    """Robertson-Sparck Jones idf as rank-bm25 computes it: log(N - df + 0.5) - log(df + 0.5).

    ``math.log`` per distinct document frequency, not ``np.log``: numpy's SIMD
    log may differ from libm in the last bit, and the scores are to be equal.
    """
    values, inverse = np.unique(doc_freq, return_inverse=True)
    per_value = [math.log(n_docs - f + 0.5) - math.log(f + 0.5) for f in values.tolist()]
    return np.asarray(per_value, dtype=np.float64)[inverse].reshape(-1)


def floor_negative_idf(idf: np.ndarray, epsilon: float) -> np.ndarray:
    """rank-bm25's floor: a negative idf (term in over half the texts) becomes epsilon x mean idf.

    The mean is summed left to right in vocabulary order (``cumsum``), as
    rank-bm25's loop does, so the floor is the same float.
    """
    if idf.size == 0:
        return idf
    floored = idf.copy()
    floored[idf < 0] = epsilon * (float(np.cumsum(idf)[-1]) / idf.size)
    return floored


def tf_part(tf: np.ndarray, doc_len: np.ndarray, avgdl: float, k1: float, b: float) -> np.ndarray:
    """The saturating term-frequency factor of Okapi BM25 (Robertson & Zaragoza 2009, eq. 3.15)::

    tf * (k1 + 1) / (tf + k1 * (1 - b + b * |d| / avgdl))
    """
    return tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc_len / avgdl))


class _Vocabulary(dict[str, int]):
    """Term -> id, a new term getting the next id (first-occurrence order, as rank-bm25's ``nd``)."""

    def __missing__(self, term: str) -> int:
        tid = self[term] = len(self)
        return tid


class ChunkIds(dict[str, tuple[int, ...]]):
    """Chunk -> term ids over a vocabulary that grows as new terms are met: analysis and vocabulary look-up
    in one dict hit. ``count_terms`` makes one per call; a worker keeps one across its batches
    (``bot.search.batch_index``), so that each batch sends only the terms it added.

    Emptying it (not its vocabulary) only costs analysing chunks again.
    """

    def __init__(self, terms_of: Callable[[str], Sequence[str]]) -> None:
        super().__init__()
        self.vocabulary = _Vocabulary()
        self.terms_of = terms_of

    def __missing__(self, chunk: str) -> tuple[int, ...]:
        ids = self[chunk] = tuple(map(self.vocabulary.__getitem__, self.terms_of(chunk)))
        return ids


FEW_POSTINGS = 512
"""Postings summed directly, without pruning."""
BAR_TERMS, BAR_POSTINGS = 3, 4096
"""The MaxScore bar is taken from the strongest terms, up to this many with up to this many postings."""
DENSE_SHARE = 8
"""Candidates x terms beyond 1/DENSE_SHARE of the texts: one dense bincount is cheaper than per-term lookups."""
SLACK = 1e-9
"""Relative margin on the MaxScore bound: summing bounds in another order may round differently."""
_ARRAYS = ("doc_len", "idf", "indptr", "doc_ids", "weights", "max_weight")
PARAMS_FILE = "params.index.json"
VOCABULARY_FILE = "vocab.index.json"
FORMAT_VERSION = 3


class BM25Index:
    """Okapi BM25 over a list of texts (or token lists), with precomputed weights.

    The weight of term t in text d, ``idf(t) * tf_part(tf(t, d), |d|)``, depends
    only on the corpus, so it is computed once here and stored per term as a
    postings list (CSR rows: ``indptr``, ``doc_ids``, ``weights``). A query then
    only adds up the postings of its own terms, in query order, which is also
    rank-bm25's order of additions: the sums come out bit for bit the same.
    """

    vocabulary: dict[str, int]
    doc_len: np.ndarray  # int32, terms per text
    idf: np.ndarray  # float64 per term id, floored
    indptr: np.ndarray  # int64, postings of term t are [indptr[t], indptr[t + 1])
    doc_ids: np.ndarray  # int32, ascending within a term
    weights: np.ndarray  # float64, idf x tf_part
    max_weight: np.ndarray  # float64 per term id, its largest weight: the MaxScore bound

    def __init__(
        self,
        texts: Iterable[str] = (),
        params: BM25Params | None = None,
        *,
        tokens: Iterable[Sequence[str]] | None = None,
        analyzer: Analyzer | None = None,
    ) -> None:
        self.params = params or BM25Params()
        self.analyzer = analyzer or default_analyzer()
        self._build(
            _count_tokens(tokens) if tokens is not None else count_terms(texts, self.analyzer.chunk_terms.__getitem__)
        )

    @classmethod
    def from_counts(
        cls, counts: TermCounts, params: BM25Params | None = None, analyzer: Analyzer | None = None
    ) -> BM25Index:
        """The index of texts already analysed into term ids (by ``analyzer``): the same index as
        ``BM25Index(texts, params, analyzer=analyzer)``, for a build whose texts were analysed elsewhere
        (``bot.search.batch_index``: each worker its own batch)."""
        index = cls.__new__(cls)
        index.params = params or BM25Params()
        index.analyzer = analyzer or default_analyzer()
        index._build(counts)
        return index

    # Step 1 (count_terms, _count_tokens): term ids of every text, flat, and the number of terms per text.
    def _build(self, counts: TermCounts) -> None:
        self.vocabulary = dict(zip(counts.terms, range(len(counts.terms)), strict=True))
        self.doc_len = np.array(counts.doc_lens, dtype=np.int32)
        n_docs = len(self.doc_len)
        self.avgdl = int(self.doc_len.sum(dtype=np.int64)) / n_docs if n_docs else 0.0
        # Step 2: one (term, text) cell per distinct pair, with its term frequency (sort, then run lengths).
        keys = counts.term_ids.astype(np.int64)
        keys *= max(n_docs, 1)
        keys += np.repeat(np.arange(n_docs, dtype=np.int32), self.doc_len)
        keys.sort()
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if keys.size else keys
        tf = np.diff(np.append(starts, keys.size)).astype(np.int32)
        keys = keys[starts]
        cell_terms = keys // max(n_docs, 1)
        self.doc_ids = (keys - cell_terms * max(n_docs, 1)).astype(np.int32)
        del keys, starts
        doc_freq = np.bincount(cell_terms, minlength=len(counts.terms))
        # Step 3: the BM25 weight of every cell, and the CSR row pointers per term.
        self.idf = floor_negative_idf(okapi_idf(n_docs, doc_freq), self.params.epsilon)
        self.weights = self._weights(cell_terms, tf)
        self.indptr = np.concatenate(([0], np.cumsum(doc_freq))).astype(np.int64)
        # Every term of the vocabulary occurs somewhere, so no row is empty.
        self.max_weight = (
            np.maximum.reduceat(self.weights, self.indptr[:-1]) if len(counts.terms) else np.zeros(0, dtype=np.float64)
        )

    def _weights(self, cell_terms: np.ndarray, tf: np.ndarray, block: int = 1 << 21) -> np.ndarray:
        """idf x tf_part per cell, a block at a time so the float temporaries stay small."""
        weights = np.empty(len(tf), dtype=np.float64)
        k1, b = self.params.k1, self.params.b
        for lo in range(0, len(tf), block):
            hi = lo + block
            doc_len = self.doc_len[self.doc_ids[lo:hi]].astype(np.float64)
            part = tf_part(tf[lo:hi].astype(np.float64), doc_len, self.avgdl, k1, b)
            np.multiply(self.idf[cell_terms[lo:hi]], part, out=weights[lo:hi])
        return weights

    def __len__(self) -> int:
        return len(self.doc_len)

    def _term_ids(self, query: str | Sequence[str]) -> list[int]:
        """Ids of the query's known terms in query order, repeats kept (each one adds its weight again)."""
        vocabulary = self.vocabulary
        return [tid for t in _as_terms(self.analyzer, query) if (tid := vocabulary.get(t)) is not None]

    def _row(self, term_id: int) -> tuple[np.ndarray, np.ndarray]:
        """Text ids (ascending) and weights of one term's postings."""
        lo, hi = int(self.indptr[term_id]), int(self.indptr[term_id + 1])
        return self.doc_ids[lo:hi], self.weights[lo:hi]

    def _postings(self, term_ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Text ids and weights of the given terms' postings, concatenated in the given order."""
        rows = [self._row(t) for t in term_ids]
        if not rows:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64)
        if len(rows) == 1:
            return rows[0]
        return np.concatenate([ids for ids, _ in rows]), np.concatenate([w for _, w in rows])

    def get_scores(self, query: str | Sequence[str]) -> np.ndarray:
        """BM25 score of every text, in input order (a question string is analysed first)."""
        doc_ids, weights = self._postings(self._term_ids(query))
        # bincount adds the weights in array order, i.e. term by term in query order, starting from 0.0.
        return np.bincount(doc_ids, weights=weights, minlength=len(self))

    def search(self, query: str | Sequence[str], k: int = 3) -> list[Hit]:
        """The k best texts that contain at least one query term, best first (ties: input order).

        Scores are the same floats as :meth:`get_scores` gives: each text's
        weights are added in query order whichever way it is found.

        Pruned with MaxScore (Turtle & Flood 1995, "Query evaluation:
        strategies and optimizations"): a term adds at most its largest weight
        to a text (its bound). The short postings of the strongest terms give a
        bar that k texts are known to reach. With the terms ordered by bound, a
        text whose strongest query term is t gains at most the bounds of the
        weaker terms besides t's own weight; so only texts whose weight for t
        makes up the rest of the bar are candidates. The weak terms whose bounds
        together stay below the bar (usually the common ones, with the longest
        postings) are never walked, only looked up for the few candidates.
        """
        term_ids = self._term_ids(query)
        if not term_ids or k <= 0:
            return []
        if len(term_ids) == 1:  # one term: its postings are the candidates, already one per text
            return _best(*self._row(term_ids[0]), k)
        counts = dict.fromkeys(term_ids, 0)
        for tid in term_ids:
            counts[tid] += 1
        bar = self._bar(counts, k)
        if bar is None:
            return _best(*_sum_by_text(*self._postings(term_ids)), k)
        bounds = {tid: n * float(self.max_weight[tid]) for tid, n in counts.items()}
        weaker = sum(bounds.values())  # the bounds of the terms weaker than the current one
        slack = SLACK * weaker
        found: list[np.ndarray] = []
        for tid in sorted(bounds, key=bounds.__getitem__, reverse=True):
            weaker -= bounds[tid]
            need = bar - weaker - slack  # the least this term's weight must add for a text to reach the bar
            if need > bounds[tid]:
                break  # this term and all weaker ones cannot reach the bar together: not essential
            ids, weights = self._row(tid)
            found.append(ids[weights >= need / counts[tid]] if need > 0 else ids)
        if sum(map(len, found)) * len(counts) * DENSE_SHARE > len(self):
            doc_ids, weights = self._postings(term_ids)
            scores = np.bincount(doc_ids, weights=weights, minlength=len(self))  # as get_scores
            docs = np.flatnonzero(scores >= bar)  # bar > 0: each of these contains a query term
            return _best(docs, scores[docs], k)
        docs = found[0] if len(found) == 1 else _distinct(np.concatenate(found))
        return _best(docs, self._score_texts(docs, term_ids), k)

    def _bar(self, counts: Mapping[int, int], k: int) -> float | None:
        """A score that k texts reach: the k-th largest weight of one of the strongest terms; None if unknown.

        A text's score is at least any one of its weights (when no weight is
        negative), so k texts reach it; lowered by SLACK for rounding. None
        when the query's postings are few anyway (scoring them all is as
        quick), when some term has negative weights (a floored idf) or no
        term in the few strongest is in k texts.
        """
        dfs = {tid: int(self.indptr[tid + 1] - self.indptr[tid]) for tid in counts}
        if sum(dfs.values()) <= FEW_POSTINGS or any(self.idf[tid] < 0 for tid in counts):
            return None
        bar = 0.0
        for tid in sorted(counts, key=lambda t: -counts[t] * float(self.max_weight[t]))[:BAR_TERMS]:
            if k <= dfs[tid] <= BAR_POSTINGS:
                weights = self._row(tid)[1]
                bar = max(bar, counts[tid] * float(np.partition(weights, dfs[tid] - k)[dfs[tid] - k]))
        return bar * (1 - SLACK) if bar > 0 else None

    def _score_texts(self, docs: np.ndarray, term_ids: Sequence[int]) -> np.ndarray:
        """Exact scores of some texts (ids ascending): per query term in query order, its weight or 0.0 added.

        Adding 0.0 changes no float, so the sums equal get_scores' bit for bit.
        """
        scores = np.zeros(len(docs), dtype=np.float64)
        found: dict[int, np.ndarray] = {}
        for tid in term_ids:
            add = found.get(tid)
            if add is None:
                ids, weights = self._row(tid)
                at = np.searchsorted(ids, docs)
                add = found[tid] = np.where(ids.take(at, mode="clip") == docs, weights.take(at, mode="clip"), 0.0)
            scores += add
        return scores

    def doc_freq(self, term: str) -> int:
        """How many texts contain an (analysed) term; 0 for a term the corpus lacks."""
        tid = self.vocabulary.get(term)
        return 0 if tid is None else int(self.indptr[tid + 1] - self.indptr[tid])

    def postings_of(self, term: str) -> np.ndarray:
        """The ids (ascending) of the texts that contain an (analysed) term; empty for a term the corpus lacks."""
        tid = self.vocabulary.get(term)
        return self._row(tid)[0] if tid is not None else np.zeros(0, dtype=np.int32)

    def save(self, directory: Path | str) -> None:
        """Write the arrays (``*.npy``), the terms, ``params.index.json`` (k1, b, epsilon) and the analyzer."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name in _ARRAYS:
            np.save(directory / f"{name}.npy", getattr(self, name), allow_pickle=False)
        (directory / VOCABULARY_FILE).write_text(
            json.dumps(list(self.vocabulary), ensure_ascii=False), encoding="utf-8"
        )
        meta = {
            "format": FORMAT_VERSION,
            **asdict(self.params),
            "n_docs": len(self),
            "n_terms": len(self.vocabulary),
            "n_postings": len(self.doc_ids),
        }
        (directory / PARAMS_FILE).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        self.analyzer.save(directory)

    @classmethod
    def load(cls, directory: Path | str, *, mmap: bool = True) -> BM25Index:
        """Read an index written by :meth:`save` (arrays memory-mapped: loading costs no copying),
        with the analyzer that built it.

        Raises ValueError when the files do not fit together (use a checksum to
        detect flipped bits: this only checks shapes and counts).
        """
        directory = Path(directory)
        meta = json.loads((directory / PARAMS_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"index format {meta.get('format')!r}, expected {FORMAT_VERSION}")
        index = cls.__new__(cls)
        index.params = BM25Params(float(meta["k1"]), float(meta["b"]), float(meta["epsilon"]))
        for name in _ARRAYS:
            array = np.load(directory / f"{name}.npy", mmap_mode="r" if mmap else None, allow_pickle=False)
            setattr(index, name, np.asarray(array))  # a plain view of the mapping: np.memmap's indexing costs ~2 us
        terms = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        index.vocabulary = dict(zip(terms, range(len(terms)), strict=True))
        n_docs, n_terms, n_postings = meta["n_docs"], meta["n_terms"], meta["n_postings"]
        if (
            len(index.doc_len) != n_docs
            or len(terms) != n_terms
            or len(index.idf) != n_terms
            or len(index.indptr) != n_terms + 1
            or len(index.doc_ids) != n_postings
            or len(index.weights) != n_postings
            or (n_terms and int(index.indptr[-1]) != n_postings)
        ):
            raise ValueError(f"index files in {directory} do not fit together")
        index.avgdl = int(index.doc_len.sum(dtype=np.int64)) / n_docs if n_docs else 0.0
        index.analyzer = Analyzer.load(directory)
        return index


@dataclass(frozen=True, slots=True)
class TermCounts:
    """Texts analysed into term ids: the first step of a build, which can run apart from the rest."""

    terms: list[str]
    """The vocabulary: term id -> term, in order of first occurrence."""
    term_ids: np.ndarray  # int32, every text's term ids one after the other
    doc_lens: np.ndarray  # int32, terms per text


def count_terms(texts: Iterable[str], terms_of: Callable[[str], Sequence[str]] | ChunkIds) -> TermCounts:
    """The term ids of texts over a vocabulary of their own (``BM25Index.from_counts`` builds on it).

    ``terms_of`` gives a whitespace-separated chunk's terms: an analyzer's ``chunk_terms.__getitem__``,
    or a look-up that also records what the analysis needed (``bot.search.batch_index``). Or it is a
    :class:`ChunkIds` kept from earlier calls: the ids are then over its vocabulary, which this call
    extends, and ``terms`` is the whole of that vocabulary.
    """
    ids = terms_of if isinstance(terms_of, ChunkIds) else ChunkIds(terms_of)
    lookup = ids.__getitem__  # per distinct chunk, ``terms_of`` runs once
    term_ids, doc_lens = array("i"), array("i")
    for text in texts:
        before = len(term_ids)
        term_ids.extend(chain.from_iterable(map(lookup, normalize(text).split())))
        doc_lens.append(len(term_ids) - before)
    return _term_counts(ids.vocabulary, term_ids, doc_lens)


def _count_tokens(docs: Iterable[Sequence[str]]) -> TermCounts:
    """Term ids of ready-made token lists (rank-bm25's input)."""
    vocabulary = _Vocabulary()
    lookup = vocabulary.__getitem__
    term_ids, doc_lens = array("i"), array("i")
    for doc in docs:
        before = len(term_ids)
        term_ids.extend(map(lookup, doc))
        doc_lens.append(len(term_ids) - before)
    return _term_counts(vocabulary, term_ids, doc_lens)


def _term_counts(vocabulary: _Vocabulary, term_ids: array, doc_lens: array) -> TermCounts:
    return TermCounts(
        list(vocabulary), np.frombuffer(term_ids, dtype=np.int32), np.frombuffer(doc_lens, dtype=np.int32)
    )


def _sum_by_text(doc_ids: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct texts of some postings and their summed weights, each text's added in the postings' order."""
    order = np.argsort(doc_ids, kind="stable")  # stable: a text's weights stay in query order
    ids = doc_ids[order]
    first = np.empty(len(ids), dtype=bool)
    first[:1] = True
    np.not_equal(ids[1:], ids[:-1], out=first[1:])
    slot = np.cumsum(first) - 1
    return ids[first], np.bincount(slot, weights=weights[order], minlength=int(slot[-1]) + 1)


def _distinct(ids: np.ndarray) -> np.ndarray:
    """Sorted distinct ids (np.unique hashes first: several times slower on a few hundred ids)."""
    ids = np.sort(ids)
    keep = np.empty(len(ids), dtype=bool)
    keep[:1] = True
    np.not_equal(ids[1:], ids[:-1], out=keep[1:])
    return ids[keep]


def _best(docs: np.ndarray, scores: np.ndarray, k: int) -> list[Hit]:
    """The k best (text, score) pairs, best first, lower text id first among equal scores."""
    if len(docs) > k:
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = scores >= kth  # everything tied with the k-th best, so ties are broken by id below
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[:k]
    return [Hit(d, s) for d, s in zip(docs[order].tolist(), scores[order].tolist(), strict=True)]
