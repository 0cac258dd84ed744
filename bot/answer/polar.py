"""Yes/no questions: an answer must speak of the question's predicate.

"Did Clinton personally see Stevens' requests for more guards?" asks whether
something holds ("see", "requests", "guards"); the names in it ("Clinton",
"Stevens") only say whom it is about. A sentence about Clinton and Stevens
that has none of those predicate words, not even a near synonym ("hurt" for
"injured"), can neither confirm nor deny it, however well it matches the names. So for a question that
opens with an auxiliary or modal verb (``bot/rules/polar_openers.txt``), a
candidate that lacks every one of the question's lowercase content words (in
itself, in the sentence before it, or as a word vector within
``NEAR_COSINE``) is no candidate.

Measured (``python bench/polar_check.py``, SQuAD dev pools A and B, news): no
yes/no question's right answer lacks all of its predicate; see that script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from bot import rules
from bot.answer.rank import Candidate, QuestionContext
from bot.search.analysis import Analyzer
from bot.search.vectors import vectors

__all__ = ["NEAR_COSINE", "Predicate", "is_polar", "predicate", "speaks_of"]

OPENERS_FILE = "polar_openers.txt"
NEAR_COSINE = 0.5
"""A sentence word this close to a predicate word counts as the word ("injured" ~ "hurt", cosine 0.61)."""
_FIRST_WORD = re.compile(r"\s*([^\W\d_]+)")
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’]*")


@cache
def _openers() -> frozenset[str]:
    return frozenset(rules.words(OPENERS_FILE))


def is_polar(question: str) -> bool:
    """True for a question that opens with an auxiliary or modal verb ("Did ...?", "Is there ...?")."""
    match = _FIRST_WORD.match(question)
    return match is not None and match.group(1).lower() in _openers()


@dataclass(frozen=True, slots=True)
class Predicate:
    """The question's predicate words: their index terms and, when the word vectors are there, unit vectors."""

    terms: frozenset[str]
    vectors: np.ndarray | None


def predicate(q: QuestionContext, analyzer: Analyzer) -> Predicate:
    """The question's lowercase words that carry weight (not stop words, not names): what it asks holds."""
    words: dict[str, str] = {}
    for word in _LOWER_WORD.findall(q.query.text):
        term = analyzer.known_term(word)
        if term in q.weights:
            words.setdefault(term, word)
    v = vectors()
    table = v.words(list(words.values())) if v is not None and words else None
    return Predicate(frozenset(words), table)


def speaks_of(p: Predicate, c: Candidate) -> bool:
    """True when the candidate (or the sentence before it) has a predicate word, or one near it in meaning.

    A question without predicate words ("Is Putin?") asks nothing the check could miss: True.
    """
    if not p.terms:
        return True
    if p.terms & (set(c.terms) | c.previous_terms):
        return True
    if p.vectors is None or c.word_vectors is None or not len(c.word_vectors):
        return False
    return bool((p.vectors @ c.word_vectors.T).max() >= NEAR_COSINE)
