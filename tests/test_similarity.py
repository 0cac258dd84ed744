"""The word vectors: read from the installed wordllama package, offline, and close where meanings are."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from bot.answer.similarity import vectors


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


def test_loading_imports_neither_wordllama_nor_a_network_client() -> None:
    code = (
        "import sys; from bot.answer.similarity import vectors; assert vectors() is not None; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'wordllama', 'requests', 'huggingface_hub'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
