"""Static word vectors, to see a paraphrase BM25 cannot: "guards" near "security personnel".

The vectors are WordLlama's own (``l2_supercat_256``: 256 dimensions over the
Llama 2 tokenizer's 32,000 tokens, MIT licence), shipped inside the
``wordllama`` wheel. They are read here from the package directory with
``safetensors`` and ``tokenizers``, without importing ``wordllama`` itself: its
loader would look for the tokenizer in the wrong folder and then reach for the
network, and its imports (pydantic, requests) would add tenths of a second to a
cold start. So nothing here can touch the network: both files are local or the
vectors are off (:func:`vectors` returns None and the similarity features are 0).

A word's vector is the mean of its tokens' vectors, unit length, as WordLlama's
own ``embed(norm=True)`` gives for a one-word text; a sentence's is the mean of
its words' (:meth:`Vectors.mean`), so every word is tokenized once and
remembered, and a question costs no tokenizer call for words seen before.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Vectors", "vectors"]

log = logging.getLogger(__name__)

PACKAGE = "wordllama"
WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"
MAX_CACHED_WORDS = 200_000


class Vectors:
    """Token vectors and the tokenizer that maps text onto them."""

    def __init__(self, table: np.ndarray, tokenizer: Any) -> None:
        self.table = np.vstack((table, np.zeros((1, table.shape[1]), dtype=table.dtype)))  # a zero row: padding
        self.tokenizer = tokenizer
        self._words: dict[str, np.ndarray] = {}

    @property
    def dims(self) -> int:
        return int(self.table.shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text (float32 rows; a text with no token gets zeros)."""
        encodings = self.tokenizer.encode_batch_fast(list(texts), add_special_tokens=False)
        ids = [e.ids for e in encodings]
        padded = np.full((len(ids), max(map(len, ids), default=0)), len(self.table) - 1, dtype=np.int64)
        for row, mine in enumerate(ids):
            padded[row, : len(mine)] = mine
        out: np.ndarray = self.table[padded].sum(axis=1, dtype=np.float32)  # the sum: its direction is the mean's
        _normalise(out)
        return out

    def mean(self, word_vectors: np.ndarray) -> np.ndarray:
        """The unit mean of some words' vectors: a text's vector (zeros for no words)."""
        total: np.ndarray = word_vectors.sum(axis=0, dtype=np.float32)
        norm = float(np.linalg.norm(total))
        return total / norm if norm > 0 else total

    def words(self, words: Sequence[str]) -> np.ndarray:
        """One unit vector per word, each computed once and remembered."""
        missing = [w for w in dict.fromkeys(words) if w not in self._words]
        if missing:
            if len(self._words) + len(missing) > MAX_CACHED_WORDS:
                self._words.clear()
            self._words.update(zip(missing, self.embed(missing), strict=True))
        if not words:
            return np.zeros((0, self.dims), dtype=np.float32)
        return np.stack([self._words[w] for w in words])


def _normalise(rows: np.ndarray) -> None:
    """Scale each non-zero row to unit length, in place."""
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    np.divide(rows, norms, out=rows, where=norms > 0)


def _package_dir() -> Path | None:
    spec = find_spec(PACKAGE)
    locations = spec.submodule_search_locations if spec else None
    return Path(next(iter(locations))) if locations else None


@cache
def vectors() -> Vectors | None:
    """WordLlama's vectors from its installed package, or None (logged once) when they are not there."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # tokenizers never downloads from a file, but be plain about it
    # Batches here are a few dozen words: a thread pool buys nothing (measured: the same CPU time either way),
    # and tokenizers warns after a fork once it has used one.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    directory = _package_dir()
    if directory is None or not (directory / WEIGHTS).is_file() or not (directory / TOKENIZER).is_file():
        log.warning("word vectors unavailable (package %r or its files missing): paraphrase features off", PACKAGE)
        return None
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    table = load_file(str(directory / WEIGHTS))[TENSOR].astype(np.float32)
    return Vectors(table, Tokenizer.from_file(str(directory / TOKENIZER)))
