"""Each chat's own articles: read from links and files, kept in the database, asked before the shared corpus.

A chat's articles are that chat's alone: every query is keyed by ``chat_id``,
nothing read in a chat is added to the shared corpus, and no other chat can
name it (an article id from another chat is simply not found).

Which articles answer a question (``Chats.ask``):

1. the one the chat picked with /article, if any (or only the shared corpus,
   if that is what it picked);
2. otherwise the chat's articles one at a time, most recently read first:
   the first that answers is the answer. Each is asked on its own (a
   per-article index, as when a user sends one article), so a newer
   article's weak match is preferred only when it passes the same
   no-answer rule as anywhere else;
3. the shared corpus, only when none of the chat's articles answers.

A chat keeps at most ``limit`` articles (oldest dropped); reading the same
URL again refreshes it instead of adding a second copy. Reads are counted per
user by a ``ReadQuota`` the caller gives (the bot wires its sliding-window
limiter in; this module knows nothing of Telegram), before anything is fetched.

The database work is synchronous and small (a few rows per chat); the
expensive part of reading — extraction, sentence splitting, attribution —
runs in a worker thread (``Chats.read``) so the bot keeps answering others.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.answer import Reply, ask
from bot.answer.examples import example_questions
from bot.corpus.extract import Extracted, article_text, extract_page
from bot.corpus.fetch import AddressPolicy, FetchLimits, fetch
from bot.corpus.reader import read_document
from bot.errors import BotError
from bot.library import Library
from bot.search.backend import SearchBackend

__all__ = ["CHAT_ARTICLE_LIMIT", "ChatArticle", "ChatStore", "Chats", "Read", "ReadLimitError", "ReadQuota", "Target"]

CHAT_ARTICLE_LIMIT = 20
LIBRARY_CACHE = 256
"""Per-article libraries kept built in memory (each a few hundred sentences at most); others are rebuilt."""
CORPUS = "corpus"
"""The /article choice meaning "the shared corpus"."""


@dataclass(frozen=True, slots=True)
class ChatArticle:
    """One article a chat has read, as stored."""

    id: int
    chat_id: int
    title: str
    text: str
    """The article as a corpus file (front matter, headline, body): what ``parse_article`` reads."""
    url: str | None = None
    source: str | None = None
    published: str | None = None
    sentences: int = 0
    people: int = 0
    """People (and bodies) quoted in it."""
    added_at: float = 0.0

    @property
    def name(self) -> str:
        return f"chat-article-{self.id}.txt"


ReadQuota = Callable[[int], float]
"""Counts one read by a user: 0 when it may go ahead, else the seconds until that user may read again."""

Target = int | str | None
"""Where a chat's questions go: an article id, ``CORPUS``, or None (its articles newest first, then the corpus)."""


