"""Rendering replies as plain text and Telegram HTML."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.answer import Answer, Reply, ask
from bot.library import Library, Located
from bot.records import Speaker
from bot.render import TELEGRAM_LIMIT, render_html, render_text
from tests.helpers import CORPUS


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load(CORPUS)


class _Tags(HTMLParser):
    """Collects tags, failing on any tag Telegram would not accept."""

    ALLOWED = frozenset({"b", "i", "blockquote", "a", "code", "pre"})

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        assert tag in self.ALLOWED, tag
        self.tags.append(tag)


def _tags(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_html_quotes_each_answer_and_names_the_speaker(library: Library) -> None:
    html = render_html(ask(library, "How far have Ukrainian forces advanced into Russia?"))
    assert html.startswith("<blockquote>He added that Ukrainian forces had advanced approximately 7.5 miles")
    assert "— <b>Aleksey Smirnov</b>, acting head of the Kursk region" in html
    assert _tags(html).count("blockquote") == len(
        ask(library, "How far have Ukrainian forces advanced into Russia?").answers
    )


def test_narrator_sentences_are_credited_to_the_source(library: Library) -> None:
    html = render_html(ask(library, "Did CNN verify the claims?"))
    assert "— <b>CNN</b>" in html


def test_text_rendering_numbers_quotes_and_says_where_from(library: Library) -> None:
    text = render_text(ask(library, "How many people were advised to evacuate?"))
    assert text.startswith("1. “Smirnov reported that 180,000 people")
    assert "— Aleksey Smirnov, acting head of the Kursk region" in text
    assert "000_ffa75115645ef01b.txt, sentence 13" in text


def test_no_answer_text_has_a_hint() -> None:
    text = render_text(Reply("q?", status="no_answer"), ["What did Doe say?"])
    assert text.startswith("I couldn't find that in the article.") and "What did Doe say?" in text


def _fake_answer(library: Library, text: str, name: str) -> Answer:
    located = library.locate(0)
    sentence = replace(located.sentence, text=text, speaker=Speaker(name=name, role="<role>", kind="direct"))
    return Answer(Located(located.article, sentence), 1.0)


def test_html_escapes_everything_from_the_article_and_the_user(library: Library) -> None:
    answer = _fake_answer(library, "Tom & Jerry <script>alert(1)</script>", "A <b>B</b>")
    html = render_html(Reply("<q>", (answer,), lead="<Lead & co>"))
    assert "<script>" not in html and "&lt;script&gt;" in html and "Tom &amp; Jerry" in html
    assert "A &lt;b&gt;B&lt;/b&gt;" in html and "&lt;Lead &amp; co&gt;" in html
    assert _tags(html) == ["b", "blockquote", "b"]
    problem = render_html(Reply("x", status="unknown_speaker", subject="<Zed & Co>"))
    assert "&lt;Zed &amp; Co&gt;" in problem


def test_html_never_exceeds_telegram_limit(library: Library) -> None:
    long_answers = tuple(_fake_answer(library, "word & " * 700, f"Speaker {i}") for i in range(3))
    html = render_html(Reply("q", long_answers))
    assert len(html) <= TELEGRAM_LIMIT
    assert html.count("<blockquote>") == html.count("</blockquote>") >= 1
    _tags(html)


def test_example_questions_in_hints_come_from_the_corpus(library: Library, tmp_path: Path) -> None:
    from bot.answer.examples import example_questions

    examples = example_questions(library)
    assert 1 <= len(examples) <= 3
    for q in examples:
        assert ask(library, q).status == "answered", q
