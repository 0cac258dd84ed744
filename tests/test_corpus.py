"""The corpus loader: front matter, headline, paragraphs, boilerplate, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus import is_boilerplate, load_article, load_corpus, parse_article, parse_front_matter
from bot.errors import CorpusError
from tests.helpers import SEED, gold, write_article

STORY = """---
source: Example Wire
url: https://example.com/story
published: 2024-05-01
---
"Council Votes on New Bridge"
The city council voted 7-2 on Tuesday to fund a new bridge. The project will cost $3.5 billion.
"We need this bridge," said Mayor Jane Doe.
Let your voice be heard! Share your thoughts and ignite discussions.
"""


def test_seed_has_17_body_sentences_headline_apart_and_no_boilerplate() -> None:
    article = load_article(SEED)
    texts = [s.text for s in article.sentences]
    assert len(texts) == 17
    assert article.title == gold()["title"]
    assert article.source == "CNN"
    assert not any(b in t for b in gold()["boilerplate"] for t in texts)
    assert not any(article.title in t for t in texts)
    for key in (s["key"] for s in gold()["sentences"]):
        assert sum(key in t for t in texts) == 1, key


def test_offsets_point_into_the_file_text() -> None:
    article = load_article(SEED)
    text = SEED.read_text(encoding="utf-8")
    assert article.text == text
    for i, s in enumerate(article.sentences):
        assert text[s.start : s.end] == s.text
        assert s.index == i


def test_front_matter_metadata_and_paragraphs(tmp_path: Path) -> None:
    article = load_article(write_article(tmp_path, "story.txt", STORY))
    assert article.title == "Council Votes on New Bridge"
    assert (article.source, article.url, article.published) == (
        "Example Wire",
        "https://example.com/story",
        "2024-05-01",
    )
    assert [s.text for s in article.sentences] == [
        "The city council voted 7-2 on Tuesday to fund a new bridge.",
        "The project will cost $3.5 billion.",
        '"We need this bridge," said Mayor Jane Doe.',
    ]
    assert [s.paragraph for s in article.sentences] == [0, 0, 1]


def test_front_matter_title_overrides_the_headline_line(tmp_path: Path) -> None:
    text = "---\ntitle: Short title\n---\nA much longer headline\nBody sentence here.\n"
    assert load_article(write_article(tmp_path, "a.txt", text)).title == "Short title"


def test_unclosed_front_matter_is_plain_text() -> None:
    assert parse_front_matter("---\nsource: X\nno closing fence\n") == ({}, 0)


def test_windows_newlines_and_bom(tmp_path: Path) -> None:
    path = write_article(tmp_path, "w.txt", "\ufeffHeadline\r\nFirst sentence. Second one.\r\n".encode())
    article = load_article(path)
    assert article.title == "Headline"
    assert [s.text for s in article.sentences] == ["First sentence.", "Second one."]


def test_a_single_paragraph_file_has_no_headline_to_drop(tmp_path: Path) -> None:
    article = load_article(write_article(tmp_path, "one.txt", "Only one line. It has two sentences.\n"))
    assert [s.text for s in article.sentences] == ["Only one line.", "It has two sentences."]
    assert article.title == "one"


@pytest.mark.parametrize(
    ("sentence", "boilerplate"),
    [
        ("Let your voice be heard!", True),
        ("Share your thoughts and ignite discussions.", True),
        ("Sign up for our daily newsletter.", True),
        ("Advertisement", True),
        ("Residents said they want their voice to be heard in the council.", False),
        ("The minister will share her thoughts on the budget on Friday.", False),
        # look like the archive, markup and credit lines of boilerplate.txt, but are article text
        ("The abstract painting sold for $2 million.", False),
        ("Reporting by the Herald showed the fraud.", False),
        ("CNN reported from the scene that three people died.", False),
        ("He said: we will win; they lost.", False),
        ("Scott Olson via Getty Images.", True),
        ("Reuters reported that the port closed.", False),
        ("Getty Images said it would appeal the ruling.", False),
    ],
)
def test_boilerplate_patterns(sentence: str, boilerplate: bool) -> None:
    assert is_boilerplate(sentence) is boilerplate


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no article text"),
        (b"\n\n   \n", "no article text"),
        (b"Caf\xe9 closes\nThe caf\xe9 closed.\n", "not UTF-8"),
        (b"---\nsource: X\n---\n", "no article text"),
    ],
)
def test_bad_files_raise_an_error_naming_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = write_article(tmp_path, "bad.txt", content)
    with pytest.raises(CorpusError, match=message) as info:
        load_article(path)
    assert "bad.txt" in str(info.value)


def test_a_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    write_article(tmp_path, "good.txt", STORY)
    write_article(tmp_path, "latin1.txt", b"Headline\nCaf\xe9 au lait.\n")
    corpus = load_corpus(tmp_path)
    assert [a.name for a in corpus.articles] == ["good.txt"]
    assert len(corpus.problems) == 1 and "latin1.txt" in str(corpus.problems[0])


def test_articles_in_subfolders_load_and_hidden_folders_are_skipped(tmp_path: Path) -> None:
    write_article(tmp_path / "2024", "a.txt", STORY)
    write_article(tmp_path / ".index", "cache.txt", STORY)
    assert [a.name for a in load_corpus(tmp_path).articles] == ["a.txt"]


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p / "missing",
        lambda p: p,  # exists, but holds no *.txt
        lambda p: write_article(p, "notes.md", "x"),  # a file, not a directory
    ],
)
def test_unusable_corpus_dir_names_the_path(tmp_path: Path, make) -> None:
    path = make(tmp_path)
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    assert str(path) in str(info.value)


def test_all_files_bad_is_an_error_listing_why(tmp_path: Path) -> None:
    write_article(tmp_path, "empty.txt", "")
    with pytest.raises(CorpusError, match=r"empty\.txt"):
        load_corpus(tmp_path)


@pytest.mark.parametrize(
    ("first_line", "source"),
    [
        ("CHICAGO (AP) — A storm knocked out power on Wednesday.", "AP"),
        ("KYIV, Ukraine (CNN) — Drones struck the city overnight.", "CNN"),
        ("LONDON (Reuters) - Shares fell on Monday.", "Reuters"),
        ("The mayor (a Democrat) - who else - spoke.", None),
        ("Officials said (on Monday) that roads were closed.", None),
    ],
)
def test_source_from_a_wire_dateline(tmp_path: Path, first_line: str, source: str | None) -> None:
    article = load_article(write_article(tmp_path, "wire.txt", f"Headline\n{first_line}\n"))
    assert article.source == source


def test_front_matter_source_wins_over_the_dateline(tmp_path: Path) -> None:
    text = "---\nsource: The Daily\n---\nHeadline\nCHICAGO (AP) — A storm hit.\n"
    assert load_article(write_article(tmp_path, "wire.txt", text)).source == "The Daily"


def test_an_attribution_failure_keeps_the_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Should a speaker rule ever raise, the article still loads, credited to its source, and it is logged."""
    import bot.corpus.article

    def broken(sentences, source=None):
        raise IndexError("a rule bug")

    monkeypatch.setattr(bot.corpus.article, "attribute", broken)
    article = load_article(write_article(tmp_path, "story.txt", STORY))
    assert len(article.sentences) == 3
    assert {s.speaker.kind for s in article.sentences} == {"narrator"}
    assert {s.speaker.name for s in article.sentences} == {"Example Wire"}
    assert "story.txt: speaker attribution failed" in caplog.text


@pytest.mark.parametrize("junk", ["!!!", '"""""', "\u200b\u200b", "\x07\x08", "* * *"])
def test_lines_without_words_are_not_sentences(tmp_path: Path, junk: str) -> None:
    article = load_article(write_article(tmp_path, "j.txt", f"Headline\nA real sentence.\n{junk}\n"))
    assert [s.text for s in article.sentences] == ["A real sentence."]


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Historic Climate Deal Adopted In Paris", True),
        ("What Happens Next", True),
        ("Prices rose sharply", False),  # sentence case: a fragment of text, kept
        ("The Mayor Said No.", False),  # ends like a sentence
        ("SHORT READS:", False),
        ("Two Words", False),
    ],
)
def test_title_case_subheadings_are_no_sentences(line: str, heading: bool) -> None:
    """Issue 10: a section heading inside the body is neither a sentence nor a speaker's words."""
    article = parse_article(f"Headline\nThe storm hit at dawn.\n{line}\nRoads were closed.\n", Path("a.txt"))
    assert (line not in [s.text for s in article.sentences]) is heading
