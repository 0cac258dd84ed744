"""Text analysis: the one tokenizer for sentences and questions, as an object that saves beside its index.

An :class:`Analyzer` owns what turns text into index terms (stop words, demonyms, the
Snowball stemmer) and the caches that make it fast. Like bm25s' tokenizer and its
vocabulary, it is saved next to the index it built (``analyzer.json``), so an index read
back analyses questions exactly as it analysed its sentences, and needs no NLTK import
for any word it has already stemmed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import cache, lru_cache
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot import rules
from bot.search.stem_table import StemTable, pairs

__all__ = ["ANALYZER_FILE", "Analyzer", "analyze", "default_analyzer", "demonyms", "stop_words"]

ANALYZER_FILE = "analyzer.json"
FORMAT_VERSION = 1

# Typographic variants folded to one spelling before tokenising.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
# A word: letters/digits, possibly joined by hyphens, apostrophes, or the dot/comma of a number.
# No match contains whitespace, so a text's words are the words of its whitespace-separated chunks.
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:(?:[-']|(?<=\d)[.,](?=\d))[^\W_]+)*")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
_POSSESSIVE = re.compile(r"'s$|(?<=s)'$")
MAX_CACHED_CHUNKS = 500_000
"""Distinct chunks ("troops.", "Russia's") whose terms are kept; ~200 bytes each."""
MAX_CACHED_WORDS = 200_000
"""Distinct words whose term is kept."""


@cache
def stop_words() -> frozenset[str]:
    """The shipped stop-word list (``bot/rules/stopwords.txt``)."""
    return frozenset(rules.words("stopwords.txt"))


@cache
def demonyms() -> dict[str, str]:
    """Demonym -> place (``bot/rules/demonyms.txt``): "russian" -> "russia"."""
    return {form: place for place, forms in rules.mapping("demonyms.txt").items() for form in forms}


_SHIPPED_STOP_WORDS, _SHIPPED_DEMONYMS = stop_words, demonyms  # the constructor's arguments shadow the names


@cache
def _snowball() -> Any:
    """NLTK's English Snowball stemmer, imported on first use: ``import nltk`` alone takes 0.25-0.8 s."""
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


def _snowball_stem(word: str) -> str:
    return str(_snowball().stem(word))


@cache
def shared_stemmer() -> Callable[[str], str]:
    """Snowball with one memo for the whole process: for analyzers made afresh per batch of a parallel build
    (``bot.search.batch_index``), which each record the stems of their own batch but should not all run
    Snowball again on the same words."""
    return lru_cache(maxsize=None)(_snowball_stem)


def normalize(text: str) -> str:
    """NFKC, typographic folding and case folding (ASCII text skips what cannot change it)."""
    if text.isascii():  # ASCII is NFKC already; "`" is its only character to fold
        return (text.translate(_FOLD) if "`" in text else text).lower()
    return unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()


class _ChunkTerms(dict[str, tuple[str, ...]]):
    """Whitespace-separated chunk of normalised text -> its terms, computed once per distinct chunk.

    Running the word regex over a 130-character sentence costs ~6 us; looking
    up its ~20 chunks here costs ~1 us, and a corpus repeats most chunks.
    """

    def __init__(self, analyzer: Analyzer) -> None:
        super().__init__()
        self.word_terms = analyzer.word_terms

    def __missing__(self, chunk: str) -> tuple[str, ...]:
        if len(self) >= MAX_CACHED_CHUNKS:
            self.clear()
        terms = self[chunk] = tuple(chain.from_iterable(map(self.word_terms, _WORD.findall(chunk))))
        return terms


