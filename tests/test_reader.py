"""bot.corpus.reader: finding the link in a message, naming saved files, saving into a corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.extract import Extracted
from bot.corpus.reader import find_link, save_article, slug


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("https://example.com/a.html", "https://example.com/a.html"),
        ("Look at this: https://example.com/news/a?id=7&x=1.", "https://example.com/news/a?id=7&x=1"),
        ("(see http://example.com/a)", "http://example.com/a"),
        ("https://en.wikipedia.org/wiki/Kursk_(city), read it", "https://en.wikipedia.org/wiki/Kursk_(city)"),
        ("«https://example.com/x»", "https://example.com/x"),
        ("two: https://a.example/1 and https://b.example/2", "https://a.example/1"),
        ("HTTPS://EXAMPLE.COM/A", "HTTPS://EXAMPLE.COM/A"),
        ("no link here, just example.com", None),
        ("ftp://example.com/file", None),
        ("", None),
    ],
)
def test_find_link(text: str, link: str | None) -> None:
    assert find_link(text) == link


def test_slug() -> None:
    assert slug("Putin’s Pledge: Kursk! Zoë's café, 2024") == "putins-pledge-kursk-zoes-cafe-2024"
    assert slug("¿¡…!?") == "article"


def test_save_article_same_title_without_url_rewrites_different_title_adds(tmp_path: Path) -> None:
    first = save_article(Extracted(title="A Story", paragraphs=("One.",)), tmp_path)
    again = save_article(Extracted(title="A Story", paragraphs=("Two.",)), tmp_path)
    other = save_article(Extracted(title="A Story", paragraphs=("Three.",), url="https://e.com/x"), tmp_path)
    assert first == again and "Two." in again.read_text(encoding="utf-8")
    assert other == tmp_path / "a-story-2.txt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-story-2.txt", "a-story.txt"]