class ChatStore:
    """The chats' articles and choices in the database (see ``bot.database`` for the schema)."""

    COLUMNS = "id, chat_id, title, article_text, url, source, published, sentences, people, added_at"

    def __init__(self, connection: sqlite3.Connection, limit: int = CHAT_ARTICLE_LIMIT) -> None:
        self.db = connection
        self.limit = limit

    def _row(self, row: tuple) -> ChatArticle:
        return ChatArticle(*row)

    def add(
        self,
        chat_id: int,
        article: Extracted,
        user_id: int | None = None,
        now: float | None = None,
        counts: tuple[int, int] = (0, 0),
    ) -> tuple[ChatArticle, list[int]]:
        """Keep an article for a chat (the same URL replaces its earlier copy); returns it and the ids dropped.

        ``counts`` are its sentences and people quoted, kept so /article lists them without parsing.
        The chat's /article choice is reset: a chat that just read something asks about it next.
        """
        now = time.time() if now is None else now
        values = (
            article.title,
            article_text(article),
            article.url,
            article.source,
            article.published,
            "; ".join(article.authors) or None,
            *counts,
            user_id,
            now,
        )
        self.db.execute("BEGIN IMMEDIATE")
        try:
            existing = (
                self.db.execute(
                    "SELECT id FROM chat_articles WHERE chat_id = ? AND url = ?", (chat_id, article.url)
                ).fetchone()
                if article.url
                else None
            )
            if existing:
                article_id = existing[0]
                self.db.execute(
                    "UPDATE chat_articles SET title = ?, article_text = ?, url = ?, source = ?, published = ?, "
                    "authors = ?, sentences = ?, people = ?, added_by = ?, added_at = ? WHERE id = ?",
                    (*values, article_id),
                )
            else:
                article_id = self.db.execute(
                    "INSERT INTO chat_articles (title, article_text, url, source, published, authors, sentences, "
                    "people, added_by, added_at, chat_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (*values, chat_id),
                ).fetchone()[0]
            keep = [
                r[0]
                for r in self.db.execute(
                    "SELECT id FROM chat_articles WHERE chat_id = ? ORDER BY added_at DESC, id DESC", (chat_id,)
                )
            ]
            dropped = keep[self.limit :]
            for old in dropped:
                self.db.execute("DELETE FROM chat_articles WHERE id = ?", (old,))
            self.db.execute("DELETE FROM chat_choices WHERE chat_id = ?", (chat_id,))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        stored = self.get(chat_id, article_id)
        assert stored is not None
        return stored, dropped

    def articles(self, chat_id: int) -> list[ChatArticle]:
        """The chat's articles, most recently read first."""
        rows = self.db.execute(
            f"SELECT {self.COLUMNS} FROM chat_articles WHERE chat_id = ? ORDER BY added_at DESC, id DESC", (chat_id,)
        )
        return [self._row(r) for r in rows]

    def count(self, chat_id: int) -> int:
        """How many articles the chat has read (and still keeps)."""
        return int(self.db.execute("SELECT COUNT(*) FROM chat_articles WHERE chat_id = ?", (chat_id,)).fetchone()[0])

    def get(self, chat_id: int, article_id: int) -> ChatArticle | None:
        """One of the chat's articles; None when it is not this chat's (or no longer exists)."""
        row = self.db.execute(
            f"SELECT {self.COLUMNS} FROM chat_articles WHERE chat_id = ? AND id = ?", (chat_id, article_id)
        ).fetchone()
        return self._row(row) if row else None

    def forget(self, chat_id: int) -> list[int]:
        """Remove every article of the chat (and its choice); returns the ids removed."""
        ids = [r[0] for r in self.db.execute("SELECT id FROM chat_articles WHERE chat_id = ?", (chat_id,))]
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("DELETE FROM chat_choices WHERE chat_id = ?", (chat_id,))
        self.db.execute("DELETE FROM chat_articles WHERE chat_id = ?", (chat_id,))
        self.db.execute("COMMIT")
        return ids

    def chats(self) -> set[int]:
        """Every chat that has read something."""
        return {r[0] for r in self.db.execute("SELECT DISTINCT chat_id FROM chat_articles")}

    def choose(self, chat_id: int, target: Target) -> bool:
        """Send the chat's questions to one of its articles, to the shared corpus, or (None) back to the default.

        False (and nothing changed) when the article is not this chat's.
        """
        if isinstance(target, int) and self.get(chat_id, target) is None:
            return False
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("DELETE FROM chat_choices WHERE chat_id = ?", (chat_id,))
        if target is not None:
            self.db.execute(
                "INSERT INTO chat_choices (chat_id, article_id) VALUES (?, ?)",
                (chat_id, None if target == CORPUS else target),
            )
        self.db.execute("COMMIT")
        return True

    def choice(self, chat_id: int) -> Target:
        row = self.db.execute("SELECT article_id FROM chat_choices WHERE chat_id = ?", (chat_id,)).fetchone()
        if row is None:
            return None
        return CORPUS if row[0] is None else int(row[0])


class ReadLimitError(BotError):
    """A user has read as many links and files as the limit allows for now."""

    def __init__(self, seconds: float) -> None:
        minutes = max(1, round(seconds / 60))
        super().__init__(
            f"you have read a lot in a short time; please send the next one in about {minutes} "
            f"minute{'s' if minutes != 1 else ''}"
        )
        self.seconds = seconds


@dataclass(frozen=True, slots=True)
class Read:
    """What reading one article gave: it as stored, its parsed library, and how many articles were dropped."""

    article: ChatArticle
    library: Library
    dropped: int = 0

    @property
    def sentences(self) -> int:
        return len(self.library)

    @property
    def people(self) -> int:
        """People (and bodies) quoted in it."""
        return len(self.library.speakers)


