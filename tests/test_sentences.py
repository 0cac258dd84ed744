"""Tests for bot.sentences: tables of input and expected sentences, one per rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot import sentences
from bot.corpus import parse_article
from bot.rules import words
from bot.sentences import JOIN_RULES, MASK_RULES, SPLIT_RULES, split, split_spans
from tests.helpers import SEED, gold

ROOT = Path(__file__).resolve().parents[1]


def _golden_params() -> list[Any]:
    data = json.loads((ROOT / "tests" / "data" / "golden_rules_en.json").read_text(encoding="utf-8"))
    return [
        pytest.param(
            case["text"],
            case["expected"],
            id=f"{case['id']:02d}-{case['name']}",
            marks=[pytest.mark.xfail(strict=True, reason=case["known_miss"])] if "known_miss" in case else [],
        )
        for case in data["cases"]
    ]


@pytest.mark.parametrize(("text", "expected"), _golden_params())
def test_golden_rules(text: str, expected: list[str]) -> None:
    """pySBD's English Golden Rules; see bench/golden_rules.py for the score."""
    assert split(text) == expected


NEWS_CASES = [
    # Titles and ranks before names
    (
        "Gov. Gavin Newsom spoke. Sen. Chuck Schumer and Rep. Nancy Pelosi agreed. Lt. Col. John Smith came.",
        [
            "Gov. Gavin Newsom spoke.",
            "Sen. Chuck Schumer and Rep. Nancy Pelosi agreed.",
            "Lt. Col. John Smith came.",
        ],
    ),
    (
        "Gen. Mark Milley met Dr. Jill Biden, Mr. Smith, Mrs. Jones, Ms. Lee and Prof. Xu. They talked.",
        ["Gen. Mark Milley met Dr. Jill Biden, Mr. Smith, Mrs. Jones, Ms. Lee and Prof. Xu.", "They talked."],
    ),
    # Country abbreviations, in the middle and at the end of a sentence
    (
        "The U.S. and U.K. joined the U.N. and the E.U. in condemning it. He lives in the U.S. He works.",
        [
            "The U.S. and U.K. joined the U.N. and the E.U. in condemning it.",
            "He lives in the U.S.",
            "He works.",
        ],
    ),
    (
        "It happened in Washington, D.C. The president was there.",
        ["It happened in Washington, D.C.", "The president was there."],
    ),
    # Dates, times, numbers with "No."
    (
        "On Aug. 12 and Sept. 3, at 9 a.m. and 5 p.m., the No. 1 seed played. It won on Jan. 5 and Feb. 2.",
        [
            "On Aug. 12 and Sept. 3, at 9 a.m. and 5 p.m., the No. 1 seed played.",
            "It won on Jan. 5 and Feb. 2.",
        ],
    ),
    (
        "He said no. Trump then left. It is No. 1 in the U.S.",
        ["He said no.", "Trump then left.", "It is No. 1 in the U.S."],
    ),
    (
        "The meeting ended at 10 p.m. The vote was delayed.",
        ["The meeting ended at 10 p.m.", "The vote was delayed."],
    ),
    # Companies and suffixes after names
    (
        "Apple Inc., Microsoft Corp., Acme Ltd. and Pitt & Co. won. Apple Inc. It said so.",
        ["Apple Inc., Microsoft Corp., Acme Ltd. and Pitt & Co. won.", "Apple Inc.", "It said so."],
    ),
    (
        "Martin Luther King Jr. and John Smith Sr. came. He lives on Main St. near the park.",
        ["Martin Luther King Jr. and John Smith Sr. came.", "He lives on Main St. near the park."],
    ),
    # Latin
    (
        "It was Biden vs. Trump, etc. and more, e.g. this, i.e. that. Smith et al. found it.",
        ["It was Biden vs. Trump, etc. and more, e.g. this, i.e. that.", "Smith et al. found it."],
    ),
    # Initials
    (
        "J. R. R. Tolkien wrote it. George W. Bush agreed. Roe v. Wade was overturned.",
        ["J. R. R. Tolkien wrote it.", "George W. Bush agreed.", "Roe v. Wade was overturned."],
    ),
    # Decimals, thousands, money
    (
        "It rose 7.5% to 1,000 units, or $3.5 billion. Pi is 3.14. That is all.",
        ["It rose 7.5% to 1,000 units, or $3.5 billion.", "Pi is 3.14.", "That is all."],
    ),
    # Quotes closing after the period
    ("He left.\u201d Then she came.", ["He left.\u201d", "Then she came."]),
    ('He left." Then she came.', ['He left."', "Then she came."]),
    (
        "\u201cWe are here,\u201d he said. \u2018Yes.\u2019 Then more.",
        ["\u201cWe are here,\u201d he said.", "\u2018Yes.\u2019", "Then more."],
    ),
    # Question and exclamation marks inside quotes
    ("\u201cWhy?\u201d she asked.", ["\u201cWhy?\u201d she asked."]),
    ("\u201cWhy?\u201d Nobody knew.", ["\u201cWhy?\u201d", "Nobody knew."]),
    (
        "He asked, \u201cIs it over?\u201d The answer was no.",
        ["He asked, \u201cIs it over?\u201d", "The answer was no."],
    ),
    # A quoted question or exclamation, then its speaker (issue 10), in three house styles
    ("\u201cWho pays?\u201d Sen. Ana Ruiz demanded.", ["\u201cWho pays?\u201d Sen. Ana Ruiz demanded."]),
    ("''Why not?'' Mrs. Lee asked. She left.", ["''Why not?'' Mrs. Lee asked.", "She left."]),
    ('"We won!" Ana Ruiz wrote on Facebook.', ['"We won!" Ana Ruiz wrote on Facebook.']),
    ("\u201cWho pays?\u201d The answer is nobody.", ["\u201cWho pays?\u201d", "The answer is nobody."]),
    # A party tag in parentheses stays with its senator (issue 10)
    (
        "On Monday, Sen. Ana Ruiz (D-Mass.), another critic, spoke. It ended.",
        ["On Monday, Sen. Ana Ruiz (D-Mass.), another critic, spoke.", "It ended."],
    ),
    # Ellipses
    ("Wait... what?", ["Wait... what?"]),
    ("He paused\u2026 then went on. It ended.", ["He paused\u2026 then went on.", "It ended."]),
    ("I never meant that.... She left.", ["I never meant that....", "She left."]),
    # URLs and e-mail addresses
    (
        "Visit www.cnn.com for more. Email news@cnn.com. Thanks.",
        ["Visit www.cnn.com for more.", "Email news@cnn.com.", "Thanks."],
    ),
    # Parentheses
    (
        "He said (citing Reuters) that it was over. (It was not.) Then it ended.",
        ["He said (citing Reuters) that it was over.", "(It was not.)", "Then it ended."],
    ),
    # Ordinary words that look like abbreviations still end sentences
    ("He fell ill. Doctors said he would recover.", ["He fell ill.", "Doctors said he would recover."]),
    ("He is a sales rep. She is a manager.", ["He is a sales rep.", "She is a manager."]),
    # A sentence may start with a lowercase brand; an unknown abbreviation is not a sentence end
    (
        "It sold well. iPhone sales rose. He won 3 pts. in all.",
        ["It sold well.", "iPhone sales rose.", "He won 3 pts. in all."],
    ),
    (
        "He lives in the U.S. (He moved in 2010.) He likes it.",
        ["He lives in the U.S.", "(He moved in 2010.)", "He likes it."],
    ),
    # AP names, places and times that must stay in one sentence
    (
        "Sen. Mitch McConnell, R-Ky., said Lt. Gen. Robert P. Ashley Jr. met the U.N. Security Council.",
        ["Sen. Mitch McConnell, R-Ky., said Lt. Gen. Robert P. Ashley Jr. met the U.N. Security Council."],
    ),
    (
        "Washington, D.C., police said the No. 2 official in St. Louis left at 3 p.m. Monday. He did.",
        ["Washington, D.C., police said the No. 2 official in St. Louis left at 3 p.m. Monday.", "He did."],
    ),
    (
        "A.J. Smith hosted the show with J.B. The crowd cheered.",
        ["A.J. Smith hosted the show with J.B.", "The crowd cheered."],
    ),
    # Degrees
    (
        "He earned a Ph.D. in 1990. She has an M.D. from Harvard.",
        ["He earned a Ph.D. in 1990.", "She has an M.D. from Harvard."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), NEWS_CASES)
def test_news_text(text: str, expected: list[str]) -> None:
    assert split(text) == expected


# One example per rule in bot.sentences, named as the rule; a new rule needs a row here.
RULE_CASES = {
    "SpacedEllipsis": (
        "the thing is . . . I didn\u2019t mean it.",
        ["the thing is . . . I didn\u2019t mean it."],
    ),
    "QuestionOrExclamationThenLowercase": (
        "She works at Yahoo! in Boston.",
        ["She works at Yahoo! in Boston."],
    ),
    "AbbreviationThenQuotedStarter": (
        "He lives in the U.S. \u201cIt is great,\u201d he said.",
        ["He lives in the U.S.", "\u201cIt is great,\u201d he said."],
    ),
    "QuotedQuestionThenSpeaker": (
        "\u201cWho pays for this?\u201d Sen. Ana Ruiz demanded. \u201cWhy?\u201d Nobody knew.",
        ["\u201cWho pays for this?\u201d Sen. Ana Ruiz demanded.", "\u201cWhy?\u201d", "Nobody knew."],
    ),
    "PartyTagInParentheses": (
        "Sen. Ana Ruiz (D-Ore.), another critic, said the bill would fail. It did.",
        ["Sen. Ana Ruiz (D-Ore.), another critic, said the bill would fail.", "It did."],
    ),
    "PeriodThenLowercase": ('He said, "This is great." she said.', ['He said, "This is great." she said.']),
    "ListMarker": ("1. The first item. 2. The second item.", ["1. The first item.", "2. The second item."]),
    "TitleBeforeName": (
        "Rep. Will Hurd spoke. Mr. He Lifeng agreed.",
        ["Rep. Will Hurd spoke.", "Mr. He Lifeng agreed."],
    ),
    "InitialsBeforeName": (
        "Illinois Gov. J.B. Pritzker declared an emergency. He met R.J. O\u2019Neill at the U.N. He left.",
        [
            "Illinois Gov. J.B. Pritzker declared an emergency.",
            "He met R.J. O\u2019Neill at the U.N.",
            "He left.",
        ],
    ),
}


def test_every_rule_has_a_case() -> None:
    names = [r.name for r in MASK_RULES] + [r.name for r in SPLIT_RULES] + [r.name for r in JOIN_RULES]
    assert set(RULE_CASES) == set(names)


@pytest.mark.parametrize(("text", "expected"), RULE_CASES.values(), ids=RULE_CASES.keys())
def test_rule(text: str, expected: list[str]) -> None:
    assert split(text) == expected


@pytest.mark.parametrize("name", RULE_CASES)
def test_rule_is_needed(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the rule its example goes wrong: no rule is dead weight."""
    for attribute in ("MASK_RULES", "SPLIT_RULES", "JOIN_RULES"):
        rules = getattr(sentences, attribute)
        monkeypatch.setattr(sentences, attribute, tuple(rule for rule in rules if rule.name != name))
    text, expected = RULE_CASES[name]
    assert split(text) != expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I work for the U.S.\nGovernment in Virginia.", ["I work for the U.S.", "Government in Virginia."]),
        ("Mr.\nSmith left", ["Mr.", "Smith left"]),
        ("One line\r\nTwo lines\rThree\u2028Four", ["One line", "Two lines", "Three", "Four"]),
        ("  First.  Second.  \n\n   \n\tThird.\t", ["First.", "Second.", "Third."]),
        ("no end mark", ["no end mark"]),
    ],
)
def test_line_breaks_are_hard_boundaries(text: str, expected: list[str]) -> None:
    assert split(text) == expected


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\r\n \u00a0\u2028 "])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert split_spans(text) == []
    assert split(text) == []


def _assert_spans_valid(text: str) -> None:
    spans = split_spans(text)
    assert [text[start:end] for start, end in spans] == split(text)
    previous_end = 0
    for start, end in spans:
        sentence = text[start:end]
        assert previous_end <= start < end
        assert sentence == sentence.strip()
        assert "\n" not in sentence
        previous_end = end


@pytest.mark.parametrize(
    "text",
    [
        *(text for text, _ in NEWS_CASES),
        "\u0645\u0631\u062d\u0628\u0627. \u0643\u064a\u0641 \u062d\u0627\u0644\u0643\u061f",  # Arabic
        "\u05e9\u05dc\u05d5\u05dd. \u05de\u05d4 \u05e9\u05dc\u05d5\u05de\u05da? Mixed RTL.",  # Hebrew
        "Great news! \U0001f389\U0001f389 We won. \U0001f1fa\U0001f1e6 Slava! \U0001f44d\U0001f3fd",
        "\u200bZero\u200b width. \ufeffBOM. Mixed\u00a0space.",
        "...",
        ". . . .",
        "?!",
        "\u201c\u201d",
    ],
)
def test_offsets_are_exact(text: str) -> None:
    _assert_spans_valid(text)


def test_long_input_keeps_exact_offsets() -> None:
    sentences = "Gov. Smith said the U.S. economy grew 3.5% in Q2. \u201cIt is good,\u201d he said. "
    text = (sentences * 200)[:10_000]
    assert len(split_spans(text)) >= 250
    _assert_spans_valid(text)


def test_single_long_line_without_punctuation() -> None:
    text = "word " * 2_000
    assert split(text) == [text.strip()]


def test_seed_article_has_17_gold_sentences() -> None:
    """The seed body as the loader splits it (headline and the closing boilerplate line dropped)."""
    article = parse_article(SEED.read_text(encoding="utf-8"), SEED)
    sentences = [s.text for s in article.sentences]
    assert len(sentences) == 17
    keys = [item["key"] for item in gold()["sentences"]]
    assert all(key in sentence for key, sentence in zip(keys, sentences, strict=True))


def test_abbreviation_file_format() -> None:
    """Punkt compares lowercase types without the final period; anything else never matches."""
    entries = words("abbreviations.txt")
    assert not [word for word in entries if word.endswith(".") or " " in word]
