"""The real bot over real HTTP, against the fake Bot API server in ``tests/fake_bot_api.py``.

Updates are shaped like the Bot API docs' examples; assertions are on what
the bot sent (method, text, parse mode, reply target). Fault cases check that
every question still gets exactly one message and the bot keeps running.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut

from bot.answer.addressing import without_mention
from bot.answer.examples import example_questions
from bot.errors import ConfigError
from bot.library import Library
from bot.logging_setup import REDACTED, RedactingFilter
from bot.settings import Settings
from bot.telegram_bot import sending
from bot.telegram_bot.app import ALLOWED_UPDATES, build_app, file_url, webhook_path
from bot.telegram_bot.sending import is_transient
from bot.telegram_bot.texts import FLOOD_TEXT, INLINE_BUTTON_TEXT, INLINE_START, NON_TEXT_TEXT, SORRY_TEXT
from bot.telegram_bot.webhook import serve_webhook
from tests.conftest import TOKEN, running
from tests.fake_bot_api import (
    BOT_USERNAME,
    FakeBotApi,
    channel_post,
    command,
    delay,
    drop,
    edited,
    group_message,
    inline_query,
    mention,
    new_chat_members,
    private_message,
    reply_to,
    retry_after,
    server_error,
    sticker,
    user,
)
from tests.helpers import CORPUS, write_article

pytestmark = pytest.mark.filterwarnings(  # raised inside PTB's own RetryAfter.__init__, not by the bot
    "ignore:Deprecated since version v22.2:telegram.warnings.PTBDeprecationWarning"
)

GROUP = -1001234567890
FOLLOW_UP_CHAT = 4242


# ---------------------------------------------------------------- helpers


class _TelegramHTML(HTMLParser):
    """Checks what Telegram's HTML parse mode would: known tags, balanced, only its entities."""

    ALLOWED = frozenset({"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in self.ALLOWED, f"tag <{tag}> is not Telegram HTML"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"


def assert_telegram_html(text: str) -> None:
    assert 0 < len(text) <= 4096
    assert not re.search(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", text), "bare & or broken entity"
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    assert not parser.stack, f"unclosed tags {parser.stack}"


def messages_to(api: FakeBotApi, chat_id: int) -> list[dict[str, Any]]:
    return [p for p in api.sent("sendMessage") if p["chat_id"] == chat_id]


async def follow_up(api: FakeBotApi) -> None:
    """Prove silence without a fixed sleep: a follow-up question from another chat, queued after everything
    else, and its answer. The bot reads updates in order, so by the time the follow-up is answered it has
    handled (and answered, if it was going to) every update queued before it."""
    api.queue_update(private_message(FOLLOW_UP_CHAT, "Who is Putin?"))
    await api.wait_for_chat(FOLLOW_UP_CHAT)


def chats_answered(api: FakeBotApi) -> list[int]:
    """The chat of every message the bot sent, in order, the follow-up's left out."""
    return [p["chat_id"] for p in api.sent("sendMessage") if p["chat_id"] != FOLLOW_UP_CHAT]


async def ask_private(api: FakeBotApi, text: str, user_id: int = 42) -> dict[str, Any]:
    """Send one private question and return the bot's (first new) message."""
    before = api.count("sendMessage")
    api.queue_update(private_message(user_id, text))
    calls = await api.wait_for("sendMessage", before + 1)
    return calls[before].params


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def invented(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """An invented article with front matter, & and < in its title, and two quoted people."""
    directory = tmp_path_factory.mktemp("corpus")
    write_article(
        directory,
        "harbour.txt",
        (
            "---\nsource: Harbour Gazette\nurl: https://example.com/news?id=7&lang=en\npublished: 2024-05-01\n---\n"
            "Storms & Tides: <Harbour> Wall Repaired\n"
            "The harbour wall in Eastport was repaired on Tuesday after the winter storms.\n"
            "“The wall will hold for another fifty years,” said Maria Olsen, the town engineer.\n"
            "Mayor Tom Reed said the repairs cost 2 million euros.\n"
        ),
    )
    return Library.load(directory)


# ---------------------------------------------------------------- start-up


async def test_start_up_registers_commands_and_logs_one_line(
    api: FakeBotApi, bot: Any, library: Library, token_watch: Any
) -> None:
    assert [c["command"] for c in api.commands] == ["ask", "read", "article", "forget", "speakers", "help", "start"]
    up = [line for line in token_watch.lines if "is running" in line]
    assert up == [
        f"INFO bot.telegram_bot.app: @{BOT_USERNAME} is running (polling): 1 article, {len(library)} sentences loaded"
    ]
    assert any("Set Bot API URL" in line and REDACTED in line for line in token_watch.lines)  # PTB logs it


async def test_start_greets_with_articles_and_generated_examples(api: FakeBotApi, bot: Any, library: Library) -> None:
    sent = await ask_private(api, "/start")
    assert sent["parse_mode"] == "HTML"
    assert_telegram_html(sent["text"])
    assert "Putin’s Pledge to Regain Lost Land" in sent["text"] and "(CNN)" in sent["text"]
    examples = example_questions(library)
    assert len(examples) == 3
    for question in examples:
        assert question in sent["text"]


async def test_help_covers_private_groups_and_inline(api: FakeBotApi, bot: Any) -> None:
    text = (await ask_private(api, "/help"))["text"]
    assert_telegram_html(text)
    assert "/ask" in text and f"@{BOT_USERNAME}" in text and "reply" in text


async def test_article_and_speakers(api: FakeBotApi, bot: Any) -> None:
    article = (await ask_private(api, "/article"))["text"]
    assert_telegram_html(article)
    assert "CNN" in article and "17 sentences" in article
    speakers = (await ask_private(api, "/speakers"))["text"]
    assert_telegram_html(speakers)
    assert "<b>Vladimir Putin</b>, Russian President" in speakers
    assert "<b>Aleksey Smirnov</b>, acting head of the Kursk region" in speakers


async def test_article_shows_date_and_link_escaped(api: FakeBotApi, settings: Settings, invented: Library) -> None:
    async with running(settings, invented):
        text = (await ask_private(api, "/article"))["text"]
        start = (await ask_private(api, "/start"))["text"]
    assert_telegram_html(text)
    assert "<b>Storms &amp; Tides: &lt;Harbour&gt; Wall Repaired</b>" in text
    assert "Harbour Gazette · 2024-05-01 · 3 sentences" in text
    assert 'href="https://example.com/news?id=7&amp;lang=en"' in text
    assert_telegram_html(start)
    assert "Storms &amp; Tides" in start


# ---------------------------------------------------------------- private chat


async def test_private_text_is_a_question(api: FakeBotApi, bot: Any) -> None:
    sent = await ask_private(api, "What did Putin say?")
    assert sent["chat_id"] == 42 and sent["parse_mode"] == "HTML"
    assert "reply_parameters" not in sent  # private chats are not cluttered with quotes
    assert sent["text"].startswith("<blockquote>")
    assert "— <b>Vladimir Putin</b>, Russian President" in sent["text"]
    assert_telegram_html(sent["text"])


async def test_no_answer_says_so_with_a_hint(api: FakeBotApi, bot: Any, library: Library) -> None:
    text = (await ask_private(api, "What is the price of bananas in Lisbon?"))["text"]
    assert text.startswith("I couldn")
    assert example_questions(library)[0] in text


@pytest.mark.parametrize(
    "question",
    [
        "What did <script>alert(1)</script> & Bob say?",
        "Who is <b>Putin</b> & what did he say?",
        "What did " + "&" * 990 + " say?",
        "Putin " * 900,
    ],
)
async def test_replies_are_escaped_and_within_the_limit(api: FakeBotApi, bot: Any, question: str) -> None:
    text = (await ask_private(api, question))["text"]
    assert "<script>" not in text
    assert_telegram_html(text)


async def test_sticker_in_private_gets_a_hint(api: FakeBotApi, bot: Any) -> None:
    api.queue_update(sticker(42))
    (call,) = await api.wait_for("sendMessage")
    assert call.params["text"] == NON_TEXT_TEXT


async def test_unknown_command_in_private_points_to_help(api: FakeBotApi, bot: Any) -> None:
    assert "/help" in (await ask_private(api, "/frobnicate"))["text"]


# ---------------------------------------------------------------- groups


def _group_updates() -> list[tuple[str, dict[str, Any]]]:
    ask_at = "/ask@QuoteBot Who is Putin?"
    ask_plain = "/ask what did Smirnov say?"
    mentioned = "@QuoteBot what did Gladkov say?"
    mentioned_mid = "Hey @quotebot, who is Miskov?"
    return [
        ("/ask@Bot", group_message(GROUP, 7, ask_at, command(ask_at))),
        ("/ask", group_message(GROUP, 8, ask_plain, command(ask_plain))),
        ("mention", group_message(GROUP, 9, mentioned, mention(mentioned))),
        ("mention, any case", group_message(GROUP, 10, mentioned_mid, mention(mentioned_mid, "quotebot"))),
        ("reply to the bot", reply_to(group_message(GROUP, 11, "and what about Syrskyi?"), message_id=555)),
    ]


async def test_group_questions_are_answered_as_replies(api: FakeBotApi, bot: Any) -> None:
    cases = _group_updates()
    asked = {case[1]["message"]["message_id"]: name for case in cases for name in [case[0]]}
    for _, update in cases:
        api.queue_update(update)
    calls = await api.wait_for("sendMessage", len(cases))
    replied_to = {c.params["reply_parameters"]["message_id"] for c in calls}
    assert replied_to == set(asked), f"unanswered: {[asked[m] for m in set(asked) - replied_to]}"
    for call in calls:
        assert call.params["chat_id"] == GROUP and call.params["parse_mode"] == "HTML"
        assert "<blockquote>" in call.params["text"], asked[call.params["reply_parameters"]["message_id"]]
        assert_telegram_html(call.params["text"])
    by_target = {c.params["reply_parameters"]["message_id"]: c.params["text"] for c in calls}
    mentioned_id = cases[2][1]["message"]["message_id"]
    assert "Gladkov" in by_target[mentioned_id]  # the mention was stripped, the question kept


async def test_group_chatter_is_ignored(api: FakeBotApi, bot: Any) -> None:
    other_bot = "/ask@OtherBot who is Putin?"
    someone = {"id": 99, "is_bot": False, "first_name": "Bob"}
    reply_to_person = group_message(
        GROUP,
        7,
        "what did Putin say?",
        reply_to_message={
            "message_id": 1,
            "date": 0,
            "chat": {"id": GROUP, "type": "supergroup"},
            "from": someone,
            "text": "hi",
        },
    )
    for update in (
        group_message(GROUP, 7, "What did Putin say?"),  # not addressed to the bot
        group_message(GROUP, 7, other_bot, command(other_bot)),
        group_message(GROUP, 7, "ask @OtherBot", mention("ask @OtherBot", "OtherBot")),
        reply_to_person,
        {"message": {**sticker(7)["message"], "chat": {"id": GROUP, "type": "supergroup", "title": "Newsroom"}}},
    ):
        api.queue_update(update)
    await follow_up(api)
    assert chats_answered(api) == []


async def test_bare_ask_gets_a_usage_hint(api: FakeBotApi, bot: Any, library: Library) -> None:
    api.queue_update(group_message(GROUP, 7, "/ask@QuoteBot", command("/ask@QuoteBot")))
    (call,) = await api.wait_for("sendMessage")
    assert call.params["text"].startswith("Put your question after the command")
    assert example_questions(library)[0] in call.params["text"]
    assert "reply_parameters" in call.params


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@QuoteBot who is Putin?", "who is Putin?"),
        ("Who is Putin, @quotebot?", "Who is Putin?"),
        ("@QuoteBotFan who?", "@QuoteBotFan who?"),  # someone else's name that starts like mine
    ],
)
def test_without_mention(text: str, expected: str) -> None:
    assert without_mention(text, BOT_USERNAME) == expected


# ---------------------------------------------------------------- inline mode


async def test_inline_query_offers_quotes(api: FakeBotApi, bot: Any) -> None:
    api.queue_update(inline_query(42, "What did Putin say?", query_id="q1"))
    (call,) = await api.wait_for("answerInlineQuery")
    params = call.params
    assert params["inline_query_id"] == "q1"
    assert 0 < params["cache_time"] <= 60
    results = params["results"]
    assert 1 <= len(results) <= 3
    assert len({r["id"] for r in results}) == len(results)
    for result in results:
        assert result["type"] == "article"
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert content["message_text"].count("<blockquote>") == 1
        assert content["message_text"].startswith("<b>What did Putin say?</b>\n\n")  # the question, then the quote
        assert_telegram_html(content["message_text"])
    assert results[0]["title"] == "Vladimir Putin, Russian President"
    assert "button" not in params


async def test_empty_inline_query_offers_example_questions(api: FakeBotApi, bot: Any, library: Library) -> None:
    api.queue_update(inline_query(42, ""))
    (call,) = await api.wait_for("answerInlineQuery")
    titles = [r["title"] for r in call.params["results"]]
    assert titles == [f"Try: {q}" for q in example_questions(library)]
    for result in call.params["results"]:
        assert_telegram_html(result["input_message_content"]["message_text"])


async def test_inline_query_without_match_offers_the_private_chat_not_a_refusal(api: FakeBotApi, bot: Any) -> None:
    """Nothing to post into the chat: Telegram's results button opens the private chat (/start ask) instead."""
    api.queue_update(inline_query(42, "price of bananas in Lisbon"))
    (call,) = await api.wait_for("answerInlineQuery")
    assert call.params["results"] == []
    assert call.params["button"] == {"text": INLINE_BUTTON_TEXT, "start_parameter": INLINE_START}
    api.queue_update(private_message(42, f"/start {INLINE_START}"))
    start = await api.wait_for_chat(42)
    assert "Try asking:" in start.params["text"]


# ---------------------------------------------------------------- ignored updates


async def test_edits_channel_posts_and_joins_are_ignored(api: FakeBotApi, bot: Any, token_watch: Any) -> None:
    question = private_message(42, "Who is Putin?")
    for update in (
        edited(question, "Who is Smirnov?"),
        channel_post(-1009999, "What did Putin say? @QuoteBot"),
        new_chat_members(GROUP, 7, [user(8, "Cy")]),
        new_chat_members(
            GROUP, 7, [{"id": 7_000_000_001, "is_bot": True, "first_name": "Quote Bot", "username": BOT_USERNAME}]
        ),
    ):
        api.queue_update(update)
    api.queue_update(private_message(43, "What did Gladkov say?"))  # the follow-up: the bot is still answering
    await api.wait_for_chat(43)
    assert [p["chat_id"] for p in api.sent("sendMessage")] == [43]
    assert not [line for line in token_watch.lines if line.startswith(("ERROR", "CRITICAL"))]


# ---------------------------------------------------------------- load


async def answered_chats(api: FakeBotApi, chats: range, question: str) -> list[int]:
    """Ask the same question from many private chats at once; the chat ids that got a message, sorted."""
    for chat in chats:
        api.queue_update(private_message(chat, question))
    await api.wait_for("sendMessage", len(chats), timeout=10)
    await follow_up(api)
    return sorted(chats_answered(api))


async def test_many_chats_at_once_each_get_one_answer(api: FakeBotApi, bot: Any) -> None:
    chats = range(1, 41)
    assert await answered_chats(api, chats, "How far have Ukrainian forces advanced into Russia?") == list(chats)


async def test_a_flooder_is_told_once_then_ignored(api: FakeBotApi, settings: Settings, library: Library) -> None:
    async with running(replace(settings, flood_limit=2, flood_window=60), library):
        for n in range(6):
            api.queue_update(private_message(42, "What did Putin say?" + "!" * n))
        api.queue_update(private_message(43, "What did Putin say?"))
        await api.wait_for("sendMessage", 4)
        await follow_up(api)
    texts = [p["text"] for p in messages_to(api, 42)]
    assert len(texts) == 3
    assert sum(t.startswith("<blockquote>") for t in texts) == 2
    assert [t for t in texts if not t.startswith("<blockquote>")] == [FLOOD_TEXT.format(seconds=60)]
    assert len(messages_to(api, 43)) == 1


# ---------------------------------------------------------------- faults


@pytest.mark.parametrize(
    "fault",
    [server_error(500), server_error(502, "Bad Gateway"), drop(), retry_after(1)],
    ids=["500", "502", "dropped connection", "429 retry_after"],
)
async def test_a_failed_send_is_retried_once_delivered(api: FakeBotApi, bot: Any, fault: Any) -> None:
    api.fail("sendMessage", fault)
    sent = await ask_private(api, "What did Putin say?")
    assert sent["text"].startswith("<blockquote>")
    await follow_up(api)
    attempts = [c for c in api.calls if c.method == "sendMessage" and c.params.get("chat_id") == 42]
    assert [c.fault for c in attempts] == [fault.kind, None]
    if fault.kind == "retry_after":
        assert attempts[1].at - attempts[0].at >= 1.0


async def test_mixed_faults_under_load_still_one_answer_each(api: FakeBotApi, bot: Any) -> None:
    api.fail("sendMessage", server_error(500), drop(), retry_after(1), delay(0.3), server_error(502, "Bad Gateway"))
    chats = range(100, 112)
    assert await answered_chats(api, chats, "Who is Smirnov?") == list(chats)


async def test_retries_exhausted_the_user_is_told_once(api: FakeBotApi, bot: Any, token_watch: Any) -> None:
    bot.bot.rate_limiter.backoff = 0.01
    api.fail("sendMessage", *[server_error(500)] * (sending.SEND_RETRIES + 1))
    sent = await ask_private(api, "Who is Putin?")
    assert sent["text"] == SORRY_TEXT
    assert any(line.startswith("ERROR bot.telegram_bot.handlers: Handling update") for line in token_watch.lines)
    assert (await ask_private(api, "Who is Putin?"))["text"].startswith("<b>Vladimir Putin")  # still running
    assert api.count("sendMessage") == 2  # the apology once, then the follow-up's answer: nothing else


async def test_a_rejected_message_is_not_retried_and_reported(api: FakeBotApi, bot: Any, token_watch: Any) -> None:
    api.fail("sendMessage", server_error(400, "Bad Request: can't parse entities"))
    sent = await ask_private(api, "Who is Putin?")
    assert sent["text"] == SORRY_TEXT
    errors = [line for line in token_watch.lines if line.startswith("ERROR")]
    assert errors and "BadRequest" in "\n".join(errors)


async def test_slow_send_shows_typing_fast_one_does_not(api: FakeBotApi, bot: Any) -> None:
    await ask_private(api, "Who is Putin?", user_id=42)
    api.fail("sendMessage", delay(0.8))
    await ask_private(api, "Who is Smirnov?", user_id=43)
    actions = api.sent("sendChatAction")
    assert actions == [{"chat_id": 43, "action": "typing"}]


async def test_polling_survives_get_updates_failures(api: FakeBotApi, bot: Any) -> None:
    await api.wait_until(lambda: any(c.method == "getUpdates" for c in api.calls))  # a long poll is waiting
    api.fail("getUpdates", server_error(500), drop())
    sent = await ask_private(api, "Who is Putin?")  # the running long poll returns it; the next two polls fail
    assert sent["chat_id"] == 42

    def failed_polls() -> list[str | None]:
        return [c.fault for c in api.calls if c.method == "getUpdates" and c.fault]

    await api.wait_until(lambda: len(failed_polls()) == 2)
    assert failed_polls() == ["status", "drop"]
    assert (await ask_private(api, "Who is Smirnov?", user_id=43))["chat_id"] == 43  # polling goes on


async def test_without_rate_limiter_429_is_still_waited_out(
    api: FakeBotApi, settings: Settings, library: Library
) -> None:
    async with running(replace(settings, rate_limiter=False), library) as app:
        assert app.bot.rate_limiter.limiter is None
        api.fail("sendMessage", retry_after(1))
        sent = await ask_private(api, "Who is Putin?")
    assert sent["text"].startswith("<b>Vladimir Putin")
    assert api.count("sendMessage") == 1


@pytest.mark.parametrize(
    ("exc", "retry"),
    [
        (NetworkError("httpx.ConnectError: [Errno 111] Connection refused"), True),
        (NetworkError("Internal Server Error"), True),
        (BadRequest("Bad Request: message is too long"), False),
        (TimedOut(), False),  # unknown cause: maybe delivered
    ],
)
def test_is_transient(exc: TelegramError, retry: bool) -> None:
    assert is_transient(exc) is retry


@pytest.mark.parametrize(
    ("cause", "retry"),
    [
        (httpx.ConnectTimeout("connect"), True),
        (httpx.PoolTimeout("pool"), True),
        (httpx.ReadTimeout("read"), False),
        (httpx.WriteTimeout("write"), False),
    ],
)
def test_timeouts_are_retried_only_when_nothing_was_sent(cause: Exception, retry: bool) -> None:
    try:
        raise TimedOut() from cause
    except TimedOut as exc:
        assert is_transient(exc) is retry


# ---------------------------------------------------------------- webhook


@asynccontextmanager
async def serving_webhook(settings: Settings, library: Library) -> AsyncIterator[Any]:
    """The real webhook server (``serve_webhook``) in this process, stopped on exit as Ctrl-C would."""
    app, stop = build_app(settings, library), asyncio.Event()
    await app.initialize()
    task = asyncio.create_task(serve_webhook(app, settings, webhook_path(settings), ALLOWED_UPDATES, stop))
    try:
        yield app, task
    finally:
        stop.set()
        with contextlib.suppress(ConfigError):
            await task
        await app.shutdown()


def webhook_settings(api: FakeBotApi, tmp_path: Path, **extra: Any) -> Settings:
    return Settings(
        token=TOKEN,
        api_base_url=api.url,
        database_url=f"sqlite:///{tmp_path}/bot.sqlite3",
        webhook_url="https://bot.example.com/hook/telegram",
        webhook_secret="s3cret-Token_42",
        listen="127.0.0.1",
        **{"port": free_port(), **extra},
    )


async def test_webhook_refuses_forged_updates(api: FakeBotApi, library: Library, tmp_path: Path) -> None:
    settings = webhook_settings(api, tmp_path)
    secret = str(settings.webhook_secret)
    async with serving_webhook(settings, library):
        await api.wait_for("setWebhook")
        assert api.webhook["url"] == "https://bot.example.com/hook/telegram"
        assert api.webhook["secret_token"] == secret
        url = f"http://127.0.0.1:{settings.port}/hook/telegram"
        update = {"update_id": 1, **private_message(42, "Who is Putin?")}
        async with aiohttp.ClientSession() as session:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "forged"}):
                async with session.post(url, json=update, headers=headers) as response:
                    assert response.status == 403
            async with session.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}) as ok:
                assert ok.status == 200
        (call,) = await api.wait_for("sendMessage")  # exactly one: the refused updates never reached the bot
        assert call.params["text"].startswith("<b>Vladimir Putin")


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        (None, "WEBHOOK_SECRET is not"),
        ("has spaces", "WEBHOOK_SECRET must be"),
        ("x" * 257, "WEBHOOK_SECRET must be"),
    ],
)
def test_webhook_needs_a_usable_secret(secret: str | None, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        webhook_path(Settings(webhook_url="https://bot.example.com/tg", webhook_secret=secret))


def test_webhook_path_comes_from_the_url() -> None:
    assert webhook_path(Settings(webhook_url="https://bot.example.com/a/b/", webhook_secret="ok")) == "a/b"
    with pytest.raises(ConfigError, match="WEBHOOK_URL must be"):
        webhook_path(Settings(webhook_url="bot.example.com", webhook_secret="ok"))


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
        ("http://127.0.0.1:8081/custom/", "http://127.0.0.1:8081/custom/"),
    ],
)
def test_file_url(base: str, expected: str) -> None:
    assert file_url(base) == expected