class Chats:
    """The chats' libraries: what each chat has read, and answering a chat's question from them."""

    def __init__(
        self,
        store: ChatStore,
        shared: SearchBackend,
        top_k: int = 3,
        policy: AddressPolicy | None = None,
        limits: FetchLimits | None = None,
        quota: ReadQuota | None = None,
    ) -> None:
        self.store = store
        self.shared = shared
        self.top_k = top_k
        self.policy = policy or AddressPolicy()
        self.limits = limits or FetchLimits()
        self.quota = quota
        """Per-user limit on reads (links and files); None for no limit."""
        self._libraries: OrderedDict[int, Library] = OrderedDict()
        self._examples: dict[int, tuple[str, ...]] = {}
        self._reading = store.chats()
        """Chats with articles of their own: every other chat's question goes straight to the shared corpus,
        without a database query (this process is the only writer of the chats' tables)."""

    def library(self, article: ChatArticle) -> Library:
        """The article's own index (built from its stored text on first use after a start, if ``prepare``
        has not built it already)."""
        library = self._libraries.get(article.id)
        if library is None:
            library = self._keep(article.id, build_library(article))
        else:
            self._libraries.move_to_end(article.id)
        return library

    def _keep(self, article_id: int, library: Library) -> Library:
        self._libraries[article_id] = library
        while len(self._libraries) > LIBRARY_CACHE:
            old, _ = self._libraries.popitem(last=False)
            self._examples.pop(old, None)
        return library

    async def prepare(self, chat_id: int) -> None:
        """Build the indexes of the chat's articles not in memory (after a restart) in a worker thread, so
        a chat's first question does not hold up every other chat for the parsing of up to 20 articles."""
        if chat_id not in self._reading:
            return
        for article in self.store.articles(chat_id):
            if article.id not in self._libraries:
                self._keep(article.id, await asyncio.to_thread(build_library, article))

    def _count_read(self, user_id: int | None) -> None:
        wait = self.quota(user_id) if self.quota is not None and user_id is not None else 0.0
        if wait > 0:
            raise ReadLimitError(wait)

    async def read_link(self, chat_id: int, url: str, user_id: int | None = None) -> Read:
        """Fetch, extract and keep a link for the chat (FetchError, ExtractError or ReadLimitError otherwise)."""
        self._count_read(user_id)
        page = await fetch(url, self.policy, self.limits)
        return await self.read(chat_id, await asyncio.to_thread(extract_page, page), user_id)

    async def read_file(self, chat_id: int, name: str, data: bytes, user_id: int | None = None) -> Read:
        """Extract and keep a sent ``.txt``/``.html`` document for the chat."""
        self._count_read(user_id)
        return await self.read(chat_id, await asyncio.to_thread(read_document, name, data), user_id)

    async def read(self, chat_id: int, extracted: Extracted, user_id: int | None = None) -> Read:
        """Keep an extracted article for the chat and index it (in a worker thread); returns what was read."""
        probe = ChatArticle(0, chat_id, extracted.title, article_text(extracted), extracted.url)
        library = await asyncio.to_thread(build_library, probe)  # fails before anything is stored
        stored, dropped = self.store.add(chat_id, extracted, user_id, counts=(len(library), len(library.speakers)))
        for old in dropped:
            self._forget_library(old)
        self._forget_library(stored.id)
        self._reading.add(chat_id)
        self._keep(stored.id, library)
        return Read(stored, library, len(dropped))

    def _forget_library(self, article_id: int) -> None:
        self._libraries.pop(article_id, None)
        self._examples.pop(article_id, None)

    def examples(self, article: ChatArticle) -> tuple[str, ...]:
        if article.id not in self._examples:
            self._examples[article.id] = tuple(example_questions(self.library(article)))
        return self._examples[article.id]

    def ask(self, chat_id: int, question: str, k: int | None = None) -> tuple[Reply, tuple[str, ...] | None]:
        """The reply for a chat's question (see the module docstring), with the example questions to hint with.

        The examples are None when the reply came from the shared corpus (the caller has its own).
        """
        k = k or self.top_k
        if chat_id not in self._reading:
            return ask(self.shared, question, k=k), None
        target = self.store.choice(chat_id)
        if target == CORPUS:
            return ask(self.shared, question, k=k), None
        if isinstance(target, int):
            chosen = self.store.get(chat_id, target)
            if chosen is not None:
                return ask(self.library(chosen), question, k=k), self.examples(chosen)
        articles = self.store.articles(chat_id)
        first: tuple[Reply, tuple[str, ...]] | None = None
        for article in articles:
            reply = ask(self.library(article), question, k=k)
            if reply.answers or reply.status == "empty":
                return reply, self.examples(article)
            first = first or (reply, self.examples(article))
        shared = ask(self.shared, question, k=k)
        if shared.answers or first is None:
            return shared, None
        return first

    def article_count(self, chat_id: int) -> int:
        """How many articles a chat's question may be answered from: its own and the shared ones."""
        own = self.store.count(chat_id) if chat_id in self._reading else 0
        return own + len(self.shared.articles)

    def focus(self, chat_id: int) -> SearchBackend:
        """The articles a chat's questions go to first, for /speakers: its pick, else its newest, else the shared."""
        if chat_id in self._reading:
            target = self.store.choice(chat_id)
            if target == CORPUS:
                return self.shared
            chosen = self.store.get(chat_id, target) if isinstance(target, int) else None
            articles = [chosen] if chosen is not None else self.store.articles(chat_id)[:1]
            if articles:
                return self.library(articles[0])
        return self.shared

    def listing(self, chat_id: int) -> tuple[list[ChatArticle], Target, SearchBackend]:
        """What /article shows: the chat's articles (newest first), where its questions go, the shared corpus."""
        return self.store.articles(chat_id), self.store.choice(chat_id), self.shared

    def forget(self, chat_id: int) -> int:
        """Remove the chat's articles; how many there were."""
        ids = self.store.forget(chat_id)
        self._reading.discard(chat_id)
        for article_id in ids:
            self._forget_library(article_id)
        return len(ids)


def build_library(article: ChatArticle) -> Library:
    """Parse and index one stored article (sentences, speakers, BM25), as the corpus loader does a file."""
    from bot.corpus import Corpus, parse_article

    path = Path(article.name)
    return Library(Corpus.of(path.parent, (parse_article(article.text, path),)))
