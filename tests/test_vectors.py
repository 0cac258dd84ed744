"""The word vectors: read from the installed wordllama package, offline, and close where meanings are."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.search.vectors import (
    TENSOR,
    VOCABULARY_VECTORS,
    VOCABULARY_WORDS,
    Vectors,
    _mapped_tensor,
    save_vocabulary,
    vectors,
)
from tests.helpers import SEED


def test_the_shipped_vectors_load_and_give_unit_rows() -> None:
    v = vectors()
    assert v is not None, "the wordllama package (a dependency) ships the vectors"
    rows = v.embed(["The council approved the bridge.", ""])
    assert rows.shape == (2, v.table.shape[1])
    assert np.isclose(np.linalg.norm(rows[0]), 1.0) and not rows[1].any()  # no token: zeros, no NaN


def test_paraphrases_are_closer_than_unrelated_words() -> None:
    v = vectors()
    assert v is not None
    guards, personnel, weather = v.words(["guards", "personnel", "weather"])
    assert guards @ personnel > guards @ weather
    quit_, resigned, banana = v.words(["quit", "resigned", "banana"])
    assert quit_ @ resigned > quit_ @ banana


def test_word_vectors_are_remembered() -> None:
    v = vectors()
    assert v is not None
    first = v.words(["bridge"])
    assert v.words(["bridge", "bridge"]).shape == (2, first.shape[1])
    assert np.array_equal(v.words(["bridge"]), first)


def test_computed_word_vectors_are_kept_least_recently_used_first_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    shared = vectors()
    assert shared is not None
    v = Vectors(shared._load)  # no saved vocabulary taken in: every word is computed here
    before = {w: shared.embed([w])[0] for w in ("bridge", "river", "council", "mayor")}
    monkeypatch.setattr("bot.search.vectors.MAX_COMPUTED_WORDS", 2)
    v.words(["bridge", "river"])
    v.words(["bridge"])  # used again: "river" is now the least recently used
    v.words(["council", "mayor", "council"])
    assert list(v._computed) == ["council", "mayor"]
    v.words(["river", "bridge"])
    assert list(v._computed) == ["river", "bridge"] and v._computed["river"].base is None  # a row of its own
    for word, row in before.items():
        assert np.array_equal(v.words([word])[0], row)


def test_loading_imports_neither_wordllama_nor_a_network_client() -> None:
    code = (
        "import sys; from bot.search.vectors import vectors; assert vectors() is not None; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'wordllama', 'requests', 'huggingface_hub'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_saved_vocabulary_gives_the_same_vectors_as_the_tokenizer(tmp_path: Path) -> None:
    v = vectors()
    assert v is not None
    save_vocabulary(tmp_path, ["The council approved the bridge.", "Bridge bridge, river!"])
    words = json.loads((tmp_path / VOCABULARY_WORDS).read_text(encoding="utf-8"))
    assert words[0] in {"a", "about"} and words.index("bridge") < words.index("council")  # stop words, then by count
    assert "the" in words and "river" in words
    saved = np.load(tmp_path / VOCABULARY_VECTORS)
    assert np.allclose(saved, v.embed(words), atol=1e-6)


def test_a_cached_library_answers_in_its_own_words_without_the_tokenizer(tmp_path: Path) -> None:
    """The corpus's words' vectors are saved with the index: a second process never loads the tokenizer
    for a question in words the corpus has, and does load it for a word it lacks."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    code = (
        "import sys; from bot.library import Library; from bot.answer import ask; "
        "lib = Library.load(sys.argv[1]); reply = ask(lib, sys.argv[2]); "
        "print(reply.status, 'tokenizers' in sys.modules)"
    )

    def run(question: str) -> str:
        args = [sys.executable, "-c", code, str(corpus), question]
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()

    run("How far have Ukrainian forces advanced into Russia?")  # builds and saves the index
    assert run("How far have Ukrainian forces advanced into Russia?") == "answered False"
    assert run("How far have Ukrainian zebras advanced into Russia?").endswith("True")


def test_the_token_table_is_mapped_not_read_and_words_sum_its_float16_rows_widened() -> None:
    """A worker holds only the table's pages its words touch; the vectors are the float32 sums of the shipped
    float16 rows, as when the whole table was converted to float32 first."""
    v = vectors()
    assert v is not None
    assert isinstance(v.table, np.memmap) and v.table.dtype == np.float16
    words = ["council", "approved", "bridge", "Kursk", "zebras", "", "The council approved the bridge over the river."]
    _, tokenizer = v._model
    expected = np.zeros((len(words), v.dims), dtype=np.float32)
    for row, word in enumerate(words):
        ids = tokenizer.encode(word, add_special_tokens=False).ids
        expected[row] = np.asarray(v.table[ids], dtype=np.float32).sum(axis=0, dtype=np.float32)
    norms = np.linalg.norm(expected, axis=1, keepdims=True)
    np.divide(expected, norms, out=expected, where=norms > 0)
    assert np.array_equal(v.embed(words), expected) and not expected[5].any()


def test_a_weights_file_without_the_tensor_is_refused(tmp_path: Path) -> None:
    header = json.dumps({"other": {"dtype": "F16", "shape": [1, 2], "data_offsets": [0, 4]}}).encode()
    path = tmp_path / "w.safetensors"
    path.write_bytes(len(header).to_bytes(8, "little") + header + b"\0" * 4)
    with pytest.raises(ValueError, match=r"no float16/float32 tensor 'embedding\.weight'"):
        _mapped_tensor(path, TENSOR)
