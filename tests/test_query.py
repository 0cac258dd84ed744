"""A question parsed once: terms, words, the kind of answer asked for, the speaker question."""

from __future__ import annotations

import pytest

from bot import rules
from bot.answer.query import MAX_QUESTION_CHARS, answer_type, parse_query


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many people were evacuated?", "count"),
        ("How much did the donors give the foundation?", "money"),
        ("How much money did the event raise?", "money"),
        ("How much does it weigh?", "quantity"),
        ("When does New Hampshire vote?", "date"),
        ("In what year did the war end?", "date"),
        ("Where was the final played?", "place"),
        ("Which country signed the treaty?", "place"),
        ("Who demanded an apology?", "name"),
        ("Which channel was he talking to?", "name"),
        ("Why did he resign?", None),
        ("What did the council decide?", None),
        ("When Iqbal promoted unity, what did he encourage?", None),  # the last question word decides
        ("The vote was held, and when was it?", "date"),
    ],
)
def test_answer_type_from_the_question_word(question: str, expected: str | None) -> None:
    assert answer_type(question) == expected


def test_parse_query_reads_the_question_once() -> None:
    q = parse_query("  What did   Putin say about nuclear plants? ")
    assert q.text == "What did Putin say about nuclear plants?"
    assert q.terms == ("putin", "say", "nuclear", "plant")
    assert {"putin", "nuclear", "plants"} <= q.words
    assert q.speaker is not None and q.speaker.kind == "said" and q.speaker.subject == "Putin"
    assert q.topic_terms == ("nuclear", "plant")
    assert not q.asks_speaker


def test_who_said_asks_for_the_speaker_but_who_controls_does_not() -> None:
    assert parse_query("Who said that 11,000 residents were evacuated?").asks_speaker
    assert not parse_query("Who controls 28 settlements?").asks_speaker


def test_a_long_paste_is_cut() -> None:
    assert len(parse_query("word " * 1000).text) == MAX_QUESTION_CHARS


@pytest.mark.parametrize("form", rules.patterns("answer_types.txt"), ids=lambda p: p.where.rsplit("/", 1)[-1])
def test_every_question_form_gives_its_type_to_its_examples(form: rules.Pattern) -> None:
    (kind,) = form.regex.groupindex
    for example in form.examples:
        assert answer_type(example) == kind, f"{form.where}: {example!r}"
