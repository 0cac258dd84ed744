"""Re-ranking BM25's best sentences with general features, and the no-answer decision.

BM25 finds the candidates; this module scores each candidate by a linear
model over features a reader would weigh (how much of the question it covers,
weighted by rarity; whether the question's words come in order and close
together; whether the sentence holds the kind of answer asked for -- a number
for "how many", a date for "when"; whether the sentence before it supplies the
subject it continues; whether the article's headline and body are about the
question at all; whether it was said by the person the question names).

The weights are data, ``bot/rules/ranker.json``, fitted by
``bench/fit_ranker.py`` (softmax over each question's candidates on one SQuAD
pool, checked on the other). The same file holds the no-answer decision: a
logistic model of "the best candidate answers the question" whose probability
must reach ``answer_threshold`` (first answer) or ``more_threshold``
(answers 2 and 3: k is a maximum, not a quota).

Each feature is one small function of a :class:`Candidate` (its sentence's
terms and words) and the :class:`Question` context (term weights, query), so
each has its own unit test.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from bot import rules
from bot.answer.query import Query
from bot.errors import RulesError
from bot.search.analysis import Analyzer, demonyms, stop_words
from bot.search.backend import SearchBackend
from bot.search.vectors import vectors, words_of

__all__ = ["FEATURES", "Candidate", "Model", "QuestionContext", "feature_matrix", "model"]

RULES_FILE = rules.RULES_DIR / "ranker.json"
EVIDENCE_FILE = "answer_evidence.txt"
EVIDENCE_TAGS = frozenset({"quantity", "money", "date", "place"})
UNSEEN_DOC_FREQ = 1
"""A question word the articles lack weighs like the rarest word they have (found in one sentence)."""
BIGRAM_WINDOW = 2
"""Question terms i, i+1 count as a bigram in a sentence when the second follows within this many terms."""
_TOKEN = re.compile(r"[$£€]?[^\W_]+(?:['’.,-][^\W_]+)*")
_YEAR = re.compile(r"(?:1[0-9]{3}|20[0-9]{2})s?$")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate sentence with what the features read: its terms, its words, its neighbours' terms."""

    position: int
    bm25: float
    terms: tuple[str, ...]
    text: str
    previous_terms: frozenset[str]
    next_terms: frozenset[str]
    headline_terms: frozenset[str]
    article_terms: frozenset[str]  # the question's terms that occur somewhere in the sentence's article
    speaker_name: str | None  # None for the article's own voice
    first: bool  # the article's first sentence
    vector: np.ndarray | None = None  # the sentence's unit vector (bot.search.vectors), None without vectors
    word_vectors: np.ndarray | None = None  # one unit vector per content word of the sentence


@dataclass(frozen=True, slots=True)
class QuestionContext:
    """The question's side of the features: its parse and the weight (idf) of each distinct term."""

    query: Query
    terms: tuple[str, ...]  # the terms ranked by: the question's, or a speaker question's topic
    weights: dict[str, float]
    best_bm25: float
    known: frozenset[str] = frozenset()  # the terms some article has
    vector: np.ndarray | None = None  # the question's unit vector, None without vectors
    word_vectors: np.ndarray | None = None  # one unit vector per weighted question word ...
    word_weights: np.ndarray | None = None  # ... and its term's weight
    total: float = field(init=False)  # the sum of the weights, which every share divides by

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", sum(self.weights.values()))


def term_weights(doc_freq: Callable[[str], int], n_docs: int, terms: Sequence[str]) -> dict[str, float]:
    """Each distinct term's positive idf, log(1 + (N - df + 0.5) / (df + 0.5)), df at least 1.

    Always positive (BM25Okapi's own idf turns negative on one- and
    two-sentence corpora), and a term the corpus lacks weighs like its rarest.
    """
    return {
        t: math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        for t in dict.fromkeys(terms)
        for df in (max(doc_freq(t), UNSEEN_DOC_FREQ),)
    }


@cache
def evidence_words(kind: str) -> frozenset[str]:
    """The words that show a sentence holds an answer of this type (``bot/rules/answer_evidence.txt``)."""
    table = rules.table(EVIDENCE_FILE, EVIDENCE_TAGS)
    for row in table.values():
        if row.values or not row.tags:
            raise RulesError(f"{row.where}: expected one word and its tags ({', '.join(sorted(EVIDENCE_TAGS))})")
    return frozenset(word for word, row in table.items() if kind in row.tags)


