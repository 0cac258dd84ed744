"""Word lists for speaker attribution, read once from the data files in ``bot/rules/``.

The lists are data so that a reviewer can extend them without touching code (read by
``bot.rules``); this module turns them into look-up sets and inflects verbs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot import rules

VOWELS = frozenset("aeiou")
VERB_TAGS = frozenset({"inverts", "complement", "affirmative", "topic", "to", "charge", "as_it"})
"""The tags of speech_verbs.txt (its header says what each means)."""
FUNCTION_WORD_TAGS = frozenset({"block", "prep", "connective"})
GENDERS = frozenset({"female", "male"})
"""The tags of gendered_words.txt, given_names.txt and pronouns.txt."""
"""The tags of function_words.txt."""


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
    cue_lemmas: frozenset[str]
    past_forms: frozenset[str]  # "said", "warned": a verb, never a noun ("a warning", "the claims")
    inverting_forms: frozenset[str]
    complement_forms: frozenset[str]
    affirmative_forms: frozenset[str]
    topic_forms: frozenset[str]
    to_forms: frozenset[str]  # "pointed to the case"
    charge_forms: frozenset[str]  # "attacked Clinton as too cozy"
    as_it_forms: frozenset[str]  # "as Doe put it"
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
    prepositions: frozenset[str]
    connectives: frozenset[str]
    documents: frozenset[str]
    receiving_verbs: frozenset[str]  # "found a letter saying": the letter is not the finder's
    nominal_cues: dict[str, frozenset[str]]  # "claim" -> {"that", "to"}, plurals included
    light_verbs: frozenset[str]  # "made the point that"
    places: frozenset[str]  # "united states", "russia": a body, never "he" or "she"
    source_qualifiers: tuple[tuple[str, ...], ...]
    time_nouns: frozenset[str]
    time_leads: frozenset[str]
    unspoken_frames: frozenset[str]
    headline_labels: frozenset[str]
    evidence: frozenset[str]
    role_genders: dict[str, str]  # honorifics and role nouns -> "female" / "male"
    name_genders: dict[str, str]  # given names -> "female" / "male"
    pronoun_genders: dict[str, str]  # "he" -> "male", "she" -> "female"
    title_forms: frozenset[str]  # titles and their plurals ("governors", "secretaries"): one set test
    body_forms: frozenset[str]  # body nouns and their plurals

    def is_cue(self, word: str) -> bool:
        """A lowercase token that is some form of a speech verb ("vowed", "says")."""
        return word in self.cue_forms

    def is_title(self, word: str) -> bool:
        """A person's title or role noun, in any case ("Governor", "spokeswoman", "Dr.")."""
        return word in self.title_forms or word.lower() in self.title_forms  # most words come lowercase

    def is_honorific(self, word: str) -> bool:
        """ "Mr", "Dr.", "Sir": marks a person without being a role."""
        return word.lower() in self.honorifics

    def expand_title(self, word: str) -> str:
        """The full title an abbreviation stands for ("Gov." -> "Governor"), else the word."""
        full = self.title_expansions.get(word.lower())
        return full.capitalize() if full and word[:1].isupper() else full or word

    def is_body(self, word: str) -> bool:
        """A head noun of an organisation or group ("ministry", "officials")."""
        return word in self.body_forms or word.lower() in self.body_forms


