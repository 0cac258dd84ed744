"""Split article text into sentences with character offsets.

Punkt (NLTK) makes the first cut, with parameters built here from the word lists in
``bot/rules/`` instead of a trained model, so nothing needs NLTK data at run time.
Short, ordered lists of named rules mend what Punkt gets wrong on news text,
pySBD-style: each rule is data with an example. Per line (a line break always ends
a sentence): MASK_RULES rewrite the text Punkt sees, Punkt splits, SPLIT_RULES cut
where it missed a boundary, JOIN_RULES glue back where it cut wrongly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

# Punkt's orthographic-context flags are module constants without a public alias.
from nltk.tokenize.punkt import _ORTHO_BEG_UC, _ORTHO_MID_LC, PunktParameters, PunktSentenceTokenizer

from bot.rules import words
from bot.speakers.lexicon import lexicon

__all__ = ["split", "split_spans"]

# Every line-break character that str.splitlines() knows: a sentence never crosses one.
_LINE = re.compile(r"[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    """Punkt with hand-written parameters, built once: abbreviations, collocations, starters."""
    params = PunktParameters()
    params.abbrev_types = set(words("abbreviations.txt"))
    params.collocations = {tuple(pair.split()) for pair in words("abbrev_collocations.txt")}
    for word in words("sentence_starters.txt"):
        # "Capitalised only at a sentence start, lowercase elsewhere": Punkt's orthographic
        # heuristic then reads a capitalised occurrence after an abbreviation or an
        # initial as the start of a new sentence ("in the U.S. He works").
        params.add_ortho_context(word.lower(), _ORTHO_BEG_UC | _ORTHO_MID_LC)
    return PunktSentenceTokenizer(params)


@dataclass(frozen=True, slots=True)
class MaskRule:
    """Before Punkt runs, overwrite each character of a match with ``char`` (offsets stay put)."""

    name: str
    pattern: re.Pattern[str]
    char: str


MASK_RULES: tuple[MaskRule, ...] = (
    # "the thing is . . . I didn't": Punkt sees three lone periods; "......" is one ellipsis.
    MaskRule("SpacedEllipsis", re.compile(r"\.(?: \.)+"), "."),
)


@dataclass(frozen=True, slots=True)
class SplitRule:
    """Cut a sentence where Punkt did not, at the whitespace matched by the group ``gap``."""

    name: str
    pattern: re.Pattern[str]


def _quoted_starter_pattern() -> re.Pattern[str]:
    """A period, then a quote or bracket opening on a word from ``sentence_starters.txt``."""
    # Punkt's orthographic check looks at the quote mark, not at the word after it.
    starters = "|".join(re.escape(word.capitalize()) for word in words("sentence_starters.txt"))
    return re.compile(rf"\.(?P<gap>\s+)(?=[\"\u201c\u2018(](?:{starters})\b)")


SPLIT_RULES: tuple[SplitRule, ...] = (
    # He lives in the U.S. “It is great,” he said. / in the U.S. (He moved in 2010.)
    SplitRule("AbbreviationThenQuotedStarter", _quoted_starter_pattern()),
)


@dataclass(frozen=True, slots=True)
class JoinRule:
    """Undo a Punkt break: the sentence before matches ``before``, the next one ``after``."""

    name: str
    before: re.Pattern[str]  # searched in the previous sentence (anchor it with $ or ^...$)
    after: re.Pattern[str]  # matched at the start of the next sentence


_CLOSERS = "\"'\u2019\u201d)\\]"  # closing quotes and brackets that may follow the end mark
_LOWERCASE_WORD = re.compile(r"[a-z]+\b")  # "she", not "iPhone" or "eBay"
_ANYTHING = re.compile(r"\S")


def _titles_pattern() -> re.Pattern[str]:
    """A sentence ending in a title from ``abbrev_titles.txt``, such as "... and Sen."."""
    # Capitalised only: "a sales rep. She ..." still splits, "Rep. Will Hurd" does not.
    titles = "|".join(re.escape(word.capitalize()) for word in words("abbrev_titles.txt"))
    return re.compile(rf"(?:^|[\s(\"'\u201c\u2018])(?:{titles})\.$")


def _initials_pattern() -> re.Pattern[str]:
    """A sentence ending in dotted initials ("J.B.", "A.J.") that Punkt does not list."""
    return re.compile(r"(?:^|[\s(\"'\u201c\u2018])(?:[A-Z]\.){2,}$")


def _name_after_initials_pattern() -> re.Pattern[str]:
    """A capitalised word that is not a sentence starter: a surname, not "He" or "The"."""
    # The same test Punkt's orthographic heuristic applies after a listed abbreviation,
    # so "in the U.S. He said" splits there and here alike.
    starters = "|".join(re.escape(word.capitalize()) for word in words("sentence_starters.txt"))
    return re.compile(rf"(?!(?:{starters})\b)[A-Z](?:\w|['\u2019]\w)")


def _speaker_then_cue_pattern() -> re.Pattern[str]:
    """A name and a speech verb, as after a quotation: "Maher replied.", "Mrs. Clinton asked"."""
    cues = "|".join(sorted(lexicon().cue_forms, key=len, reverse=True))  # speech_verbs.txt, inflected
    starters = "|".join(re.escape(word.capitalize()) for word in words("sentence_starters.txt"))
    name = r"[A-Z][\w.'\u2019-]*"
    # Not "The answer was no.": a sentence starter opens a new sentence, not a speaker's name.
    return re.compile(rf"(?!(?:{starters})\b){name}(?: {name}){{0,3}} (?:{cues})\b")


# Applied in this order to every pair of neighbouring sentences on a line.
JOIN_RULES: tuple[JoinRule, ...] = (
    # “Why?” she asked. / She works at Yahoo! in the accounting department.
    JoinRule("QuestionOrExclamationThenLowercase", re.compile(rf"[?!][{_CLOSERS}]*$"), _LOWERCASE_WORD),
    # “Why not?” Maher asked. / "We won!" Doe wrote on X: the quotation's speaker follows it.
    JoinRule("QuotedQuestionThenSpeaker", re.compile(rf"[?!][{_CLOSERS}]+$"), _speaker_then_cue_pattern()),
    # Sen. Ron Wyden (D-Ore.) said ...: Punkt ends a sentence at "Ore." inside the party tag.
    JoinRule("PartyTagInParentheses", re.compile(r"\([DRI]-[A-Z][\w.]*\.$"), re.compile(r"\)")),
    # He turned, "This is great." she said. / (He was an engineer.) at the / 10 pts. in the game
    JoinRule("PeriodThenLowercase", re.compile(rf"\.[{_CLOSERS}]*$"), _LOWERCASE_WORD),
    # 1. The first item. / 2.) The second item. / a. The first item: Punkt cuts after "1."
    JoinRule("ListMarker", re.compile(r"^(?:[\u2022\u2043*-]\s*)?(?:\d{1,3}|[a-zA-Z])\.\)?$"), _ANYTHING),
    # Rep. Will Hurd / Mr. He Lifeng: a title never ends a sentence, whatever comes next.
    JoinRule("TitleBeforeName", _titles_pattern(), _ANYTHING),
    # Illinois Gov. J.B. Pritzker / A.J. Smith: initials run into a surname, as Punkt
    # already does for one initial ("George W. Bush"); "the U.N. He said" still splits.
    JoinRule("InitialsBeforeName", _initials_pattern(), _name_after_initials_pattern()),
)


def _strip(line: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span so it neither starts nor ends with whitespace."""
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


