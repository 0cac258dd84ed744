"""The operator's side of the real bot, over real HTTP against the fake Bot API: start-up errors, outages,
a revoked token, chats the bot may not write to, timeouts, the webhook's answers, the per-question log line.

Every error path is checked for the token too (``token_watch`` for the log, and the command line's output).
"""

from __future__ import annotations

import asyncio
import re
import socket
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.answer.language import looks_english
from bot.errors import ConfigError
from bot.library import Library
from bot.settings import Settings
from bot.telegram_bot.app import ALLOWED_UPDATES
from bot.telegram_bot.stats import QuestionStats, percentile
from bot.telegram_bot.texts import NOT_ENGLISH_TEXT, SORRY_TEXT, STATS_ADMINS_TEXT
from tests.conftest import TOKEN, running
from tests.fake_bot_api import (
    FakeBotApi,
    delay,
    group_message,
    mention,
    my_chat_member,
    private_message,
    server_error,
)
from tests.test_telegram_app import (
    FOLLOW_UP_CHAT,
    GROUP,
    _env,
    ask_private,
    follow_up,
    free_port,
    serving_webhook,
    start_bot,
    webhook_settings,
)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def no_secret_in(text: str, *secrets: str) -> bool:
    return all(s not in text for s in (TOKEN, TOKEN.split(":")[1], *secrets))


def log_lines(token_watch: Any, logger: str, level: str = "") -> list[str]:
    return [line for line in token_watch.lines if line.startswith(f"{level}") and f" {logger}:" in line]


