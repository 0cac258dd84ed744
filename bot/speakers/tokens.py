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
DOUBLED_APOSTROPHE = "''"  # NYT's double quotation mark, opening and closing alike
APOSTROPHES = "'" + RSQUO
WORD_RE = re.compile(
    r"\d+(?:[.,]\d+)+"  # 4,000 and 7.5 stay whole
    rf"|[^\W_]+(?:[{APOSTROPHES}\-.&][^\W_]+)*(?:[{APOSTROPHES}]s\b)?"  # al-Assad, O'Neill, U.S, Putin's
    rf"|[{APOSTROPHES}]s\b|\S"
)
NAME_SUFFIXES = frozenset({"jr.", "sr.", "jr", "sr", "ii", "iii", "iv"})  # "Robert P. Ashley Jr. said"
PARTY_TAG_RE = re.compile(r"[DRI]-[A-Z][A-Za-z.]*\.$")  # AP: "Sen. Mitch McConnell, R-Ky., said"
POSSESSIVE_RE = re.compile(rf"^(.+?)([{APOSTROPHES}]s)$")


@dataclass(frozen=True, slots=True)
class QuoteScan:
    """Where a sentence's quotations are, and whether a quotation is still open at its end."""

    spans: tuple[tuple[int, int], ...]
    open_at_end: str | None
    starts_inside: bool
    stray_close: bool = False


@dataclass(frozen=True, slots=True)
class Tok:
    """A word, a punctuation mark, or a whole quotation (``kind == "quote"``)."""

    text: str
    start: int
    kind: str

    @property
    def low(self) -> str:
        """Lower-cased text, for list look-ups."""
        return self.text.lower()

    @property
    def capitalised(self) -> bool:
        """Starts with a capital letter: a name, a title or a sentence start."""
        return self.kind == "word" and self.text[:1].isupper()


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
    i, length = 0, len(text)
    while i < length:
        ch, width = text[i], 1
        if ch == "'" and text.startswith(DOUBLED_APOSTROPHE, i):
            ch, width = '"', _apostrophe_run(text, i)
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
        i += width
    if open_mark is not None:
        spans.append((start or 0, len(text)))
    starts_inside = bool(spans) and spans[0][0] == 0 and text[:1] not in QUOTE_PAIRS
    return QuoteScan(tuple(spans), open_mark, starts_inside, stray)


def _apostrophe_run(text: str, i: int) -> int:
    """Length of the run of straight apostrophes at ``i``: a double mark closing right after
    a single one is three in a row (''They said 'no,''' he said)."""
    j = i
    while j < len(text) and text[j] == "'":
        j += 1
    return j - i


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
    for m in WORD_RE.finditer(chunk):
        word, start = m.group(), offset + m.start()
        poss = POSSESSIVE_RE.match(word) if len(word) > 2 else None
        if poss:
            toks.append(Tok(poss.group(1), start, "word"))
            toks.append(Tok(poss.group(2), start + len(poss.group(1)), "poss"))
            continue
        kind = "word" if word[0].isalnum() else "punct"
        if kind == "word" and m.end() < len(chunk) and chunk[m.end()] == "." and _keeps_dot(word + "."):
            word += "."
        toks.append(Tok(word, start, kind))
    return _merge_dots(toks)


def _keeps_dot(word: str) -> bool:
    """Initials ("J."), abbreviated titles ("Gen.", "Dr."), "Jr." and AP party tags ("R-Ky.") keep their dot."""
    short = (len(word) == 2 and word[0].isupper()) or word.count(".") > 1
    listed = word.lower() in lexicon().titles or word.lower() in NAME_SUFFIXES
    return short or listed or bool(PARTY_TAG_RE.match(word))


def _merge_dots(toks: list[Tok]) -> list[Tok]:
    """Drop the separate "." token left behind when a word absorbed its dot."""
    out: list[Tok] = []
    for tok in toks:
        absorbed = out and out[-1].text.endswith(".") and out[-1].start + len(out[-1].text) > tok.start
        if tok.text == "." and absorbed:
            continue
        out.append(tok)
    return out


def surname(name: str) -> str:
    """The last word of a name that is not a suffix: "Robert P. Ashley Jr." -> "Ashley"."""
    words = name.split()
    while len(words) > 1 and words[-1].lower() in NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else name
