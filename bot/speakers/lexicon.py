"""Word lists for speaker attribution, read once from the data files in ``bot/rules/``.

The lists are data so that a reviewer can extend them without touching code; this
module only parses the simple ``word [tag ...]  # comment`` format and inflects verbs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"
VOWELS = frozenset("aeiou")


def read_table(name: str) -> dict[str, tuple[str, ...]]:
    """Map the first word of each data line to the rest of its words (its tags or forms)."""
    table: dict[str, tuple[str, ...]] = {}
    for line in (RULES_DIR / name).read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            table[words[0].lower()] = table.get(words[0].lower(), ()) + tuple(w.lower() for w in words[1:])
    return table


def read_phrases(name: str) -> tuple[tuple[str, ...], ...]:
    """Each data line as a lower-case word tuple, for multi-word phrases sharing a first word."""
    lines = (RULES_DIR / name).read_text(encoding="utf-8").splitlines()
    return tuple(tuple(words) for line in lines if (words := line.split("#", 1)[0].lower().split()))


def inflect(lemma: str) -> set[str]:
    """Regular English verb forms (base, -s, -ed, -ing), so the lexicon lists only lemmas."""
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        third = lemma + "es"
    elif lemma.endswith("y") and lemma[-2] not in VOWELS:
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    if lemma.endswith("e"):
        past, ing = lemma + "d", lemma[:-1] + "ing"
    elif lemma.endswith("y") and lemma[-2] not in VOWELS:
        past, ing = lemma[:-1] + "ied", lemma + "ing"
    else:
        past, ing = lemma + "ed", lemma + "ing"
    return {lemma, third, past, ing}


@dataclass(frozen=True)
class Lexicon:
    """All attribution word lists; build it with :func:`lexicon`."""

    cue_forms: frozenset[str]
    inverting_forms: frozenset[str]
    complement_forms: frozenset[str]
    affirmative_forms: frozenset[str]
    titles: frozenset[str]
    place_titles: frozenset[str]
    title_expansions: dict[str, str]
    honorifics: frozenset[str]
    bodies: frozenset[str]
    body_kinds: dict[str, tuple[str, ...]]
    pronouns: dict[str, tuple[str, ...]]
    verb_modifiers: frozenset[str]
    passive_markers: frozenset[str]
    function_words: frozenset[str]
    blocking_words: frozenset[str]
    documents: frozenset[str]
    source_qualifiers: tuple[tuple[str, ...], ...]

    def is_cue(self, word: str) -> bool:
        """A lowercase token that is some form of a speech verb ("vowed", "says")."""
        return word in self.cue_forms

    def is_title(self, word: str) -> bool:
        """A person's title or role noun, in any case ("Governor", "spokeswoman", "Dr.")."""
        return word.lower() in self.titles or singular(word.lower()) in self.titles

    def is_honorific(self, word: str) -> bool:
        """"Mr", "Dr.", "Sir": marks a person without being a role."""
        return word.lower() in self.honorifics

    def expand_title(self, word: str) -> str:
        """The full title an abbreviation stands for ("Gov." -> "Governor"), else the word."""
        full = self.title_expansions.get(word.lower())
        return full.capitalize() if full and word[:1].isupper() else full or word

    def is_body(self, word: str) -> bool:
        """A head noun of an organisation or group ("ministry", "officials")."""
        return word.lower() in self.bodies or singular(word.lower()) in self.bodies


def singular(word: str) -> str:
    """Crude singular for list look-ups: "companies" -> "company", "officials" -> "official"."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _forms(lemma: str, extra: tuple[str, ...]) -> set[str]:
    """Every form of a verb line: generated regular forms plus the listed ones (tags dropped)."""
    return inflect(lemma) | {w for w in extra if not w.startswith("@")}


def _tagged(verbs: dict[str, tuple[str, ...]], tag: str) -> frozenset[str]:
    """All forms of the verbs carrying ``tag`` in speech_verbs.txt."""
    return frozenset(f for lemma, extra in verbs.items() if tag in extra for f in _forms(lemma, extra))


@cache
def lexicon() -> Lexicon:
    """Load every list once; the files are small and never change while running."""
    verbs = read_table("speech_verbs.txt")
    titles = read_table("titles.txt")
    abbreviations = read_table("title_abbreviations.txt")
    honorifics = frozenset(read_table("honorifics.txt"))
    bodies = read_table("bodies.txt")
    words = read_table("function_words.txt")
    return Lexicon(
        cue_forms=frozenset(f for lemma, extra in verbs.items() for f in _forms(lemma, extra)),
        inverting_forms=_tagged(verbs, "@inverts"),
        complement_forms=_tagged(verbs, "@complement"),
        affirmative_forms=_tagged(verbs, "@affirmative"),
        titles=frozenset(titles) | frozenset(abbreviations) | honorifics,
        place_titles=frozenset(t for t, tags in titles.items() if "place" in tags)
        | frozenset(a for a, (full, *_) in abbreviations.items() if "place" in titles.get(full, ())),
        title_expansions={a: full for a, (full, *_) in abbreviations.items()},
        honorifics=honorifics,
        bodies=frozenset(bodies),
        body_kinds={word: tags for word, tags in bodies.items() if tags},
        pronouns=read_table("pronouns.txt"),
        verb_modifiers=frozenset(read_table("verb_modifiers.txt")),
        passive_markers=frozenset(read_table("passive_markers.txt")),
        function_words=frozenset(words),
        blocking_words=frozenset(w for w, tags in words.items() if "block" in tags),
        documents=frozenset(read_table("documents.txt")),
        source_qualifiers=read_phrases("source_qualifiers.txt"),
    )
