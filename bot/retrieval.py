"""BM25 retrieval: text analysis and a sparse index with rank-bm25's exact scores.

This module is the reusable part of the project: it needs neither Telegram
nor the corpus format. ``BM25Index(texts)`` scores a query exactly as
``rank_bm25.BM25Okapi([analyze(t) for t in texts]).get_scores(analyze(q))``
does, but keeps the per-term, per-sentence weights precomputed in a sparse
matrix, so a query costs time proportional to the postings of its terms
instead of the size of the corpus.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
from nltk.stem.snowball import SnowballStemmer

__all__ = ["BM25Index", "BM25Params", "Hit", "analyze", "stop_words"]

RULES_DIR = Path(__file__).resolve().parent / "rules"
STOP_WORDS_FILE = RULES_DIR / "stopwords.txt"
DEMONYMS_FILE = RULES_DIR / "demonyms.txt"

# Typographic variants folded to one spelling before tokenising.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})
# A word: letters/digits, possibly joined by hyphens, apostrophes, or the dot/comma of a number.
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:(?:[-']|(?<=\d)[.,](?=\d))[^\W_]+)*")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
_POSSESSIVE = re.compile(r"'s$|(?<=s)'$")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The stop-word list (``bot/rules/stopwords.txt``)."""
    lines = STOP_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if (w := line.split("#", 1)[0].strip()))


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Demonym -> place (``bot/rules/demonyms.txt``): "russian" -> "russia"."""
    folded: dict[str, str] = {}
    for line in DEMONYMS_FILE.read_text(encoding="utf-8").splitlines():
        place, sep, forms = line.split("#", 1)[0].partition(":")
        if sep:
            folded.update(dict.fromkeys(forms.split(), place.strip()))
    return folded


_stemmer = SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def _term(word: str) -> str | None:
    """One normalised word -> its index term, or None for a stop word."""
    if word in stop_words():
        return None
    word = _POSSESSIVE.sub("", word).replace("'", "")
    if not word or word in stop_words():
        return None
    if word[0].isdigit():
        return _THOUSANDS.sub("", word)
    return _stemmer.stem(demonyms().get(word, word))


def analyze(text: str) -> list[str]:
    """Turn text into index terms: the one tokenizer for sentences and questions.

    Unicode is normalised (curly quotes, dashes), case folded, possessives
    dropped (``Russia's`` -> ``russia``), demonyms folded into their place
    (``Russian`` -> ``russia``), thousands separators removed
    (``1,000`` -> ``1000``), words stemmed with NLTK's Snowball stemmer, and
    stop words and question filler removed. A hyphenated word yields its parts
    and, when they are all letters, the joined form too, so ``cross-border``
    matches "cross border" and "crossborder".
    """
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    terms: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group()
        if word.endswith("."):  # a dotted acronym: "U.S." -> "us", never a stop word
            terms.append(word.replace(".", ""))
            continue
        parts = word.split("-")
        if len(parts) > 1:
            terms.extend(t for p in parts if (t := _term(p)))
            if all(p.isalpha() for p in parts):
                word = "".join(parts)
            else:
                continue
        if term := _term(word):
            terms.append(term)
    return terms


def _as_terms(query: str | Sequence[str]) -> Sequence[str]:
    """A question string is analysed; a token list is taken as it is (rank-bm25's calling style)."""
    return analyze(query) if isinstance(query, str) else query


class Hit(NamedTuple):
    """One matching text: its position in the input order and its BM25 score."""

    index: int
    score: float


@dataclass(frozen=True, slots=True)
class BM25Params:
    """BM25Okapi's parameters, with rank-bm25's defaults."""

    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25


def okapi_idf(n_docs: int, doc_freq: np.ndarray) -> np.ndarray:
    """Robertson-Sparck Jones idf as rank-bm25 computes it: log(N - df + 0.5) - log(df + 0.5)."""
    return np.log(n_docs - doc_freq + 0.5) - np.log(doc_freq + 0.5)


def floor_negative_idf(idf: np.ndarray, epsilon: float) -> np.ndarray:
    """rank-bm25's floor: a negative idf (term in over half the texts) becomes epsilon x mean idf."""
    if idf.size == 0:
        return idf
    floored = idf.copy()
    floored[idf < 0] = epsilon * idf.mean()
    return floored


def tf_part(tf: np.ndarray, doc_len: np.ndarray, avgdl: float, k1: float, b: float) -> np.ndarray:
    """The saturating term-frequency factor of Okapi BM25 (Robertson & Zaragoza 2009, eq. 3.15)::

        tf * (k1 + 1) / (tf + k1 * (1 - b + b * |d| / avgdl))
    """
    return tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc_len / avgdl))


