"""Tests for bot.search.cache through Library.load: reuse, invalidation, damage, unwritable directories."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.library import Library
from bot.search.cache import CACHE_DIRNAME, IndexCache, LazyArticles
from tests.helpers import SEED, write_article

QUESTIONS = ["How far have Ukrainian forces advanced into Russia?", "What did Putin vow?", "Kursk", "zebra"]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    directory = tmp_path / "corpus"
    directory.mkdir()
    shutil.copy(SEED, directory / SEED.name)
    write_article(
        directory,
        "second.txt",
        'Floods in Kursk\nHeavy rain flooded Kursk on Monday. "We are rebuilding," said Mayor Ivan Petrov.\n',
    )
    return directory


def _cache_dirs(corpus: Path) -> list[Path]:
    return [p for p in (corpus / CACHE_DIRNAME).iterdir() if p.is_dir()]


def _same_library(a: Library, b: Library) -> None:
    assert len(a) == len(b)
    for q in QUESTIONS:
        assert np.array_equal(a.index.get_scores(q), b.index.get_scores(q))
        assert a.index.search(q, 5) == b.index.search(q, 5)
    for p in range(len(a)):
        assert a.locate(p) == b.locate(p)
    assert a.speakers == b.speakers
    assert [x.name for x in a.articles] == [x.name for x in b.articles]


def test_round_trip_gives_identical_library(corpus: Path) -> None:
    built = Library.load(corpus)
    assert len(_cache_dirs(corpus)) == 1
    cached = Library.load(corpus)
    assert isinstance(cached.corpus.articles, LazyArticles)
    _same_library(built, cached)
    article = cached.articles[1]
    assert cached.positions(article) == built.positions(built.articles[1])
    assert cached.index.params == built.index.params


def test_the_corpus_loader_does_not_read_the_cache(corpus: Path) -> None:
    Library.load(corpus)
    assert len(Library.load(corpus, cache=False).articles) == 2


def test_changed_corpus_file_is_rebuilt(corpus: Path) -> None:
    Library.load(corpus)
    old = _cache_dirs(corpus)
    write_article(corpus, "second.txt", "Floods in Kursk\nHeavy rain flooded Belgorod on Tuesday.\n")
    reloaded = Library.load(corpus)
    assert not isinstance(reloaded.corpus.articles, LazyArticles)  # parsed again
    assert reloaded.index.search("Belgorod")
    assert _cache_dirs(corpus) != old and len(_cache_dirs(corpus)) == 1  # the stale cache is gone
    assert isinstance(Library.load(corpus).corpus.articles, LazyArticles)


def test_same_size_same_mtime_edit_is_still_seen(corpus: Path) -> None:
    """Content hashes decide; stat only lets unchanged old files skip hashing."""
    Library.load(corpus)
    path = corpus / "second.txt"
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Kursk on", "Omsk  on"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    assert Library.load(corpus).index.search("Omsk")


def test_new_and_removed_files_change_the_key(corpus: Path) -> None:
    key = IndexCache(corpus).key()
    write_article(corpus, "third.txt", "Title\nA body sentence here.\n")
    assert IndexCache(corpus).key() != key
    (corpus / "third.txt").unlink()
    assert IndexCache(corpus).key() == key


@pytest.mark.parametrize("victim", ["index/weights.npy", "texts.bin", "manifest.json", "speakers.json"])
def test_damaged_cache_is_rebuilt_with_a_warning(corpus: Path, victim: str, caplog) -> None:
    built = Library.load(corpus)
    path = _cache_dirs(corpus)[0] / victim
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte
    path.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING):
        rebuilt = Library.load(corpus)
    assert not isinstance(rebuilt.corpus.articles, LazyArticles)
    assert "saved index unusable" in caplog.text
    _same_library(built, rebuilt)
    _same_library(built, Library.load(corpus))  # and the cache is good again


def test_truncated_or_missing_cache_file_is_rebuilt(corpus: Path, caplog) -> None:
    Library.load(corpus)
    cache = _cache_dirs(corpus)[0]
    (cache / "index" / "doc_ids.npy").write_bytes(b"")
    (cache / "articles.json").unlink()
    with caplog.at_level(logging.WARNING):
        assert len(Library.load(corpus)) > 0
    assert "saved index unusable" in caplog.text


def test_unwritable_cache_location_still_works(corpus: Path, caplog) -> None:
    (corpus / CACHE_DIRNAME).write_text("not a directory")  # mkdir fails, as in a read-only corpus
    with caplog.at_level(logging.WARNING):
        first = Library.load(corpus)
        second = Library.load(corpus)
    assert "index cache not saved" in caplog.text
    _same_library(first, second)


def test_missing_directory_is_the_loaders_error(tmp_path: Path) -> None:
    from bot.errors import CorpusError

    with pytest.raises(CorpusError, match="does not exist"):
        Library.load(tmp_path / "nowhere")


@pytest.mark.parametrize("library", ["nltk", "trafilatura", "rank-bm25", "no-such-distribution"])
def test_the_installed_version_is_the_one_importlib_metadata_reads(library: str) -> None:
    from importlib import metadata

    from bot.search import cache

    try:
        expected = metadata.version(library)
    except metadata.PackageNotFoundError:
        expected = "?"
    assert cache._installed_version(library) == expected


@pytest.mark.parametrize("library", ["nltk", "trafilatura"])
def test_an_upgraded_library_gives_a_new_key(corpus: Path, library: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stemmer, Punkt and the HTML extractor shape what is cached: their versions are in the key."""
    from bot.search import cache

    before = IndexCache(corpus).key()
    real = cache._installed_version
    monkeypatch.setattr(cache, "_installed_version", lambda name: "99.0" if name == library else real(name))
    assert IndexCache(corpus).key() != before