def _covered(q: QuestionContext, terms: frozenset[str] | set[str]) -> float:
    """The share of the question's weight whose terms are in ``terms``."""
    total = q.total
    return sum(w for t, w in q.weights.items() if t in terms) / total if total else 0.0


# ---- the features: one function each, (question, candidate) -> float --------------------------------


def bm25(q: QuestionContext, c: Candidate) -> float:
    """BM25 relative to the best candidate's: 1 for the best, less for the others."""
    return c.bm25 / q.best_bm25 if q.best_bm25 > 0 else 0.0


def bm25_weight(q: QuestionContext, c: Candidate) -> float:
    """BM25 over the question's total idf weight: how strong the match is, comparable across questions.

    The total counts a repeated term each time, as BM25 does ("residents residents ..." is no stronger match).
    """
    total = sum(q.weights.get(t, 0.0) for t in q.terms)
    return c.bm25 / total if total else 0.0


def coverage(q: QuestionContext, c: Candidate) -> float:
    """The share of the question's idf weight the sentence contains."""
    return _covered(q, set(c.terms))


def term_share(q: QuestionContext, c: Candidate) -> float:
    """The share of the question's distinct terms the sentence contains, each counting the same."""
    return len(set(c.terms) & q.weights.keys()) / len(q.weights) if q.weights else 0.0


def rarest(q: QuestionContext, c: Candidate) -> float:
    """1 when the sentence has the question's rarest term (the one that names what is asked about)."""
    if not q.weights:
        return 0.0
    top = max(q.weights.values())
    return float(any(t in q.weights and q.weights[t] >= top for t in c.terms))


def bigrams(q: QuestionContext, c: Candidate) -> float:
    """The share of the question's adjacent term pairs that come in the same order, close, in the sentence."""
    pairs = [(a, b) for a, b in zip(q.terms, q.terms[1:], strict=False) if a != b]
    if not pairs:
        return 0.0
    where: dict[str, list[int]] = {}
    for i, t in enumerate(c.terms):
        where.setdefault(t, []).append(i)
    found = sum(any(0 < j - i <= BIGRAM_WINDOW for i in where.get(a, ()) for j in where.get(b, ())) for a, b in pairs)
    return found / len(pairs)


def proximity(q: QuestionContext, c: Candidate) -> float:
    """How tightly the question's terms cluster: distinct matched terms over the shortest span holding them all.

    0 with fewer than two matched terms; 1 when they stand side by side.
    """
    hits = [(i, t) for i, t in enumerate(c.terms) if t in q.weights]
    wanted = {t for _, t in hits}
    if len(wanted) < 2:
        return 0.0
    best = len(c.terms)
    counts: dict[str, int] = {}
    lo = 0
    for hi, (end, term) in enumerate(hits):
        counts[term] = counts.get(term, 0) + 1
        while len(counts) == len(wanted):
            best = min(best, end - hits[lo][0] + 1)
            left = hits[lo][1]
            counts[left] -= 1
            if not counts[left]:
                del counts[left]
            lo += 1
        del hi
    return len(wanted) / best


def context_before(q: QuestionContext, c: Candidate) -> float:
    """The question weight the previous sentence adds ("He added that ...", a pronoun for its subject)."""
    own = set(c.terms)
    return _covered(q, own | c.previous_terms) - _covered(q, own)


def context_after(q: QuestionContext, c: Candidate) -> float:
    """The question weight the next sentence adds (a sentence whose elaboration follows it)."""
    own = set(c.terms)
    return _covered(q, own | c.next_terms) - _covered(q, own)


def headline(q: QuestionContext, c: Candidate) -> float:
    """The share of the question's weight in the article's headline."""
    return _covered(q, c.headline_terms)


def article(q: QuestionContext, c: Candidate) -> float:
    """The share of the question's weight found anywhere in the sentence's article."""
    return _covered(q, c.article_terms)


def _new_words(q: QuestionContext, c: Candidate) -> list[tuple[int, str]]:
    """The sentence's words (with their position) that the question does not have."""
    return [(i, w) for i, w in enumerate(_TOKEN.findall(c.text)) if w.lower().strip("$") not in q.query.words]


def _is_date_number(tokens: list[str], i: int) -> bool:
    """A year ("2016", "1990s") or a day after a month ("Aug. 11"): a date, not a quantity."""
    w = tokens[i]
    return bool(_YEAR.match(w)) or (
        i > 0 and w.isdigit() and len(w) <= 2 and tokens[i - 1].lower().rstrip(".") in evidence_words("date")
    )


