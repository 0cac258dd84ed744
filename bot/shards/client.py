"""``SEARCH_BACKEND=xapian``: answering from Xapian shard databases, local or served by ``xapian-tcpsrv``.

``ShardedLibrary`` implements ``bot.search.backend.SearchBackend`` over one Xapian
``Database`` that combines the shards (``add_database``): Xapian then merges N, the
document frequencies and the document lengths of every shard, so BM25 statistics are the
whole corpus's, as in process. Scoring is Xapian's ``BM25Weight`` with our k1 and b and
the terms our own Analyzer makes (saved in the shards), and ties are broken by corpus
order (a value slot), so answers match the in-process backend's except for terms in more
than about a third of the sentences: Xapian's idf of those is log(1 + x / 2) where
BM25Okapi's is log(x) (and negative ones become epsilon x the mean idf) — see
docs/scaling.md.

Positions are flat sentence numbers in corpus order (the shard's offset from the build's
manifest plus the document's number in its shard). Nothing of the corpus is held here but
the analyzer's stems, the speaker table and the article list: sentences come from the
matching documents' data.

A shard that cannot be reached (at start, or when a search fails with a network error) is
left out with a one-line warning: the others keep answering, every reply then says it may
be incomplete (``unavailable``), and the missing shard is tried again every
``RETRY_SECONDS``. With no shard reachable, a SearchBackendError.
"""

from __future__ import annotations

import bisect
import json
import logging
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import TypeVar, overload

import xapian

from bot.errors import SearchBackendError
from bot.library import Located
from bot.records import Article, Sentence, Speaker
from bot.search.analysis import Analyzer
from bot.search.backend import TermContext
from bot.search.bm25 import BM25Params, Hit
from bot.shards import schema
from bot.speakers import SpeakerSummary

__all__ = ["ShardedLibrary"]

log = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_SECONDS = 30.0
"""How long a shard that was out of reach is left out before it is tried again."""
TIMEOUT_MS = 3_000
"""A remote shard that does not answer within this is out of reach (Xapian's default is 10 s; a bot answering in the
event loop should not wait that long)."""
CACHED_SENTENCES = 512
"""Documents' data kept after a search: the re-ranker reads each of a question's ~20-40 candidates several times;
the worker is not to grow into a copy of the archive."""
CACHED_DOC_FREQS = 65_536


def _open(address: str, timeout_ms: int) -> xapian.Database:
    """One shard: ``tcp://host:port`` (xapian-tcpsrv) or a local database folder."""
    if address.startswith("tcp://"):
        host, sep, port = address.removeprefix("tcp://").rpartition(":")
        if not sep or not host or not port.isdigit():
            raise SearchBackendError(f"XAPIAN_SHARDS: {address!r} is not tcp://HOST:PORT")
        return xapian.remote_open(host.strip("[]"), int(port), timeout_ms, timeout_ms)
    if not Path(address).is_dir():
        raise SearchBackendError(f"XAPIAN_SHARDS: {address} is not a shard folder (bot index prints them)")
    return xapian.Database(address)


def _meta(db: xapian.Database, key: str, address: str) -> object:
    raw = db.get_metadata(key)
    if not raw:
        raise SearchBackendError(f"{address} is not a shard written by bot index (no {key!r} metadata)")
    return json.loads(raw)


