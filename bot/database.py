"""The bot's database: a URL (``DATABASE_URL``), one connection, a schema version and its migrations.

Why the standard library's sqlite3 and not SQLAlchemy: the bot keeps two
small tables (``bot.chats``) and a dozen statements. SQLAlchemy 2 would be
29 MB installed and 0.26 s of import on every bot start (sqlite3: 0.014 s),
and what it would give — other databases — is a seam this module keeps
anyway: the URL is SQLAlchemy's (``sqlite:///relative.sqlite3``,
``sqlite:////absolute/path.sqlite3``, ``sqlite://`` for memory), the SQL is
the portable subset (no SQLite-only types or syntax outside the PRAGMAs in
``connect``), migrations are plain SQL in order, and only ``connect`` knows
the driver. A PostgreSQL deployment adds a ``postgresql://`` branch there
with psycopg (DB-API too, ``%s`` placeholders) — or moves to SQLAlchemy
Core then, when there is a second database to justify it.

SQLite is set up for a long-running bot: WAL journal (readers never wait for
the writer, a crash loses nothing committed), ``synchronous=NORMAL`` (safe
with WAL), foreign keys on, and a busy timeout so a second process (the CLI)
waits for a lock instead of failing.

Migrations: ``MIGRATIONS[n]`` takes the schema from version n to n + 1. The
version lives in the table ``schema_version``; ``migrate`` applies what is
missing in one transaction, and refuses a database newer than this code.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from bot.errors import ConfigError

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "connect", "database_path", "migrate", "schema_version"]

log = logging.getLogger(__name__)

MIGRATIONS: Sequence[Sequence[str]] = (
    (  # 0 -> 1: each chat's articles, and which one the chat's questions go to
        """CREATE TABLE chat_articles (
            id INTEGER PRIMARY KEY,
            chat_id BIGINT NOT NULL,
            url TEXT,
            title TEXT NOT NULL,
            source TEXT,
            published TEXT,
            authors TEXT,
            article_text TEXT NOT NULL,
            sentences INTEGER NOT NULL,
            people INTEGER NOT NULL,
            added_by BIGINT,
            added_at DOUBLE PRECISION NOT NULL
        )""",
        "CREATE INDEX chat_articles_by_chat ON chat_articles (chat_id, added_at)",
        """CREATE TABLE chat_choices (
            chat_id BIGINT PRIMARY KEY,
            article_id INTEGER REFERENCES chat_articles (id) ON DELETE CASCADE
        )""",
    ),
    (  # 1 -> 2: the answers sent, so "More" buttons and edited questions work after a restart
        """CREATE TABLE answers (
            chat_id BIGINT NOT NULL,
            question_id BIGINT NOT NULL,
            answer_id BIGINT NOT NULL,
            question TEXT NOT NULL,
            asked_at DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (chat_id, question_id)
        )""",
        "CREATE INDEX answers_by_time ON answers (asked_at)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
BUSY_TIMEOUT_MS = 5000
MEMORY = ":memory:"


def database_path(url: str) -> str:
    """The SQLite file a ``DATABASE_URL`` names (``:memory:`` for ``sqlite://``); ConfigError for anything else.

    >>> database_path("sqlite:///data/bot.sqlite3"), database_path("sqlite:////var/lib/bot.sqlite3")
    ('data/bot.sqlite3', '/var/lib/bot.sqlite3')
    """
    scheme, sep, rest = url.strip().partition("://")
    if not sep or scheme.lower() not in ("sqlite", "sqlite3"):
        shown = scheme if sep else url
        raise ConfigError(
            f"DATABASE_URL must be an sqlite:/// URL (e.g. sqlite:///data/bot.sqlite3), got {shown!r}"
            "; other databases are not supported yet"
        )
    if rest in ("", "/", f"/{MEMORY}"):
        return MEMORY
    if not rest.startswith("/"):
        raise ConfigError(
            f"DATABASE_URL {url!r} needs three slashes: sqlite:///relative/path or sqlite:////absolute/path"
        )
    return rest[1:].split("?", 1)[0]


def connect(url: str) -> sqlite3.Connection:
    """Open (creating it and its folder if needed) and migrate the database; ConfigError names what is wrong."""
    path = database_path(url)
    if path != MEMORY:
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"DATABASE_URL: cannot create the folder for {path} ({exc.strerror or exc})") from None
    try:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        migrate(connection)
    except sqlite3.DatabaseError as exc:
        raise ConfigError(f"DATABASE_URL: {path} cannot be used as the bot's database ({exc})") from None
    if path != MEMORY and mode.lower() != "wal":
        log.warning("%s: journal mode is %s, not WAL (a file system without shared memory?)", path, mode)
    return connection


def schema_version(connection: sqlite3.Connection) -> int:
    """The version the database's schema is at (0 for a new database)."""
    connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(connection: sqlite3.Connection, migrations: Sequence[Sequence[str]] = MIGRATIONS) -> int:
    """Bring the schema up to ``len(migrations)`` in one transaction; returns the version it was at."""
    connection.execute("BEGIN IMMEDIATE")  # one migrator at a time, even across processes
    try:
        before = schema_version(connection)
        if before > len(migrations):
            raise ConfigError(
                f"the database is at schema version {before}, newer than this bot's "
                f"{len(migrations)}; upgrade the bot or point DATABASE_URL elsewhere"
            )
        for version in range(before, len(migrations)):
            for statement in migrations[version]:
                connection.execute(statement)
            connection.execute("INSERT INTO schema_version (version) VALUES (?)", (version + 1,))
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    if 0 < before < len(migrations):  # a new database (version 0) is no news; an upgraded one is
        log.info("database schema migrated from version %d to %d", before, len(migrations))
    return before
