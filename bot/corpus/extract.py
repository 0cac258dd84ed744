"""Turn a fetched page or a file into an article: title, outlet, date, authors and body paragraphs.

The body comes from trafilatura (the best-measured open-source article
extractor) with its options chosen by measurement, not left at their
defaults. On the 181 real news pages of the public article-extraction
benchmark, served over HTTP from 127.0.0.1 and read through ``bot.corpus.fetch`` and
this module (``python bench/extraction.py --pages DIR``; shingle F1 of the
body as that benchmark scores it):

==========================================  ======  =========  ======
trafilatura options                          F1      precision  recall
==========================================  ======  =========  ======
defaults (comments and tables included)      0.961   0.945      0.978
``include_comments=False``                   0.963   0.948      0.978
... and ``favor_precision=True`` (chosen)    0.966   0.961      0.971
chosen, but ``include_tables=False``         0.959   0.959      0.958
chosen, but ``deduplicate=True``             0.963   0.961      0.965
``include_comments=False, favor_recall``     0.962   0.946      0.979
==========================================  ======  =========  ======

So: readers' comments are left out (they are not the article, and a
commenter quoted as the article's voice is wrong twice over), precision is
favoured (related-links blocks, teasers and captions are what it drops; a
stray teaser sentence is worse for a quoting bot than a missed one), while
tables stay in and nothing is deduplicated: leaving tables out or
deduplicating lost more body text than boilerplate on these pages. Links, images and formatting are
left out: the body is plain paragraphs, one per line, as corpus files are.

Metadata comes from the page's own declarations first — JSON-LD
(``NewsArticle`` and kin: headline, datePublished, author, publisher) and
OpenGraph / ``article:`` meta tags — and from trafilatura's metadata only
where the page declares nothing; the outlet falls back to the site's host.

Charsets: a byte-order mark, then the HTTP header's charset, then a
``<meta charset>`` / ``http-equiv`` / XML declaration in the first bytes, then
UTF-8 if the bytes are valid UTF-8, else windows-1252. ISO-8859-1 and
US-ASCII labels are read as windows-1252, as browsers do (the WHATWG
Encoding standard): pages labelled Latin-1 routinely use its curly quotes.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.corpus.fetch import Page
from bot.errors import ExtractError

__all__ = [
    "Extracted",
    "article_text",
    "decode_html",
    "extract_file",
    "extract_html",
    "extract_page",
    "extract_text",
    "page_metadata",
]

TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "favor_precision": True,
    "include_tables": True,
    "include_links": False,
    "include_images": False,
    "include_formatting": False,
    "deduplicate": False,
}
"""The extraction options, as measured (see the module docstring)."""
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
PRESCAN_BYTES = 4096
"""How far into the page a charset declaration is looked for (the HTML standard says 1024; real pages put
comments and scripts first)."""
META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
AS_WINDOWS_1252 = frozenset({"latin_1", "ascii", "cp1252", "iso8859_1"})
"""Codec names (as ``codecs.lookup`` normalises them) that browsers decode as windows-1252."""
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "report",
        "scholarlyarticle",
        "techarticle",
        "webpage",
    }
)
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
PASSWORD_INPUT = re.compile(r"<input[^>]+type\s*=\s*[\"']?password", re.IGNORECASE)
LOGIN_WORDS = re.compile(r"\b(?:log ?in|sign ?in|subscribe|subscribers? only|create an account)\b", re.IGNORECASE)
MIN_ARTICLE_CHARS = 80
"""Less body text than this is no article (a cookie notice, a one-line teaser)."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """An article as read from a page or file; ``paragraphs`` is the body only (no headline)."""

    title: str
    paragraphs: tuple[str, ...]
    url: str | None = None
    source: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        """The body, one paragraph per line."""
        return "\n".join(self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        """The shape of ``extract --json``."""
        return {
            "url": self.url,
            "title": self.title,
            "source": self.source,
            "published": self.published,
            "authors": list(self.authors),
            "text": self.text,
        }


# ---------------------------------------------------------------- charsets


def _codec(label: str | bytes | None) -> str | None:
    """The Python codec for a charset label, windows-1252 for the Latin-1 family; None when unknown."""
    if not label:
        return None
    name = label.decode("ascii", "ignore") if isinstance(label, bytes) else label
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name.replace("-", "_")
    except LookupError:
        return None
    return "cp1252" if codec in AS_WINDOWS_1252 else codec


def decode_html(body: bytes, declared: str | None = None) -> str:
    """The page's text, decoded by the first charset that applies (see the module docstring).

    >>> decode_html('<meta charset="windows-1252"><p>\\u201cYes,\\u201d she said</p>'.encode("cp1252"))
    '<meta charset="windows-1252"><p>“Yes,” she said</p>'
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(codec, "replace")
    match = META_CHARSET.search(body[:PRESCAN_BYTES])
    meta = (match.group(1) or match.group(2)) if match else None
    tried = [c for c in (_codec(declared), _codec(meta)) if c and not c.startswith("utf_16")]
    for codec in [*dict.fromkeys(tried), "utf_8"]:
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue  # a wrong label (UTF-8 declared, windows-1252 sent): try the next clue
    return body.decode("cp1252", "replace")