def _has_quantity(words: list[tuple[int, str]], tokens: list[str]) -> bool:
    numbers = evidence_words("quantity")
    return any((any(map(str.isdigit, w)) and not _is_date_number(tokens, i)) or w.lower() in numbers for i, w in words)


def _has_money(words: list[tuple[int, str]]) -> bool:
    currencies = evidence_words("money")
    return any(w[0] in "$£€" or w.lower() in currencies for _, w in words)


def _has_date(words: list[tuple[int, str]], tokens: list[str]) -> bool:
    dates = evidence_words("date")
    return any(w.lower().rstrip(".") in dates or _is_date_number(tokens, i) for i, w in words)


def _is_name(w: str) -> bool:
    """A capitalised word that is not a capitalised stop word ("The", "I'm")."""
    plain = w.lower().replace("’", "'")
    return w[0].isupper() and plain not in stop_words() and plain.split("'")[0] not in stop_words()


def _has_name(words: list[tuple[int, str]]) -> bool:
    return any(_is_name(w) for _, w in words)


def _is_date_word(w: str, dates: frozenset[str]) -> bool:
    """A month or weekday, maybe abbreviated or possessive ("Aug.", "Monday's")."""
    return re.split(r"['’]", w.lower())[0].rstrip(".") in dates


def _has_place(words: list[tuple[int, str]], text: str) -> bool:
    """A place the question lacks: a country or region ("Russia"), or a name after "in", "at", "from" ...,
    maybe past "the" ("in the Detroit suburb", "at Lakeside Park"); a name alone ("Trump said") is none,
    and so is a month or weekday ("in August", "at Monday's rally": a date)."""
    places = set(demonyms().values())
    before = evidence_words("place")
    dates = evidence_words("date")
    tokens = [t.lower() for t in _TOKEN.findall(text)]

    def introduced(i: int) -> bool:
        j = i - 1 if i > 0 and tokens[i - 1] != "the" else i - 2
        return j >= 0 and tokens[j] in before

    return any(w.lower() in places or (_is_name(w) and introduced(i) and not _is_date_word(w, dates)) for i, w in words)


def answer_type(q: QuestionContext, c: Candidate) -> float:
    """1 when the question asks for a kind of answer (how many, when, who, where) and the sentence has one
    that the question does not already name; 0 otherwise (see :func:`answer_type_missing`)."""
    kind = q.query.answer_type
    if kind is None:
        return 0.0
    words = _new_words(q, c)
    tokens = _TOKEN.findall(c.text)
    if kind == "money":
        return float(_has_money(words))
    if kind in ("count", "quantity"):
        return float(_has_quantity(words, tokens))
    if kind == "date":
        return float(_has_date(words, tokens))
    if kind == "place":
        return float(_has_place(words, c.text))
    speaker_new = c.speaker_name is not None and not ({w.lower() for w in c.speaker_name.split()} & q.query.words)
    return float(_has_name(words) or speaker_new)


def answer_type_missing(q: QuestionContext, c: Candidate) -> float:
    """1 when the question asks for a kind of answer the sentence lacks ("How many ...?", no number)."""
    return float(q.query.answer_type is not None and not answer_type(q, c))


def speaker_named(q: QuestionContext, c: Candidate) -> float:
    """1 when the sentence was said by someone the question names ("What did Khan say ...", Khan's quote)."""
    if not c.speaker_name:
        return 0.0
    names = {w.lower() for w in re.findall(r"[^\W\d_][\w'’-]*", c.speaker_name) if w[0].isupper()}
    return float(bool(names & q.query.words) and bool(names - stop_words()))


def speaker_asked(q: QuestionContext, c: Candidate) -> float:
    """1 for "Who said ...?" and a sentence someone (not the article itself) said."""
    return float(q.query.asks_speaker and bool(c.speaker_name))


def novelty(q: QuestionContext, c: Candidate) -> float:
    """The share of the sentence's terms the question lacks: an answer adds something to the question."""
    return sum(t not in q.weights for t in c.terms) / len(c.terms) if c.terms else 0.0


def length(q: QuestionContext, c: Candidate) -> float:
    """log(1 + number of terms) / 4: longer sentences carry more, BM25 length normalisation aside."""
    return math.log1p(len(c.terms)) / 4


def unseen(q: QuestionContext, c: Candidate) -> float:
    """The share of the question's weight in words no article has ("married" in "Who is Putin married to?")."""
    total = q.total
    return sum(w for t, w in q.weights.items() if t not in q.known) / total if total else 0.0


