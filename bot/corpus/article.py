"""One article's text -> an Article record: front matter, headline, body sentences with speakers.

Each corpus file (UTF-8) is one article: an optional front-matter block,
then a headline line, then the body, one paragraph per line. (A file whose
first line is its only text, or plainly a paragraph of several sentences, has
no headline: every line is body.) The body goes
through the sentence splitter, site boilerplate is dropped, and every sentence
is attributed to a speaker. Offsets are into the file's text as Python reads
it (``Path.read_text(encoding="utf-8")``: universal newlines).

Front matter (optional, at the very top)::

    ---
    source: CNN          (else taken from a wire dateline such as "CHICAGO (AP) —")
    url: https://example.com/story
    published: 2024-08-13
    title: Headline shown instead of the first line
    ---
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from bot.corpus.boilerplate import is_boilerplate
from bot.errors import CorpusError
from bot.records import NARRATOR, Article, Sentence, Speaker
from bot.sentences import split_spans
from bot.speakers.attribution import attribute
from bot.speakers.headlines import attribute_headline

logger = logging.getLogger(__name__)

FRONT_MATTER_FENCE = "---"
QUOTES = "\"'“”‘’«»„‟"
# A "sentence" with no letter or digit ("!!!", a row of quote marks, stray control characters) is no text.
WORDLESS = re.compile(r"[\W_]*")
# A wire dateline names the outlet when the front matter does not: "CHICAGO (AP) —",
# "KYIV, Ukraine (CNN) —", "LONDON (Reuters) -".
# A subheading has a few words and no sentence punctuation at its end.
SUBHEADING_WORDS = (3, 14)
SENTENCE_ENDS = frozenset(".!?…:;,\"'”’)]")
DATELINE = re.compile(r"^[A-Z][\w .,'’-]{0,60}?\s*\((?P<source>[A-Z][\w&. ]{0,30})\)\s*[—–-]")


def _lines(text: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """Yield (offset, line) for every line of ``text`` from ``start``, without the newline."""
    pos = start
    while pos <= len(text):
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        yield pos, text[pos:end]
        pos = end + 1


def parse_front_matter(text: str) -> tuple[dict[str, str], int]:
    """Return the front-matter fields and the offset where the article proper starts."""
    lines = _lines(text)
    first = next(lines, None)
    if first is None or first[1].strip().lstrip("\ufeff") != FRONT_MATTER_FENCE:
        return {}, 0
    fields: dict[str, str] = {}
    for offset, line in lines:
        if line.strip() == FRONT_MATTER_FENCE:
            return fields, offset + len(line) + 1
        key, sep, value = line.partition(":")
        if sep and key.strip():
            fields[key.strip().lower()] = value.strip()
    return {}, 0  # no closing fence: not front matter, read the file as plain text


def clean_headline(line: str) -> str:
    """The headline without surrounding whitespace and quote marks."""
    return line.strip().strip(QUOTES).strip()


def body_sentences(text: str, start: int) -> list[Sentence]:
    """Split the body (from ``start``) into sentences, paragraphs being lines; drop boilerplate."""
    sentences: list[Sentence] = []
    paragraph = 0
    for offset, line in _lines(text, start):
        if not line.strip() or is_subheading(line):
            continue
        for s, e in split_spans(line):
            piece = line[s:e]
            if WORDLESS.fullmatch(piece) is None and not is_boilerplate(piece):
                sentences.append(Sentence(len(sentences), offset + s, offset + e, piece, paragraph))
        paragraph += 1
    return sentences


def is_subheading(line: str) -> bool:
    """A title-case line without end punctuation inside the body ("Historic Climate Deal Adopted
    In Paris") heads a section; it is no sentence and quotes nobody."""
    text = line.strip().strip(QUOTES)
    words = text.split()
    if not SUBHEADING_WORDS[0] <= len(words) <= SUBHEADING_WORDS[1] or text[-1:] in SENTENCE_ENDS:
        return False
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return bool(long_words) and all(w[0].isupper() for w in long_words) and not text.isupper()


def is_headline(line: str, rest: str) -> bool:
    """The first line is the headline, unless it is the only text or plainly a paragraph.

    A paragraph ends in sentence punctuation and holds several sentences; a
    headline ("Putin vows to expel troops", "Will Kursk fall?") does not.
    """
    if not rest.strip():
        return False
    text = line.strip().strip(QUOTES)
    return not (text.endswith((".", "!", "?")) and len(split_spans(text)) > 1)


def attribute_safely(sentences: list[Sentence], source: str | None, path: Path) -> list[Speaker]:
    """Speakers for the sentences; should a rule ever fail on odd text, the article still loads.

    Its sentences are then credited to the article's own voice and the failure
    is logged, so one strange file can neither stop the bot nor vanish.
    """
    try:
        return attribute(sentences, source=source)
    except Exception:
        logger.exception("%s: speaker attribution failed; crediting every sentence to the article", path)
        return [replace(NARRATOR, name=source)] * len(sentences)


def headline_span(text: str) -> tuple[int, int] | None:
    """(start, end) of the headline line in ``text`` (front matter skipped), or None when the
    first line is body text (see :func:`is_headline`)."""
    _, start = parse_front_matter(text)
    for offset, line in _lines(text, start):
        if line.strip().strip("\ufeff"):
            if not is_headline(line, text[offset + len(line) + 1 :]):
                return None
            lead = len(line) - len(line.lstrip().lstrip("\ufeff").lstrip())
            return offset + lead, offset + len(line.rstrip())
    return None


def headline_sentence(article: Article) -> Sentence | None:
    """The article's headline as a sentence with the speaker it quotes ("Lynch: No outside
    influence on FBI probe"); index and paragraph -1 keep it apart from the body, which is
    what search and answers read."""
    span = headline_span(article.text)
    if span is None:
        return None
    text = article.text[span[0] : span[1]]
    speakers = [s.speaker for s in article.sentences]
    speaker = attribute_headline(clean_headline(text), article.sentences, speakers, article.source)
    return Sentence(-1, span[0], span[1], text, -1, speaker)


def parse_article(text: str, path: Path) -> Article:
    """Turn an article's text into an Article with attributed sentences."""
    meta, start = parse_front_matter(text)
    headline = ""
    span = headline_span(text)
    if span is not None:
        headline = clean_headline(text[span[0] : span[1]])
        newline = text.find("\n", span[1])
        start = newline + 1 if newline >= 0 else len(text) + 1
    sentences = body_sentences(text, start) if start <= len(text) else []
    if not sentences:
        raise CorpusError(f"{path}: the file has no article text; put a headline line, then the body")
    dateline = DATELINE.match(sentences[0].text)
    source = meta.get("source") or (dateline.group("source") if dateline else None)
    speakers = attribute_safely(sentences, source, path)
    sentences = [replace(s, speaker=sp) for s, sp in zip(sentences, speakers, strict=True)]
    return Article(
        path=path,
        title=meta.get("title") or headline or path.stem,
        text=text,
        sentences=tuple(sentences),
        source=source,
        url=meta.get("url") or None,
        published=meta.get("published") or meta.get("date") or None,
        meta=meta,
    )