class _Shard:
    """One shard's address, its place in the build, and its database while it is reachable."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.db: xapian.Database | None = None
        self.error = ""
        self.failed_at = 0.0


class ShardedLibrary:
    """The corpus as Xapian shards: the SearchBackend of ``SEARCH_BACKEND=xapian``."""

    def __init__(self, addresses: Sequence[str], *, timeout_ms: int = TIMEOUT_MS) -> None:
        if not addresses:
            raise SearchBackendError("XAPIAN_SHARDS is empty; list the shards bot index printed, comma-separated")
        self.timeout_ms = timeout_ms
        self._shards = [_Shard(a) for a in addresses]
        for shard in self._shards:
            self._connect(shard)
        first = next((s for s in self._shards if s.db is not None), None)
        if first is None:
            raise SearchBackendError("no Xapian shard is reachable: " + "; ".join(s.error for s in self._shards))
        build = _meta(first.db, schema.META_BUILD, first.address)
        assert isinstance(build, dict)
        self.build: str = build["build"]
        counts: list[int] = build["counts"]
        if len(counts) != len(addresses):
            raise SearchBackendError(
                f"XAPIAN_SHARDS lists {len(addresses)} shards but the build has {len(counts)}; list them all, in order"
            )
        self._offsets = [sum(counts[:j]) for j in range(len(counts) + 1)]
        self._analyzer: Analyzer | None = None
        self._tables: dict[int, list[tuple[Speaker, int]]] = {}  # per shard read: its speaker table with counts
        self._article_rows: dict[int, bytes | list[schema.ArticleInfo]] = {}  # per shard read: its article list
        self.shard_articles: dict[int, int] = {}  # per shard read: how many articles it holds
        self._lock = threading.RLock()  # a Xapian Database is not to be used by two threads at once
        params: BM25Params | None = None
        for j, shard in enumerate(self._shards):
            if shard.db is not None:
                params = self._read_shard(j, shard)
        assert params is not None
        self.params: BM25Params = params
        self._sentences: OrderedDict[int, schema.StoredSentence] = OrderedDict()
        self._doc_freq: dict[str, int] = {}
        self._headlines: dict[str, frozenset[str]] = {}
        self._combine()

    @classmethod
    def open(cls, addresses: str | Sequence[str]) -> ShardedLibrary:
        """From ``XAPIAN_SHARDS``'s comma-separated list (or a list of addresses)."""
        if isinstance(addresses, str):
            addresses = [a.strip() for a in addresses.split(",") if a.strip()]
        return cls(addresses)

    # ---- shards: connecting, reading their metadata, combining the reachable ones

    def _connect(self, shard: _Shard, *, announce: bool = False) -> None:
        """Open a shard; one that fails is left out (``problems`` says so at start, the log when it happens later)."""
        try:
            shard.db = _open(shard.address, self.timeout_ms)
            shard.db.get_doccount()  # a remote database may only fail on first use
        except xapian.Error as exc:
            shard.db, shard.error, shard.failed_at = None, f"{shard.address}: {exc.get_msg()}", time.monotonic()
            if announce:
                log.warning("Xapian shard out of reach, answering from the others: %s", shard.error)

    def _read_shard(self, j: int, shard: _Shard) -> BM25Params:
        """Check a shard belongs here and take in its analyzer stems, speakers and articles."""
        db, address = shard.db, shard.address
        assert db is not None
        meta = _meta(db, schema.META_SHARD, address)
        build = _meta(db, schema.META_BUILD, address)
        assert isinstance(meta, dict) and isinstance(build, dict)
        if meta.get("format") != schema.FORMAT_VERSION:
            raise SearchBackendError(
                f"{address}: shard format {meta.get('format')!r}, expected {schema.FORMAT_VERSION}"
            )
        if build["build"] != self.build:
            raise SearchBackendError(
                f"{address} is from another bot index build than the first shard; rebuild or relist"
            )
        if meta["shard"] != j:
            raise SearchBackendError(
                f"{address} is shard {meta['shard']} of the build but listed at place {j}; "
                "list XAPIAN_SHARDS in the order bot index printed"
            )
        # the corpus's every stem, packed (bot.search.stem_table), not a dict: a worker holds them all
        analyzer = Analyzer.from_json(_raw(db, schema.META_ANALYZER), where=f"{address} analyzer", packed=True)
        if self._analyzer is None:
            self._analyzer = analyzer
        else:
            self._analyzer.learn(analyzer)
        table = _meta(db, schema.META_SPEAKERS, address)
        assert isinstance(table, list)
        self._tables[j] = [(Speaker(name, role, cue, kind, rule), n) for name, role, cue, kind, rule, n in table]
        rows = _raw(db, schema.META_ARTICLES)
        if not rows:
            raise SearchBackendError(f"{address} is not a shard written by bot index (no {schema.META_ARTICLES!r})")
        self._article_rows[j] = rows  # kept as read, one bytes object: parsed when articles are listed
        self.shard_articles[j] = int(meta["articles"])
        self.__dict__.pop("speakers", None)  # the roster is counted again with this shard's speakers
        return BM25Params(meta["k1"], meta["b"], meta["epsilon"])

    def _combine(self) -> None:
        """One Database over the reachable shards, and how their document ids interleave in it."""
        self._live = [j for j, s in enumerate(self._shards) if s.db is not None]
        if not self._live:
            raise SearchBackendError("no Xapian shard is reachable: " + "; ".join(s.error for s in self._shards))
        db = xapian.Database()
        for j in self._live:
            db.add_database(self._shards[j].db)
        self._db = db
        self._place = {j: i for i, j in enumerate(self._live)}
        self._n_docs = int(db.get_doccount())
        self._doc_freq.clear()

    def _retry_down(self) -> None:
        now = time.monotonic()
        back = False
        for j, shard in enumerate(self._shards):
            if shard.db is None and now - shard.failed_at >= RETRY_SECONDS:
                self._connect(shard)
                if shard.db is not None:
                    log.warning("Xapian shard %s is back", shard.address)
                    if j not in self._tables:  # down since the start: its analyzer, speakers and articles
                        self._read_shard(j, shard)
                    back = True
        if back:
            self._combine()

    def _run(self, action: Callable[[xapian.Database], T]) -> T:
        """Run a read on the combined database; on a network error, drop the shards that fail and retry."""
        with self._lock:
            if len(self._live) < len(self._shards):
                self._retry_down()
            for _ in range(len(self._shards) + 1):
                try:
                    return action(self._db)
                except xapian.NetworkError:
                    self._probe()
        raise SearchBackendError("no Xapian shard is reachable: " + "; ".join(s.error for s in self._shards))

    def _probe(self) -> None:
        """Find which shards stopped answering (reconnecting to each), and combine the rest."""
        for j in self._live:
            shard = self._shards[j]
            shard.db = None
            self._connect(shard, announce=True)
        self._combine()

    @property
    def unavailable(self) -> tuple[str, ...]:
        return tuple(s.error for s in self._shards if s.db is None)

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(f"Xapian shard out of reach, answers may be incomplete: {e}" for e in self.unavailable)

    # ---- positions <-> document ids of the combined database

    def _docid(self, position: int) -> int | None:
        """The combined database's document id of a position; None when its shard is out of reach."""
        j = bisect.bisect_right(self._offsets, position) - 1
        place = self._place.get(j)
        if place is None or not 0 <= position < self._offsets[-1]:
            return None
        local = position - self._offsets[j] + 1
        return (local - 1) * len(self._live) + place + 1

    def _position(self, docid: int) -> int:
        place, local = (docid - 1) % len(self._live), (docid - 1) // len(self._live) + 1
        return self._offsets[self._live[place]] + local - 1

    # ---- the SearchBackend protocol

    @property
    def analyzer(self) -> Analyzer:
        assert self._analyzer is not None
        return self._analyzer

    def __len__(self) -> int:
        return self._n_docs

    def doc_freq(self, term: str) -> int:
        df = self._doc_freq.get(term)
        if df is None:
            if len(self._doc_freq) >= CACHED_DOC_FREQS:
                self._doc_freq.clear()
            df = self._doc_freq[term] = int(self._run(lambda db: db.get_termfreq(schema.xapian_term(term))))
        return df

    def _weight(self) -> xapian.BM25Weight:
        # k2 = 0: no extra length term; k3 = 0: a repeated query term's factor is 1 (the repeats are scaled
        # below, as BM25Okapi adds a term's weight once per occurrence); min_normlen 0: |d| / avgdl unclamped.
        return xapian.BM25Weight(self.params.k1, 0, 0, self.params.b, 0)

    def _query(self, terms: Sequence[str]) -> xapian.Query:
        """OR of the distinct terms, each weighted by how often the question has it."""
        counts = Counter(terms)
        parts = [
            xapian.Query(xapian.Query.OP_SCALE_WEIGHT, xapian.Query(schema.xapian_term(t)), n)
            if n > 1
            else xapian.Query(schema.xapian_term(t))
            for t, n in counts.items()
        ]
        return xapian.Query(xapian.Query.OP_OR, parts)

    def _hits(self, query: xapian.Query, k: int, terms: Sequence[str] = ()) -> list[Hit]:
        """The k best documents of a query by BM25, ties in corpus order; their data cached for reading."""

        def best(db: xapian.Database) -> list[tuple[int, float, bytes]]:
            enquire = xapian.Enquire(db)
            enquire.set_query(query)
            enquire.set_weighting_scheme(self._weight())
            enquire.set_sort_by_relevance_then_value(schema.ORDER_SLOT, False)
            enquire.set_collapse_key(schema.DATA_SLOT)  # the hits' data comes with the MSet (schema.DATA_SLOT)
            mset = enquire.get_mset(0, k)
            for term in terms:  # the MSet carries its terms' frequencies: no round trip for doc_freq
                self._doc_freq.setdefault(term, int(mset.get_termfreq(schema.xapian_term(term))))
            return [(m.docid, m.weight, m.collapse_key) for m in mset]

        hits = []
        for docid, weight, data in self._run(best):
            position = self._position(docid)
            self._remember(position, schema.StoredSentence.loads(data))
            hits.append(Hit(position, float(weight)))
        return hits

    def search(self, terms: Sequence[str], k: int, exclude_speaker: str | None = None) -> list[Hit]:
        if not terms or k <= 0:
            return []
        query = self._query(terms)
        if exclude_speaker is not None:
            query = xapian.Query(xapian.Query.OP_AND_NOT, query, xapian.Query(schema.speaker_term(exclude_speaker)))
        return self._hits(query, k, terms)

    def speaker_hits(self, name: str, terms: Sequence[str], k: int) -> list[Hit]:
        if not terms or k <= 0:
            return []
        query = xapian.Query(xapian.Query.OP_FILTER, self._query(terms), xapian.Query(schema.speaker_term(name)))
        return self._hits(query, k, terms)

    def speaker_sentences(self, name: str, k: int) -> list[int]:
        if k <= 0:
            return []

        def first(db: xapian.Database) -> list[tuple[int, bytes]]:
            enquire = xapian.Enquire(db)
            enquire.set_query(xapian.Query(schema.speaker_term(name)))
            enquire.set_weighting_scheme(xapian.BoolWeight())
            enquire.set_sort_by_value(schema.ORDER_SLOT, False)
            enquire.set_collapse_key(schema.DATA_SLOT)
            return [(m.docid, m.collapse_key) for m in enquire.get_mset(0, k)]

        positions = []
        for docid, data in self._run(first):
            positions.append(self._position(docid))
            self._remember(positions[-1], schema.StoredSentence.loads(data))
        return positions

    def _remember(self, position: int, stored: schema.StoredSentence) -> None:
        self._sentences[position] = stored
        self._sentences.move_to_end(position)
        while len(self._sentences) > CACHED_SENTENCES:
            self._sentences.popitem(last=False)

    def _stored(self, position: int) -> schema.StoredSentence:
        stored = self._sentences.get(position)
        if stored is None:
            docid = self._docid(position)
            if docid is None:
                raise SearchBackendError(f"sentence {position} is on a shard that is out of reach")
            data = self._run(lambda db: db.get_document(docid).get_data())
            stored = schema.StoredSentence.loads(data)
            self._remember(position, stored)
        return stored

    def locate(self, position: int) -> Located:
        stored = self._stored(position)
        return Located(_article(stored.article, (stored.sentence,)), stored.sentence)

    def sentence(self, position: int) -> tuple[Sentence, str]:
        stored = self._stored(position)
        return stored.sentence, stored.article.title

    def headline_terms(self, position: int) -> frozenset[str]:
        stored = self._stored(position)
        terms = self._headlines.get(stored.article_key)
        if terms is None:
            if len(self._headlines) >= CACHED_SENTENCES:
                self._headlines.clear()
            terms = self._headlines[stored.article_key] = frozenset(self.analyzer.analyze(stored.article.title))
        return terms

    def term_context(self, terms: Sequence[str], positions: Sequence[int]) -> list[TermContext]:
        """Neighbours' terms from the documents' data; the articles' from their first sentences'
        ``ARTICLE_TERMS_SLOT``, all candidates' articles in one query."""
        stored = [self._stored(p) for p in positions]
        wanted = frozenset(terms)
        keys = list(dict.fromkeys(s.article_key for s in stored))
        around = dict(zip(keys, self._article_terms(keys, wanted), strict=True))
        return [TermContext(s.previous_terms & wanted, s.next_terms & wanted, around[s.article_key]) for s in stored]

    def _article_terms(self, keys: Sequence[str], wanted: frozenset[str]) -> list[frozenset[str]]:
        """Per article key, which of ``wanted`` the article holds: one round trip (the first sentences' positions say
        which article each opens, without reading their data: measured 18.6 ``get_document`` round trips a question
        at 1M sentences before)."""
        if not keys or not wanted:
            return [frozenset() for _ in keys]
        articles = xapian.Query(xapian.Query.OP_OR, [xapian.Query(schema.ARTICLE_PREFIX + key) for key in keys])
        query = xapian.Query(xapian.Query.OP_FILTER, articles, xapian.Query(schema.FIRST_TERM))

        def firsts(db: xapian.Database) -> list[tuple[int, bytes]]:
            enquire = xapian.Enquire(db)
            enquire.set_query(query)
            enquire.set_weighting_scheme(xapian.BoolWeight())
            enquire.set_collapse_key(schema.ARTICLE_TERMS_SLOT)
            return [(m.docid, m.collapse_key) for m in enquire.get_mset(0, len(keys))]

        rows = sorted((self._position(docid), value) for docid, value in self._run(firsts))
        if len(rows) == len(keys):  # each key's one first sentence: keys and positions are both in corpus order
            order = sorted(keys, key=schema.article_order)
        else:  # an article's shard went out of reach meanwhile: read which article each first sentence opens
            order = [self._stored(position).article_key for position, _ in rows]
        found = {
            key: wanted.intersection(value.decode("utf-8").split("\n"))
            for key, (_, value) in zip(order, rows, strict=True)
        }
        return [found.get(key, frozenset()) for key in keys]

    @cached_property
    def speakers(self) -> list[SpeakerSummary]:
        from bot.speakers.roster import roster_of_table

        merged: dict[Speaker, int] = {}  # in shard order: first appearance in corpus order, as in process
        for j in sorted(self._tables):
            for speaker, n in self._tables[j]:
                merged[speaker] = merged.get(speaker, 0) + n
        return roster_of_table(list(merged), list(merged.values()))

    @cached_property
    def articles(self) -> Sequence[Article]:
        return _Articles(self)

    def article_infos(self, shard: int) -> list[schema.ArticleInfo]:
        """One shard's article list (read at start, parsed on first use: answering never needs it)."""
        rows = self._article_rows[shard]
        if isinstance(rows, bytes):
            parsed = json.loads(rows)
            assert isinstance(parsed, list)
            rows = self._article_rows[shard] = [schema.ArticleInfo.from_row(row) for row in parsed]
        return rows

    def article_sentences(self, shard: int, number: int) -> tuple[Sentence, ...]:
        """All sentences of one article, in order (for /article and the example questions)."""

        def all_of(db: xapian.Database) -> list[bytes]:
            enquire = xapian.Enquire(db)
            enquire.set_query(xapian.Query(schema.ARTICLE_PREFIX + schema.article_key(shard, number)))
            enquire.set_weighting_scheme(xapian.BoolWeight())
            enquire.set_sort_by_value(schema.ORDER_SLOT, False)
            enquire.set_collapse_key(schema.DATA_SLOT)
            return [m.collapse_key for m in enquire.get_mset(0, max(db.get_doccount(), 1))]

        return tuple(schema.StoredSentence.loads(d).sentence for d in self._run(all_of))


