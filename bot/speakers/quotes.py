"""Quotations across an article: which sentences share one quotation, which are only a quote.

A quotation may run over several sentences ("“We will fight. We will win,” she said.")
and, AP style, over paragraphs whose last has no closing mark but whose next opens
again. An opening mark never closed is a typo: such sentences are also read as if
the mark were absent, so its attribution is not lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.records import Sentence
from bot.speakers.tokens import QUOTE_PAIRS, QuoteScan, Tok, scan_quotes, tokenize

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class QuoteLayout:
    """Per-sentence quote facts, index-aligned with the article's sentences."""

    spans: list[Spans]
    group: list[int]
    paragraph: list[int]
    has_quote: list[bool]
    quoted: list[bool]
    only_quote: list[bool]
    unclosed: list[bool]  # an opening mark never closed, or a closing mark never opened
    toks: list[list[Tok]]  # each sentence's tokens with its quotations collapsed (the first reading)

    def readings(self, k: int) -> list[Spans]:
        """Ways to read sentence ``k``: with its quotes masked, then (if unbalanced) unmasked."""
        return [self.spans[k], ()] if self.unclosed[k] else [self.spans[k]]


def layout_quotes(sentences: Sequence[Sentence]) -> QuoteLayout:
    """Scan quotes sentence by sentence, carrying an open quotation within a paragraph."""
    scans: list[QuoteScan] = []
    group: list[int] = []
    open_mark: str | None = None
    for k, s in enumerate(sentences):
        new_paragraph = k > 0 and s.paragraph != sentences[k - 1].paragraph
        carried = open_mark is not None and not new_paragraph
        continues = open_mark is not None and new_paragraph and s.text.lstrip()[:1] in QUOTE_PAIRS
        scan = scan_quotes(s.text, open_mark if carried else None)
        group.append(group[-1] if k and (carried or continues) else k)
        scans.append(scan)
        open_mark = scan.open_at_end
    unclosed_groups = {group[k] for k, scan in enumerate(scans) if scan.open_at_end and _ends_group(group, k)}
    sizes = Counter(group)
    toks = [tokenize(s.text, scan.spans) for s, scan in zip(sentences, scans, strict=True)]
    return QuoteLayout(
        spans=[scan.spans for scan in scans],
        group=group,
        paragraph=[s.paragraph for s in sentences],
        has_quote=[_has_quotation(s.text, scan.spans) for s, scan in zip(sentences, scans, strict=True)],
        quoted=[sizes[g] > 1 and bool(scan.spans) for g, scan in zip(group, scans, strict=True)],
        only_quote=[bool(scan.spans) and _only_quote(t) for scan, t in zip(scans, toks, strict=True)],
        unclosed=[g in unclosed_groups or scan.stray_close for g, scan in zip(group, scans, strict=True)],
        toks=toks,
    )


def _ends_group(group: list[int], k: int) -> bool:
    """Sentence ``k`` is the last of its quote group (nothing later continues the quotation)."""
    return k + 1 == len(group) or group[k + 1] != group[k]


def _has_quotation(text: str, spans: Spans) -> bool:
    """A quotation of at least two words (a single quoted word is a scare quote, not speech)."""
    return any(" " in text[a:b].strip() for a, b in spans)


def _only_quote(toks: list[Tok]) -> bool:
    """The sentence is nothing but quoted words and punctuation ("“We are ready.”")."""
    return all(t.kind in ("quote", "punct") for t in toks)