async def finished(process: asyncio.subprocess.Process, timeout: float = 30) -> tuple[int, str]:
    """Wait for the bot to exit by itself (killed, and the test failed, if it does not); (code, stderr)."""
    try:
        _, err = await asyncio.wait_for(process.communicate(), timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        pytest.fail("the bot did not exit by itself")
    assert process.returncode is not None
    return process.returncode, err.decode()


async def logged(predicate: Any, timeout: float = 5.0) -> None:
    """Wait until ``predicate()`` holds for the log (a line written after a reply's send has returned)."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


# ---------------------------------------------------------------- 1. the token revoked while running


async def test_a_token_revoked_while_polling_exits_non_zero_with_one_line(api: FakeBotApi, tmp_path: Path) -> None:
    env = _env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.url, LOG_LEVEL="WARNING")
    process = await start_bot(env, tmp_path)
    api.queue_update(private_message(42, "Who is Putin?"))
    await api.wait_for_chat(42, timeout=30)  # up and answering
    api.revoke_token()
    code, err = await finished(process)
    assert code == 2
    (line,) = err.strip().splitlines()  # no traceback, no retry chatter: one line
    assert line.startswith("bot: error: Telegram stopped accepting TELEGRAM_BOT_TOKEN")
    assert "@BotFather" in line and no_secret_in(err)
    assert [c.fault for c in api.calls if c.method == "getUpdates"][-1] == "unauthorized"


async def test_a_token_revoked_in_webhook_mode_exits_at_the_first_refused_send(api: FakeBotApi, tmp_path: Path) -> None:
    port, secret = free_port(), "s3cret-Token_42"
    env = _env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.url,
        WEBHOOK_URL="https://bot.example.com/tg",
        WEBHOOK_SECRET=secret,
        LISTEN="127.0.0.1",
        PORT=str(port),
        LOG_LEVEL="WARNING",
    )
    process = await start_bot(env, tmp_path)
    await api.wait_for("setMyCommands", count=2, timeout=30)  # started up: both menus set
    api.revoke_token()
    update = {"update_id": 1, **private_message(42, "Who is Putin?")}
    async with aiohttp.ClientSession() as session:
        await post_when_listening(session, f"http://127.0.0.1:{port}/tg", update, {SECRET_HEADER: secret})
    code, err = await finished(process)
    assert code == 2, err
    (line,) = err.strip().splitlines()
    assert "Telegram stopped accepting TELEGRAM_BOT_TOKEN" in line and no_secret_in(err, secret)


async def post_when_listening(
    session: aiohttp.ClientSession, url: str, body: Any, headers: dict[str, str], data: bytes | None = None
) -> int:
    """POST once the server accepts connections (setWebhook comes a moment before); the status."""
    for _ in range(200):
        try:
            kwargs: dict[str, Any] = {"data": data, "headers": {"Content-Type": "application/json", **headers}}
            if data is None:
                kwargs = {"json": body, "headers": headers}
            async with session.post(url, **kwargs) as response:
                return response.status
        except aiohttp.ClientConnectorError:
            await asyncio.sleep(0.05)
    pytest.fail("the webhook server never accepted a connection")


# ---------------------------------------------------------------- 2-3. start-up errors: one line each


async def run_to_exit(env: dict[str, str], cwd: Path) -> tuple[int, str]:
    return await finished(await start_bot(env, cwd))


def webhook_env(api: FakeBotApi, port: int) -> dict[str, str]:
    """``bot run`` in webhook mode on 127.0.0.1:``port`` (secret "s3cret"), warnings and worse logged."""
    return _env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.url,
        WEBHOOK_URL="https://bot.example.com/tg",
        WEBHOOK_SECRET="s3cret",
        LISTEN="127.0.0.1",
        PORT=str(port),
        LOG_LEVEL="WARNING",
    )


async def test_webhook_port_in_use_is_one_line_exit_2_and_telegram_is_not_told(api: FakeBotApi, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, err = await run_to_exit(webhook_env(api, port), tmp_path)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert f"cannot listen on 127.0.0.1:{port}" in line and "in use" in line
    assert api.count("setWebhook") == 0 and no_secret_in(err, "s3cret")


async def test_telegram_refusing_the_webhook_is_one_line_exit_2(api: FakeBotApi, tmp_path: Path) -> None:
    api.fail("setWebhook", server_error(400, "Bad Request: bad webhook: Failed to resolve host: Name not known"))
    code, err = await run_to_exit(webhook_env(api, free_port()), tmp_path)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert "Telegram did not accept WEBHOOK_URL https://bot.example.com/tg" in line
    assert "failed to resolve host" in line.lower() and no_secret_in(err, "s3cret")


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (
            {"WEBHOOK_URL": "http://bot.example.com/tg", "WEBHOOK_SECRET": "s3cret"},
            "WEBHOOK_URL must be a full https://",
        ),
        ({"WEBHOOK_URL": "https://bot.example.com:9000/tg", "WEBHOOK_SECRET": "s3cret"}, "443, 80, 88, 8443"),
        ({"TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081"}, "TELEGRAM_API_BASE_URL must end with /bot"),
        ({"TELEGRAM_API_BASE_URL": f"https://api.telegram.org/bot{TOKEN}"}, "without the token"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN[:20] + "\n" + TOKEN[20:]}, "line break"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN.replace(":", " ")}, "line break"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN.replace(":", "")}, "does not look like a bot token"),
    ],
    ids=["http webhook", "webhook port", "base url without /bot", "token in base url", "newline", "space", "colon"],
)
async def test_misconfiguration_is_named_not_blamed_on_the_network(
    api: FakeBotApi, tmp_path: Path, extra: dict[str, str], says: str
) -> None:
    env = _env(**{"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.url, **extra})
    code, err = await run_to_exit(env, tmp_path)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert says in line and "network" not in line
    assert no_secret_in(err) and TOKEN[20:] not in err
    assert api.calls == []  # found before anything is sent


async def test_the_fake_refuses_plain_http_webhooks_as_telegram_does(api: FakeBotApi, bot: Any) -> None:
    from telegram.error import BadRequest

    with pytest.raises(BadRequest, match=r"(?i)https url must be provided"):
        await bot.bot.set_webhook("http://bot.example.com/tg")


# ---------------------------------------------------------------- 4. routine events: one WARNING line each


async def test_an_outage_is_one_warning_and_one_line_when_it_ends(api: FakeBotApi, bot: Any, token_watch: Any) -> None:
    await api.wait_until(lambda: any(c.method == "getUpdates" for c in api.calls))  # a long poll is waiting
    api.fail("getUpdates", server_error(502, "Bad Gateway"), server_error(500), server_error(502, "Bad Gateway"))
    await ask_private(api, "Who is Putin?")  # the running long poll returns it; the next three polls fail
    failed = sum  # PTB waits 1, 1.5, 2.25 s after failed polls
    await api.wait_until(lambda: failed(c.fault == "status" for c in api.calls if c.method == "getUpdates") == 3, 15)
    api.queue_update(private_message(43, "Who is Smirnov?"))
    await api.wait_for_chat(43, timeout=15)  # polling went on
    (warning,) = [line for line in token_watch.lines if line.startswith("WARNING")]
    assert warning.startswith("WARNING bot.telegram_bot.health: getUpdates failed (HTTP 502: Bad Gateway)")
    (back,) = log_lines(token_watch, "bot.telegram_bot.health", "INFO")
    assert "after 3 failed polls" in back
    assert not [line for line in token_watch.lines if line.startswith(("ERROR", "CRITICAL"))]
    assert not [line for line in token_watch.lines if "Traceback" in line]


@pytest.mark.parametrize(
    ("kind", "chat", "update", "says"),
    [
        ("blocked", 42, private_message(42, "Who is Putin?"), "bot was blocked by the user"),
        ("kicked", GROUP, group_message(GROUP, 7, "/ask Who is Putin?"), "bot was kicked from the supergroup chat"),
        (
            "muted",
            GROUP,
            group_message(GROUP, 7, "@QuoteBot who is Putin?", mention("@QuoteBot who is Putin?")),
            "not enough rights to send text messages",
        ),
    ],
)
async def test_a_chat_the_bot_cannot_write_to_is_one_warning_and_no_apology(
    api: FakeBotApi, bot: Any, token_watch: Any, kind: str, chat: int, update: dict[str, Any], says: str
) -> None:
    api.block(chat, kind)
    api.queue_update(update)
    await follow_up(api)
    attempts = [c for c in api.calls if c.method == "sendMessage" and c.params.get("chat_id") == chat]
    assert len(attempts) == 1 and attempts[0].fault == "refused"  # the answer; no "Sorry" tried after it
    (warning,) = [line for line in token_watch.lines if line.startswith("WARNING")]
    assert warning.startswith("WARNING bot.telegram_bot.handlers: Update ") and says in warning.lower()
    assert "no reply tried" in warning and "Traceback" not in "\n".join(token_watch.lines)


# ---------------------------------------------------------------- 5. webhook: a body that is not an update


@pytest.mark.parametrize(
    "body", [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"no": "update_id"}'], ids=["broken", "bytes", "list", "dict"]
)
async def test_webhook_answers_400_to_a_malformed_body_and_logs_one_line(
    api: FakeBotApi, library: Library, tmp_path: Path, token_watch: Any, body: bytes
) -> None:
    settings = webhook_settings(api, tmp_path)
    url, headers = f"http://127.0.0.1:{settings.port}/hook/telegram", {SECRET_HEADER: str(settings.webhook_secret)}
    async with serving_webhook(settings, library), aiohttp.ClientSession() as session:
        assert await post_when_listening(session, url, None, headers, data=body) == 400
        update = {"update_id": 5, **private_message(42, "Who is Putin?")}
        assert await post_when_listening(session, url, update, headers) == 200
        await api.wait_for_chat(42)  # still serving
    (line,) = log_lines(token_watch, "bot.telegram_bot.webhook")
    assert line.startswith("WARNING bot.telegram_bot.webhook: Webhook: refused a")
    assert not [line for line in token_watch.lines if line.startswith(("ERROR", "CRITICAL"))]


# ---------------------------------------------------------------- 6. a read timeout after Telegram took the message


async def test_a_send_that_timed_out_is_neither_repeated_nor_apologised_for(
    api: FakeBotApi, settings: Settings, library: Library, token_watch: Any
) -> None:
    async with running(replace(settings, send_timeout=0.3), library):
        api.fail("sendMessage", delay(1.0))  # Telegram takes it, its answer comes after the bot stopped waiting
        api.queue_update(private_message(42, "Who is Putin?"))
        await api.wait_for_chat(42, timeout=10)
        await follow_up(api)
        await logged(lambda: any("may have delivered" in line for line in token_watch.lines))
    texts = [p["text"] for p in api.sent("sendMessage") if p["chat_id"] == 42]
    assert len(texts) == 1 and texts[0].startswith("<b>Vladimir Putin") and SORRY_TEXT not in texts
    (warning,) = [line for line in token_watch.lines if line.startswith("WARNING")]
    assert "TimedOut" in warning and "not sent again" in warning


def test_settings_name_each_new_problem() -> None:
    with pytest.raises(ConfigError, match="ADMIN_IDS must be Telegram user ids"):
        Settings.from_env({"ADMIN_IDS": "12, bob"}, None)
    assert Settings.from_env({"ADMIN_IDS": "12, 34 56"}, None).admin_ids == (12, 34, 56)
    with pytest.raises(ConfigError, match="SEND_TIMEOUT must be between"):
        Settings.from_env({"SEND_TIMEOUT": "0"}, None)
    assert Settings.from_env({"WEBHOOK_URL": "https://bot.example.com:8443/tg"}, None).port == 8443
    assert FOLLOW_UP_CHAT != 42


# ---------------------------------------------------------------- one log line per question, /stats


async def test_each_question_is_one_log_line_without_its_text(api: FakeBotApi, bot: Any, token_watch: Any) -> None:
    await ask_private(api, "Who is Putin?")
    await ask_private(api, "What did the weather do on Mars?")
    asked = "@QuoteBot what did Gladkov say?"
    api.queue_update(group_message(GROUP, 7, asked, mention(asked)))
    await api.wait_for_chat(GROUP)

    def question_lines() -> list[str]:
        return [line for line in token_watch.lines if line.startswith("INFO bot.telegram_bot.stats: question ")]

    await logged(lambda: len(question_lines()) == 3)  # logged once the send has returned
    lines = question_lines()
    assert [line.split(" ms=")[0].removeprefix("INFO bot.telegram_bot.stats: ") for line in lines] == [
        "question chat=private status=answered",
        "question chat=private status=no-answer",
        "question chat=supergroup status=answered",
    ]
    assert all(re.fullmatch(r".* ms=\d+", line) for line in lines)
    above_debug = "\n".join(line for line in token_watch.lines if not line.startswith("DEBUG"))
    assert "Gladkov" not in above_debug and "Mars" not in above_debug  # the text only at DEBUG
    assert any(
        line.startswith("DEBUG bot.telegram_bot.stats: question text=") and "what did Gladkov say?" in line
        for line in token_watch.lines
    )


async def test_stats_for_admins_and_a_polite_no_for_everyone_else(
    api: FakeBotApi, settings: Settings, library: Library
) -> None:
    async with running(replace(settings, admin_ids=(42,)), library) as app:
        await ask_private(api, "Who is Putin?", user_id=43)
        await ask_private(api, "What did the weather do on Mars?", user_id=43)
        await logged(lambda: app.bot_data.stats.summary().questions == 2)  # counted once the send returned
        refused = await ask_private(api, "/stats", user_id=43)
        shown = await ask_private(api, "/stats", user_id=42)
    assert refused["text"] == STATS_ADMINS_TEXT
    assert "Questions: 2 (private 2)" in shown["text"] and "No answer: 1 (50%)" in shown["text"]
    assert re.search(r"Latency: p50 \d+ ms, p99 \d+ ms", shown["text"])
    assert "stats" not in [c["command"] for c in api.commands]  # in no menu


def test_percentiles_and_summary_without_telegram() -> None:
    stats = QuestionStats(keep=3)
    for ms, status in [(900.0, "answered"), (10.0, "answered"), (20.0, "no-answer"), (30.0, "answered")]:
        stats.record("private", status, ms)
    summary = stats.summary()
    assert (summary.questions, summary.no_answer, summary.no_answer_rate) == (4, 1, 0.25)
    assert (summary.p50_ms, summary.p99_ms) == (20.0, 30.0)  # the latest 3 latencies only
    assert percentile([], 50) == 0.0


# ---------------------------------------------------------------- added to a group: a greeting, a group menu


async def test_added_to_a_group_greets_once_with_how_to_ask(api: FakeBotApi, bot: Any) -> None:
    assert "my_chat_member" in ALLOWED_UPDATES
    api.queue_update(my_chat_member(GROUP, 7, old="left", new="member"))
    greeting = (await api.wait_for_chat(GROUP)).params["text"]
    assert "@QuoteBot" in greeting and "/ask" in greeting
    api.queue_update(my_chat_member(GROUP, 7, old="member", new="administrator"))  # promoted: not new there
    api.queue_update(my_chat_member(-1009, 7, old="member", new="left"))  # removed: nothing to say
    await follow_up(api)
    assert [p["chat_id"] for p in api.sent("sendMessage")] == [GROUP, FOLLOW_UP_CHAT]


async def test_groups_get_their_own_command_menu(api: FakeBotApi, bot: Any) -> None:
    private = [c["command"] for c in api.commands]
    groups = [c["command"] for c in api.scoped_commands["all_group_chats"]]
    assert private[:2] == ["ask", "read"] and "forget" in private
    assert groups == ["ask", "read", "speakers", "help"]


# ---------------------------------------------------------------- a question not in English


@pytest.mark.parametrize(
    "question",
    ["Кто такой Путин?", "¿Cuántas personas fueron evacuadas de la región?", "Qu'a dit Poutine des négociations ?"],
)
async def test_a_question_not_in_english_is_told_so_plainly(api: FakeBotApi, bot: Any, question: str) -> None:
    assert (await ask_private(api, question))["text"] == NOT_ENGLISH_TEXT


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("Who is Putin?", True),
        ("What did Gladkov say about the evacuation?", True),
        ("Kursk casualties", True),  # keywords: too short to tell
        ("How many people were evacuated from Kursk?", True),
        ("?!.", True),  # no letters: the usual "please ask a question"
        ("Кто такой Путин?", False),
        ("普京说了什么？", False),
        ("Wie viele Menschen wurden evakuiert?", False),
        ("Cosa ha detto Putin sui negoziati?", False),
        ("Ile osób ewakuowano z Kurska?", False),
    ],
)
def test_looks_english(text: str, english: bool) -> None:
    assert looks_english(text) is english