def similarity(q: QuestionContext, c: Candidate) -> float:
    """Cosine of the question's and the sentence's mean word vectors: close in meaning, whatever the words."""
    if q.vector is None or c.vector is None:
        return 0.0
    return float(q.vector @ c.vector)


def soft_coverage(q: QuestionContext, c: Candidate) -> float:
    """Coverage where a question word counts by its closest sentence word ("guards" ~ "personnel"), 0..1.

    Each weighted question word adds its weight times the cosine of its nearest content word
    in the sentence (1 for the word itself); without vectors, plain coverage.
    """
    if q.word_vectors is None or q.word_weights is None or c.word_vectors is None:
        return coverage(q, c)
    global _soft_memo
    last = _soft_memo
    if last[0] is q and last[1] is c:  # paraphrase asks again for the same pair, right after
        return last[2]
    total = float(q.word_weights.sum())
    if not total or not len(c.word_vectors) or not len(q.word_vectors):
        value = 0.0
    else:
        nearest = np.minimum(np.maximum((q.word_vectors @ c.word_vectors.T).max(axis=1), 0.0), 1.0)
        value = float(nearest @ q.word_weights) / total
    _soft_memo = (q, c, value)  # holds both, so their identities cannot be reused meanwhile
    return value


_soft_memo: tuple[object, object, float] = (None, None, 0.0)
"""The last (question, candidate, soft coverage): the feature and :func:`paraphrase` need it one after the other."""


def paraphrase(q: QuestionContext, c: Candidate) -> float:
    """What soft coverage adds to exact coverage: the question's meaning found in other words."""
    return max(0.0, soft_coverage(q, c) - coverage(q, c))


def lead(q: QuestionContext, c: Candidate) -> float:
    """1 for an article's first sentence, which says what the story is."""
    return float(c.first)


FEATURES: dict[str, Callable[[QuestionContext, Candidate], float]] = {
    f.__name__: f
    for f in (
        bm25,
        bm25_weight,
        coverage,
        term_share,
        rarest,
        bigrams,
        proximity,
        context_before,
        context_after,
        headline,
        article,
        answer_type,
        answer_type_missing,
        speaker_named,
        speaker_asked,
        novelty,
        length,
        lead,
        unseen,
        similarity,
        soft_coverage,
        paraphrase,
    )
}
"""Every feature by name; ``ranker.json`` gives a weight to each name it uses."""


def feature_matrix(q: QuestionContext, candidates: Sequence[Candidate], names: Sequence[str]) -> np.ndarray:
    """One row per candidate, one column per named feature."""
    functions = [FEATURES[n] for n in names]
    return np.array([[f(q, c) for f in functions] for c in candidates], dtype=np.float64).reshape(
        len(candidates), len(functions)
    )


@dataclass(frozen=True)
class Model:
    """The fitted weights: the ranking score and the no-answer decision (see the module docstring)."""

    features: tuple[str, ...]
    weights: np.ndarray
    decision_features: tuple[str, ...]
    decision_weights: np.ndarray
    decision_bias: float
    answer_threshold: float
    more_threshold: float

    def scores(self, x: np.ndarray) -> np.ndarray:
        """The ranking score of each row of a feature matrix."""
        return np.asarray(x @ self.weights, dtype=np.float64)

    def decision_row(self, scores: np.ndarray, x: np.ndarray, i: int) -> np.ndarray:
        """The decision's inputs for candidate i: its softmax share, its score's lead on the next, its features."""
        return decision_inputs(scores, x, i, self.features, self.decision_features)

    def probability(self, scores: np.ndarray, x: np.ndarray, i: int) -> float:
        """P(candidate i answers the question): the decision's logistic model."""
        z = float(self.decision_row(scores, x, i) @ self.decision_weights) + self.decision_bias
        return 1 / (1 + math.exp(-z))


DECISION_EXTRA = ("score", "share", "lead")
"""Decision inputs besides the ranking features: the candidate's ranking score, its softmax share among the
candidates, and its score's lead on the best other one."""


def decision_inputs(
    scores: np.ndarray, x: np.ndarray, i: int, features: Sequence[str], names: Sequence[str]
) -> np.ndarray:
    """The named decision inputs of candidate i (ranking features by name, or one of DECISION_EXTRA)."""
    e = np.exp(scores - scores.max())
    share = float(e[i] / e.sum())
    others = np.delete(scores, i)
    lead_ = float(scores[i] - others.max()) if len(others) else 1.0
    values = {"share": share, "lead": lead_, "score": float(scores[i])}
    column = {n: j for j, n in enumerate(features)}
    return np.array([values[n] if n in values else float(x[i, column[n]]) for n in names])