def _raw(db: xapian.Database, key: str) -> bytes:
    return bytes(db.get_metadata(key))


def _article(info: schema.ArticleInfo, sentences: tuple[Sentence, ...]) -> Article:
    """An Article record of what the shards keep: metadata and the sentences read (no full text)."""
    return Article(Path(info.name), info.title, "", sentences, info.source, info.url, info.published)


class _Articles(Sequence[Article]):
    """The articles of the reachable shards in corpus order, each read from its shard when asked for."""

    def __init__(self, library: ShardedLibrary) -> None:
        self._library = library
        self._built: dict[int, Article] = {}

    def _counts(self) -> list[tuple[int, int]]:
        """(shard, its number of articles) of the shards read, in shard order (one read late goes in its place)."""
        return [(j, self._library.shard_articles[j]) for j in sorted(self._library.shard_articles)]

    def __len__(self) -> int:
        return sum(n for _, n in self._counts())

    def _row(self, i: int) -> tuple[int, int, schema.ArticleInfo]:
        if i < 0:
            i += len(self)
        for shard, n in self._counts():
            if 0 <= i < n:
                return shard, i, self._library.article_infos(shard)[i]
            i -= n
        raise IndexError("article index out of range")

    @overload
    def __getitem__(self, i: int) -> Article: ...
    @overload
    def __getitem__(self, i: slice) -> list[Article]: ...

    def __getitem__(self, i: int | slice) -> Article | list[Article]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        shard, number, info = self._row(i)
        article = self._built.get(i)
        if article is None:
            if len(self._built) >= 256:
                self._built.clear()
            article = self._built[i] = _article(info, self._library.article_sentences(shard, number))
        return article

    def __iter__(self) -> Iterator[Article]:
        return (self[i] for i in range(len(self)))
