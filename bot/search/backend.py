"""The search backend seam: what answering (``bot.answer``) asks of a searchable corpus.

Two implementations: ``bot.library.Library`` (the corpus and its BM25 index in this process,
the default) and ``bot.shards.client.ShardedLibrary`` (Xapian shard databases, local or
served by ``xapian-tcpsrv``; ``SEARCH_BACKEND=xapian``). Positions are flat sentence
numbers in corpus order in both, so hits, ties and neighbours mean the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from bot.records import TermContext

if TYPE_CHECKING:
    from bot.library import Located
    from bot.records import Article, Sentence
    from bot.search.analysis import Analyzer
    from bot.search.bm25 import Hit
    from bot.speakers import SpeakerSummary

__all__ = ["SearchBackend", "TermContext"]


class SearchBackend(Protocol):
    """A corpus that can be searched with BM25 and read back sentence by sentence."""

    @property
    def analyzer(self) -> Analyzer:
        """The analyzer the index was built with: questions must be analysed by it."""
        ...

    @property
    def articles(self) -> Sequence[Article]:
        """The articles, in corpus order (built on access: an archive need not be in memory)."""
        ...

    @property
    def speakers(self) -> list[SpeakerSummary]:
        """Everyone quoted across the corpus, most quoted first (``bot.speakers.roster``'s order)."""
        ...

    @property
    def unavailable(self) -> tuple[str, ...]:
        """Parts of the corpus that could not be searched just now (a shard that is down): answers may be
        incomplete while this is not empty."""
        ...

    @property
    def problems(self) -> tuple[str, ...]:
        """One line each on what is missing from the corpus (a file that did not load, a shard out of reach)."""
        ...

    def __len__(self) -> int:
        """The number of sentences searched."""
        ...

    def doc_freq(self, term: str) -> int:
        """How many sentences contain an analysed term."""
        ...

    def search(self, terms: Sequence[str], k: int, exclude_speaker: str | None = None) -> list[Hit]:
        """The k best sentences holding a term, best first, ties in corpus order; ``exclude_speaker`` leaves out
        the sentences attributed to that name."""
        ...

    def speaker_hits(self, name: str, terms: Sequence[str], k: int) -> list[Hit]:
        """The k best of a speaker's sentences that hold a term, scored with the whole corpus's statistics."""
        ...

    def speaker_sentences(self, name: str, k: int) -> list[int]:
        """The positions of a speaker's first k sentences, in corpus order."""
        ...

    def locate(self, position: int) -> Located:
        """The article and sentence at a position."""
        ...

    def sentence(self, position: int) -> tuple[Sentence, str]:
        """The sentence at a position and its article's headline."""
        ...

    def headline_terms(self, position: int) -> frozenset[str]:
        """The index terms of the headline of the article that holds ``position``."""
        ...

    def term_context(self, terms: Sequence[str], positions: Sequence[int]) -> list[TermContext]:
        """Per position, which of ``terms`` its neighbours and its article hold."""
        ...
