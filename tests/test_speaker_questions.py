"""Speaker questions: one table row per question form, and roster look-ups by name and role."""

from __future__ import annotations

import pytest

from bot.answer.speaker_questions import (
    PATTERNS,
    SpeakerQuestion,
    _verbs_in,
    parse_speaker_question,
    resolve_speaker,
)
from bot.speakers import SpeakerSummary

PARSE_CASES = [
    # wh_did_x_say
    ("What did Gladkov say?", SpeakerQuestion("said", "Gladkov", "")),
    ("What did Putin say about nuclear plants?", SpeakerQuestion("said", "Putin", "nuclear plants")),
    ("What did the governor of Belgorod say?", SpeakerQuestion("said", "the governor of Belgorod", "")),
    ("What has Smirnov said?", SpeakerQuestion("said", "Smirnov", "")),
    ("what has smirnov reported about evacuations", SpeakerQuestion("said", "smirnov", "evacuations")),
    ("What does Putin think about talks?", SpeakerQuestion("said", "Putin", "talks")),
    ("What did Syrskyi report?", SpeakerQuestion("said", "Syrskyi", "")),
    ("What did Gladkov have to say about Belgorod?", SpeakerQuestion("said", "Gladkov", "Belgorod")),
    ("What did Gladkov express confidence in?", SpeakerQuestion("said", "Gladkov", "confidence in")),
    (
        "What did the state media report?",
        SpeakerQuestion("said", "the state media", ""),
    ),  # not "the" + "state"
    (
        "How many people did Smirnov say were advised to evacuate?",
        SpeakerQuestion("said", "Smirnov", "many people were advised to evacuate"),
    ),
    # did_x_say
    ("Has Russia denied the allegations?", SpeakerQuestion("said", "Russia", "the allegations")),
    # according_to and said_by
    (
        "According to Smirnov, how many settlements fell?",
        SpeakerQuestion("said", "Smirnov", "how many settlements fell"),
    ),
    (
        "What was Ukraine trying to achieve with the incursion, according to Putin?",
        SpeakerQuestion("said", "Putin", "What was Ukraine trying to achieve with the incursion"),
    ),
    ("What was said by Putin?", SpeakerQuestion("said", "Putin", "")),
    # who_said_that and who_verb
    (
        "Who said that 11,000 residents were evacuated?",
        SpeakerQuestion("who_said", None, "11,000 residents were evacuated"),
    ),
    (
        "Who announced the relocation of residents?",
        SpeakerQuestion("who_said", None, "announced the relocation of residents"),
    ),
    (
        "Who accused Russia of targeting civilians?",
        SpeakerQuestion("who_said", None, "accused Russia of targeting civilians"),
    ),
    # who_is
    ("Who is Andrey Miskov?", SpeakerQuestion("who_is", "Andrey Miskov", "")),
    (
        "Who is the acting head of the Kursk region?",
        SpeakerQuestion("who_is", "the acting head of the Kursk region", ""),
    ),
    # NOT speaker questions
    ("How far have Ukrainian forces advanced into Russia?", None),
    ("How many people were advised to evacuate?", None),
    ("How much territory does Ukraine control?", None),
    ("Did CNN verify the claims?", None),
    ("What is the weather in Paris?", None),
    ("", None),
    ("?", None),
]


@pytest.mark.parametrize(("question", "expected"), PARSE_CASES, ids=[c[0] or "empty" for c in PARSE_CASES])
def test_parse(question: str, expected: SpeakerQuestion | None) -> None:
    assert parse_speaker_question(question) == expected


def test_only_the_verbs_a_question_has_are_compiled_in() -> None:
    """The patterns get the verb forms among the question's words; a form is matched whole, in any case."""
    assert _verbs_in("WHAT did Putin SAY about say-so?") == {"say"}
    assert _verbs_in("What did the state media report?") == {"state", "report"}  # "state" is a verb too
    assert parse_speaker_question("What Did Putin SAY?") == SpeakerQuestion("said", "Putin", "")
    assert _verbs_in("How far have Ukrainian forces advanced?") == set()
    assert parse_speaker_question("How far have Ukrainian forces advanced?") is None


def test_patterns_are_named_and_unique() -> None:
    names = [p.name for p in PATTERNS]
    assert len(names) == len(set(names))


ROSTER = [
    SpeakerSummary("Vladimir Putin", "Russian President", 4, ("Putin",)),
    SpeakerSummary("Aleksey Smirnov", "acting head of the Kursk region", 3, ("Smirnov",)),
    SpeakerSummary("Vyacheslav Gladkov", "Governor of the Belgorod region", 2, ("Gladkov",)),
    SpeakerSummary("Oleksandr Syrskyi", "Ukrainian military leader", 1, ("Syrskyi",)),
    SpeakerSummary("Russia", None, 1, ()),
    SpeakerSummary("Andrey Miskov", "head of the district administration", 1, ("Miskov",)),
    SpeakerSummary("ministry", None, 1, ()),
]

RESOLVE_CASES = [
    ("Gladkov", "Vyacheslav Gladkov"),
    ("Andrey Miskov", "Andrey Miskov"),
    ("Kremlin leader Vladimir Putin", "Vladimir Putin"),  # a role (not his roster role) before the full name
    ("President Putin", "Vladimir Putin"),
    ("Putin's", "Vladimir Putin"),
    ("Russia", "Russia"),
    ("the ministry", "ministry"),
    ("the governor of Belgorod", "Vyacheslav Gladkov"),
    ("the governor", "Vyacheslav Gladkov"),
    ("the acting head of the Kursk region", "Aleksey Smirnov"),
    ("the Russian president", "Vladimir Putin"),
    ("the Ukrainian military leader", "Oleksandr Syrskyi"),
    # nobody by that name or role: the caller says so
    ("Zelensky", None),
    ("the Ukrainian president", None),  # "president" fits Putin, but "Ukrainian" does not
    ("the head", None),  # two heads: a tie is no answer
    ("he", None),
    ("", None),
]


@pytest.mark.parametrize(("subject", "name"), RESOLVE_CASES, ids=[c[0] or "empty" for c in RESOLVE_CASES])
def test_resolve(subject: str, name: str | None) -> None:
    found = resolve_speaker(subject, ROSTER)
    assert (found.name if found else None) == name


def test_resolve_empty_roster() -> None:
    assert resolve_speaker("Putin", []) is None