# ---------------------------------------------------------------- metadata


@dataclass(slots=True)
class Metadata:
    """What a page declares about itself; every field may be missing."""

    title: str | None = None
    source: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)


def _texts(value: Any) -> Iterator[str]:
    """Names from a JSON-LD value: a string, ``{"name": ...}``, or a list of either."""
    if isinstance(value, str):
        if value.strip() and not value.strip().startswith(("http://", "https://")):
            yield value.strip()
    elif isinstance(value, dict):
        yield from _texts(value.get("name"))
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _json_ld_objects(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip().removeprefix("<!--").removesuffix("-->").strip()
        raw = raw.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
        try:
            data = json.loads(raw)
        except ValueError:
            continue  # a broken block on one page must not lose the article
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                stack.extend(reversed([v for k, v in item.items() if k in ("@graph", "mainEntity")]))


def _is_article(obj: dict[str, Any]) -> bool:
    kinds = obj.get("@type")
    names = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.lower() in ARTICLE_TYPES for k in names)


def _iso_date(value: str | None) -> str | None:
    match = ISO_DATE.search(value or "")
    return "-".join(match.groups()) if match else None


def _meta(tree: Any, *names: str) -> str | None:
    """The first non-empty ``<meta property|name=... content=...>`` among ``names``."""
    for name in names:
        for value in tree.xpath(f'//meta[@property="{name}" or @name="{name}" or @itemprop="{name}"]/@content'):
            if str(value).strip():
                return " ".join(str(value).split())
    return None


def page_metadata(tree: Any) -> Metadata:
    """Title, outlet, date and authors as the page declares them (JSON-LD first, then meta tags)."""
    found = Metadata()
    for obj in _json_ld_objects(tree):
        if not _is_article(obj):
            continue
        found.title = found.title or next(_texts(obj.get("headline")), None)
        found.published = found.published or _iso_date(str(obj.get("datePublished") or ""))
        found.authors = found.authors or list(dict.fromkeys(_texts(obj.get("author"))))
        found.source = found.source or next(_texts(obj.get("publisher")), None)
    found.title = found.title or _meta(tree, "og:title", "twitter:title")
    found.source = found.source or _meta(tree, "og:site_name", "application-name")
    found.published = found.published or _iso_date(
        _meta(tree, "article:published_time", "datePublished", "pubdate", "parsely-pub-date", "date")
    )
    if not found.authors:
        author = _meta(tree, "author", "article:author", "parsely-author")
        if author and not author.startswith(("http://", "https://")):
            found.authors = [author]
    return found


def _host_source(url: str | None) -> str | None:
    """The site's name from its address: ``https://www.example.com/x`` -> ``example.com``."""
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _without_site_suffix(title: str, source: str | None) -> str:
    """ "Storm hits coast | Harbour Gazette" -> "Storm hits coast" when the suffix is the outlet's name."""
    if source:
        for sep in (" | ", " - ", " – ", " — ", " :: "):
            head, found, tail = title.rpartition(sep)
            if found and head and tail.strip().lower() == source.strip().lower():
                return head.strip()
    return title


# ---------------------------------------------------------------- body


def _paragraphs(text: str, title: str) -> tuple[str, ...]:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if lines and lines[0].strip(" .").lower() == title.strip(" .").lower():
        lines = lines[1:]  # the headline repeated as the body's first line
    return tuple(lines)


def _no_article(html: str, visible: str) -> ExtractError:
    """Why a page gave no article text, in the words a user understands."""
    if PASSWORD_INPUT.search(html) or (LOGIN_WORDS.search(visible) and len(visible) < 2000):
        return ExtractError(
            "the page asks you to log in or subscribe before it shows the article; send me a "
            "link that opens without an account, or the article as a file"
        )
    if not visible.strip():
        return ExtractError("the page is empty: it has no text at all")
    return ExtractError(
        "I found no article text on that page (is it a front page, a search or a list of "
        "links?); send me the article's own link"
    )


