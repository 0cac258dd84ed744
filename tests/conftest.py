"""Shared fixtures: the seed library, a fake Bot API server, the real bot running against it.

Every test also runs under ``token_watch``: a DEBUG handler on the root
logger for the whole test (fixture set-up and tear-down included), set up as
``bot.logging_setup.configure_logging`` sets up the real one (libraries
quieted, ``RedactingFilter`` on the handler), that fails the test if the bot
token shows up in any formatted log line or traceback. PTB itself logs the
token at DEBUG ("Set Bot API URL: .../bot<token>"), so the filter is needed.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.library import Library
from bot.logging_setup import RedactingFilter, quiet_libraries
from bot.settings import Settings
from tests.fake_bot_api import FakeBotApi
from tests.helpers import CORPUS
from tests.web_server import WebServer

TOKEN = "123456:TEST-TOKEN-AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(autouse=True)
def token_watch() -> Iterator[_Collect]:
    """Fail any test whose log output (at DEBUG, tracebacks included) contains the token."""
    quiet_libraries()  # as run() does: httpx would log every request URL, token and all
    root = logging.getLogger()
    handler, level = _Collect(), root.level
    handler.addFilter(RedactingFilter([TOKEN]))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)
    leaked = [line for line in handler.lines if TOKEN in line or TOKEN.split(":")[1] in line]
    assert not leaked, f"the bot token reached the log: {leaked[0][:300]}"


@pytest.fixture(scope="session")
def library() -> Library:
    """The seed article in corpus/ (one CNN article)."""
    return Library.load(CORPUS)


@pytest.fixture
def web() -> Iterator[WebServer]:
    """A real HTTP server on 127.0.0.1 serving the pages the test writes (``tests/web_server.py``)."""
    with WebServer() as server:
        yield server


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as server:
        yield server


@pytest.fixture
def settings(api: FakeBotApi, tmp_path: Path) -> Settings:
    """The bot's settings for a test: the fake API, the seed corpus, a fresh database in a temp dir.

    FETCH_ALLOW_PRIVATE is on: the pages the tests serve are on 127.0.0.1.
    """
    return Settings(
        token=TOKEN,
        api_base_url=api.url,
        corpus_dir=CORPUS,
        database_url=f"sqlite:///{tmp_path}/bot.sqlite3",
        fetch_allow_private=True,
    )


@asynccontextmanager
async def running(settings: Settings, library: Library) -> AsyncIterator:
    """The real Application, long polling the fake server, as ``run_polling`` would run it."""
    from bot.telegram_bot.app import ALLOWED_UPDATES, build_app
    from bot.telegram_bot.health import quiet_poll_errors

    app = build_app(settings, library)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(
        poll_interval=0, timeout=5, allowed_updates=ALLOWED_UPDATES, error_callback=quiet_poll_errors
    )
    await app.start()
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@pytest.fixture
async def bot(settings: Settings, library: Library) -> AsyncIterator:
    """The bot running with default settings against ``api``."""
    async with running(settings, library) as app:
        yield app
