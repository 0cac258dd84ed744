"""The saved index: parsed articles and BM25 arrays beside the corpus, reused while nothing changed.

Parsing a large corpus (sentence splitting, speaker attribution) and indexing
it takes minutes; reading it back takes well under a second. The cache lives
in ``<corpus>/.index/<key>/`` (the corpus loader skips hidden folders) and is
used only when its key matches and every file passes its checksum:

- the key hashes the content of every corpus file, of the code and rules that
  shape the cached data (``KEYED_CODE``: parsing, splitting, attribution,
  analysis, indexing and this format; every ``bot/rules`` file but the
  answer stage's ``UNKEYED_RULES``), the versions of NLTK and trafilatura and
  the BM25 parameters, so editing an article, a parsing rule or parsing code
  gives a new key and a rebuild, while editing ``render.py``, the answer
  stage or a Telegram handler keeps the saved index;
- content hashes are remembered with each file's size and mtime (as git's
  index does), so an unchanged corpus is not read again at start-up; a file
  modified within two seconds of being hashed is always hashed again;
- ``manifest.json`` holds each cache file's size and CRC-32, checked on every
  load; a damaged cache is rebuilt with a warning, never trusted.

A cache directory is written under a temporary name and renamed into place,
so readers never see a half-written one. If the corpus directory is not
writable, the cache is simply not saved.

Sentences are stored as arrays (offsets into the article texts, paragraph,
speaker number) and the article texts as one UTF-8 blob; Article records
are only built for the articles someone looks at.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import shutil
import sys
import time
import zlib
from collections.abc import Callable
from contextlib import suppress
from dataclasses import astuple
from pathlib import Path

import numpy as np

from bot.columns import SENTENCE_ARRAYS, ArticleColumns, LazyArticles
from bot.errors import CorpusError, IndexCacheError
from bot.records import Corpus, Speaker
from bot.search.bm25 import BM25Index, BM25Params

__all__ = ["IndexCache", "LazyArticles"]

log = logging.getLogger(__name__)

CACHE_DIRNAME = ".index"
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
HASH_MEMO = "files.json"
RACY_SECONDS = 2.0
"""A file modified this close to when it was hashed may have changed unseen: hash it again."""
PACKAGE_DIR = Path(__file__).resolve().parents[1]
"""The `bot` package, whose parsing code and rules are part of the key."""
KEYED_CODE = (
    "__init__.py",
    "columns.py",
    "corpus/__init__.py",
    "corpus/article.py",
    "corpus/boilerplate.py",
    "corpus/extract.py",
    "corpus/fetch.py",
    "corpus/files.py",
    "corpus/packed.py",
    "errors.py",
    "library.py",
    "records.py",
    "rules/__init__.py",
    "search/__init__.py",
    "search/analysis.py",
    "search/batch_index.py",
    "search/bm25.py",
    "search/cache.py",
    "search/stem_table.py",
    "search/vectors.py",
    "sentences.py",
    "speakers/__init__.py",
    "speakers/attribution.py",
    "speakers/context.py",
    "speakers/cues.py",
    "speakers/headlines.py",
    "speakers/lexicon.py",
    "speakers/phrases.py",
    "speakers/quotes.py",
    "speakers/registry.py",
    "speakers/roster.py",
    "speakers/tokens.py",
)
"""The modules that build what is cached: everything ``corpus/files.py``, ``library.py`` and this module
import, directly or inside a function (tests/test_index_cache.py checks it against their imports),
but ``bot.parallel``, which only schedules the parsing of a big corpus on other processes (a test
checks that this gives the same corpus as one process)."""
UNKEYED_RULES = frozenset({"answer_evidence.txt", "answer_types.txt", "question_verbs.txt", "ranker.json"})
"""Rules files read only by the answer stage (a test checks no keyed module names them): any other
file in ``bot/rules``, a new one included, is part of the key."""
VERSIONED = ("nltk", "trafilatura", "wordllama")
"""Libraries whose version is part of the key: NLTK's stemmer and Punkt, trafilatura's extraction, wordllama's
vectors of the corpus's words."""