class BM25Index:
    """Okapi BM25 over a list of texts (or token lists), with precomputed weights.

    The weight of term t in text d, ``idf(t) * tf_part(tf(t, d), |d|)``, depends
    only on the corpus, so it is computed once here and stored per term as a
    postings list (CSR rows: ``indptr``, ``doc_ids``, ``weights``). A query then
    only adds up the postings of its own terms.
    """

    def __init__(
        self,
        texts: Iterable[str] = (),
        params: BM25Params | None = None,
        *,
        tokens: Iterable[Sequence[str]] | None = None,
    ) -> None:
        self.params = params or BM25Params()
        docs = tokens if tokens is not None else (analyze(t) for t in texts)
        self._build(docs)

    # Step 1: count terms per text, building the vocabulary as we go.
    def _build(self, docs: Iterable[Sequence[str]]) -> None:
        vocabulary: dict[str, int] = {}
        term_ids: list[int] = []
        doc_lens: list[int] = []
        for doc in docs:
            doc_lens.append(len(doc))
            term_ids.extend(vocabulary.setdefault(t, len(vocabulary)) for t in doc)
        self.vocabulary = vocabulary
        self.doc_len = np.asarray(doc_lens, dtype=np.int32)
        n_docs = len(doc_lens)
        tids = np.asarray(term_ids, dtype=np.int64)
        dids = np.repeat(np.arange(n_docs, dtype=np.int64), self.doc_len)
        # Step 2: one (term, text) cell per distinct pair, with its term frequency.
        pair = np.unique(tids * max(n_docs, 1) + dids, return_counts=True)
        keys, tf = pair
        cell_terms = keys // max(n_docs, 1)
        cell_docs = (keys % max(n_docs, 1)).astype(np.int32)
        doc_freq = np.bincount(cell_terms, minlength=len(vocabulary))
        # Step 3: the BM25 weight of every cell, and the CSR row pointers per term.
        self.avgdl = float(self.doc_len.sum() / n_docs) if n_docs else 0.0
        self.idf = floor_negative_idf(okapi_idf(n_docs, doc_freq.astype(np.float64)), self.params.epsilon)
        with np.errstate(divide="ignore", invalid="ignore"):
            tfp = tf_part(tf.astype(np.float64), self.doc_len[cell_docs].astype(np.float64), self.avgdl,
                          self.params.k1, self.params.b)
        self.weights = self.idf[cell_terms] * tfp
        self.doc_ids = cell_docs
        self.indptr = np.concatenate(([0], np.cumsum(doc_freq))).astype(np.int64)

    def __len__(self) -> int:
        return len(self.doc_len)

    def query_terms(self, query: str | Sequence[str]) -> dict[int, int]:
        """Known term ids of a query with how often each occurs (repeats count, as in rank-bm25)."""
        terms = _as_terms(query)
        counts: dict[int, int] = {}
        for t in terms:
            if (tid := self.vocabulary.get(t)) is not None:
                counts[tid] = counts.get(tid, 0) + 1
        return counts

    def get_scores(self, query: str | Sequence[str]) -> np.ndarray:
        """BM25 score of every text, in input order (a question string is analysed first)."""
        scores = np.zeros(len(self), dtype=np.float64)
        for tid, count in self.query_terms(query).items():
            lo, hi = self.indptr[tid], self.indptr[tid + 1]
            scores[self.doc_ids[lo:hi]] += count * self.weights[lo:hi]
        return scores

    def search(self, query: str | Sequence[str], k: int = 3) -> list[Hit]:
        """The k best texts that contain at least one query term, best first (ties: input order)."""
        terms = _as_terms(query)
        counts = self.query_terms(terms)
        if not counts or k <= 0:
            return []
        scores = self.get_scores(terms)
        candidates = np.unique(np.concatenate(
            [self.doc_ids[self.indptr[t]:self.indptr[t + 1]] for t in counts]
        ))
        if len(candidates) > k:
            top = np.argpartition(-scores[candidates], k - 1)[:k]
            candidates = candidates[top]
        order = np.lexsort((candidates, -scores[candidates]))
        return [Hit(int(d), float(scores[d])) for d in candidates[order]]

    def max_score(self, query: str | Sequence[str]) -> float:
        """An upper bound of any text's score for this query: sum of idf x (k1 + 1) per query term.

        Terms the corpus lacks count with the idf of a term found in one text, so
        a question mostly about things the corpus never mentions has a high bound
        and a weak best match (used for the no-answer rule).
        """
        terms = _as_terms(query)
        rare = math.log(len(self) - 1 + 0.5) - math.log(1.5) if len(self) > 1 else 1.0
        total = 0.0
        for t in terms:
            tid = self.vocabulary.get(t)
            total += (self.idf[tid] if tid is not None else rare) * (self.params.k1 + 1)
        return total
