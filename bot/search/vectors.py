"""Static word vectors, to see a paraphrase BM25 cannot: "guards" near "security personnel" (read by the re-ranker).

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

The vectors of a corpus's words are saved beside its index
(:func:`save_vocabulary`, called by ``bot.library``) and read back memory-mapped
(:func:`load_vocabulary`): the token table (32 MB) and the tokenizer (80 ms
to build) are only loaded for a word the corpus does not have, so answering
from a saved index usually never loads them.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from functools import cache, cached_property
from importlib.util import find_spec
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "Vectors",
    "load_vocabulary",
    "save_counted_vocabulary",
    "save_vocabulary",
    "vectors",
    "word_counts",
    "words_of",
]

log = logging.getLogger(__name__)

PACKAGE = "wordllama"
WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"
DIMS = 256
"""The width of ``l2_supercat_256``'s vectors (checked when the table loads)."""
MAX_REMEMBERED_WORDS = 200_000
"""Saved vocabularies' words taken in (their rows are memory-mapped; a process reading many indexes starts over)."""
MAX_COMPUTED_WORDS = 8_192
"""Word vectors computed here (not saved with an index) kept for reuse, the least recently used dropped first:
~1 KB each, so a long-running worker answering from Xapian shards (no saved vocabulary) stays near 8 MB of them,
while the common words, which most candidates share, stay computed."""
VOCABULARY_WORDS = "vocabulary.json"
VOCABULARY_VECTORS = "vocabulary.npy"
MAX_SAVED_WORDS = 50_000
"""The commonest words of a corpus whose vectors are saved beside its index (50,000 x 256 float32: 50 MB)."""
_LETTERS = re.compile(r"[^\W\d_]+")


def words_of(text: str) -> list[str]:
    """A text's lowercase words, as the vectors see them (letters only: "Russia's" -> "russia", "s")."""
    return _LETTERS.findall(text.lower())


class Vectors:
    """Token vectors and the tokenizer that maps text onto them, both loaded on first need."""

    def __init__(self, load: Callable[[], tuple[np.ndarray, Any]]) -> None:
        self._load = load
        self._saved: dict[str, np.ndarray] = {}  # rows of a saved vocabulary (memory-mapped): kept
        self._computed: OrderedDict[str, np.ndarray] = OrderedDict()  # least recently used first

    @cached_property
    def _model(self) -> tuple[np.ndarray, Any]:
        return self._load()

    @property
    def table(self) -> np.ndarray:
        """The token vectors (float16 as shipped, memory-mapped: a worker holds only the rows its words touch)."""
        return self._model[0]

    @property
    def dims(self) -> int:
        return int(self.table.shape[1])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text (float32 rows; a text with no token gets zeros).

        The token vectors are added position by position, each over the texts that long: the sum a padded
        (texts x longest x dims) array would give, without building it (50,000 words: 0.7 s against 2.2 s).
        """
        table, tokenizer = self._model
        encodings = tokenizer.encode_batch_fast(list(texts), add_special_tokens=False)
        ids = [e.ids for e in encodings]
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        padded = np.zeros((len(ids), int(lengths.max(initial=0))), dtype=np.int64)
        padded[np.arange(padded.shape[1]) < lengths[:, None]] = np.fromiter(
            chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum())
        )
        out = np.zeros((len(ids), table.shape[1]), dtype=np.float32)
        for j in range(padded.shape[1]):  # float16 rows widen exactly into the float32 sums
            rows = np.flatnonzero(lengths > j)
            out[rows] += table[padded[rows, j]]
        _normalise(out)  # the sum's direction is the mean's
        return out

    def remember(self, words: Sequence[str], rows: np.ndarray) -> None:
        """Take these words' vectors as given (saved by :func:`save_vocabulary`): no tokenizer for them."""
        if len(self._saved) + len(words) > MAX_REMEMBERED_WORDS:  # many indexes read in one process
            self._saved.clear()
        self._saved.update(zip(words, rows, strict=True))

    def mean(self, word_vectors: np.ndarray) -> np.ndarray:
        """The unit mean of some words' vectors: a text's vector (zeros for no words)."""
        total: np.ndarray = word_vectors.sum(axis=0, dtype=np.float32)
        norm = float(np.linalg.norm(total))
        return total / norm if norm > 0 else total

    def words(self, words: Sequence[str]) -> np.ndarray:
        """One unit vector per word, each computed once and remembered."""
        found: dict[str, np.ndarray] = {}
        missing: list[str] = []
        for w in dict.fromkeys(words):
            row = self._saved.get(w)
            if row is None:
                row = self._computed.get(w)
                if row is not None:
                    self._computed.move_to_end(w)
            if row is None:
                missing.append(w)
            else:
                found[w] = row
        if missing:
            for w, row in zip(missing, self.embed(missing), strict=True):
                found[w] = self._computed[w] = row.copy()  # a copy: a kept row must not hold its whole batch
            while len(self._computed) > MAX_COMPUTED_WORDS:
                self._computed.popitem(last=False)
        if not words:
            return np.zeros((0, DIMS), dtype=np.float32)
        return np.stack([found[w] for w in words])


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
    return Vectors(lambda: _read(directory))


