"""The per-chat store in a real SQLite database in a temp dir: URLs, WAL, migrations, isolation, the answer cascade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.chats import CORPUS, Chats, ChatStore, ReadLimitError
from bot.corpus.extract import Extracted
from bot.corpus.fetch import AddressPolicy
from bot.database import MIGRATIONS, SCHEMA_VERSION, connect, database_path, migrate, schema_version
from bot.errors import ConfigError, ExtractError
from bot.library import Library
from tests import pages
from tests.web_server import WebServer

HARBOUR = Extracted(
    title="Harbour Wall Repaired",
    url="https://example.com/harbour",
    source="Harbour Gazette",
    published="2024-08-13",
    authors=("Jane Doe",),
    paragraphs=(
        "The harbour wall in Eastport was repaired on Tuesday after the winter storms.",
        "“The wall will hold for another fifty years,” said Maria Olsen, the town engineer.",
        "Mayor Tom Reed said the repairs cost 2 million euros.",
    ),
)
BRIDGE = Extracted(
    title="Council Approves Bridge",
    url="https://example.com/bridge",
    source="River Times",
    paragraphs=(
        "The city council approved a new bridge over the river on Monday.",
        "“This bridge will cut the commute in half,” said councillor Ruth Park.",
        "The repairs to the old bridge cost 300,000 euros last year.",
    ),
)


@pytest.fixture
def db(tmp_path: Path) -> sqlite3.Connection:
    return connect(f"sqlite:///{tmp_path}/bot.sqlite3")


@pytest.fixture
def store(db: sqlite3.Connection) -> ChatStore:
    return ChatStore(db)


# ---------------------------------------------------------------- the database


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///data/bot.sqlite3", "data/bot.sqlite3"),
        ("sqlite:////var/lib/bot/bot.sqlite3", "/var/lib/bot/bot.sqlite3"),
        ("sqlite://", ":memory:"),
        ("sqlite:///:memory:", ":memory:"),
    ],
)
def test_database_urls(url: str, path: str) -> None:
    assert database_path(url) == path


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://bot@db/bot", "must be an sqlite:/// URL"),
        ("data/bot.sqlite3", "must be an sqlite:/// URL"),
        ("sqlite://data/bot.sqlite3", "needs three slashes"),
    ],
)
def test_bad_database_urls(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        database_path(url)


def test_default_url_is_a_file_under_data_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.settings import Settings

    monkeypatch.chdir(tmp_path)
    connection = connect(Settings.from_env({}, dotenv=None).database_url)
    assert (tmp_path / "data" / "bot.sqlite3").is_file()
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert schema_version(connection) == SCHEMA_VERSION == len(MIGRATIONS)


def test_reopening_does_not_migrate_again_and_keeps_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    ChatStore(connect(url)).add(1, HARBOUR)
    again = connect(url)
    assert migrate(again) == SCHEMA_VERSION  # was already current
    assert [a.title for a in ChatStore(again).articles(1)] == [HARBOUR.title]
    assert again.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION


def test_a_later_migration_applies_on_top_of_existing_data(db: sqlite3.Connection) -> None:
    ChatStore(db).add(1, HARBOUR)
    later = (*MIGRATIONS, ("ALTER TABLE chat_articles ADD COLUMN language TEXT",))
    assert migrate(db, later) == SCHEMA_VERSION
    assert schema_version(db) == SCHEMA_VERSION + 1
    assert db.execute("SELECT title, language FROM chat_articles").fetchall() == [(HARBOUR.title, None)]


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    connect(url).execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION + 5,))
    with pytest.raises(ConfigError, match="newer than this bot"):
        connect(url)


def test_a_file_that_is_no_database_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "junk.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(ConfigError, match="cannot be used as the bot's database"):
        connect(f"sqlite:///{tmp_path}/junk.sqlite3")


# ---------------------------------------------------------------- the store


def test_articles_newest_first_and_the_same_url_refreshes(store: ChatStore) -> None:
    store.add(1, HARBOUR, now=100)
    store.add(1, BRIDGE, now=200)
    assert [a.title for a in store.articles(1)] == [BRIDGE.title, HARBOUR.title]
    refreshed, dropped = store.add(1, HARBOUR, now=300)
    assert dropped == [] and store.articles(1)[0].id == refreshed.id
    assert len(store.articles(1)) == 2


def test_the_cap_drops_the_oldest(db: sqlite3.Connection) -> None:
    store = ChatStore(db, limit=3)
    ids = [
        store.add(1, Extracted(title=f"T{n}", paragraphs=("x",), url=f"https://e.com/{n}"), now=n)[0].id
        for n in range(5)
    ]
    assert [a.id for a in store.articles(1)] == ids[:1:-1]


def test_chats_are_isolated(store: ChatStore) -> None:
    mine, _ = store.add(1, HARBOUR)
    assert store.articles(2) == [] and store.get(2, mine.id) is None
    assert store.choose(2, mine.id) is False and store.choice(2) is None
    store.add(2, HARBOUR)  # the same URL in another chat is another chat's copy
    assert len(store.articles(1)) == 1 and store.forget(2) and store.articles(1)[0].id == mine.id


def test_choice_and_its_reset(store: ChatStore) -> None:
    harbour, _ = store.add(1, HARBOUR)
    assert store.choose(1, harbour.id) and store.choice(1) == harbour.id
    assert store.choose(1, CORPUS) and store.choice(1) == CORPUS
    store.add(1, BRIDGE)
    assert store.choice(1) is None  # a newly read article gets the questions
    store.choose(1, harbour.id)
    store.forget(1)
    assert store.choice(1) is None


# ---------------------------------------------------------------- answering


@pytest.fixture
async def chats(store: ChatStore, library: Library) -> Chats:
    chats = Chats(store, library)
    await chats.read(1, HARBOUR, user_id=7)
    await chats.read(1, BRIDGE, user_id=7)
    return chats


def _answer(chats: Chats, question: str, chat: int = 1) -> str:
    reply, _ = chats.ask(chat, question)
    return reply.answers[0].sentence.text if reply.answers else reply.status


async def test_most_recent_article_first_then_older_then_shared(chats: Chats) -> None:
    assert "300,000" in _answer(chats, "How much did the repairs cost?")  # both answer: the newer one
    assert "Maria Olsen" in _answer(chats, "How long will the wall hold?")  # only the older one
    assert "Ukrainian forces" in _answer(chats, "How far have Ukrainian forces advanced into Russia?")  # shared
    assert _answer(chats, "What is the price of bananas in Lisbon?") == "no_answer"


async def test_a_picked_article_or_the_corpus_gets_the_questions(chats: Chats) -> None:
    harbour = chats.store.articles(1)[1]
    chats.store.choose(1, harbour.id)
    assert "2 million" in _answer(chats, "How much did the repairs cost?")
    assert _answer(chats, "Who approved the bridge?") == "no_answer"
    chats.store.choose(1, CORPUS)
    assert _answer(chats, "How much did the repairs cost?") == "no_answer"


async def test_another_chat_gets_only_the_shared_corpus(chats: Chats) -> None:
    assert _answer(chats, "How much did the repairs cost?", chat=2) == "no_answer"
    assert "Ukrainian forces" in _answer(chats, "How far have Ukrainian forces advanced into Russia?", chat=2)


async def test_read_counts_sentences_and_people(store: ChatStore, library: Library) -> None:
    read = await Chats(store, library).read(5, HARBOUR)
    assert (read.sentences, read.people, read.dropped) == (3, 2, 0)


async def test_articles_survive_a_restart(tmp_path: Path, library: Library) -> None:
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    await Chats(ChatStore(connect(url)), library).read(1, HARBOUR)
    restarted = Chats(ChatStore(connect(url)), library)
    assert "Maria Olsen" in _answer(restarted, "How long will the wall hold?")


async def test_prepare_builds_a_restarted_chats_indexes_before_its_question(tmp_path: Path, library: Library) -> None:
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    first = Chats(ChatStore(connect(url)), library)
    await first.read(1, HARBOUR)
    await first.read(1, BRIDGE)
    restarted = Chats(ChatStore(connect(url)), library)
    await restarted.prepare(2)  # a chat that has read nothing: nothing to build
    assert not restarted._libraries
    await restarted.prepare(1)
    assert sorted(restarted._libraries) == sorted(a.id for a in restarted.store.articles(1))
    assert "300,000" in _answer(restarted, "How much did the repairs cost?")


async def test_reads_are_limited_per_user(web: WebServer, store: ChatStore, library: Library) -> None:
    counts: dict[int, int] = {}

    def two_an_hour(user: int) -> float:
        counts[user] = counts.get(user, 0) + 1
        return 0.0 if counts[user] <= 2 else 3600.0

    url = web.page("/story", pages.article_page())
    chats = Chats(store, library, policy=AddressPolicy(allow_private=True), quota=two_an_hour)
    for _ in range(2):
        assert (await chats.read_link(1, url, user_id=7)).article.title == pages.HEADLINE
    with pytest.raises(ReadLimitError, match="in about 60 minutes"):
        await chats.read_link(1, url, user_id=7)
    assert web.requests == ["/story", "/story"]  # refused before fetching
    assert (await chats.read_link(1, url, user_id=8)).sentences == len(pages.BODY)  # another user may


async def test_a_failed_read_stores_nothing(web: WebServer, store: ChatStore, library: Library) -> None:
    chats = Chats(store, library, policy=AddressPolicy(allow_private=True))
    with pytest.raises(ExtractError):
        await chats.read_link(1, web.page("/front", pages.links_page()))
    with pytest.raises(ExtractError, match=r"a \.pdf file"):
        await chats.read_file(1, "scan.pdf", b"%PDF")
    assert store.articles(1) == []
    read = await chats.read_file(1, "story.html", pages.amp_page().encode())
    assert read.article.title == "Library Opens Late on Weekdays" and read.article.url is None