def _digest_file(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "blake2b").hexdigest()[:32]


def _visible_files(directory: Path) -> list[tuple[str, os.stat_result]]:
    """Every file below ``directory`` not in a hidden folder nor hidden itself, with its stat, sorted.

    A superset of what the corpus loader reads, so any change it could see changes the key.
    (Plain strings and ``os.scandir``: pathlib costs ~15 us a file, too much for 25,000 files.)
    """
    if not directory.is_dir():
        raise OSError(f"{directory} is not a directory")
    found: list[tuple[str, os.stat_result]] = []
    pending = [("", str(directory))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir():
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                elif entry.is_file():
                    found.append((prefix + entry.name, entry.stat()))
    found.sort(key=lambda item: item[0])
    return found


def _code_and_rules(package: Path = PACKAGE_DIR) -> list[tuple[str, str]]:
    """(name, digest) of the keyed modules and rules files, and the versions of the libraries whose
    output is cached: NLTK (the stemmer, Punkt) and trafilatura (what a corpus .html file's article is)."""
    rules = [
        p
        for p in sorted((package / "rules").rglob("*"))
        if p.suffix not in (".py", ".pyc") and p.name not in UNKEYED_RULES and p.is_file()
    ]
    files = [package / name for name in KEYED_CODE] + rules
    items = [(p.relative_to(package).as_posix(), _digest_file(p) if p.is_file() else "-") for p in files]
    versions = [(name, _installed_version(name)) for name in VERSIONED]
    return [*items, *versions, ("python", f"{sys.version_info.major}.{sys.version_info.minor}")]


def _installed_version(distribution: str) -> str:
    """The installed version, from the first ``<name>-<version>.dist-info`` folder on ``sys.path`` (a wheel's
    record of itself, as ``importlib.metadata`` finds it), else from ``importlib.metadata``: importing NLTK
    alone would take 0.25 s or more, and importing ``importlib.metadata`` 25 ms of every start."""
    prefix = distribution.lower().replace("-", "_") + "-"
    for entry in sys.path:
        with suppress(OSError):
            for name in os.listdir(entry or "."):
                if name.lower().startswith(prefix) and name.endswith(".dist-info"):
                    return name[len(prefix) : -len(".dist-info")]
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


class IndexCache:
    """The saved parsed corpus and index of one corpus directory."""

    def __init__(
        self,
        corpus_dir: Path | str,
        params: BM25Params | None = None,
        cache_dir: Path | str | None = None,
        *,
        package_dir: Path = PACKAGE_DIR,
    ) -> None:
        self.corpus_dir = Path(corpus_dir)
        self.params = params or BM25Params()
        self.root = Path(cache_dir) if cache_dir is not None else self.corpus_dir / CACHE_DIRNAME
        self.package_dir = package_dir  # whose code and rules are keyed (another copy in tests)
        self._key: str | None = None
        self._file_digests: dict[str, list] = {}
        self._rehashed = False
        self.loaded: Path | None = None
        """The cache directory :meth:`load` read, for files an ``extra`` of :meth:`save` wrote."""

    # Step 1: the key.
    def key(self) -> str:
        """Hash of corpus contents, parsing rules and code, and parameters (corpus files hashed only when their stat
        changed)."""
        if self._key is not None:
            return self._key
        memo = self._read_memo()
        trusted_before = memo.get("written_ns", 0) - RACY_SECONDS * 1e9
        known = memo.get("files", {})
        digests: dict[str, list] = {}
        self._rehashed = False
        h = hashlib.blake2b(digest_size=16)
        h.update(json.dumps({"format": FORMAT_VERSION, **_params_dict(self.params)}, sort_keys=True).encode())
        for rel, st in _visible_files(self.corpus_dir):
            old = known.get(rel)
            if old and old[0] == st.st_size and old[1] == st.st_mtime_ns and st.st_mtime_ns < trusted_before:
                digest = old[2]
            else:
                digest = _digest_file(self.corpus_dir / rel)
                self._rehashed = True
            digests[rel] = [st.st_size, st.st_mtime_ns, digest]
            h.update(f"{rel}\0{digest}\n".encode())
        for name, digest in _code_and_rules(self.package_dir):
            h.update(f"{name}\0{digest}\n".encode())
        self._file_digests = digests
        self._key = h.hexdigest()
        return self._key

    def _read_memo(self) -> dict:
        try:
            memo = json.loads((self.root / HASH_MEMO).read_text(encoding="utf-8"))
            return memo if isinstance(memo, dict) and isinstance(memo.get("files"), dict) else {}
        except (OSError, ValueError):
            return {}

    # Step 2: load, checking every byte.
    def load(self) -> tuple[Corpus, BM25Index] | None:
        """The cached corpus and index, or None when there is none for the current key.

        Raises IndexCacheError when a cache exists for this key but is damaged.
        """
        try:
            key = self.key()
        except OSError:
            return None  # no such directory, unreadable file: the loader will say what is wrong
        path = self.root / key
        if not path.is_dir():
            return None
        try:
            manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
            if manifest.get("format") != FORMAT_VERSION or manifest.get("key") != key:
                raise IndexCacheError(f"{path}: the manifest does not match the key")
            _verify(path, manifest["files"])
            index = BM25Index.load(path / "index")
            corpus = self._read_corpus(path, len(index))
            self.loaded = path
        except IndexCacheError:
            raise
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise IndexCacheError(f"{path}: {type(exc).__name__}: {exc}") from exc
        if self._rehashed:  # remember the new hashes, so the next start need not read those files
            with suppress(OSError):
                self._write_memo()
        return corpus, index

    def _read_corpus(self, path: Path, n_sentences: int) -> Corpus:
        meta = json.loads((path / "articles.json").read_text(encoding="utf-8"))
        speakers = [Speaker(*row) for row in json.loads((path / "speakers.json").read_text(encoding="utf-8"))]
        problems = tuple(CorpusError(p) for p in json.loads((path / "problems.json").read_text(encoding="utf-8")))
        arrays = {  # plain views of the mappings: np.memmap's indexing costs ~2 us a call
            name: np.asarray(np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False))
            for name in (*SENTENCE_ARRAYS, "speaker_ids")
        }
        size = (path / "texts.bin").stat().st_size
        texts = np.asarray(np.memmap(path / "texts.bin", dtype=np.uint8, mode="r")) if size else np.zeros(0, np.uint8)
        first, offsets, speaker_ids = arrays["first_sentence"], arrays["text_offsets"], arrays.pop("speaker_ids")
        if (
            len(first) != len(meta) + 1
            or len(offsets) != len(meta) + 1
            or int(first[-1]) != n_sentences
            or any(len(a) != n_sentences for a in (arrays["starts"], arrays["ends"], arrays["paragraphs"], speaker_ids))
            or int(offsets[-1]) != len(texts)
            or (n_sentences and int(speaker_ids.max()) >= len(speakers))
        ):
            raise IndexCacheError(f"{path}: the corpus arrays do not fit the index")
        articles = LazyArticles(self.corpus_dir, ArticleColumns(meta, texts, **arrays), speakers, speaker_ids)
        return Corpus(self.corpus_dir, articles, problems, np.diff(first), tuple(speakers), speaker_ids)

    # Step 3: save under a temporary name, then rename into place.
    def save(self, corpus: Corpus, index: BM25Index, extra: Callable[[Path], None] | None = None) -> Path | None:
        """Write the cache for the current key; returns its path, or None (logged) when it cannot be written.

        ``extra`` writes more files into the cache directory (checksummed with the rest): what later
        stages derive from the corpus, such as its words' vectors.
        """
        try:
            key = self.key()
            self.root.mkdir(parents=True, exist_ok=True)
            tmp = self.root / f"tmp-{os.getpid()}-{time.monotonic_ns()}"
            final = self.root / key
            try:
                self._write(tmp, key, corpus, index, extra)
                shutil.rmtree(final, ignore_errors=True)
                os.replace(tmp, final)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            self._write_memo()
            self._remove_stale(keep=key)
        except (OSError, IndexCacheError) as exc:
            log.warning("index cache not saved in %s (%s); the corpus will be parsed again next start", self.root, exc)
            return None
        return final

    def _write(
        self, path: Path, key: str, corpus: Corpus, index: BM25Index, extra: Callable[[Path], None] | None = None
    ) -> None:
        path.mkdir()
        index.save(path / "index")
        if not len(corpus) == len(index):
            raise IndexCacheError("the index and the corpus have different sentence counts")
        columns = self._columns(corpus)
        if len(columns) != len(corpus):
            raise IndexCacheError("the articles and the corpus have different sentence counts")
        arrays = {**columns.arrays(), "speaker_ids": np.asarray(corpus.speaker_ids, dtype=np.int32)}
        for name, values in arrays.items():
            np.save(path / f"{name}.npy", values, allow_pickle=False)
        columns.texts.tofile(path / "texts.bin")
        _write_json(path / "articles.json", columns.meta)
        _write_json(path / "speakers.json", [list(astuple(s)) for s in corpus.speakers])
        _write_json(path / "problems.json", [str(p) for p in corpus.problems])
        if extra is not None:
            extra(path)
        files = {p.relative_to(path).as_posix(): _checksum(p) for p in sorted(path.rglob("*")) if p.is_file()}
        _write_json(
            path / MANIFEST, {"format": FORMAT_VERSION, "key": key, "files": files, "params": _params_dict(self.params)}
        )

    def _columns(self, corpus: Corpus) -> ArticleColumns:
        """The corpus's articles as the columns saved: as they are when already held so (a cached corpus, or
        the first load on several processes), else built from the Article records."""
        articles = corpus.articles
        if isinstance(articles, LazyArticles) and articles.directory == self.corpus_dir:
            return articles.columns
        try:
            return ArticleColumns.of(articles, self.corpus_dir)
        except ValueError as exc:
            raise IndexCacheError(str(exc)) from None

    def _write_memo(self) -> None:
        tmp = self.root / f"{HASH_MEMO}.{os.getpid()}.tmp"
        _write_json(tmp, {"written_ns": time.time_ns(), "files": self._file_digests})
        os.replace(tmp, self.root / HASH_MEMO)

    def _remove_stale(self, keep: str) -> None:
        """Older caches of this corpus (other keys) are of no further use."""
        for entry in self.root.iterdir():
            if entry.is_dir() and entry.name != keep and not entry.name.startswith("tmp-"):
                shutil.rmtree(entry, ignore_errors=True)


def _params_dict(params: BM25Params) -> dict[str, float]:
    return {"k1": params.k1, "b": params.b, "epsilon": params.epsilon}


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def _checksum(path: Path) -> dict[str, int]:
    """Size and CRC-32 of a file, read through mmap: no copying, a third faster than read() on 300 MB."""
    with path.open("rb") as f:
        size = os.fstat(f.fileno()).st_size
        if not size:
            return {"size": 0, "crc32": 0}
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return {"size": size, "crc32": zlib.crc32(data)}


def _verify(path: Path, files: dict[str, dict[str, int]]) -> None:
    """Every file listed in the manifest, and no other, with its size and CRC-32."""
    present = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
    expected_names = set(files) | {MANIFEST}
    if present != expected_names:
        raise IndexCacheError(f"{path}: files missing or unexpected: {sorted(present ^ expected_names)}")
    from concurrent.futures import ThreadPoolExecutor

    names = sorted(files, key=lambda n: -files[n].get("size", 0))
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:  # zlib releases the GIL
        actual = dict(zip(names, pool.map(lambda n: _checksum(path / n), names), strict=True))
    for name in names:
        if actual[name] != files[name]:
            raise IndexCacheError(f"{path / name}: checksum mismatch; the file is damaged")