def _read(directory: Path) -> tuple[np.ndarray, Any]:
    from tokenizers import Tokenizer

    table = _mapped_tensor(directory / WEIGHTS, TENSOR)
    if table.ndim != 2 or table.shape[1] != DIMS:
        raise ValueError(f"{directory / WEIGHTS}: vectors of shape {table.shape}, expected (tokens, {DIMS})")
    return table, Tokenizer.from_file(str(directory / TOKENIZER))


def word_counts(texts: Iterable[str]) -> Counter[str]:
    """How often each word occurs in the texts, in order of first occurrence (:func:`save_vocabulary`'s input:
    counts of consecutive runs of texts added up in order are the counts of all of them)."""
    return Counter(chain.from_iterable(map(words_of, texts)))


_SAFETENSORS_DTYPES = {"F16": np.float16, "F32": np.float32}


def _mapped_tensor(path: Path, name: str) -> np.ndarray:
    """One tensor of a ``.safetensors`` file, memory-mapped read-only rather than read.

    The format is an 8-byte little-endian header length, a JSON header giving each tensor's dtype, shape and
    byte range within the data that follows. safetensors' own numpy loader copies the tensor into memory; a
    mapping lets the pages no question's word touches stay on disk (the file is 16 MB of float16).
    """
    with path.open("rb") as f:
        size = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(size))
    entry = header.get(name) if isinstance(header, dict) else None
    if not isinstance(entry, dict) or entry.get("dtype") not in _SAFETENSORS_DTYPES:
        raise ValueError(f"{path}: no float16/float32 tensor {name!r}")
    dtype = np.dtype(_SAFETENSORS_DTYPES[entry["dtype"]])
    shape = tuple(int(n) for n in entry["shape"])
    start, end = (int(n) for n in entry["data_offsets"])
    if end - start != dtype.itemsize * int(np.prod(shape)):
        raise ValueError(f"{path}: tensor {name!r} is {end - start} bytes, not {shape} of {dtype}")
    return np.memmap(path, dtype=dtype, mode="r", offset=8 + size + start, shape=shape)


def save_vocabulary(directory: Path, texts: Iterable[str]) -> None:
    """Write the vectors of the texts' commonest words (at most MAX_SAVED_WORDS) into ``directory``."""
    save_counted_vocabulary(directory, word_counts(texts))


def save_counted_vocabulary(directory: Path, counts: Counter[str]) -> None:
    """Write the vectors of the commonest words (at most MAX_SAVED_WORDS; ties in the counts' order) into
    ``directory``.

    The stop words go in too, however rare: every sentence vector is their mean with the content words.
    Nothing is written without vectors.
    """
    v = vectors()
    if v is None:
        return
    from bot.search.analysis import stop_words

    stop_set = {w for s in stop_words() for w in words_of(s)}
    stops = sorted(stop_set)
    common = [w for w, _ in counts.most_common() if w not in stop_set]
    chosen = stops + common[: MAX_SAVED_WORDS - len(stops)]
    np.save(directory / VOCABULARY_VECTORS, v.embed(chosen) if chosen else np.zeros((0, DIMS), np.float32))
    (directory / VOCABULARY_WORDS).write_text(json.dumps(chosen, ensure_ascii=False), encoding="utf-8")


def load_vocabulary(directory: Path) -> None:
    """Remember the vectors :func:`save_vocabulary` wrote (memory-mapped), if they are there and vectors are on."""
    v = vectors()
    if v is None or not (directory / VOCABULARY_WORDS).is_file():
        return
    words = json.loads((directory / VOCABULARY_WORDS).read_text(encoding="utf-8"))
    rows = np.asarray(np.load(directory / VOCABULARY_VECTORS, mmap_mode="r", allow_pickle=False))
    if rows.shape != (len(words), DIMS) or rows.dtype != np.float32:
        raise ValueError(f"{directory / VOCABULARY_VECTORS}: {rows.shape} {rows.dtype} does not fit {len(words)} words")
    v.remember(words, rows)
