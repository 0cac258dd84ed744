"""A corpus's articles as columns: a few flat arrays and one UTF-8 blob, with Article records built on demand.

Two loaders hold a big corpus this way instead of as one Python object per
sentence: the saved index (``bot.search.cache``, which writes and reads these
columns as they are) and the first load on several processes
(``bot.corpus.packed.PackedJoin`` joins the workers' batches into them). A
million Sentence records cost the loading process ~2 us each to build and
Python's collector keeps walking them (measured at 1M sentences on 2 workers:
6.3 s to unpack the batches into records, 6.6 s of collections), while the
columns are a handful of numpy arrays, which the cache saves unchanged.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np

from bot.records import Article, Sentence, Speaker

__all__ = ["SENTENCE_ARRAYS", "ArticleColumns", "LazyArticles", "article_meta", "relative_path"]

SENTENCE_ARRAYS = ("first_sentence", "starts", "ends", "paragraphs", "text_offsets")
"""The arrays of ``ArticleColumns``, by the names the saved index gives their files."""
MAX_BUILT = 10_000
"""Article records kept once built (a bot answering from a big corpus looks at a few articles per question)."""


def relative_path(path: Path, directory: Path) -> str:
    """An article's path as saved: relative to its corpus directory, with forward slashes."""
    try:
        return path.relative_to(directory).as_posix()
    except ValueError:
        return path.resolve().relative_to(directory.resolve()).as_posix()


@dataclass(frozen=True, slots=True)
class ArticleColumns:
    """Per-article metadata, every article's text in one UTF-8 blob, and per-sentence int arrays.

    Article i's text is ``texts[text_offsets[i]:text_offsets[i + 1]]``; its sentences are positions
    ``first_sentence[i]`` to ``first_sentence[i + 1]``, each ``text[starts[p]:ends[p]]`` of the decoded text.
    """

    meta: list[dict]
    """Per article: path (relative to the corpus directory), title, source, url, published, meta."""
    texts: np.ndarray  # uint8
    text_offsets: np.ndarray  # int64, one more than the articles
    first_sentence: np.ndarray  # int64, one more than the articles
    starts: np.ndarray  # int32, per sentence
    ends: np.ndarray  # int32
    paragraphs: np.ndarray  # int32

    @classmethod
    def of(cls, articles: Sequence[Article], directory: Path) -> ArticleColumns:
        """The columns of parsed Article records (raises ValueError should a sentence not be its text's slice)."""
        meta, blobs, text_offsets, first = [], [], [0], [0]
        starts, ends, paragraphs = array("i"), array("i"), array("i")
        for article in articles:
            data = article.text.encode("utf-8")
            blobs.append(data)
            text_offsets.append(text_offsets[-1] + len(data))
            first.append(first[-1] + len(article.sentences))
            meta.append(
                article_meta(
                    relative_path(article.path, directory),
                    article.title,
                    article.source,
                    article.url,
                    article.published,
                    article.meta,
                )
            )
            for s in article.sentences:
                if article.text[s.start : s.end] != s.text:
                    raise ValueError(f"{article.path}: sentence {s.index} is not text[start:end]")
                starts.append(s.start)
                ends.append(s.end)
                paragraphs.append(s.paragraph)
        return cls(
            meta,
            np.frombuffer(b"".join(blobs), dtype=np.uint8),
            np.asarray(text_offsets, dtype=np.int64),
            np.asarray(first, dtype=np.int64),
            *(np.frombuffer(values, dtype=np.int32) for values in (starts, ends, paragraphs)),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays by their saved names (``SENTENCE_ARRAYS``)."""
        return {name: getattr(self, name) for name in SENTENCE_ARRAYS}

    def __len__(self) -> int:
        """The number of sentences."""
        return len(self.starts)


def article_meta(
    path: str, title: str, source: str | None, url: str | None, published: str | None, meta: dict[str, str]
) -> dict:
    """An article's metadata as the columns keep it (and the saved index's articles.json holds it)."""
    return {"path": path, "title": title, "source": source, "url": url, "published": published, "meta": meta}


class LazyArticles(Sequence[Article]):
    """The articles of a corpus held as columns, each built into an Article record on first access."""

    def __init__(
        self, directory: Path, columns: ArticleColumns, speakers: Sequence[Speaker], speaker_ids: np.ndarray
    ) -> None:
        self.directory = directory
        self.columns = columns
        self._speakers = speakers
        self._speaker_ids = speaker_ids
        self._built: dict[int, Article] = {}
        self._number_of: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.columns.meta)

    @overload
    def __getitem__(self, i: int) -> Article: ...
    @overload
    def __getitem__(self, i: slice) -> list[Article]: ...

    def __getitem__(self, i: int | slice) -> Article | list[Article]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        article = self._built.get(i)
        if article is None:
            if len(self._built) >= MAX_BUILT:
                self._built.clear()
            article = self._built[i] = self._build(i)
        return article

    def __iter__(self) -> Iterator[Article]:
        return (self[i] for i in range(len(self)))

    def index(self, article: object, start: int = 0, stop: int | None = None) -> int:
        """Position of an article, found by its path (no need to build every record to compare)."""
        if self._number_of is None:
            self._number_of = {m["path"]: i for i, m in enumerate(self.columns.meta)}
        if isinstance(article, Article):
            i = self._number_of.get(relative_path(article.path, self.directory))
            if i is not None and (start <= i < (len(self) if stop is None else stop)) and self[i] == article:
                return i
        raise ValueError("article is not in this corpus")

    def sentence(self, i: int, j: int) -> Sentence:
        """Sentence j of article i, without building the article's other sentences (the re-ranker reads 20
        sentences of 20 articles per question: building all ~40 sentences of each costs ~3 ms)."""
        built = self._built.get(i)
        if built is not None:
            return built.sentences[j]
        c = self.columns
        p = int(c.first_sentence[i]) + j
        start, end = int(c.starts[p]), int(c.ends[p])
        text = self._text(i)
        return Sentence(j, start, end, text[start:end], int(c.paragraphs[p]), self._speakers[self._speaker_ids[p]])

    def title(self, i: int) -> str:
        """Article i's headline, without building the article."""
        return str(self.columns.meta[i]["title"])

    def _text(self, i: int) -> str:
        c = self.columns
        return c.texts[c.text_offsets[i] : c.text_offsets[i + 1]].tobytes().decode("utf-8")

    def _build(self, i: int) -> Article:
        c = self.columns
        m = c.meta[i]
        text = self._text(i)
        lo, hi = int(c.first_sentence[i]), int(c.first_sentence[i + 1])
        rows = zip(
            c.starts[lo:hi].tolist(),
            c.ends[lo:hi].tolist(),
            c.paragraphs[lo:hi].tolist(),
            self._speaker_ids[lo:hi].tolist(),
            strict=True,
        )
        sentences = tuple(Sentence(j, s, e, text[s:e], p, self._speakers[sp]) for j, (s, e, p, sp) in enumerate(rows))
        return Article(
            path=self.directory / m["path"],
            title=m["title"],
            text=text,
            sentences=sentences,
            source=m["source"],
            url=m["url"],
            published=m["published"],
            meta=m["meta"],
        )
