"""What a shard database holds, in one place: term prefixes, value slots, document data, metadata keys.

One Xapian document per body sentence, in corpus order (shard ``j`` holds a contiguous run of
articles; its document ids are 1, 2, ... in order). The sentence's index terms are our own
Analyzer's, added one occurrence at a time, so Xapian's document length and within-document
frequency are BM25Index's ``|d|`` and ``tf``. Boolean terms (no weight, no length) name the
sentence's article and speaker; the document data carries everything an answer shows, so a
worker searching the shards needs no corpus.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from bot.records import Sentence, Speaker

FORMAT_VERSION = 1
ARTICLE_PREFIX = "XA"
"""Boolean term: the sentence's article (``XA<shard>:<article number in the shard>``)."""
SPEAKER_PREFIX = "XS"
"""Boolean term: the name the sentence is attributed to (narrator outlets included, as ``speaker_positions``)."""
ORDER_SLOT = 0
"""Value: the sentence's place in corpus order (shard, then document id): ties are broken by it, as in process."""
ARTICLE_SLOT = 1
"""Value: the article key, for collapsing matches to one per article."""
DATA_SLOT = 2
"""Value: the document data again. Searches collapse on it (every document's is unique, so nothing collapses)
because Xapian's remote protocol sends an MSet's collapse keys with it: a remote search returns its hits'
sentences in its one round trip instead of one ``get_document`` round trip per hit (measured on 2 remote
shards of 20,000 sentences, 20 hits: 1.9-2.6 ms against 5.7-7.1 ms with ``MSet.fetch``)."""
ARTICLE_TERMS_SLOT = 3
"""Value of an article's first sentence only: the distinct index terms of the whole article, one per line; the
re-ranker asks which question terms a candidate's article holds, and one query for the candidates' first
sentences (``FIRST_TERM``, collapsed on this slot) brings all of them in one round trip."""
FIRST_TERM = "XF"
"""Boolean term of an article's first sentence."""
MAX_TERM_BYTES = 240
"""Xapian refuses terms over 245 bytes; a longer one is stored (and looked up) as a hash of itself."""

META_SHARD = "bot:shard"  # {"format", "shard", "shards", "build", "k1", "b", "epsilon", "sentences", "articles"}
META_BUILD = "bot:build"  # {"build", "counts": sentences per shard, in order}: written once every shard is built
META_ANALYZER = "bot:analyzer"  # the Analyzer's JSON (bot.search.analysis)
META_SPEAKERS = "bot:speakers"  # [[name, role, cue, kind, rule, sentences], ...] in first-appearance order
META_ARTICLES = "bot:articles"  # [[name, title, source, url, published, sentences], ...] in corpus order


def xapian_term(term: str) -> str:
    """An index term as stored in Xapian: itself, or for a term too long for Xapian a stable hash of it."""
    if len(term.encode("utf-8")) <= MAX_TERM_BYTES:
        return term
    return "XH" + hashlib.blake2b(term.encode("utf-8"), digest_size=20).hexdigest()


def speaker_term(name: str) -> str:
    return xapian_term(SPEAKER_PREFIX + name)


def article_key(shard: int, number: int) -> str:
    return f"{shard}:{number}"


def article_order(key: str) -> tuple[int, int]:
    """An article key's place in corpus order: (shard, number in the shard)."""
    shard, number = key.split(":")
    return int(shard), int(number)


def order_key(shard: int, docid: int) -> int:
    """Corpus order as one number: shards in order, documents in order within a shard."""
    return (shard << 32) | docid


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """An article as the shards list it: what an answer and /article show, and its sentence count."""

    name: str
    title: str
    source: str | None
    url: str | None
    published: str | None
    sentences: int

    def to_row(self) -> list[Any]:
        return [self.name, self.title, self.source, self.url, self.published, self.sentences]

    @classmethod
    def from_row(cls, row: list[Any]) -> ArticleInfo:
        return cls(*row)


@dataclass(frozen=True, slots=True)
class StoredSentence:
    """A document's data: the sentence, its speaker, its article, and its neighbours' terms (for the re-ranker)."""

    sentence: Sentence
    article: ArticleInfo
    article_key: str
    previous_terms: frozenset[str]
    next_terms: frozenset[str]

    def dumps(self) -> bytes:
        s, sp = self.sentence, self.sentence.speaker
        return json.dumps(
            {
                "t": s.text,
                "i": s.index,
                "s": s.start,
                "e": s.end,
                "p": s.paragraph,
                "sp": [sp.name, sp.role, sp.cue, sp.kind, sp.rule],
                "a": self.article.to_row(),
                "k": self.article_key,
                "pv": sorted(self.previous_terms),
                "nx": sorted(self.next_terms),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")

    @classmethod
    def loads(cls, data: bytes) -> StoredSentence:
        d = json.loads(data)
        speaker = Speaker(*d["sp"])
        sentence = Sentence(d["i"], d["s"], d["e"], d["t"], d["p"], speaker)
        return cls(sentence, ArticleInfo.from_row(d["a"]), d["k"], frozenset(d["pv"]), frozenset(d["nx"]))
