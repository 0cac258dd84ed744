"""Quotation spans and tokens for attribution.

Quoted words are never cue verbs or speakers, so each quotation becomes a single
``quote`` token; the rules then read only the article's own words around it.
Quotes may open in one sentence and close in a later one; the state is carried
between sentences and reset at a paragraph break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.speakers.lexicon import lexicon

# opening mark -> the marks that close it
LSQUO, RSQUO = "\u2018", "\u2019"  # typographic single quotes; RSQUO is also the apostrophe
QUOTE_PAIRS: dict[str, str] = {
    "“": '”"',
    '"': '"”',
    "«": "»",
    "„": "“”",
    LSQUO: RSQUO + "'",
    "'": "'" + RSQUO,
}
SINGLE_MARKS = frozenset(LSQUO + RSQUO + "'")
# Every quotation mark; two or more straight apostrophes are one mark, NYT's double quote,
# opening and closing alike (three in a row when it closes right after a single one).
QUOTE_MARK_RE = re.compile("''+|[" + re.escape("".join(QUOTE_PAIRS) + "\u201d\u00bb" + RSQUO) + "]")
APOSTROPHES = "'" + RSQUO
INVISIBLE = "\u00ad\u200b"  # a soft hyphen or a zero-width space inside a word ("Sil\u00adver")
WORD_RE = re.compile(
    r"\d+(?:[.,:]\d+)+"  # 4,000, 7.5 and 4:01 stay whole
    # al-Assad, O'Neill, U.S, Putin's, and the plural possessive: "Gates' work"
    rf"|[^\W_]+(?:[{APOSTROPHES}\-.&{INVISIBLE}]+[^\W_]+)*(?:[{APOSTROPHES}]s\b|(?<=s)[{APOSTROPHES}](?!\w))?"
    rf"|[{APOSTROPHES}]s\b|--+|\S"  # NYT's "--" is one dash
)
NAME_SUFFIXES = frozenset({"jr.", "sr.", "jr", "sr", "ii", "iii", "iv"})  # "Robert P. Ashley Jr. said"
PARTY_TAG_RE = re.compile(r"[DRI]-[A-Z][A-Za-z.]*\.$")  # AP: "Sen. Mitch McConnell, R-Ky., said"


@dataclass(frozen=True, slots=True)
class QuoteScan:
    """Where a sentence's quotations are, and whether a quotation is still open at its end."""

    spans: tuple[tuple[int, int], ...]
    open_at_end: str | None
    starts_inside: bool
    stray_close: bool = False


class Tok:
    """A word, a punctuation mark, or a whole quotation (``kind == "quote"``).

    A plain slotted class rather than a dataclass: attribution builds a few hundred
    thousand of these per second, and ``low`` and ``capitalised`` are read for every
    rule, so both are computed once here. Treat a token as immutable.
    """

    __slots__ = ("capitalised", "kind", "low", "start", "text")

    def __init__(self, text: str, start: int, kind: str) -> None:
        self.text = text
        self.start = start
        self.kind = kind
        self.low = text.lower()  # for list look-ups
        if "\u00ad" in self.low or "\u200b" in self.low:
            self.low = self.low.replace("\u00ad", "").replace("\u200b", "")
        self.capitalised = kind == "word" and text[:1].isupper()  # a name, a title or a sentence start

    def __repr__(self) -> str:
        return f"Tok({self.text!r}, {self.start}, {self.kind!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tok) and (self.text, self.start, self.kind) == (other.text, other.start, other.kind)

    def __hash__(self) -> int:
        return hash((self.text, self.start, self.kind))


def _is_single_opener(text: str, i: int) -> bool:
    """A single quote opens only at the start of a word (not the apostrophe in "don't")."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and after.isalnum()


def _is_single_closer(text: str, i: int) -> bool:
    """A single quote closes only after a word and before a non-letter ("safe,' she said")."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalpha()


