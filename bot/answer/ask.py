"""Question -> ranked quoted sentences with their speakers.

A question is parsed once (``bot.answer.query.Query``). Ordinary questions take
BM25's best ``CANDIDATES`` sentences (an index built with ``INDEX_PARAMS``,
see ``bot.library``) and re-rank them with ``bot.answer.rank``; questions about a
speaker ("What did Gladkov say about ...?", "Who is Andrey Miskov?") are
answered from that speaker's sentences, re-ranked the same way by the topic
asked about. Answers are listed best first.

The no-answer decision is ``bot.answer.rank``'s, one rule for both kinds of
question: the best candidate is an answer when the fitted probability that it
answers the question reaches ``answer_threshold``; the second and third are
shown only when they reach ``more_threshold`` too (k is a maximum, not a
quota). The probability weighs the candidate's lead over the others, how much
of the question's idf weight it covers (unknown words count against it),
whether it has the question's rarest word, and whether it holds the kind of
answer asked for. For "How many ...?" and "How much money ...?" that kind is
required (``REQUIRED_TYPES``): a sentence without a number is no candidate. See
the README's "How it answers" for the fitted figures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from bot.answer import polar, rank
from bot.answer.query import Query, parse_query
from bot.answer.speaker_questions import resolve_speaker
from bot.library import Located
from bot.records import Article, Sentence
from bot.search.backend import SearchBackend
from bot.speakers import SpeakerSummary

CANDIDATES = 20
"""How many of BM25's best sentences the re-ranker looks at."""
REQUIRED_TYPES = frozenset({"money", "count"})
"""Answer types a sentence must hold to answer at all: "How many ...?" wants a number, "How much money ...?"
an amount. Measured (bench/devsets.py): the news questions' silence on unanswerable ones 3 -> 7/12 with no
answerable one lost; SQuAD -0.1 point. Dates and places are left to the decision's weights: requiring them
cost SQuAD 1-3 points (a date or place said in words the evidence lists lack)."""

Status = Literal["answered", "no_answer", "empty", "unknown_speaker"]


@dataclass(frozen=True, slots=True)
class Answer:
    """One quoted sentence with where it comes from and how well it matched."""

    located: Located
    score: float

    @property
    def sentence(self) -> Sentence:
        return self.located.sentence

    @property
    def article(self) -> Article:
        return self.located.article


@dataclass(frozen=True, slots=True)
class Reply:
    """What to tell the asker: the answers, or why there are none.

    ``lead`` names the person a "who" question asks about ("Aleksey Smirnov,
    acting head of the Kursk region"); ``subject`` echoes the name asked about
    when the article quotes no one by it.
    """

    question: str
    answers: tuple[Answer, ...] = ()
    status: Status = "answered"
    lead: str | None = None
    subject: str | None = None
    incomplete: bool = False  # a shard was out of reach: the answer may miss what it holds

    def to_dict(self) -> dict:
        """The JSON shape of ``ask --json``."""
        return {
            "question": self.question,
            "status": self.status,
            "lead": self.lead,
            "incomplete": self.incomplete,
            "answers": [
                {
                    "text": a.sentence.text,
                    "score": round(a.score, 6),
                    "article": a.article.name,
                    "title": a.article.title,
                    "sentence_index": a.sentence.index,
                    "start": a.sentence.start,
                    "end": a.sentence.end,
                    "speaker": a.sentence.speaker.to_dict(),
                }
                for a in self.answers
            ],
        }


def _in_order(library: SearchBackend, positions: Sequence[int]) -> tuple[Answer, ...]:
    """Answers in the given (article) order, unscored (a speaker asked about without a topic)."""
    return tuple(Answer(library.locate(p), 0.0) for p in positions)


def _context(
    library: SearchBackend,
    query: Query,
    terms: Sequence[str],
    hits: Sequence[tuple[int, float]],
) -> rank.QuestionContext:
    weights = rank.term_weights(library.doc_freq, len(library), terms)
    known = frozenset(t for t in weights if library.doc_freq(t))
    best = max((s for _, s in hits), default=0.0)
    return rank.question_context(query, terms, weights, best, known, library.analyzer)


def _features(
    library: SearchBackend, query: Query, terms: Sequence[str], hits: Sequence[tuple[int, float]], names: Sequence[str]
) -> np.ndarray:
    return rank.feature_matrix(_context(library, query, terms, hits), rank.candidates(library, terms, hits), names)


def rank_question(
    library: SearchBackend,
    question: str,
    names: Sequence[str],
    depth: int = CANDIDATES,
) -> tuple[list[int], np.ndarray]:
    """An ordinary question's candidate positions and their feature matrix (for bench/fit_ranker.py)."""
    query = parse_query(question, library.analyzer)
    hits = [(h.index, h.score) for h in library.search(query.terms, k=depth)]
    return [p for p, _ in hits], _features(library, query, query.terms, hits, names)