# ---- what the key covers: the code and rules that shape the cached data, and nothing else --------------------


def _bot_imports(path: Path, package: Path) -> set[Path]:
    """The bot modules a module imports, at the top or inside a function (packages' __init__ included)."""
    import ast

    here = path.relative_to(package.parent).with_suffix("").parts
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            parent = here if path.name == "__init__.py" else here[:-1]
            base = ".".join([*parent[: len(parent) - node.level + 1], node.module or ""]) if node.level else node.module
            names |= {base or ""} | {f"{base}.{a.name}" for a in node.names}
    found = set()
    for name in names:
        parts = name.strip(".").split(".")
        for n in range(1, len(parts) + 1):  # importing bot.a.b imports bot and bot.a too
            stem = package.parent.joinpath(*parts[:n])
            for candidate in (stem / "__init__.py", stem.with_suffix(".py")):
                if parts[0] == "bot" and candidate.is_file():
                    found.add(candidate)
    return found


def test_the_keyed_code_is_what_the_build_imports() -> None:
    """KEYED_CODE is the import closure of the loader, the index and this cache: add a module there when the
    build starts importing it (else editing it would leave a stale saved index in use)."""
    from bot.search.cache import KEYED_CODE, PACKAGE_DIR

    carriers = {PACKAGE_DIR / "parallel.py"}
    todo = [PACKAGE_DIR / m for m in ("corpus/files.py", "library.py", "search/cache.py")]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path not in seen and path not in carriers:
            seen.add(path)
            todo += _bot_imports(path, PACKAGE_DIR)
    assert sorted(p.relative_to(PACKAGE_DIR).as_posix() for p in seen) == sorted(KEYED_CODE)


def test_unkeyed_rules_are_named_only_by_the_answer_stage() -> None:
    from bot.search.cache import KEYED_CODE, PACKAGE_DIR, UNKEYED_RULES

    keyed_source = "\n".join(
        (PACKAGE_DIR / m).read_text(encoding="utf-8") for m in KEYED_CODE if m != "search/cache.py"
    )
    other_source = "\n".join(
        p.read_text(encoding="utf-8")
        for p in PACKAGE_DIR.rglob("*.py")
        if p.relative_to(PACKAGE_DIR).as_posix() not in KEYED_CODE
    )
    for name in UNKEYED_RULES:
        assert (PACKAGE_DIR / "rules" / name).is_file()
        assert f'"{name}"' not in keyed_source, f"{name} is read by parsing code: it must be part of the key"
        assert f'"{name}"' in other_source


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the bot package to edit (the real one stays untouched)."""
    from bot.search.cache import PACKAGE_DIR

    copy = tmp_path / "bot"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.parametrize(
    "edited", ["render.py", "telegram_bot/handlers.py", "answer/rank.py", "rules/ranker.json", "parallel.py"]
)
def test_editing_code_or_rules_outside_the_keyed_set_keeps_the_saved_index(
    corpus: Path, package_copy: Path, edited: str
) -> None:
    built = Library.load(corpus)
    IndexCache(corpus, built.index.params, package_dir=package_copy).save(built.corpus, built.index)
    _append(package_copy / edited, "\n" if edited.endswith(".json") else "\n# an edit\n")
    cached = IndexCache(corpus, built.index.params, package_dir=package_copy).load()
    assert cached is not None and isinstance(cached[0].articles, LazyArticles)


@pytest.mark.parametrize(
    ("edited", "line"),
    [
        ("rules/speech_verbs.txt", "\n# an edit\n"),
        ("rules/brand_new_rules.txt", "a new word list\n"),
        ("speakers/cues.py", "\n# an edit\n"),
        ("search/analysis.py", "\n# an edit\n"),
        ("corpus/article.py", "\n# an edit\n"),
    ],
)
def test_editing_a_parsing_rule_or_module_rebuilds(corpus: Path, package_copy: Path, edited: str, line: str) -> None:
    built = Library.load(corpus)
    IndexCache(corpus, built.index.params, package_dir=package_copy).save(built.corpus, built.index)
    path = package_copy / edited
    path.write_text((path.read_text(encoding="utf-8") if path.exists() else "") + line, encoding="utf-8")
    assert IndexCache(corpus, built.index.params, package_dir=package_copy).load() is None
