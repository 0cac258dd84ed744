"""Yes/no questions: which questions are polar, and which sentences speak of their predicate."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.answer import polar
from bot.search.analysis import default_analyzer
from bot.search.vectors import vectors
from tests.test_rank import candidate, context


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Did Clinton personally see the requests?", True),
        ("Is there a call set up between them?", True),
        ("  can packets collide?", True),
        ("What did Clinton see?", False),
        ("Who is the mayor?", False),
        ("Island ferries: when do they run?", False),  # "Is" only as a word's start
        ("", False),
    ],
)
def test_a_polar_question_opens_with_an_auxiliary_or_modal_verb(question: str, expected: bool) -> None:
    assert polar.is_polar(question) is expected


def test_the_predicate_is_the_questions_lowercase_content_words_not_its_names() -> None:
    q = context("Did Clinton personally see Stevens' requests for more guards?")
    asked = polar.predicate(q, default_analyzer())
    assert asked.terms == frozenset(default_analyzer().analyze("personally see requests guards"))


def test_a_sentence_speaks_of_the_predicate_with_one_of_its_words_or_the_sentence_before_it() -> None:
    q = context("Did the mayor close the harbour bridge?")
    asked = polar.predicate(q, default_analyzer())
    assert polar.speaks_of(asked, candidate("The mayor said the bridge would close on Friday."))
    assert polar.speaks_of(asked, candidate("It happened on Friday.", previous="The bridge was closed."))
    assert not polar.speaks_of(replace(asked, vectors=None), candidate("Jones praised the council on Friday."))


def test_a_near_word_vector_counts_as_the_predicate_word() -> None:
    v = vectors()
    assert v is not None
    q = context("Was anyone injured?")
    asked = polar.predicate(q, default_analyzer())
    near = replace(candidate("Two people were hurt."), word_vectors=v.words(["people", "hurt"]))
    far = replace(candidate("Two people were there."), word_vectors=v.words(["people", "there"]))
    assert polar.speaks_of(asked, near)
    assert not polar.speaks_of(asked, far)


def test_a_question_without_predicate_words_is_never_refused() -> None:
    q = context("Is Putin?")
    assert polar.speaks_of(polar.predicate(q, default_analyzer()), candidate("Nothing in common."))