def singular(word: str) -> str:
    """Crude singular for list look-ups: "companies" -> "company", "officials" -> "official"."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def with_plurals(words: frozenset[str]) -> frozenset[str]:
    """The words and every plural that :func:`singular` maps back to one of them, built once so
    that a look-up is one set test instead of a lower-casing and a singular per word."""
    plurals = {w + "s" for w in words if not w.endswith("s")}
    plurals |= {w[:-1] + "ies" for w in words if w.endswith("y") and len(w) > 2}
    return words | frozenset(p for p in plurals if singular(p) in words)


def _forms(lemma: str, row: rules.Row) -> set[str]:
    """Every form of a verb line: generated regular forms plus the listed irregular ones."""
    return inflect(lemma) | set(row.values)


def verb_forms(name: str, tags: frozenset[str] = frozenset()) -> dict[str, set[str]]:
    """Lemma -> all its forms, for a verb table (``speech_verbs.txt``, ``question_verbs.txt``)."""
    return {lemma: _forms(lemma, row) for lemma, row in rules.table(name, tags).items()}


def _genders(name: str) -> dict[str, str]:
    """word -> "female" / "male" from a file of ``word @female`` / ``word @male`` lines."""
    return {word: gender for word, row in rules.table(name, GENDERS).items() for gender in row.tags}


def _past(lemma: str, row: rules.Row) -> set[str]:
    """The past forms of a verb line: the regular -ed/-d/-ied form and listed irregular ones
    ("told", "wrote", "written"), not "-ing" or "-s" forms."""
    listed = {w for w in row.values if not w.endswith(("ing", "s"))}
    return {f for f in inflect(lemma) if f.endswith("ed") and f != lemma} | listed


def _tagged(verbs: dict[str, rules.Row], tag: str) -> frozenset[str]:
    """All forms of the verbs carrying ``tag`` in speech_verbs.txt."""
    return frozenset(f for lemma, row in verbs.items() if tag in row.tags for f in _forms(lemma, row))


def _nominal_cues() -> dict[str, frozenset[str]]:
    """Statement nouns of nominal_cues.txt, singular and plural, with the words that may follow them."""
    nouns = {noun: frozenset(row.values) for noun, row in rules.table("nominal_cues.txt").items()}
    return {form: nouns[singular(form)] for form in with_plurals(frozenset(nouns)) if singular(form) in nouns} | nouns


@cache
def lexicon() -> Lexicon:
    """Load every list once; the files are small and never change while running."""
    verbs = rules.table("speech_verbs.txt", VERB_TAGS)
    titles = rules.table("titles.txt", frozenset({"place"}))
    abbreviations = {abbr: row.values[0] for abbr, row in rules.table("title_abbreviations.txt").items()}
    honorifics = frozenset(rules.words("honorifics.txt"))
    bodies = rules.table("bodies.txt")
    function_words = rules.table("function_words.txt", FUNCTION_WORD_TAGS)
    times = rules.table("time_words.txt", frozenset({"lead"}))
    pronouns = rules.table("pronouns.txt", GENDERS)
    place_titles = frozenset(t for t, row in titles.items() if "place" in row.tags)
    all_titles = frozenset(titles) | frozenset(abbreviations) | honorifics
    return Lexicon(
        cue_forms=frozenset(f for lemma, row in verbs.items() for f in _forms(lemma, row)),
        cue_lemmas=frozenset(verbs),
        past_forms=frozenset(f for lemma, row in verbs.items() for f in _past(lemma, row)),
        inverting_forms=_tagged(verbs, "inverts"),
        complement_forms=_tagged(verbs, "complement"),
        affirmative_forms=_tagged(verbs, "affirmative"),
        topic_forms=_tagged(verbs, "topic"),
        to_forms=_tagged(verbs, "to"),
        charge_forms=_tagged(verbs, "charge"),
        as_it_forms=_tagged(verbs, "as_it"),
        titles=all_titles,
        place_titles=place_titles | frozenset(a for a, full in abbreviations.items() if full in place_titles),
        title_expansions=abbreviations,
        honorifics=honorifics,
        bodies=frozenset(bodies),
        body_kinds={word: row.values for word, row in bodies.items() if row.values},
        pronouns={word: row.values for word, row in pronouns.items()},
        verb_modifiers=frozenset(rules.words("verb_modifiers.txt")),
        passive_markers=frozenset(rules.words("passive_markers.txt")),
        function_words=frozenset(function_words),
        blocking_words=frozenset(w for w, row in function_words.items() if "block" in row.tags),
        prepositions=frozenset(w for w, row in function_words.items() if "prep" in row.tags),
        connectives=frozenset(w for w, row in function_words.items() if "connective" in row.tags),
        documents=frozenset(rules.words("documents.txt")),
        receiving_verbs=frozenset(rules.words("receiving_verbs.txt")),
        nominal_cues=_nominal_cues(),
        light_verbs=frozenset(rules.words("light_verbs.txt")),
        places=frozenset(rules.words("places.txt")) | frozenset(rules.mapping("demonyms.txt")),
        source_qualifiers=tuple(tuple(phrase.split()) for phrase in rules.words("source_qualifiers.txt")),
        time_nouns=frozenset(w for w, row in times.items() if "lead" not in row.tags),
        time_leads=frozenset(w for w, row in times.items() if "lead" in row.tags),
        unspoken_frames=frozenset(rules.words("unspoken_frames.txt")),
        headline_labels=frozenset(rules.words("headline_labels.txt")),
        evidence=frozenset(rules.words("evidence.txt")),
        role_genders=_genders("gendered_words.txt"),
        name_genders=_genders("given_names.txt"),
        pronoun_genders={word: gender for word, row in pronouns.items() for gender in row.tags},
        title_forms=with_plurals(all_titles),
        body_forms=with_plurals(frozenset(bodies)),
    )
