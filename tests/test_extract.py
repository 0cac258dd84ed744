"""bot.corpus.extract on pages served over real HTTP in real-world layouts: body, metadata, charsets, no article."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus import parse_article
from bot.corpus.extract import Extracted, article_text, decode_html, extract_file, extract_page
from bot.corpus.fetch import AddressPolicy, fetch
from bot.errors import ExtractError
from tests import pages
from tests.web_server import WebServer

OPEN = AddressPolicy(allow_private=True)


async def read(url: str) -> Extracted:
    return extract_page(await fetch(url, OPEN))


async def no_article(url: str) -> str:
    with pytest.raises(ExtractError) as caught:
        await read(url)
    return str(caught.value)


async def test_article_page_without_comments_related_links_or_furniture(web: WebServer) -> None:
    article = await read(web.page("/story", pages.article_page()))
    assert article.title == pages.HEADLINE
    assert article.paragraphs == pages.BODY
    assert (article.source, article.published, article.authors) == ("Harbour Gazette", "2024-08-13", ("Jane Doe",))
    assert article.url == web.url("/story")
    text = article.text
    for furniture in (*pages.COMMENTS, *pages.RELATED, "Share on", "All rights reserved", "Sport"):
        assert furniture not in text


async def test_json_ld_metadata(web: WebServer) -> None:
    article = await read(web.page("/bridge", pages.json_ld_page()))
    assert article.title == "Council Approves New Bridge Over the River"  # the JSON-LD headline, not <title>
    assert article.source == "River Times"  # the publisher, not the WebSite node
    assert article.published == "2023-03-05"
    assert article.authors == ("Ana Lima", "Ben Ode")
    assert article.paragraphs[0].startswith("The city council approved a new bridge")
    assert "Ferry timetable" not in article.text


async def test_amp_page(web: WebServer) -> None:
    article = await read(web.page("/amp", pages.amp_page()))
    assert article.title == "Library Opens Late on Weekdays"
    assert article.source == "City Post"
    assert len(article.paragraphs) == 3 and "Omar Haddad" in article.paragraphs[1]
    assert "visibility" not in article.text and "vars" not in article.text


async def test_title_suffix_naming_the_site_is_dropped(web: WebServer) -> None:
    html = pages.article_page().replace(f'<meta property="og:title" content="{pages.HEADLINE}">', "")
    assert (await read(web.page("/t", html))).title == pages.HEADLINE  # "<title>… | Harbour Gazette" cut


# ---------------------------------------------------------------- charsets

QUOTED = (
    "“Café prices rose by a fifth,” said Zoë Ångström, who runs the café on the pier — "
    "and she was not alone in saying so."
)
BODY = (QUOTED, *pages.BODY[1:])


@pytest.mark.parametrize(
    ("label", "where"),
    [
        ("windows-1252", "header"),
        ("windows-1252", "meta"),
        ("ISO-8859-1", "header"),
        ("ISO-8859-1", "meta"),
        ("latin1", "meta"),
        ("UTF-8", "header"),
        ("utf-8", "meta"),
        (None, "nowhere: utf-8"),
        (None, "nowhere: windows-1252"),
    ],
)
async def test_charsets_from_header_or_meta(web: WebServer, label: str | None, where: str) -> None:
    encoding = (
        "cp1252" if (label or where).lower().replace("_", "-").endswith(("1252", "8859-1", "latin1")) else "utf-8"
    )
    html = pages.article_page(body=BODY, charset=label if where == "meta" else None)
    content_type = f"text/html; charset={label}" if where == "header" else "text/html"
    article = await read(web.page("/c", html.encode(encoding), content_type=content_type))
    assert article.paragraphs[0] == QUOTED


async def test_header_charset_wins_over_meta(web: WebServer) -> None:
    html = pages.article_page(body=BODY, charset="utf-8")  # the meta is wrong; the header is right
    article = await read(web.page("/c", html.encode("cp1252"), content_type="text/html; charset=windows-1252"))
    assert article.paragraphs[0] == QUOTED


async def test_xhtml_with_an_xml_declaration(web: WebServer) -> None:
    html = pages.article_page(body=BODY, charset=None).replace(
        "<!DOCTYPE html>", '<?xml version="1.0" encoding="ISO-8859-1"?>'
    )
    html = html.replace('<html lang="en">', '<html xmlns="http://www.w3.org/1999/xhtml" lang="en">')
    article = await read(web.page("/x", html.encode("cp1252"), content_type="application/xhtml+xml"))
    assert article.paragraphs[0] == QUOTED


def test_decode_html_falls_back_to_windows_1252_for_invalid_utf8() -> None:
    assert decode_html("“Olá”".encode("cp1252"), "utf-8") == "“Olá”"


# ---------------------------------------------------------------- plain text and files


async def test_plain_text_page(web: WebServer) -> None:
    text = pages.HEADLINE + "\n" + "\n".join(pages.BODY) + "\n"
    article = await read(web.page("/t.txt", text, content_type="text/plain; charset=utf-8"))
    assert (article.title, article.paragraphs, article.url) == (pages.HEADLINE, pages.BODY, web.url("/t.txt"))


def test_html_and_txt_files(tmp_path: Path) -> None:
    html = tmp_path / "story.htm"
    html.write_bytes(pages.article_page(body=BODY, charset="windows-1252").encode("cp1252"))
    assert extract_file(html).paragraphs == BODY
    txt = tmp_path / "story.txt"
    txt.write_text(
        "---\nsource: Gazette\nurl: https://example.com/a\n---\n" + pages.HEADLINE + "\n" + "\n".join(pages.BODY),
        encoding="utf-8",
    )
    article = extract_file(txt)
    assert (article.title, article.source, article.url, article.paragraphs) == (
        pages.HEADLINE,
        "Gazette",
        "https://example.com/a",
        pages.BODY,
    )


# ---------------------------------------------------------------- no article


async def test_a_login_wall_is_named(web: WebServer) -> None:
    assert "log in or subscribe" in await no_article(web.page("/wall", pages.login_page()))


async def test_an_empty_page_is_named(web: WebServer) -> None:
    assert "empty" in await no_article(web.page("/empty", "<html><head></head><body>  </body></html>"))
    assert "empty" in await no_article(web.page("/nothing", b""))


async def test_a_page_of_links_is_no_article(web: WebServer) -> None:
    assert "no article text" in await no_article(web.page("/front", pages.links_page()))


# ---------------------------------------------------------------- into the corpus format


async def test_article_text_round_trips_through_the_corpus_parser(web: WebServer) -> None:
    extracted = await read(web.page("/story", pages.article_page()))
    text = article_text(extracted)
    assert text.startswith(
        "---\nsource: Harbour Gazette\nurl: " + web.url("/story") + "\npublished: 2024-08-13\n"
        "authors: Jane Doe\ntitle: " + pages.HEADLINE + "\n---\n" + pages.HEADLINE + "\n"
    )
    article = parse_article(text, Path("story.txt"))
    assert (article.title, article.source, article.url, article.published) == (
        pages.HEADLINE,
        "Harbour Gazette",
        web.url("/story"),
        "2024-08-13",
    )
    assert [s.text for s in article.sentences] == list(pages.BODY)
    assert article.sentences[1].speaker.name == "Maria Olsen"
