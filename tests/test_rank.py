"""The re-ranker's features, one test each, on tiny inputs checkable by hand; the fitted model file."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from bot.answer import rank
from bot.answer.query import parse_query
from bot.answer.rank import Candidate, QuestionContext
from bot.retrieval import analyze


def context(
    question: str, weights: dict[str, float] | None = None, best: float = 2.0, known: set[str] | None = None
) -> QuestionContext:
    query = parse_query(question)
    w = weights if weights is not None else dict.fromkeys(query.terms, 1.0)
    return QuestionContext(query, query.terms, w, best, frozenset(w if known is None else known))


def candidate(
    text: str,
    *,
    bm25: float = 1.0,
    previous: str = "",
    following: str = "",
    headline: str = "",
    article: set[str] | None = None,
    speaker: str | None = None,
    first: bool = False,
) -> Candidate:
    return Candidate(
        position=0,
        bm25=bm25,
        terms=tuple(analyze(text)),
        text=text,
        previous_terms=frozenset(analyze(previous)),
        next_terms=frozenset(analyze(following)),
        headline_terms=frozenset(analyze(headline)),
        article_terms=frozenset(article or ()),
        speaker_name=speaker,
        first=first,
    )


def test_term_weights_are_positive_and_unseen_words_weigh_like_the_rarest() -> None:
    df = {"council": 2, "bridge": 1}
    weights = rank.term_weights(lambda t: df.get(t, 0), 2, ["council", "bridge", "volcano"])
    assert all(w > 0 for w in weights.values())  # BM25Okapi's own idf is negative here
    assert weights["volcano"] == weights["bridge"] > weights["council"]
    assert weights["bridge"] == pytest.approx(math.log(1 + 1.5 / 1.5))


def test_bm25_is_relative_to_the_best_candidate() -> None:
    q = context("bridge vote", best=4.0)
    assert rank.bm25(q, candidate("x", bm25=4.0)) == 1.0
    assert rank.bm25(q, candidate("x", bm25=1.0)) == 0.25
    assert rank.bm25_weight(q, candidate("x", bm25=1.0)) == 0.5  # two terms weighing 1 each
    assert rank.bm25_weight(context("bridge bridge vote"), candidate("x", bm25=3.0)) == 1.0  # a repeat counts again


def test_coverage_weighs_terms_by_idf_and_term_share_counts_them() -> None:
    q = context("council bridge vote", {"council": 1.0, "bridg": 3.0, "vote": 1.0})
    c = candidate("The bridge opened.")
    assert rank.coverage(q, c) == pytest.approx(3 / 5)
    assert rank.term_share(q, c) == pytest.approx(1 / 3)
    assert rank.rarest(q, c) == 1.0
    assert rank.rarest(q, candidate("The council met.")) == 0.0


def test_bigrams_need_the_question_order_and_closeness() -> None:
    q = context("nuclear power plant")  # terms: nuclear, power, plant
    assert rank.bigrams(q, candidate("A nuclear power plant was hit.")) == 1.0
    assert rank.bigrams(q, candidate("The plant gets power, and nuclear talks went on.")) == 0.0
    assert rank.bigrams(q, candidate("Nuclear arms power it.")) == 0.5  # nuclear, arm, power: within 2


def test_proximity_is_matched_terms_over_their_span() -> None:
    q = context("mayor library")
    assert rank.proximity(q, candidate("The mayor library fund.")) == 1.0
    # terms: mayor said friday librari close -> the two matched terms span four
    assert rank.proximity(q, candidate("The mayor said on Friday that the library closes.")) == pytest.approx(2 / 4)
    assert rank.proximity(q, candidate("The mayor spoke.")) == 0.0  # one term is no cluster


def test_context_before_and_after_add_what_the_neighbour_supplies() -> None:
    q = context("Gladkov evacuation", {"gladkov": 1.0, "evacu": 1.0})
    c = candidate("He ordered the evacuation.", previous="Gladkov spoke on Monday.", following="Gladkov left.")
    assert rank.context_before(q, c) == 0.5
    assert rank.context_after(q, c) == 0.5
    assert rank.context_before(q, candidate("Gladkov ordered the evacuation.", previous="Gladkov spoke.")) == 0.0


def test_headline_and_article_share_of_the_question() -> None:
    q = context("bridge vote", {"bridg": 1.0, "vote": 3.0})
    c = candidate("x", headline="Bridge plan", article={"vote"})
    assert rank.headline(q, c) == 0.25
    assert rank.article(q, c) == 0.75


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        ("How many people were evacuated?", "About 11,000 residents were evacuated.", 1.0),
        ("How many people were evacuated?", "Residents were evacuated on Aug. 11, 2016.", 0.0),  # a date, no count
        ("How many people were evacuated?", "Dozens were evacuated.", 1.0),
        ("How much did the donors give?", "Donors gave $275 billion.", 1.0),
        ("How much did the donors give?", "Donors gave to 44 charities.", 0.0),  # a count, no money
        ("When was the bridge approved?", "The bridge was approved on Tuesday.", 1.0),
        ("When was the bridge approved?", "The bridge was approved in 1998.", 1.0),
        ("When was the bridge approved?", "The council approved the bridge.", 0.0),
        ("Who approved the bridge?", "The bridge was approved by Mayor Lund.", 1.0),
        ("Who approved the bridge?", "The bridge was approved by the council.", 0.0),
        ("Where was the final played?", "The final was played at Lakeside Park.", 1.0),
        ("Where did she speak?", "She spoke in the Detroit suburb of Warren.", 1.0),
        ("Where did she speak?", "She spoke after meeting Governor Lund.", 0.0),  # a name, but no place
        ("Where did she speak?", "She spoke about Russia.", 1.0),  # a country
        ("Where did she speak?", "She spoke in August.", 0.0),  # a month after "in" is a date
        ("Where did she speak?", "She spoke at Monday's rally.", 0.0),  # and so is a weekday
        ("Where did she speak?", "She spoke in Aug. at Lakeside Park.", 1.0),
        ("Why was the bridge approved?", "The bridge was approved in 1998.", 0.0),  # no type asked
    ],
)
def test_answer_type_is_a_new_answer_of_the_kind_asked(question: str, sentence: str, expected: float) -> None:
    q = context(question)
    c = candidate(sentence)
    assert rank.answer_type(q, c) == expected
    assert rank.answer_type_missing(q, c) == float(q.query.answer_type is not None and not expected)


def test_answer_type_ignores_what_the_question_already_says() -> None:
    assert rank.answer_type(context("How many of the 12 villages fell?"), candidate("The 12 villages fell.")) == 0.0


def test_speaker_named_and_speaker_asked() -> None:
    q = context("What did Khan say about Islam?")
    assert rank.speaker_named(q, candidate("Islam is peace.", speaker="Sadiq Khan")) == 1.0
    assert rank.speaker_named(q, candidate("Islam is peace.", speaker="Donald Trump")) == 0.0
    assert rank.speaker_named(q, candidate("Islam is peace.")) == 0.0
    who = context("Who said the plan was unfair?")
    assert rank.speaker_asked(who, candidate("The plan is unfair.", speaker="Ann Lee")) == 1.0
    assert rank.speaker_asked(who, candidate("The plan is unfair.")) == 0.0


def test_novelty_length_lead_unseen() -> None:
    q = context("bridge vote", {"bridg": 1.0, "vote": 3.0}, known={"bridg"})
    c = candidate("The bridge cost millions.", first=True)  # terms: bridg, cost, million
    assert rank.novelty(q, c) == pytest.approx(2 / 3)
    assert rank.length(q, c) == pytest.approx(math.log1p(3) / 4)
    assert rank.lead(q, c) == 1.0 and rank.lead(q, candidate("x")) == 0.0
    assert rank.unseen(q, c) == 0.75


def test_feature_matrix_has_one_row_per_candidate_in_the_named_order() -> None:
    q = context("bridge vote")
    both = [candidate("The bridge."), candidate("A vote on the bridge.")]
    rows = rank.feature_matrix(q, both, ["term_share", "lead"])
    assert rows.tolist() == [[0.5, 0.0], [1.0, 0.0]]
    assert rank.feature_matrix(q, [], ["lead"]).shape == (0, 1)


def test_the_shipped_model_names_only_known_features_and_sane_thresholds() -> None:
    m = rank.model()
    assert set(m.features) <= set(rank.FEATURES)
    assert set(m.decision_features) <= set(rank.FEATURES) | set(rank.DECISION_EXTRA)
    assert 0 < m.more_threshold <= 1 and 0 < m.answer_threshold < 1
    # covering the question must raise a candidate's score: the fit found what a reader would
    assert m.weights[m.features.index("coverage")] > 0


def test_decision_probability_rises_with_the_lead_over_the_others() -> None:
    m = rank.model()
    x = np.zeros((2, len(m.features)))
    assert m.probability(np.array([3.0, 0.0]), x, 0) > m.probability(np.array([3.0, 2.9]), x, 0)


def test_similarity_soft_coverage_and_paraphrase_with_hand_made_vectors() -> None:
    """Two question words weighing 1 and 3; the sentence has the first and a near synonym (cos 0.8) of the second."""
    east, north = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    near_north = np.array([0.6, 0.8])
    q = context("bridge guards", {"bridg": 1.0, "guard": 3.0})
    q = replace(q, vector=north, word_vectors=np.stack([east, north]), word_weights=np.array([1.0, 3.0]))
    c = replace(candidate("The bridge personnel."), vector=near_north, word_vectors=np.stack([east, near_north]))
    assert rank.similarity(q, c) == pytest.approx(0.8)
    assert rank.soft_coverage(q, c) == pytest.approx((1 * 1.0 + 3 * 0.8) / 4)
    assert rank.coverage(q, c) == pytest.approx(1 / 4)
    assert rank.paraphrase(q, c) == pytest.approx((1 + 2.4) / 4 - 1 / 4)


def test_without_vectors_soft_coverage_is_coverage() -> None:
    q = context("bridge guards", {"bridg": 1.0, "guard": 3.0})
    c = candidate("The bridge personnel.")
    assert rank.similarity(q, c) == 0.0
    assert rank.soft_coverage(q, c) == rank.coverage(q, c) and rank.paraphrase(q, c) == 0.0
