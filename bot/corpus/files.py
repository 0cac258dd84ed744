"""Corpus files: find the articles of a directory, read each, collect the ones that fail.

A ``.txt`` file is read as UTF-8. An ``.html`` / ``.htm`` file is a saved web
page: its article is extracted as a link's would be (``bot.corpus.extract``) and
parsed as the ``.txt`` that ``python -m bot add`` would write for it, so its
offsets are into that text. A file that cannot be read, is not UTF-8, or has
no article text is a CorpusError naming it; the other articles still load.

A big corpus is parsed in batches on every core (``bot.parallel``'s pool
of local processes): the batches are consecutive runs of the sorted file list, so
taken in order they give exactly the articles and problems of one process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from bot.corpus.article import parse_article
from bot.errors import CorpusError
from bot.records import Article, Corpus

__all__ = [
    "ARTICLE_SUFFIXES",
    "article_files",
    "corpus_of",
    "decode",
    "file_batches",
    "load_article",
    "load_batch",
    "load_corpus",
    "load_files",
    "load_in_batches",
    "parallel_batches",
    "run_batches",
]

log = logging.getLogger(__name__)
R = TypeVar("R")

HTML_SUFFIXES = (".html", ".htm")
ARTICLE_SUFFIXES = (".txt", *HTML_SUFFIXES)
PARALLEL_MIN_BYTES = 4_000_000
"""Corpora smaller than this (~30,000 sentences of news, ~6 s to parse on an idle core) load in one process:
starting and stopping two worker processes measured 8.3 s at load 6 on this 2-core machine, about what a
second core saves on a corpus this size."""
BATCH_BYTES = 1_000_000
"""About this much text per batch: small enough for even shares and a steady progress count,
big enough that handing a task to a worker (~1 ms) is nothing beside parsing it (~1.5 s)."""


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text with universal newlines, or a CorpusError saying where the bad byte is."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); save the file as UTF-8"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_article(path: Path) -> Article:
    """Read and parse one article file; every failure is a CorpusError naming the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if path.suffix.lower() in HTML_SUFFIXES:
        from bot.corpus.extract import article_text, extract_file
        from bot.errors import ExtractError

        try:
            return parse_article(article_text(extract_file(path, data)), path)
        except ExtractError as exc:
            raise CorpusError(f"{path}: {exc}") from None
    return parse_article(decode(data, path), path)


def article_files(directory: Path) -> list[Path]:
    """Every ``*.txt``, ``*.html`` and ``*.htm`` below ``directory`` (hidden folders skipped), in a stable order."""
    if not directory.exists():
        raise CorpusError(f"corpus directory {directory} does not exist; create it and put *.txt articles in it")
    if not directory.is_dir():
        raise CorpusError(f"corpus path {directory} is not a directory")
    files = sorted(
        p
        for p in directory.rglob("*")
        if p.suffix.lower() in ARTICLE_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )
    if not files:
        raise CorpusError(f"corpus directory {directory} has no *.txt or *.html articles; add at least one")
    return files


def load_batch(paths: Iterable[Path]) -> tuple[list[Article], list[CorpusError]]:
    """Parse every file, in order; collect the ones that fail instead of stopping at the first.

    One batch of a corpus: batches loaded apart (``bot.parallel``) and joined in order give the
    same articles and problems as one batch of every file.
    """
    articles: list[Article] = []
    problems: list[CorpusError] = []
    for path in paths:
        try:
            articles.append(load_article(path))
        except CorpusError as exc:
            problems.append(exc)
    return articles, problems


def file_batches(paths: Sequence[Path], parts: int) -> list[list[Path]]:
    """``paths`` cut, in order, into about ``parts`` batches of about equal size in bytes."""
    from bot.parallel import batched

    return batched(paths, [_size(p) for p in paths], parts)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # load_article will say what is wrong with it


def load_files(paths: Iterable[Path], directory: Path, workers: int | None = 1) -> Corpus:
    """Load every file; collect the ones that fail instead of stopping at the first.

    ``workers`` other than 1 parses a corpus of ``PARALLEL_MIN_BYTES`` or more in that many
    processes (None: every core); the result is the same as in one process.
    """
    articles: list[Article] = []
    problems: list[CorpusError] = []
    for batch_articles, batch_problems in load_in_batches(paths, workers):
        articles += batch_articles
        problems += batch_problems
    return corpus_of(directory, articles, problems)


def corpus_of(directory: Path, articles: Sequence[Article], problems: Sequence[CorpusError]) -> Corpus:
    """The Corpus of what loaded, or a CorpusError with every reason when nothing did."""
    if not articles:
        raise no_articles(directory, problems)
    return Corpus.of(directory, tuple(articles), tuple(problems))


def no_articles(directory: Path, problems: Sequence[CorpusError]) -> CorpusError:
    """The error of a corpus none of whose files loaded, with every file's reason."""
    reasons = "; ".join(str(p) for p in problems)
    return CorpusError(f"no article in {directory} could be loaded: {reasons}")


def load_in_batches(
    paths: Iterable[Path], workers: int | None = 1
) -> Iterator[tuple[list[Article], list[CorpusError]]]:
    """``load_batch`` of consecutive runs of ``paths``, yielded in order as each is ready: on a pool
    of ``workers`` local processes (None: every core) when the files add up to ``PARALLEL_MIN_BYTES``, else all
    at once in this process. Joined, the batches are ``load_batch(paths)``."""
    paths = list(paths)
    batches = parallel_batches(paths, workers)
    if batches is None:
        yield load_batch(paths)
        return
    from bot.corpus.packed import load_packed, unpack

    for packed in run_batches(batches, workers, load_packed):
        yield unpack(packed)


def parallel_batches(paths: Sequence[Path], workers: int | None) -> list[list[Path]] | None:
    """The batches to parse ``paths`` in on ``workers`` processes (None: every core), or None when one
    process should parse them: one worker asked for, or files adding up to less than ``PARALLEL_MIN_BYTES``."""
    from bot.parallel import cpu_count  # bot.parallel imports Dask only when a Dask client is made

    processes = workers or cpu_count()
    total = sum(_size(p) for p in paths) if processes > 1 and len(paths) > 1 else 0
    if total < PARALLEL_MIN_BYTES:
        return None
    batches = file_batches(paths, max(processes, total // BATCH_BYTES))
    log.info(
        "parsing %d files (%.0f MB) in %d batches on %d processes", len(paths), total / 1e6, len(batches), processes
    )
    return batches


def run_batches(batches: Sequence[list[Path]], workers: int | None, task: Callable[[list[Path]], R]) -> Iterator[R]:
    """``task`` of each batch on a pool of ``workers`` local processes (None: every core), yielded in
    order as each is ready (``bot.parallel.local_batches``), with progress logged every tenth."""
    from bot.parallel import local_batches

    def progress(done: int, count: int) -> None:
        if done * 10 // count != (done - 1) * 10 // count:  # every tenth
            log.info("parsed %d of %d batches", done, count)

    yield from local_batches(task, batches, workers, progress)


def load_corpus(directory: Path | str, workers: int | None = 1) -> Corpus:
    """Load all articles of a corpus directory (raises CorpusError if none can be used); ``workers``
    as in :func:`load_files`."""
    directory = Path(directory)
    return load_files(article_files(directory), directory, workers)