class Analyzer:
    """Text -> index terms: Unicode and case folding, possessives, demonyms, numbers, stems, stop words.

    ``Russia’s cross-border offensive`` -> ``["russia", "cross", "border", "crossbord", "offens"]``:
    curly quotes and dashes folded, case folded, possessives dropped, demonyms folded into their
    place (``Russian`` -> ``russia``), thousands separators removed (``1,000`` -> ``1000``),
    words stemmed with NLTK's Snowball stemmer, stop words and question filler removed. A
    hyphenated word yields its parts and, when they are all letters, the joined form too, so
    ``cross-border`` matches "cross border" and "crossborder".
    """

    def __init__(
        self,
        stop_words: Iterable[str] | None = None,
        demonyms: Mapping[str, str] | None = None,
        stems: Mapping[str, str] | None = None,
        *,
        stemmer: Callable[[str], str] = _snowball_stem,
    ) -> None:
        self.stop_words = frozenset(stop_words) if stop_words is not None else _SHIPPED_STOP_WORDS()
        self.demonyms = dict(demonyms) if demonyms is not None else _SHIPPED_DEMONYMS()
        self._saved: Mapping[str, str] = stems if isinstance(stems, StemTable) else {}
        """Stems packed read-only (a Xapian worker's, of its whole corpus): shared, not copied."""
        self._stems: dict[str, str] = {} if isinstance(stems, StemTable) else dict(stems or {})
        """Stems computed here, or given as a plain mapping (an index's ``analyzer.json``)."""
        self._stemmer = stemmer  # Snowball's English stems, computed here or memoised (shared_stemmer)
        self._terms: dict[str, str | None] = {}
        self.chunk_terms = _ChunkTerms(self)
        """Chunk -> terms; BM25Index's build looks chunks up here directly."""

    def analyze(self, text: str) -> list[str]:
        """The index terms of a text (a sentence or a question), in order, repeats kept."""
        return list(chain.from_iterable(map(self.chunk_terms.__getitem__, normalize(text).split())))

    __call__ = analyze

    def stem(self, word: str) -> str:
        """Snowball stem of a lowercase word, remembered (and saved with the analyzer)."""
        stem = self._stems.get(word)
        if stem is None:
            stem = self._saved.get(word)
        if stem is None:
            stem = self._stems[word] = self._stemmer(word)
        return stem

    def _has_stem(self, word: str) -> bool:
        return word in self._stems or word in self._saved

    @property
    def stems(self) -> Mapping[str, str]:
        """Every stem computed or loaded so far, in the order first needed: what :meth:`to_json` saves
        (a packed analyzer's table first, in word order)."""
        if not self._saved:
            return MappingProxyType(self._stems)
        return MappingProxyType(dict(chain(pairs(self._saved), self._stems.items())))

    def term(self, word: str) -> str | None:
        """One normalised word -> its index term, or None for a stop word."""
        try:
            return self._terms[word]
        except KeyError:
            pass
        if len(self._terms) >= MAX_CACHED_WORDS:
            self._terms.clear()
        term = self._terms[word] = self._term(word)
        return term

    def known_term(self, word: str) -> str | None:
        """:meth:`term` when it needs no new stem, else None: a look-up that never imports the stemmer.

        For callers that only compare words with terms already analysed (the re-ranker's word vectors),
        where loading NLTK (0.25-0.8 s) for a word no question or sentence has would cost a cold start.
        """
        if word in self._terms:
            return self._terms[word]
        plain = _POSSESSIVE.sub("", word).replace("'", "")
        if word in self.stop_words or not plain or plain in self.stop_words or plain[0].isdigit():
            return self.term(word)
        return self.term(word) if self._has_stem(self.demonyms.get(plain, plain)) else None

    def _term(self, word: str) -> str | None:
        if word in self.stop_words:
            return None
        word = _POSSESSIVE.sub("", word).replace("'", "")
        if not word or word in self.stop_words:
            return None
        if word[0].isdigit():
            return _THOUSANDS.sub("", word)
        return self.stem(self.demonyms.get(word, word))

    def word_terms(self, word: str) -> list[str]:
        """The terms of one matched word: an acronym, or the parts of a hyphenated word and their joined form."""
        if word.endswith("."):  # a dotted acronym: "U.S." -> "us", never a stop word
            return [word.replace(".", "")]
        terms: list[str] = []
        parts = word.split("-")
        if len(parts) > 1:
            terms.extend(t for p in parts if (t := self.term(p)))
            if not all(p.isalpha() for p in parts):
                return terms
            word = "".join(parts)
        if term := self.term(word):
            terms.append(term)
        return terms

    def to_json(self) -> str:
        """The analyzer as JSON: the stop words, demonyms and every stem computed so far."""
        data = {
            "format": FORMAT_VERSION,
            "stemmer": "snowball-english",
            "stop_words": sorted(self.stop_words),
            "demonyms": self.demonyms,
            "stems": dict(self.stems),
        }
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes, where: str = ANALYZER_FILE, *, packed: bool = False) -> Analyzer:
        """An analyzer from :meth:`to_json`'s JSON; ValueError (naming ``where``) when it is not one.

        ``packed``: its stems in a :class:`StemTable` (a Xapian worker's: its whole corpus's).
        """
        data = json.loads(text, object_pairs_hook=_shared_pairs)
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            raise ValueError(
                f"{where}: format {data.get('format') if isinstance(data, dict) else None!r}, expected {FORMAT_VERSION}"
            )
        stems = data["stems"]
        return cls(data["stop_words"], data["demonyms"], StemTable(stems.items()) if packed else stems)

    def learn(self, other: Analyzer) -> None:
        """Take in the stems another analyzer of the same rules computed (a shard's, when shards are merged)."""
        if other.stop_words != self.stop_words or other.demonyms != self.demonyms:
            raise ValueError("the analyzers were built from different rules (stop words or demonyms differ)")
        self.learn_stems(other.stems)

    def learn_stems(self, stems: Mapping[str, str]) -> None:
        """Take in stems an analyzer of the same rules computed, after the ones already known (the order
        of :attr:`stems` is the order of first need, as if this analyzer had met the words itself).

        A packed analyzer packs them in with its own: one table, not a dict of those it lacked.
        """
        if isinstance(self._saved, StemTable):
            self._saved = StemTable(chain(self._saved.pairs(), pairs(stems)))
            return
        known = self._stems
        known.update({word: stem for word, stem in stems.items() if word not in known})

    def save(self, directory: Path | str) -> None:
        """Write ``analyzer.json`` (:meth:`to_json`)."""
        (Path(directory) / ANALYZER_FILE).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path | str) -> Analyzer:
        """Read an analyzer written by :meth:`save`; ValueError when the file is not one."""
        return cls.from_json((Path(directory) / ANALYZER_FILE).read_text(encoding="utf-8"))


def _shared_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object with a value equal to its key stored as the key itself: most words are their own stem
    (56,560 of 64,343 in a 1M-sentence synthetic archive), and a worker holds every stem of its corpus."""
    return {key: key if value == key else value for key, value in pairs}


@cache
def default_analyzer() -> Analyzer:
    """The analyzer of the shipped rules, shared by every index built without one of its own."""
    return Analyzer()


def analyze(text: str) -> list[str]:
    """Text -> index terms with the shipped rules (see :class:`Analyzer`)."""
    return default_analyzer().analyze(text)