def scan_quotes(text: str, open_mark: str | None = None) -> QuoteScan:
    """Find quoted spans; ``open_mark`` is the mark of a quotation carried from the last sentence.

    A closing mark with no opening one quotes the text before it; an opening mark never
    closed quotes the rest of the sentence and stays open for the next one. Two straight
    apostrophes are one double mark, as NYT writes them: ''We will win,'' said Doe.
    """
    spans: list[tuple[int, int]] = []
    start = 0 if open_mark else None
    last_end, stray = 0, False
    for mark in QUOTE_MARK_RE.finditer(text):  # only the marks, not every character
        i, width = mark.start(), len(mark.group())
        ch = '"' if width > 1 else text[i]  # a run of straight apostrophes is a double mark
        single = ch in SINGLE_MARKS
        if open_mark is not None and ch in QUOTE_PAIRS[open_mark]:
            if not (open_mark in SINGLE_MARKS and not _is_single_closer(text, i)):
                spans.append((start or 0, i + width))
                open_mark, start, last_end = None, None, i + width
        elif open_mark is None and ch in QUOTE_PAIRS and (not single or _is_single_opener(text, i)):
            open_mark, start = ch, i
        elif open_mark is None and ch in "”»" and not single:
            spans.append((last_end, i + 1))
            last_end, stray = i + 1, True
    if open_mark is not None:
        spans.append((start or 0, len(text)))
    starts_inside = bool(spans) and spans[0][0] == 0 and text[:1] not in QUOTE_PAIRS
    return QuoteScan(tuple(spans), open_mark, starts_inside, stray)


def tokenize(text: str, spans: tuple[tuple[int, int], ...] = ()) -> list[Tok]:
    """Split text into word and punctuation tokens, each quotation collapsed into one token.

    A possessive "'s" is its own token, so "Putin's claims" is not read as "Putin" + verb.
    """
    toks: list[Tok] = []
    pos = 0
    for q_start, q_end in [*spans, (len(text), len(text))]:
        toks.extend(_word_tokens(text[pos:q_start], pos))
        if q_end > q_start:
            toks.append(Tok(text[q_start:q_end], q_start, "quote"))
        pos = max(pos, q_end)
    return toks


def _word_tokens(chunk: str, offset: int) -> list[Tok]:
    """Word and punctuation tokens of unquoted text; a title's or initial's dot stays on it."""
    toks: list[Tok] = []
    absorbed = -1  # where the "." a word took ends; its own match is skipped
    for m in WORD_RE.finditer(chunk):
        at = m.start()
        if at < absorbed:
            continue
        word, start, end = m.group(), offset + at, m.end()
        if len(word) > 2 and word[-1] == "s" and word[-2] in APOSTROPHES:  # "Putin's"
            toks.append(Tok(word[:-2], start, "word"))
            toks.append(Tok(word[-2:], start + len(word) - 2, "poss"))
            continue
        if word[-1] in APOSTROPHES and len(word) > 2:  # "Gates' work", "the Democrats’ rules"
            toks.append(Tok(word[:-1], start, "word"))
            toks.append(Tok(word[-1], start + len(word) - 1, "poss"))
            continue
        if not word[0].isalnum():
            toks.append(Tok(word, start, "punct"))
            continue
        if end < len(chunk) and chunk[end] == "." and _keeps_dot(word + "."):
            word, absorbed = word + ".", end + 1
        toks.append(Tok(word, start, "word"))
    return toks


def _keeps_dot(word: str) -> bool:
    """Initials ("J."), abbreviated titles ("Gen.", "Dr."), "Jr." and AP party tags ("R-Ky.") keep their dot."""
    short = (len(word) == 2 and word[0].isupper()) or word.count(".") > 1
    listed = word.lower() in lexicon().titles or word.lower() in NAME_SUFFIXES
    return short or listed or bool(PARTY_TAG_RE.match(word))


def surname(name: str) -> str:
    """The last word of a name that is not a suffix: "Robert P. Ashley Jr." -> "Ashley"."""
    words = name.split()
    while len(words) > 1 and words[-1].lower() in NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else name
