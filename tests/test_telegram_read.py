"""Links and files through the real bot: fake Bot API on 127.0.0.1, pages from a real local HTTP server, real SQLite.

Each read is one message (a progress line edited into the result) with "typing…" while it works;
silence is proven by a follow-up that gets its answer, never by waiting.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape
from typing import Any

import pytest

from bot.library import Library
from bot.settings import Settings
from tests import pages
from tests.conftest import running
from tests.fake_bot_api import (
    FakeBotApi,
    callback_query,
    command,
    document,
    group_message,
    private_chat,
    private_message,
)
from tests.test_telegram_app import GROUP, assert_telegram_html
from tests.web_server import WebServer

READ_HARBOUR = (
    f"Read: <b>{pages.HEADLINE}</b> (Harbour Gazette, 13 Aug 2024) — 5 sentences, 3 people quoted. Ask me about it."
)


async def read_in(api: FakeBotApi, update: dict[str, Any], chat_id: int) -> str:
    """Queue an update that reads something; wait for its one message's edit; return the message's final text."""
    sent, edits = api.count("sendMessage"), api.count("editMessageText")
    api.queue_update(update)
    (progress,) = [c.params for c in (await api.wait_for("sendMessage", sent + 1))[sent:]]
    assert progress["chat_id"] == chat_id and progress["text"].startswith("Reading")
    edit = (await api.wait_for("editMessageText", edits + 1))[edits].params
    assert edit["chat_id"] == chat_id and edit["parse_mode"] == "HTML"
    assert api.count("sendMessage") == sent + 1  # one message per read
    assert_telegram_html(edit["text"])
    return str(edit["text"])


async def ask_in(api: FakeBotApi, update: dict[str, Any]) -> str:
    before = api.count("sendMessage")
    api.queue_update(update)
    return str((await api.wait_for("sendMessage", before + 1))[before].params["text"])


def link(user_id: int, url: str) -> dict[str, Any]:
    return private_message(user_id, f"Have a look: {url} thanks")


def group_command(text: str, user_id: int = 7) -> dict[str, Any]:
    return group_message(GROUP, user_id, text, command(text))


# ---------------------------------------------------------------- private chats


async def test_a_private_link_is_read_then_answered(api: FakeBotApi, bot: Any, web: WebServer) -> None:
    url = web.page("/story", pages.article_page())
    assert await read_in(api, link(42, url), 42) == READ_HARBOUR
    assert {"chat_id": 42, "action": "typing"} in api.sent("sendChatAction")
    answer = await ask_in(api, private_message(42, "How long will the wall hold?"))
    assert "fifty years" in answer and "— <b>Maria Olsen</b>, town engineer" in answer
    assert "Ukrainian" in await ask_in(api, private_message(42, "How far have Ukrainian forces advanced into Russia?"))


@pytest.mark.parametrize(
    ("path", "body", "status", "content_type", "expected"),
    [
        ("/gone", "<p>gone</p>", 404, "text/html", "the page is not there (404 Not Found); check the link."),
        ("/scan.pdf", "%PDF-1.4", 200, "application/pdf", "a PDF document, not a web page"),
        ("/wall", pages.login_page(), 200, "text/html", "asks you to log in or subscribe"),
        ("/front", pages.links_page(), 200, "text/html", "no article text on that page"),
        ("/empty", "", 200, "text/html", "the page is empty"),
    ],
)
async def test_a_bad_link_gets_one_friendly_reply(
    api: FakeBotApi, bot: Any, web: WebServer, path: str, body: str, status: int, content_type: str, expected: str
) -> None:
    url = web.page(path, body, content_type=content_type, status=status)
    text = await read_in(api, link(42, url), 42)
    assert text.startswith("I couldn't read that link: ") and expected in text


async def test_what_a_page_says_is_escaped(api: FakeBotApi, bot: Any, web: WebServer) -> None:
    headline = "Storms & <script>alert(1)</script> Tides"
    url = web.page("/x", pages.article_page(headline=headline, site="A&B <News>"))
    text = await read_in(api, link(42, url), 42)
    assert f"<b>{escape(headline, quote=False)}</b> (A&amp;B &lt;News&gt;, 13 Aug 2024)" in text


async def test_a_huge_title_still_fits_one_message(api: FakeBotApi, bot: Any, web: WebServer) -> None:
    url = web.page("/x", pages.article_page(headline="Harbour & wall " * 400, site="Gazette " * 300))
    text = await read_in(api, link(42, url), 42)  # read_in checks Telegram's HTML and 4,096 characters
    assert text.startswith("Read: <b>Harbour &amp; wall") and "5 sentences" in text
    assert_telegram_html(await ask_in(api, private_message(42, "/article")))


async def test_private_addresses_are_refused_without_the_allow_flag(
    api: FakeBotApi, settings: Settings, library: Library, web: WebServer
) -> None:
    async with running(replace(settings, fetch_allow_private=False), library):
        text = await read_in(api, link(42, web.page("/story", pages.article_page())), 42)
    assert "127.0.0.1 is a private or local address" in text
    assert web.connections == 0


async def test_reads_are_limited_per_user(
    api: FakeBotApi, settings: Settings, library: Library, web: WebServer
) -> None:
    url = web.page("/story", pages.article_page())
    async with running(replace(settings, read_limit=1), library):
        assert (await read_in(api, link(42, url), 42)).startswith("Read: ")
        assert "read a lot in a short time" in await read_in(api, link(42, url), 42)
        assert (await read_in(api, link(43, url), 43)).startswith("Read: ")  # another user
    assert web.requests == ["/story", "/story"]


async def test_documents_are_downloaded_and_read(api: FakeBotApi, bot: Any) -> None:
    html = pages.amp_page().encode()
    update = document(private_chat(42), 42, api.add_file(html), "library.html", "text/html", len(html))
    text = await read_in(api, update, 42)
    assert text.startswith("Read: <b>Library Opens Late on Weekdays</b> (City Post) — 3 sentences")
    assert api.count("downloadFile") == 1
    txt = f"{pages.HEADLINE}\n" + "\n".join(pages.BODY) + "\n"
    update = document(private_chat(42), 42, api.add_file(txt.encode()), "harbour.txt", "text/plain", len(txt))
    assert (await read_in(api, update, 42)).startswith(f"Read: <b>{pages.HEADLINE}</b> — 5 sentences")
    assert "Omar Haddad" in await ask_in(api, private_message(42, "Who heads the city's libraries?"))


@pytest.mark.parametrize(
    ("name", "size", "expected"),
    [("scan.pdf", 2_000, "a .pdf file; I read .txt and .html files"), ("huge.html", 30_000_000, "larger than 5 MB")],
)
async def test_unreadable_documents_are_refused_before_downloading(
    api: FakeBotApi, bot: Any, name: str, size: int, expected: str
) -> None:
    text = await read_in(api, document(private_chat(42), 42, api.add_file(b"%PDF"), name, "x/y", size), 42)
    assert text.startswith("I couldn't read that file: ") and expected in text
    assert api.count("downloadFile") == 0


# ---------------------------------------------------------------- groups


async def test_group_read_forms(api: FakeBotApi, bot: Any, web: WebServer) -> None:
    url = web.page("/story", pages.article_page())
    assert await read_in(api, group_command(f"/read {url}"), GROUP) == READ_HARBOUR
    assert await read_in(api, group_command(f"/read@QuoteBot {url}"), GROUP) == READ_HARBOUR
    holder = group_message(GROUP, 8, f"Interesting: {url}")
    replying = group_command("/read")
    replying["message"]["reply_to_message"] = holder["message"]
    assert await read_in(api, replying, GROUP) == READ_HARBOUR
    assert "fifty years" in await ask_in(api, group_command("/ask How long will the wall hold?"))


async def test_in_a_group_only_admins_may_forget(api: FakeBotApi, bot: Any, web: WebServer) -> None:
    await read_in(api, group_command(f"/read {web.page('/story', pages.article_page())}"), GROUP)
    assert (await ask_in(api, group_command("/forget", user_id=8))).startswith("In a group, only its admins")
    assert "fifty years" in await ask_in(api, group_command("/ask How long will the wall hold?"))  # still read
    api.owners.add((GROUP, 7))
    assert "forgot the 1 article" in await ask_in(api, group_command("/forget", user_id=7))
    assert "fifty years" not in await ask_in(api, group_command("/ask How long will the wall hold?"))


async def test_bare_read_gets_a_usage_hint(api: FakeBotApi, bot: Any) -> None:
    assert (await ask_in(api, group_command("/read"))).startswith("Put a link after the command")


async def test_ordinary_group_links_are_left_alone(api: FakeBotApi, bot: Any, web: WebServer) -> None:
    url = web.page("/story", pages.article_page())
    api.queue_update(group_message(GROUP, 7, f"Look at this {url}"))
    api.queue_update(group_message(GROUP, 8, f"/read@OtherBot {url}", command(f"/read@OtherBot {url}")))
    answer = await ask_in(api, group_command("/ask How far have Ukrainian forces advanced into Russia?"))
    assert "Ukrainian" in answer  # the follow-up was answered, from the shared corpus...
    assert api.count("sendMessage") == 1 and api.count("editMessageText") == 0  # ...and nothing else was sent
    assert web.requests == []


# ---------------------------------------------------------------- /article, /forget


def buttons(api: FakeBotApi, chat_id: int) -> list[tuple[str, str]]:
    markup = [c.params for c in api.calls if c.method in ("sendMessage", "editMessageText")][-1]["reply_markup"]
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


async def press(api: FakeBotApi, chat_id: int, data: str, user_id: int = 42) -> None:
    answered, edits = api.count("answerCallbackQuery"), api.count("editMessageText")
    api.queue_update(callback_query(user_id, api.last_message(chat_id), data))
    await api.wait_for("answerCallbackQuery", answered + 1)
    await api.wait_for("editMessageText", edits + 1)


async def test_article_lists_and_switches(api: FakeBotApi, bot: Any, web: WebServer) -> None:
    await read_in(api, link(42, web.page("/harbour", pages.article_page())), 42)
    await read_in(api, link(42, web.page("/bridge", pages.json_ld_page())), 42)
    menu = await ask_in(api, private_message(42, "/article"))
    assert_telegram_html(menu)
    assert menu.index("Council Approves New Bridge") < menu.index(pages.HEADLINE) < menu.index("Putin")
    choices = buttons(api, 42)
    assert [label for label, _ in choices] == [
        "1. Council Approves New Bridge Over the…",
        "2. Harbour Wall Repaired After Winter S…",
        "✓ Newest first",
        "My own articles",
    ]
    question = private_message(42, "What did Mayor Tom Reed say?")
    assert "2 million euros" in await ask_in(api, question)  # only the older article answers: it does

    await press(api, 42, choices[0][1])  # the bridge article only
    assert buttons(api, 42)[0][0].startswith("✓ 1. Council")
    assert (await ask_in(api, question)).startswith("The article quotes no one by that name")

    await press(api, 42, choices[3][1])  # the shared corpus
    assert "Putin" in await ask_in(api, private_message(42, "What did Putin say?"))
    assert "2 million" not in await ask_in(api, question)

    assert "forgot the 2 articles" in await ask_in(api, private_message(42, "/forget"))
    assert "Putin" in await ask_in(api, private_message(42, "/article"))
    assert "nothing to forget" in await ask_in(api, private_message(42, "/forget"))


async def test_speakers_lists_who_the_chats_article_quotes(api: FakeBotApi, bot: Any, web: WebServer) -> None:
    assert "Vladimir Putin" in await ask_in(api, private_message(42, "/speakers"))  # nothing read: the shared corpus
    await read_in(api, link(42, web.page("/harbour", pages.article_page())), 42)
    listed = await ask_in(api, private_message(42, "/speakers"))
    assert "<b>Maria Olsen</b>, town engineer" in listed and "Putin" not in listed
    assert "Vladimir Putin" in await ask_in(api, private_message(43, "/speakers"))  # another chat: its own view


async def test_articles_survive_a_restart(
    api: FakeBotApi, settings: Settings, library: Library, web: WebServer
) -> None:
    url = web.page("/story", pages.article_page())
    async with running(settings, library):
        await read_in(api, link(42, url), 42)
    async with running(settings, library):
        assert "fifty years" in await ask_in(api, private_message(42, "How long will the wall hold?"))
        assert pages.HEADLINE in await ask_in(api, private_message(42, "/article"))
    assert web.requests == ["/story"]  # answered from the database, not fetched again


async def test_a_chat_never_sees_another_chats_articles(api: FakeBotApi, bot: Any, web: WebServer) -> None:
    await read_in(api, link(42, web.page("/story", pages.article_page())), 42)
    await ask_in(api, private_message(42, "/article"))
    harbour = buttons(api, 42)[0][1]
    assert not (await ask_in(api, private_message(43, "How long will the wall hold?"))).startswith("<blockquote>")
    menu = await ask_in(api, private_message(43, "/article"))
    assert pages.HEADLINE not in menu
    await ask_in(api, group_command("/ask How long will the wall hold?"))
    assert "fifty years" not in api.sent("sendMessage")[-1]["text"]

    api.queue_update(callback_query(43, api.last_message(43), harbour, "forged"))
    (call,) = await api.wait_for("answerCallbackQuery")
    assert call.params["text"] == "That article is no longer here."
    assert not (await ask_in(api, private_message(43, "How long will the wall hold?"))).startswith("<blockquote>")
