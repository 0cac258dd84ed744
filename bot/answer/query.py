"""A question parsed once: its terms, the speaker it names, what kind of answer it wants.

Every later stage of answering (speaker questions, candidate search, the
re-ranker, the no-answer decision) reads this record instead of analysing the
question again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal, get_args

from bot import rules
from bot.answer.speaker_questions import SpeakerQuestion, parse_speaker_question
from bot.errors import RulesError
from bot.search.analysis import Analyzer, default_analyzer
from bot.speakers.lexicon import lexicon

__all__ = ["ANSWER_TYPES", "MAX_QUESTION_CHARS", "AnswerType", "Query", "answer_type", "parse_query"]

AnswerType = Literal["money", "count", "quantity", "date", "name", "place"]
ANSWER_TYPES: tuple[AnswerType, ...] = get_args(AnswerType)
FORMS_FILE = "answer_types.txt"
MAX_QUESTION_CHARS = 1000
"""Longer questions are cut here before analysis; nobody asks 10,000 characters, but a paste must not hurt."""
WHO_VERB = re.compile(r"\s*who\s+(?:has\s+|have\s+|had\s+)?(\w+)", re.IGNORECASE)
# A clause of a question starts at its beginning or after a comma, "and" or "so".
_CLAUSE = re.compile(r"(?:^|,\s*|\band\s+|\bso\s+)", re.IGNORECASE)
_WH = re.compile(
    r"(?:in\s+|on\s+|at\s+|by\s+|to\s+|from\s+|for\s+)?(?:what|which|who|whom|whose|when|where|why|how)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class Query:
    """One question, analysed.

    ``terms`` are the index terms (the index's analyzer) in question order;
    ``words`` the question's lowercase words, to tell an answer's new
    information from an echo of the question; ``answer_type`` what the
    question word asks for, or None ("Why ...?"); ``speaker`` the speaker
    question it is ("What did X say about Y?"), if any; ``topic_terms`` the
    terms to rank that speaker's sentences by ("Y"), the question's terms
    otherwise; ``asks_speaker`` is true for "Who said/announced ...?".
    """

    text: str
    terms: tuple[str, ...]
    words: frozenset[str]
    answer_type: AnswerType | None
    speaker: SpeakerQuestion | None
    topic_terms: tuple[str, ...]
    asks_speaker: bool


@cache
def _forms() -> tuple[tuple[AnswerType, re.Pattern[str]], ...]:
    """(type, question form) of ``bot/rules/answer_types.txt``, in file order."""
    out = []
    for pattern in rules.patterns(FORMS_FILE):
        names = list(pattern.regex.groupindex)
        if len(names) != 1 or names[0] not in ANSWER_TYPES:
            raise RulesError(f"{pattern.where}: a form needs one named group, its type: one of {ANSWER_TYPES}")
        out.append((names[0], pattern.regex))
    return tuple(out)


def answer_type(question: str) -> AnswerType | None:
    """What the question word asks for: "How many ...?" -> quantity, "When ...?" -> date; None for "Why ...?".

    The last clause that starts with a question word decides: in "When Iqbal
    promoted unity, what did he encourage?" the "when" only sets the scene.
    """
    starts = [m.end() for m in _CLAUSE.finditer(question)]
    asking = [at for at in starts if _WH.match(question, at)] or starts
    for at in reversed(asking):
        for kind, form in _forms():
            if form.match(question, at):
                return kind
        if _WH.match(question, at):
            return None
    return None


def asks_who_spoke(question: str) -> bool:
    """ "Who said / announced / confirmed ...?": a question whose verb is a speech verb asks for a speaker.

    "Who controls the settlements?" does not: the speaker of the best sentence
    reported the fact, they are not its answer.
    """
    match = WHO_VERB.match(question)
    return match is not None and lexicon().is_cue(match.group(1).lower())


def parse_query(question: str, analyzer: Analyzer | None = None) -> Query:
    """Parse a question (whitespace folded, cut at MAX_QUESTION_CHARS) into a Query.

    ``analyzer`` is the index's (``library.index.analyzer``), so the terms are the index's own.
    """
    analyzer = analyzer or default_analyzer()
    text = " ".join(question.split())[:MAX_QUESTION_CHARS]
    terms = tuple(analyzer.analyze(text))
    speaker = parse_speaker_question(text)
    return Query(
        text=text,
        terms=terms,
        words=frozenset(w.lower() for w in _WORD.findall(text)),
        answer_type=answer_type(text),
        speaker=speaker,
        topic_terms=tuple(analyzer.analyze(speaker.rest)) if speaker else terms,
        asks_speaker=asks_who_spoke(text),
    )
