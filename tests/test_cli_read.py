"""``python -m bot extract`` and ``add`` in a subprocess against a real HTTP server; .html files in the corpus."""

from __future__ import annotations

import json
from pathlib import Path

from tests import pages
from tests.helpers import run_cli, write_article
from tests.web_server import WebServer

ALLOW = {"FETCH_ALLOW_PRIVATE": "1"}
"""The pages are on 127.0.0.1, which the fetcher refuses unless the operator allows it."""


def one_error(stderr: str) -> str:
    (line,) = stderr.strip().splitlines()
    assert line.startswith("bot: error: ")
    return line


def test_extract_prints_headline_then_paragraphs(web: WebServer) -> None:
    result = run_cli("extract", web.page("/story", pages.article_page()), env=ALLOW)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [pages.HEADLINE, *pages.BODY]


def test_extract_json(web: WebServer) -> None:
    url = web.page("/bridge", pages.json_ld_page())
    result = run_cli("extract", "--json", url, env=ALLOW)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["url", "title", "source", "published", "authors", "text"]
    assert (data["url"], data["source"], data["published"], data["authors"]) == (
        url,
        "River Times",
        "2023-03-05",
        ["Ana Lima", "Ben Ode"],
    )
    assert data["text"].startswith("The city council approved") and data["title"] not in data["text"]


def test_extract_a_404_is_one_line_and_exit_1(web: WebServer) -> None:
    url = web.page("/gone", "<p>no</p>", status=404)
    result = run_cli("extract", url, env=ALLOW)
    assert result.returncode == 1 and result.stdout == ""
    line = one_error(result.stderr)
    assert url in line and "404 Not Found" in line


def test_extract_refuses_a_local_address_without_the_allow_flag(web: WebServer) -> None:
    result = run_cli("extract", web.page("/story", pages.article_page()), env={"FETCH_ALLOW_PRIVATE": "0"})
    assert result.returncode == 1
    assert "127.0.0.1 is a private or local address" in one_error(result.stderr)
    assert web.connections == 0


def test_extract_files_and_bad_files(tmp_path: Path) -> None:
    page = write_article(tmp_path, "saved.html", pages.amp_page())
    result = run_cli("extract", str(page))
    assert result.returncode == 0 and result.stdout.splitlines()[0] == "Library Opens Late on Weekdays"
    for bad, expected in (
        (tmp_path / "missing.html", "cannot read the file"),
        (write_article(tmp_path, "a.pdf", b"%PDF-1.4"), "a .pdf file"),
        (write_article(tmp_path, "wall.html", pages.login_page()), "log in or subscribe"),
    ):
        result = run_cli("extract", str(bad))
        assert result.returncode == 1 and expected in one_error(result.stderr)


def test_add_saves_once_and_updates_on_the_same_url(web: WebServer, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    url = web.page("/story", pages.article_page())
    first = run_cli("add", "--corpus", str(corpus), url, env=ALLOW)
    assert first.returncode == 0, first.stderr
    path = Path(first.stdout.strip())
    assert path.parent == corpus and path.suffix == ".txt"
    text = path.read_text(encoding="utf-8")
    assert f"url: {url}\n" in text and "source: Harbour Gazette\n" in text and pages.BODY[1] in text

    web.page("/story", pages.article_page(body=[*pages.BODY, "The harbour reopens to ferries on Friday."]))
    again = run_cli("add", "--corpus", str(corpus), url, env=ALLOW)
    assert again.returncode == 0 and Path(again.stdout.strip()) == path
    assert [p.name for p in corpus.iterdir()] == [path.name]
    assert "The harbour reopens to ferries on Friday." in path.read_text(encoding="utf-8")


def test_add_several_one_bad_exits_1_and_keeps_the_good(web: WebServer, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    good = web.page("/amp", pages.amp_page())
    bad = web.page("/front", pages.links_page())
    result = run_cli("add", "--corpus", str(corpus), bad, good, env=ALLOW)
    assert result.returncode == 1
    assert bad in one_error(result.stderr) and "no article text" in result.stderr
    (saved,) = result.stdout.split()
    assert Path(saved).is_file()


def test_add_writes_utf8_from_a_windows_1252_page(web: WebServer, tmp_path: Path) -> None:
    body = (
        "“Prices rose,” said Zoë Ångström, who runs the café on the pier, on a cold Monday morning.",
        *pages.BODY[1:],
    )
    html = pages.article_page(body=body, charset="windows-1252").encode("cp1252")
    result = run_cli("add", "--corpus", str(tmp_path), web.page("/c", html, content_type="text/html"), env=ALLOW)
    assert result.returncode == 0, result.stderr
    assert body[0] in Path(result.stdout.strip()).read_text(encoding="utf-8")


def test_added_article_is_answered(web: WebServer, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    assert run_cli("add", "--corpus", str(corpus), web.page("/s", pages.article_page()), env=ALLOW).returncode == 0
    result = run_cli("ask", "--json", "--corpus", str(corpus), "How much did the repairs cost?")
    answers = json.loads(result.stdout)["answers"]
    assert "2 million euros" in answers[0]["text"]


def test_corpus_reads_html_files(tmp_path: Path) -> None:
    write_article(tmp_path, "harbour.html", pages.article_page())
    write_article(tmp_path, "bridge.htm", pages.json_ld_page())
    write_article(tmp_path, "front.html", pages.links_page())
    result = run_cli("ask", "--json", "--corpus", str(tmp_path), "What did Maria Olsen say?")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)["answers"][0]
    assert answer["article"] == "harbour.html" and answer["title"] == pages.HEADLINE
    assert answer["speaker"]["name"] == "Maria Olsen"
    (warning,) = result.stderr.strip().splitlines()
    assert "front.html" in warning and "no article text" in warning
    bridge = json.loads(run_cli("ask", "--json", "--corpus", str(tmp_path), "When will construction start?").stdout)
    assert bridge["answers"][0]["article"] == "bridge.htm"
