"""Question -> ranked quoted sentences with their speakers.

Ordinary questions are ranked by BM25 over every sentence. Questions about a
speaker ("What did Gladkov say?", "Who is Andrey Miskov?", "Who said that
...?") are recognised by ``bot.speaker_questions`` and answered from that
speaker's sentences. Answers are listed best first (rank order).

The no-answer rule: the best sentence must reach ``MIN_RELATIVE_SCORE`` of
the query's maximum possible score (sum over query terms of idf x (k1 + 1),
terms the corpus lacks counting as rare ones). A question whose meaningful
words are mostly absent from the articles therefore gets no answer, whatever
its wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from bot.library import Library, Located
from bot.records import Article, Sentence
from bot.retrieval import analyze
from bot.speaker_questions import parse_speaker_question, resolve_speaker
from bot.speakers import SpeakerSummary

MIN_RELATIVE_SCORE = 0.2
"""Best score / maximum possible score below which the article is taken not to answer."""
KEEP_RELATIVE_TO_BEST = 0.25
"""Further answers must score at least this share of the best one, so weak matches are not padding."""
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


def _ranked(library: Library, scores: np.ndarray, positions: Sequence[int], k: int) -> tuple[Answer, ...]:
    """The k best of ``positions`` by score (article order among equals)."""
    order = sorted(positions, key=lambda p: (-scores[p], p))[:k]
    return tuple(Answer(library.locate(p), float(scores[p])) for p in order)


def search(library: Library, question: str, k: int) -> tuple[Answer, ...]:
    """Plain BM25 answers, after the no-answer rule; empty when the article does not answer."""
    terms = analyze(question)
    hits = library.index.search(terms, k=k)
    if not hits:
        return ()
    best = hits[0].score
    bound = library.index.max_score(terms)
    if best <= 0 or bound <= 0 or best / bound < MIN_RELATIVE_SCORE:
        return ()
    return tuple(
        Answer(library.locate(h.index), h.score) for h in hits if h.score >= KEEP_RELATIVE_TO_BEST * best
    )


def _speaker_positions(library: Library, who: SpeakerSummary) -> list[int]:
    return [
        p for p in range(len(library))
        if library.locate(p).sentence.speaker.name == who.name
    ]


def _said_by(library: Library, who: SpeakerSummary, rest: str, k: int) -> tuple[Answer, ...]:
    """A speaker's sentences, ranked by the rest of the question when there is one, else in article order."""
    positions = _speaker_positions(library, who)
    terms = analyze(rest)
    scores = library.index.get_scores(terms) if terms else np.zeros(len(library))
    return _ranked(library, scores, positions, k)


def ask(library: Library, question: str, k: int = 3) -> Reply:
    """Answer one question with up to k quoted sentences (see the module docstring for the rules)."""
    question = " ".join(question.split())
    if not question:
        return Reply(question, status="empty")
    text = question[:MAX_QUESTION_CHARS]
    parsed = parse_speaker_question(text)
    if parsed and parsed.kind in ("said", "who_is") and parsed.subject:
        who = resolve_speaker(parsed.subject, library.speakers)
        if who is not None:
            answers = _said_by(library, who, parsed.rest, k)
            lead = who.name if who.role is None else f"{who.name}, {who.role}"
            return Reply(question, answers, lead=lead if parsed.kind == "who_is" else None)
        if parsed.kind == "said":
            return Reply(question, status="unknown_speaker", subject=parsed.subject)
    answers = search(library, text, k)
    if not answers:
        return Reply(question, status="no_answer")
    lead = None
    if parsed and parsed.kind in ("who_said", "who_is"):
        lead = answers[0].sentence.speaker.byline or answers[0].article.source
    return Reply(question, answers, lead=lead)