def _cut(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Split spans wherever a split rule matches inside them."""
    pieces: list[tuple[int, int]] = []
    for start, end in spans:
        gaps = {match.span("gap") for rule in SPLIT_RULES for match in rule.pattern.finditer(line, start, end)}
        for gap_start, gap_end in sorted(gaps):
            pieces.append((start, gap_start))
            start = gap_end
        pieces.append((start, end))
    return pieces


def _join(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge neighbouring spans wherever a join rule fires."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            before, after = line[merged[-1][0] : merged[-1][1]], line[start:end]
            if any(rule.before.search(before) and rule.after.match(after) for rule in JOIN_RULES):
                merged[-1] = (merged[-1][0], end)
                continue
        merged.append((start, end))
    return merged


def _mask(line: str) -> str:
    """``line`` with every mask rule applied; same length, so Punkt's offsets fit ``line``."""
    for rule in MASK_RULES:
        line = rule.pattern.sub(_overwrite_with(rule.char), line)
    return line


def _overwrite_with(char: str) -> Callable[[re.Match[str]], str]:
    """A replacement that overwrites every character of a match with ``char``."""
    return lambda match: char * len(match.group())


def _split_line(line: str) -> list[tuple[int, int]]:
    """Sentence spans of one line, relative to the line."""
    spans = [_strip(line, start, end) for start, end in _tokenizer().span_tokenize(_mask(line))]
    return _join(line, _cut(line, [(start, end) for start, end in spans if start < end]))


def split_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence in ``text``; no span crosses a line break."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        offset = line.start()
        spans.extend((offset + start, offset + end) for start, end in _split_line(line.group()))
    return spans


def split(text: str) -> list[str]:
    """The sentences of ``text``, stripped, in order."""
    return [text[start:end] for start, end in split_spans(text)]
