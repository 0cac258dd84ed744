"""A loaded corpus with its search index: what the CLI and the bot ask questions of."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from bot.corpus import Corpus, load_corpus
from bot.records import Article, Sentence
from bot.retrieval import BM25Index
from bot.speakers import SpeakerSummary, roster


@dataclass(frozen=True, slots=True)
class Located:
    """A sentence together with the article it belongs to."""

    article: Article
    sentence: Sentence


class Library:
    """All sentences of all articles in one BM25 index, addressable by position."""

    def __init__(self, corpus: Corpus, index: BM25Index | None = None) -> None:
        self.corpus = corpus
        self.articles = corpus.articles
        counts = [len(a.sentences) for a in self.articles]
        self._article_of = np.repeat(np.arange(len(counts)), counts)
        self._first = np.concatenate(([0], np.cumsum(counts)))
        self.index = index or BM25Index(s.text for a in self.articles for s in a.sentences)

    @classmethod
    def load(cls, directory: Path | str) -> Library:
        """Load a corpus directory and index it (raises CorpusError when nothing loads)."""
        return cls(load_corpus(Path(directory)))

    def __len__(self) -> int:
        return len(self._article_of)

    def locate(self, position: int) -> Located:
        """The article and sentence at a flat index position."""
        article_no = int(self._article_of[position])
        article = self.articles[article_no]
        return Located(article, article.sentences[position - int(self._first[article_no])])

    def positions(self, article: Article) -> range:
        """The flat index positions of one article's sentences."""
        no = self.articles.index(article)
        return range(int(self._first[no]), int(self._first[no + 1]))

    @cached_property
    def speakers(self) -> list[SpeakerSummary]:
        """Everyone quoted across the corpus, most quoted first."""
        return roster([s.speaker for a in self.articles for s in a.sentences])