def extract_html(html: str, url: str | None = None, options: Mapping[str, Any] | None = None) -> Extracted:
    """The article in an HTML page (ExtractError when there is none: empty, a login wall, only links).

    ``options`` replaces ``TRAFILATURA_OPTIONS`` (the benchmark compares option sets with it).
    """
    import lxml.html
    import trafilatura
    from lxml.etree import ParserError

    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (ParserError, ValueError):
        raise ExtractError("the page is empty: it has no text at all") from None
    declared = page_metadata(tree)  # before trafilatura, which prunes the tree it is given
    chosen = TRAFILATURA_OPTIONS if options is None else options
    document = trafilatura.bare_extraction(html, url=url, with_metadata=True, **chosen)
    body = getattr(document, "text", None) or ""
    fallback_title = getattr(document, "title", None)
    source = declared.source or getattr(document, "sitename", None) or _host_source(url)
    title = _without_site_suffix(" ".join((declared.title or fallback_title or "").split()), source)
    paragraphs = _paragraphs(body, title)
    if sum(len(p) for p in paragraphs) < MIN_ARTICLE_CHARS:
        raise _no_article(html, lxml.html.document_fromstring(html.encode("utf-8")).text_content())
    authors = declared.authors or [a.strip() for a in (getattr(document, "author", None) or "").split(";") if a.strip()]
    return Extracted(
        title=title or paragraphs[0][:120],
        paragraphs=paragraphs,
        url=url,
        source=" ".join(source.split()) if source else None,
        published=declared.published or _iso_date(getattr(document, "date", None)),
        authors=tuple(authors),
    )


def extract_text(text: str, url: str | None = None) -> Extracted:
    """A plain-text article (a corpus-style ``.txt``: optional front matter, headline line, paragraphs)."""
    from bot.corpus.article import clean_headline, is_headline, parse_front_matter

    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta, start = parse_front_matter(text)
    lines = [" ".join(line.split()) for line in text[start:].splitlines()]
    lines = [line for line in lines if line]
    if not lines or sum(len(line) for line in lines) < 1:
        raise ExtractError("the text is empty")
    headline = ""
    if is_headline(lines[0], "\n".join(lines[1:])):
        headline, lines = clean_headline(lines[0]), lines[1:]
    authors = [a.strip() for a in (meta.get("authors") or meta.get("author") or "").split(";") if a.strip()]
    return Extracted(
        title=meta.get("title") or headline or lines[0][:120],
        paragraphs=tuple(lines),
        url=meta.get("url") or url,
        source=meta.get("source") or None,
        published=meta.get("published") or meta.get("date") or None,
        authors=tuple(authors),
    )


def looks_like_html(text: str) -> bool:
    """For bodies served without a usable Content-Type: markup, or plain text?"""
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml", "<head", "<body", "<meta", "<!--")) or (
        "<p" in head and "</" in head
    )


def extract_page(page: Page, options: Mapping[str, Any] | None = None) -> Extracted:
    """The article in a fetched page (HTML or XHTML by its markup, plain text as a corpus-style text)."""
    text = decode_html(page.body, page.charset)
    if page.media_type == "text/plain" or (page.media_type is None and not looks_like_html(text)):
        return extract_text(text, page.url)
    return extract_html(text, page.url, options)


def extract_file(path: Path, data: bytes | None = None) -> Extracted:
    """The article in a local ``.html``/``.htm`` or ``.txt`` file (by its name; markup is sniffed otherwise)."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ExtractError(f"cannot read the file ({exc.strerror or exc})") from None
    text = decode_html(data)
    if path.suffix.lower() in HTML_SUFFIXES or (path.suffix.lower() != ".txt" and looks_like_html(text)):
        return extract_html(text)
    return extract_text(text)


# ---------------------------------------------------------------- the corpus file


def _field(value: str) -> str:
    return " ".join(value.split())


def article_text(article: Extracted) -> str:
    """The article as a corpus file: front matter (source, url, published, authors, title), headline, body."""
    fields = {
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "authors": "; ".join(article.authors) or None,
        "title": article.title,
    }
    lines = ["---", *(f"{key}: {_field(value)}" for key, value in fields.items() if value), "---"]
    lines += [_field(article.title), *article.paragraphs]
    return "\n".join(lines) + "\n"
