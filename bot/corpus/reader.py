"""Read an article from wherever a user points: a link, a local file, or the bytes of a sent document.

The one entry point the CLI (``extract``, ``add``) and the bot share, so a link
reads the same everywhere: ``bot.corpus.fetch`` under the address policy and caps,
then ``bot.corpus.extract``. Also here: saving an article into a corpus directory as
the ``.txt`` file the corpus loader reads (``save_article``).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from bot.corpus.extract import Extracted, article_text, extract_file, extract_page
from bot.corpus.fetch import AddressPolicy, FetchLimits, fetch
from bot.errors import CorpusError, ExtractError

__all__ = ["check_document", "find_link", "is_link", "read_document", "read_link", "read_source", "save_article"]

LINK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
LINK_IN_TEXT = re.compile(r"(?i)\bhttps?://[^\s<>\"'«»“”‘’]+")
TRAILING = ".,;:!?)]}…"
"""Punctuation that ends a sentence around a link rather than the link itself."""
DOCUMENT_SUFFIXES = (".txt", ".html", ".htm", ".xhtml")
SLUG_WORDS = 8
FRONT_MATTER_BYTES = 4096
"""How much of an existing corpus file is read to find its front-matter url."""


def find_link(text: str | None) -> str | None:
    """The first http(s) link in a message: ``Look: https://x.com/a.html.`` -> ``https://x.com/a.html``.

    A closing bracket is kept when the link opened one (``https://en.wikipedia.org/wiki/Kursk_(city)``).
    """
    match = LINK_IN_TEXT.search(text or "")
    if not match:
        return None
    link = match.group(0)
    while link and link[-1] in TRAILING and not (link[-1] == ")" and link.count("(") >= link.count(")")):
        link = link[:-1]
    return link


def is_link(source: str) -> bool:
    """True for ``scheme://...`` (any scheme: a non-http one is then refused by name, not read as a file)."""
    return bool(LINK.match(source.strip()))


async def read_link(url: str, policy: AddressPolicy | None = None, limits: FetchLimits | None = None) -> Extracted:
    """Fetch and extract one link (FetchError or ExtractError say what went wrong)."""
    return extract_page(await fetch(url, policy, limits))


def read_document(name: str, data: bytes) -> Extracted:
    """A sent document (``.txt`` or ``.html``): extracted like a file of that name."""
    check_document(name, len(data))
    return extract_file(Path(name), data)


def _check_suffix(name: str) -> None:
    suffix = Path(name).suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        kind = f"a {suffix} file" if suffix else "a file without a .txt or .html name"
        raise ExtractError(f"that is {kind}; I read .txt and .html files (or http and https links)")


def check_document(name: str, size: int | None, limit: int = FetchLimits().max_bytes) -> None:
    """Refuse a sent document by its name or size before it is downloaded (ExtractError says why)."""
    _check_suffix(name)
    if size is not None and size > limit:
        raise ExtractError(f"the file is larger than {limit // 1_000_000} MB; I only read files up to that size")


async def read_source(
    source: str,
    policy: AddressPolicy | None = None,
    limits: FetchLimits | None = None,
) -> Extracted:
    """A link (fetched) or a local file path (read), as ``python -m bot extract|add`` take them."""
    if is_link(source):
        return await read_link(source, policy, limits)
    path = Path(source)
    _check_suffix(path.name)
    return extract_file(path)


def slug(title: str) -> str:
    """A file name stem from a title: ``Putin’s Pledge: Kursk!`` -> ``putins-pledge-kursk``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower().replace("'", "").replace("’", ""))
    return "-".join(words[:SLUG_WORDS]) or "article"


def _front_matter(path: Path) -> dict[str, str]:
    from bot.corpus import parse_front_matter

    try:
        with path.open("rb") as file:
            head = file.read(FRONT_MATTER_BYTES).decode("utf-8", "replace")
    except OSError:
        return {}
    return parse_front_matter(head.replace("\r\n", "\n"))[0]


def _same_article(directory: Path, article: Extracted) -> Path | None:
    """The corpus file already holding this article: the same url, or (no url) the same title."""
    for path in sorted(directory.rglob("*.txt")):
        if any(part.startswith(".") for part in path.relative_to(directory).parts):
            continue
        meta = _front_matter(path)
        if article.url and meta.get("url") == article.url:
            return path
        if not article.url and not meta.get("url") and meta.get("title") == article.title:
            return path
    return None


def save_article(article: Extracted, directory: Path) -> Path:
    """Write the article into the corpus as UTF-8 ``<slug>.txt`` with front matter; the same URL overwrites its file.

    Written to a temporary file and renamed, so a running bot never reads half an article.
    """
    if directory.exists() and not directory.is_dir():
        raise CorpusError(f"corpus path {directory} is not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path = _same_article(directory, article)
        if path is None:
            stem, n = slug(article.title), 1
            path = directory / f"{stem}.txt"
            while path.exists():
                n += 1
                path = directory / f"{stem}-{n}.txt"
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(article_text(article), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise CorpusError(f"cannot write into {directory} ({exc.strerror or exc})") from None
    return path