@cache
def model(path: Path = RULES_FILE) -> Model:
    """The fitted model in ``bot/rules/ranker.json``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    weights = data["ranking"]["weights"]
    unknown = [n for n in weights if n not in FEATURES]
    if unknown:
        raise ValueError(f"{path}: unknown ranking features {unknown}; known: {sorted(FEATURES)}")
    decision = data["decision"]
    return Model(
        features=tuple(weights),
        weights=np.array(list(weights.values()), dtype=np.float64),
        decision_features=tuple(decision["weights"]),
        decision_weights=np.array(list(decision["weights"].values()), dtype=np.float64),
        decision_bias=float(decision["bias"]),
        answer_threshold=float(decision["answer_threshold"]),
        more_threshold=float(decision["more_threshold"]),
    )


def question_context(
    query: Query,
    terms: Sequence[str],
    weights: dict[str, float],
    best_bm25: float,
    known: frozenset[str],
    analyzer: Analyzer,
) -> QuestionContext:
    """The question's side, with its vectors when the word vectors are there."""
    v = vectors()
    if v is None:
        return QuestionContext(query, tuple(terms), weights, best_bm25, known)
    words = words_of(query.text)
    table = v.words(words)
    by_term: dict[str, int] = {}
    for i, word in enumerate(words):
        term = analyzer.known_term(word)  # the question's own terms are known: analysing it stemmed them
        if term in weights:
            by_term.setdefault(term, i)
    return QuestionContext(
        query,
        tuple(terms),
        weights,
        best_bm25,
        known,
        vector=v.mean(table),
        word_vectors=table[list(by_term.values())],
        word_weights=np.array([weights[t] for t in by_term], dtype=np.float32),
    )


def candidates(library: SearchBackend, terms: Sequence[str], hits: Sequence[tuple[int, float]]) -> list[Candidate]:
    """The features' view of each (position, BM25 score): terms, neighbours, headline, article terms.

    Which question terms the neighbours and the article hold comes from the backend
    (``term_context``: postings in process, a few filtered queries on shards), so only the
    candidates themselves and their headlines are analysed.
    """
    analyze = library.analyzer.analyze
    around = library.term_context(terms, [p for p, _ in hits])
    sentences = [library.sentence(position)[0] for position, _ in hits]
    vectors_ = _vectors([s.text for s in sentences], library.analyzer)
    return [
        Candidate(
            position=position,
            bm25=score,
            terms=tuple(analyze(sentence.text)),
            text=sentence.text,
            previous_terms=context.before,
            next_terms=context.after,
            headline_terms=library.headline_terms(position),
            article_terms=context.around,
            speaker_name=sentence.speaker.name if sentence.speaker.kind != "narrator" else None,
            first=sentence.index == 0,
            vector=vectors_[n][0],
            word_vectors=vectors_[n][1],
        )
        for n, ((position, score), sentence, context) in enumerate(zip(hits, sentences, around, strict=True))
    ]


def _vectors(texts: list[str], analyzer: Analyzer) -> list[tuple[np.ndarray | None, np.ndarray | None]]:
    """Per text, its unit vector and its content words' vectors; (None, None) each without vectors.

    One :meth:`~bot.search.vectors.Vectors.words` call for the words of all texts:
    only words never seen before are tokenized.
    """
    v = vectors()
    if v is None or not texts:
        return [(None, None)] * len(texts)
    words = [words_of(t) for t in texts]
    distinct = list(dict.fromkeys(w for ws in words for w in ws))
    row = {w: i for i, w in enumerate(distinct)}
    table = v.words(distinct)
    content = np.array([w not in analyzer.stop_words for w in distinct], dtype=bool)
    rows = np.array([row[w] for ws in words for w in ws], dtype=np.int64)
    ends = np.cumsum([len(ws) for ws in words])
    starts = ends - [len(ws) for ws in words]
    sums = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    filled = ends > starts
    if rows.size:
        sums[filled] = np.add.reduceat(table[rows], starts[filled], axis=0)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    np.divide(sums, norms, out=sums, where=norms > 0)
    out: list[tuple[np.ndarray | None, np.ndarray | None]] = []
    for n in range(len(texts)):
        mine = rows[starts[n] : ends[n]]
        out.append((sums[n], table[mine[content[mine]]]))
    return out
