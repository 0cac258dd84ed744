"""Corpus files: find the articles of a directory, read each, collect the ones that fail.

A ``.txt`` file is read as UTF-8. An ``.html`` / ``.htm`` file is a saved web
page: its article is extracted as a link's would be (``bot.corpus.extract``) and
parsed as the ``.txt`` that ``python -m bot add`` would write for it, so its
offsets are into that text. A file that cannot be read, is not UTF-8, or has
no article text is a CorpusError naming it; the other articles still load.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.corpus.article import parse_article
from bot.errors import CorpusError
from bot.records import Article, Corpus

__all__ = ["ARTICLE_SUFFIXES", "article_files", "decode", "load_article", "load_batch", "load_corpus", "load_files"]

HTML_SUFFIXES = (".html", ".htm")
ARTICLE_SUFFIXES = (".txt", *HTML_SUFFIXES)


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


def load_files(paths: Iterable[Path], directory: Path) -> Corpus:
    """Load every file; collect the ones that fail instead of stopping at the first."""
    articles, problems = load_batch(paths)
    if not articles:
        reasons = "; ".join(str(p) for p in problems)
        raise CorpusError(f"no article in {directory} could be loaded: {reasons}")
    return Corpus.of(directory, tuple(articles), tuple(problems))


def load_corpus(directory: Path | str) -> Corpus:
    """Load all articles of a corpus directory (raises CorpusError if none can be used)."""
    directory = Path(directory)
    return load_files(article_files(directory), directory)