# ---------------------------------------------------------------- logging


def test_redacting_filter_covers_message_args_and_traceback() -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter([TOKEN, None]))
    try:
        raise ValueError(f"The token `{TOKEN}` was rejected by the server.")
    except ValueError as exc:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "POST %s failed",
            (f"https://h/bot{TOKEN}/x",),
            (type(exc), exc, exc.__traceback__),
        )
    assert handler.filter(record)
    text = logging.Formatter().format(record)
    assert TOKEN not in text
    assert text.count(REDACTED) == 2


# ---------------------------------------------------------------- the command line


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "CORPUS_DIR"))}
    return {**env, "CORPUS_DIR": str(CORPUS), **extra}


async def start_bot(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    """``python -m bot run`` in a subprocess, its output piped."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _run_bot(env: dict[str, str], cwd: Path, api: FakeBotApi | None = None) -> tuple[int, str, str]:
    """``python -m bot run``; with ``api``, once it has answered one question it gets Ctrl-C (SIGINT)."""
    process = await start_bot(env, cwd)
    if api is not None:
        try:
            await api.wait_for("sendMessage", timeout=30)
        finally:
            process.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_run_without_token_exits_2_with_one_line(tmp_path: Path) -> None:
    code, out, err = await _run_bot(_env(), cwd=tmp_path)
    assert code == 2
    assert out == ""
    (line,) = err.strip().splitlines()
    assert "TELEGRAM_BOT_TOKEN" in line and ".env.example" in line


async def test_run_with_a_rejected_token_exits_with_one_line(api: FakeBotApi, tmp_path: Path) -> None:
    api.reject_token = True
    code, out, err = await _run_bot(_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.url), cwd=tmp_path)
    assert code != 0
    (line,) = err.strip().splitlines()
    assert "rejected TELEGRAM_BOT_TOKEN" in line
    assert TOKEN not in out + err and TOKEN.split(":")[1] not in out + err
    assert [c.method for c in api.calls] == ["getMe"]


async def test_run_with_webhook_but_no_secret_exits_2(tmp_path: Path) -> None:
    env = _env(TELEGRAM_BOT_TOKEN=TOKEN, WEBHOOK_URL="https://bot.example.com/tg")
    code, _, err = await _run_bot(env, cwd=tmp_path)
    assert code == 2
    assert "WEBHOOK_SECRET" in err.strip().splitlines()[-1]


async def test_run_answers_and_stops_cleanly_on_ctrl_c(api: FakeBotApi, tmp_path: Path) -> None:
    api.queue_update(private_message(42, "Who is Putin?"))
    env = _env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.url, LOG_LEVEL="INFO")
    code, out, err = await _run_bot(env, cwd=tmp_path, api=api)
    assert code == 0
    assert "Traceback" not in err
    assert TOKEN not in out + err and TOKEN.split(":")[1] not in out + err
    assert f"@{BOT_USERNAME} is running (polling): 1 article, " in err
    assert api.commands[0]["command"] == "ask"
    assert api.sent("sendMessage")[0]["text"].startswith("<b>Vladimir Putin")


async def test_run_in_webhook_mode_checks_the_secret(api: FakeBotApi, tmp_path: Path) -> None:
    secret, port = "s3cret-Token_42", free_port()
    env = _env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.url,
        WEBHOOK_URL="https://bot.example.com/tg",
        WEBHOOK_SECRET=secret,
        LISTEN="127.0.0.1",
        PORT=str(port),
    )
    run = asyncio.create_task(_run_bot(env, cwd=tmp_path, api=api))
    await api.wait_for("setWebhook", timeout=30)
    assert api.webhook["url"] == "https://bot.example.com/tg" and api.webhook["secret_token"] == secret
    update = {"update_id": 1, **private_message(42, "Who is Putin?")}
    async with aiohttp.ClientSession() as session:
        for _ in range(100):  # setWebhook may come a moment before the server accepts connections
            with contextlib.suppress(aiohttp.ClientConnectorError):
                async with session.post(f"http://127.0.0.1:{port}/tg", json=update) as forged:
                    assert forged.status == 403
                    break
            await asyncio.sleep(0.05)
        else:
            pytest.fail("the webhook server never accepted a connection")
        async with session.post(
            f"http://127.0.0.1:{port}/tg", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
        ) as genuine:
            assert genuine.status == 200
    code, out, err = await run  # answers, then gets Ctrl-C
    assert code == 0 and "Traceback" not in err
    assert "is running (webhook)" in err
    assert TOKEN not in out + err and secret not in out + err
    assert api.count("sendMessage") == 1
