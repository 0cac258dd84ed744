"""A read-only word -> stem table packed in two byte strings: a Xapian worker holds every stem of its corpus.

A worker on the Xapian backend analyses questions and candidates with the stems its
shards were built with (``bot.shards.client``), for all the corpus's words: tens of
thousands of them. As a dict of ``str`` they cost ~100 bytes a word, and parsing them
from the shards' JSON leaves the heap fragmented; here the words are one sorted UTF-8
string with their end offsets, and only the stems that differ from their word (about one
in eight) are stored, beside them. A look-up is a binary search: ~17 slices for 100,000
words, a few microseconds, and the analyzer keeps each word's term once looked up.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import numpy as np

__all__ = ["StemTable", "pairs"]


class StemTable(Mapping[str, str]):
    """Word -> stem, sorted, packed; built once from (word, stem) pairs (a later pair for a word is ignored)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        merged: dict[str, str] = {}
        for word, stem in pairs:
            merged.setdefault(word, stem)
        words = sorted(merged)
        # One newline-joined string each (no word has whitespace: bot.search.analysis's words never do), encoded
        # once: no bytes object per word. A stem equal to its word is stored empty.
        self._words, self._word_starts = _packed(words)
        self._stems, self._stem_starts = _packed(["" if merged[w] == w else merged[w] for w in words])

    def __len__(self) -> int:
        return len(self._word_starts) - 1

    def _word(self, i: int) -> bytes:
        return self._words[int(self._word_starts[i]) : int(self._word_starts[i + 1]) - 1]

    def _index(self, key: bytes) -> int:
        """The row of ``key``, or -1."""
        lo, hi = 0, len(self)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._word(mid) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(self) and self._word(lo) == key else -1

    def _stem(self, i: int, word: str) -> str:
        stem = self._stems[int(self._stem_starts[i]) : int(self._stem_starts[i + 1]) - 1]
        return stem.decode("utf-8") if stem else word

    def __getitem__(self, word: str) -> str:
        i = self._index(word.encode("utf-8")) if isinstance(word, str) else -1
        if i < 0:
            raise KeyError(word)
        return self._stem(i, word)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._index(word.encode("utf-8")) >= 0

    def __iter__(self) -> Iterator[str]:
        return (self._word(i).decode("utf-8") for i in range(len(self)))

    def pairs(self) -> Iterator[tuple[str, str]]:
        """(word, stem) in word order, without a binary search each (as ``items()`` would do)."""
        for i in range(len(self)):
            word = self._word(i).decode("utf-8")
            yield word, self._stem(i, word)


def pairs(stems: Mapping[str, str]) -> Iterable[tuple[str, str]]:
    """A mapping's (word, stem) pairs, a StemTable's read straight through."""
    return stems.pairs() if isinstance(stems, StemTable) else stems.items()


def _packed(texts: list[str]) -> tuple[bytes, np.ndarray]:
    """The texts newline-joined in UTF-8, and where each starts (one past the end: where a next one would)."""
    blob = "\n".join(texts).encode("utf-8")
    newlines = np.flatnonzero(np.frombuffer(blob, dtype=np.uint8) == 10) if texts else np.zeros(0, dtype=np.int64)
    starts = np.concatenate(([0], newlines + 1, [len(blob) + 1])) if texts else np.zeros(1, dtype=np.int64)
    return blob, starts.astype(np.int64)
