"""Question -> ranked quoted sentences with their speakers.

Ordinary questions are ranked by BM25 over every sentence. Questions about a
speaker ("What did Gladkov say?", "Who is Andrey Miskov?", "Who said that
...?") are recognised by ``bot.answer.speaker_questions`` and answered from that
speaker's sentences. Answers are listed best first (rank order).

The no-answer rule: an answer must cover at least ``MIN_COVERAGE`` of the
question's weight, where each question term weighs its (always positive)
idf ``log(1 + (N - df + 0.5) / (df + 0.5))`` and a term the articles lack
weighs like the rarest one they have (df = 1): unknown words count against
an answer, but a paraphrase ("represented" for "champion") does not sink
it. "What is the weather in Paris?" covers nothing; "Is Putin going to use
nuclear weapons?" matches too little of itself and is not answered either.
Ranking itself stays BM25Okapi; the rule only decides which of the
best-ranked sentences are answers at all, and it works the same on a
one-sentence corpus, where BM25Okapi's idf turns negative.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from bot.answer.speaker_questions import parse_speaker_question, resolve_speaker
from bot.library import Library, Located
from bot.records import Article, Sentence
from bot.search.analysis import Analyzer
from bot.speakers import SpeakerSummary
from bot.speakers.lexicon import lexicon

MIN_COVERAGE = 0.35
"""Share of the question's idf weight a sentence must contain to be an answer (see module docstring)."""
UNSEEN_DOC_FREQ = 1
"""A question word the articles lack weighs like the rarest word they have (found in one sentence)."""
CANDIDATES_PER_ANSWER = 4
"""How many BM25-ranked sentences to look at per answer wanted, before the coverage rule."""
WHO_VERB = re.compile(r"\s*who\s+(?:has\s+|have\s+|had\s+)?(\w+)", re.IGNORECASE)
MAX_QUESTION_CHARS = 1000
"""Longer questions are cut here before analysis; nobody asks 10,000 characters, but a paste must not hurt."""

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

    def to_dict(self) -> dict:
        """The JSON shape of ``ask --json``."""
        return {
            "question": self.question,
            "status": self.status,
            "lead": self.lead,
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


def _ranked(
    library: Library,
    positions: Sequence[int],
    k: int,
    scores: np.ndarray | None = None,
) -> tuple[Answer, ...]:
    """The k best of ``positions`` by score, article order among equals (and throughout without scores)."""
    order = sorted(positions, key=lambda p: (-scores[p], p)) if scores is not None else positions
    return tuple(Answer(library.locate(p), float(scores[p]) if scores is not None else 0.0) for p in order[:k])


def term_weights(library: Library, terms: Sequence[str]) -> dict[str, float]:
    """Each distinct question term's positive idf, log(1 + (N - df + 0.5) / (df + 0.5)), df at least 1."""
    n = len(library)
    return {
        t: math.log(1 + (n - df + 0.5) / (df + 0.5))
        for t in set(terms)
        for df in (max(library.index.doc_freq(t), UNSEEN_DOC_FREQ),)
    }


def coverage(weights: dict[str, float], sentence: Sentence, analyzer: Analyzer) -> float:
    """The share of the question's weight whose terms occur in the sentence."""
    total = sum(weights.values())
    found = set(analyzer.analyze(sentence.text)) & weights.keys()
    return sum(weights[t] for t in found) / total if total else 0.0


def search(library: Library, question: str, k: int) -> tuple[Answer, ...]:
    """BM25's best sentences that pass the coverage rule, best first; empty when the article does not answer."""
    terms = library.index.analyzer.analyze(question)
    weights = term_weights(library, terms)
    answers = []
    for hit in library.index.search(terms, k=k * CANDIDATES_PER_ANSWER):
        located = library.locate(hit.index)
        if coverage(weights, located.sentence, library.index.analyzer) >= MIN_COVERAGE:
            answers.append(Answer(located, hit.score))
    return tuple(answers[:k])


def _said_by(library: Library, who: SpeakerSummary, rest: str, k: int) -> tuple[Answer, ...]:
    """A speaker's sentences: all of them in article order, or, when the question names a topic,
    those that mention it, BM25-ranked (none: the speaker is quoted, but not about that)."""
    positions = library.speaker_positions(who.name)
    terms = library.index.analyzer.analyze(rest)
    if not terms:
        return _ranked(library, positions, k)
    wanted = set(terms)
    about = [p for p in positions if wanted & set(library.index.analyzer.analyze(library.locate(p).sentence.text))]
    return _ranked(library, about, k, library.index.get_scores(terms)) if about else ()


def asks_who_spoke(question: str) -> bool:
    """ "Who said / announced / confirmed ...?": a question whose verb is a speech verb asks for a speaker.

    "Who controls the settlements?" does not: the speaker of the best sentence
    reported the fact, they are not its answer.
    """
    match = WHO_VERB.match(question)
    return match is not None and lexicon().is_cue(match.group(1).lower())


def names_someone_absent(library: Library, subject: str) -> bool:
    """True when the subject carries a name ("Zelensky", "the Kremlin") that no article even mentions.

    Then "the article quotes no one by that name" is the honest answer. A name
    the articles do mention, or a plain description ("the league"), is left to
    ordinary search, which finds what the articles say about it.
    """
    names = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", subject) if w[0].isupper()]
    return bool(names) and not any(library.index.doc_freq(t) for w in names for t in library.index.analyzer.analyze(w))


def ask(library: Library, question: str, k: int = 3) -> Reply:
    """Answer one question with up to k quoted sentences (see the module docstring for the rules)."""
    question = " ".join(question.split())
    if not question:
        return Reply(question, status="empty")
    text = question[:MAX_QUESTION_CHARS]
    parsed = parse_speaker_question(text)
    if parsed and parsed.kind in ("said", "who_is") and parsed.subject:
        who = resolve_speaker(parsed.subject, library.speakers, library.index.analyzer.stem)
        if who is not None:
            answers = _said_by(library, who, parsed.rest, k)
            if not answers:
                return Reply(question, status="no_answer")
            return Reply(question, answers, lead=who.byline if parsed.kind == "who_is" else None)
        if parsed.kind == "said" and names_someone_absent(library, parsed.subject):
            return Reply(question, status="unknown_speaker", subject=parsed.subject)
    answers = search(library, text, k)
    if not answers:
        return Reply(question, status="no_answer")
    top = answers[0].sentence.speaker
    lead = top.byline if top.kind != "narrator" and asks_who_spoke(text) else None
    return Reply(question, answers, lead=lead)