def _admissible(
    library: SearchBackend, query: Query, context: rank.QuestionContext, cands: Sequence[rank.Candidate]
) -> list[int]:
    """The candidates that may answer at all: for "how many" one with a number (``REQUIRED_TYPES``), for a
    yes/no question one that speaks of its predicate (``bot.answer.polar``)."""
    keep = list(range(len(cands)))
    if query.answer_type in REQUIRED_TYPES:  # no number, no candidate for "how many"
        keep = [i for i in keep if not rank.answer_type_missing(context, cands[i])]
    if polar.is_polar(query.text):  # "Did Clinton see the requests?": a sentence without "see"/"requests"/... is none
        asked = polar.predicate(context, library.analyzer)
        keep = [i for i in keep if polar.speaks_of(asked, cands[i])]
    return keep


def _answers(
    library: SearchBackend, query: Query, terms: Sequence[str], hits: Sequence[tuple[int, float]], k: int
) -> tuple[Answer, ...]:
    """The re-ranked candidates that pass the no-answer decision, best first, at most k."""
    if not hits or k <= 0:
        return ()
    m = rank.model()
    context, cands = _context(library, query, terms, hits), rank.candidates(library, terms, hits)
    keep = _admissible(library, query, context, cands)
    if len(keep) < len(cands):
        cands, hits = [cands[i] for i in keep], [hits[i] for i in keep]
        if not hits:
            return ()
        context = replace(context, best_bm25=max(s for _, s in hits))
    x = rank.feature_matrix(context, cands, m.features)
    scores = m.scores(x)
    order = np.lexsort((np.arange(len(scores)), -scores))
    answers: list[Answer] = []
    for i in order[:k]:
        p = m.probability(scores, x, int(i))
        if p < (m.answer_threshold if not answers else m.more_threshold):
            break
        answers.append(Answer(library.locate(hits[i][0]), float(scores[i])))
    return tuple(answers)


def search(
    library: SearchBackend,
    question: str | Query,
    k: int,
    exclude_speaker: str | None = None,
) -> tuple[Answer, ...]:
    """The re-ranked best sentences that pass the no-answer decision, best first; empty when none does.

    ``exclude_speaker``: a speaker whose own sentences were already judged, left out of the candidates.
    """
    query = question if isinstance(question, Query) else parse_query(question, library.analyzer)
    hits = [(h.index, h.score) for h in library.search(query.terms, CANDIDATES, exclude_speaker=exclude_speaker)]
    return _answers(library, query, query.terms, hits, k)


def _said_by(library: SearchBackend, who: SpeakerSummary, query: Query, k: int) -> tuple[Answer, ...]:
    """A speaker's sentences: the first k in article order, or, when the question names a topic,
    those that mention it, re-ranked, under the same no-answer decision as any question."""
    terms = query.topic_terms
    if not terms:
        return _in_order(library, library.speaker_sentences(who.name, k))
    hits = [(h.index, h.score) for h in library.speaker_hits(who.name, terms, CANDIDATES)]
    return _answers(library, query, terms, hits, k)


def names_someone_absent(library: SearchBackend, subject: str, acronyms: bool = True) -> bool:
    """True when the subject carries a name ("Zelensky", "the Kremlin") that no article even mentions.

    Then "the article quotes no one by that name" is the honest answer. A name
    the articles do mention, or a plain description ("the league"), is left to
    ordinary search, which finds what the articles say about it. ``acronyms=False``
    leaves out all-capital words ("TV" may be "television" in the article).
    """
    names = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", subject) if w[0].isupper() and (acronyms or not w.isupper())]
    return bool(names) and not any(library.doc_freq(t) for w in names for t in library.analyzer.analyze(w))


def ask(library: SearchBackend, question: str, k: int = 3) -> Reply:
    """Answer one question with up to k quoted sentences (see the module docstring for the rules)."""
    reply = _ask(library, question, k)
    return replace(reply, incomplete=True) if library.unavailable else reply


def _ask(library: SearchBackend, question: str, k: int) -> Reply:
    question = " ".join(question.split())
    if not any(char.isalnum() for char in question):  # "", "?!.", "👍": nothing to search for
        return Reply(question, status="empty")
    query = parse_query(question, library.analyzer)
    parsed = query.speaker
    judged: str | None = None
    if parsed and parsed.kind in ("said", "who_is") and parsed.subject:
        who = resolve_speaker(parsed.subject, library.speakers, library.analyzer.stem)
        topic = query.topic_terms
        if who is not None and topic and not any(library.doc_freq(t) for t in topic):
            if names_someone_absent(library, parsed.rest, acronyms=False):
                return Reply(question, status="no_answer")  # "What did Putin say about Paris?": never mentioned
            who = None  # the topic in words no article has ("TV channel"): a paraphrase, so search the whole question
        answers = _said_by(library, who, query, k) if who is not None else ()
        judged = who.name if who is not None else judged
        if answers:
            return Reply(question, answers, lead=who.byline if who and parsed.kind == "who_is" else None)
        # None of their sentences answers: what others say about them may ("How did Celeron feel
        # about ...?"); the same decision keeps "What did Putin say about Paris?" silent.
        if who is None and parsed.kind == "said" and names_someone_absent(library, parsed.subject):
            return Reply(question, status="unknown_speaker", subject=parsed.subject)
    answers = search(library, query, k, exclude_speaker=judged)
    if not answers:
        return Reply(question, status="no_answer")
    top = answers[0].sentence.speaker
    lead = top.byline if top.kind != "narrator" and query.asks_speaker else None
    return Reply(question, answers, lead=lead)
