"""Questions about a speaker: "What did Gladkov say?", "Who said that ...?", "Who is Miskov?".

Each question form is one named regex in :data:`PATTERNS`, tried in order; the verbs
come from the speech-verb lexicon, so a question can use any cue an article uses.
:func:`resolve_speaker` then finds the person or body in an article's roster by name,
surname or role words ("the governor of Belgorod").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from bot.search.analysis import default_analyzer
from bot.speakers import SpeakerSummary
from bot.speakers.lexicon import lexicon, verb_forms

__all__ = ["PATTERNS", "SpeakerQuestion", "parse_speaker_question", "resolve_speaker"]

QuestionKind = Literal["said", "who_said", "who_is"]
Stem = Callable[[str], str]
STOP = frozenset({"the", "a", "an", "of", "in", "on", "for", "to", "and", "at", "from", "about", "what", "who"})
ABOUT = r"(?:about|on|regarding|concerning|of|that)\s+"


@dataclass(frozen=True)
class SpeakerQuestion:
    """What a question asks: what someone ``said``, ``who_said`` something, or ``who_is`` someone.

    ``subject`` is the person or role as asked ("the governor of Belgorod"); ``rest`` is
    the topic left to rank sentences by ("nuclear plants").
    """

    kind: QuestionKind
    subject: str | None
    rest: str


@dataclass(frozen=True)
class QuestionPattern:
    """A named question form; its regex has optional groups ``subject``, ``lead`` and ``rest``."""

    name: str
    kind: QuestionKind
    regex: str


@cache
def _verbs() -> frozenset[str]:
    """Every speech and question verb form (single lowercase words)."""
    forms = set(lexicon().cue_forms)
    for extra in verb_forms("question_verbs.txt").values():
        forms |= extra
    return frozenset(forms)


AUX = r"(?:did|does|do|has|have|had|will|would|is|was)"
SUBJECT = r"(?P<subject>.+?)(?<!\bthe)(?<!\ba)(?<!\ban)"  # never ends on a determiner ("the state ...")
SAY = r"(?:said|says|say|told|tells|tell|stated|claimed|claims)"
TO = r"(?:\s+(?:have|has|had|want|wants|wanted|need|needs|needed|like|going)\s+to)?"  # "did Pence have to say"

# Order matters: the specific "who said that ..." before the generic "who <verb> ...".
PATTERNS: tuple[QuestionPattern, ...] = (
    # Who is Andrey Miskov? / Who is the acting head of the Kursk region?
    QuestionPattern("who_is", "who_is", r"who\s+(?:is|was|are|were)\s+(?P<subject>.+)"),
    # Who said that 11,000 residents were evacuated?
    QuestionPattern("who_said_that", "who_said", rf"who\s+(?:has\s+|had\s+)?{SAY}\s+(?:that\s+)?(?P<rest>.+)"),
    # Who announced the relocation of residents? (the verb is part of the topic)
    QuestionPattern("who_verb", "who_said", r"who\s+(?P<rest>\w+\s+.+)"),
    # According to Smirnov, how many settlements fell?
    QuestionPattern("according_to", "said", r"according\s+to\s+(?P<subject>[^,]+),\s*(?P<rest>.+)"),
    # How many settlements fell, according to Smirnov?
    QuestionPattern("ends_according_to", "said", r"(?P<rest>.+?),?\s+according\s+to\s+(?P<subject>[^,]+)"),
    # What was said by Putin?
    QuestionPattern("said_by", "said", r"what\s+(?:was|has\s+been|is\s+being)\s+(?:{verbs})\s+by\s+(?P<subject>.+)"),
    # What did Putin say about nuclear plants? / How many people did Smirnov say were advised to leave?
    QuestionPattern(
        "wh_did_x_say",
        "said",
        rf"(?:what|how|when|where|why|which)(?P<lead>.*?)\s+{AUX}\s+{SUBJECT}{TO}\s+(?:{{verbs}})\b\s*(?:{ABOUT})?"
        r"(?P<rest>.*)",
    ),
    # Has Russia denied the allegations?
    QuestionPattern("did_x_say", "said", rf"{AUX}\s+{SUBJECT}{TO}\s+(?:{{verbs}})\b\s*(?:{ABOUT})?(?P<rest>.*)"),
)


@lru_cache(maxsize=256)
def _compiled(verbs: frozenset[str]) -> tuple[tuple[QuestionPattern, re.Pattern[str]], ...]:
    """The table compiled with the verb forms given filled in, longest first.

    Only the forms that occur in a question are given (:func:`_verbs_in`): the pattern
    can match nothing else, and compiling all ~580 forms into three patterns took
    ~60 ms of every cold start.
    """
    alternation = "|".join(sorted(verbs, key=lambda v: (-len(v), v))) or "(?!)"
    return tuple((p, re.compile(p.regex.replace("{verbs}", alternation), re.IGNORECASE)) for p in PATTERNS)


def _verbs_in(text: str) -> frozenset[str]:
    """The verb forms among a text's words: a verb in a pattern stands after a space and ends at a word boundary,
    so it is one whole ``\\w+`` run of the text (case-folded, as ``re.IGNORECASE`` compares)."""
    return _verbs().intersection(re.findall(r"\w+", text.casefold()))


def parse_speaker_question(question: str) -> SpeakerQuestion | None:
    """The speaker question asked, or None for an ordinary question ("How far ...?")."""
    text = re.sub(r"\s+", " ", question).strip().rstrip("?!. ")
    for pattern, regex in _compiled(_verbs_in(text)):
        match = regex.fullmatch(text)
        if match:
            groups = match.groupdict()
            subject = (groups.get("subject") or "").strip() or None
            rest = " ".join(part.strip() for part in (groups.get("lead"), groups.get("rest")) if part and part.strip())
            return SpeakerQuestion(pattern.kind, subject, rest)
    return None


# ---- resolving a subject against an article's roster --------------------------------------


def _name_words(text: str) -> list[str]:
    """Words of a name or role, without possessive endings and punctuation."""
    return re.findall(r"[^\W_]+(?:-[^\W_]+)*", re.sub(r"['\u2019]s\b", "", text))


def resolve_speaker(subject: str, roster: Sequence[SpeakerSummary], stem: Stem | None = None) -> SpeakerSummary | None:
    """The roster entry ``subject`` names: full name, then surname or alias, then role words.

    ``stem`` is the index's own stemmer (its analyzer's), so resolving a name costs no second one.

    A name match needs every word of the subject in the name ("Putin married to" is none);
    a role match needs every capitalised word of the subject ("Belgorod") in the entry's
    name or role, so "the Ukrainian president" never picks the Russian one; a tie is None.
    """
    asked = [w for w in _name_words(subject) if w.lower() not in STOP]
    stem_lower = _lowercase(stem or default_analyzer().stem)
    if not asked:
        return None
    wanted = " ".join(asked).lower()
    exact = [s for s in roster if " ".join(_name_words(s.name)).lower() == wanted]
    if exact:
        return exact[0]
    # a role before the name, as in apposition: "London mayor Sadiq Khan", "the Ukrainian leader Zelensky"
    names = {" ".join(_name_words(s.name)).lower(): s for s in roster}
    for start in range(1, len(asked)):
        tail = asked[start:]
        if tail[0][0].isupper() and " ".join(tail).lower() in names:
            return names[" ".join(tail).lower()]
    by_name = _best_entry(
        roster,
        asked,
        lambda s: _name_words(s.name) + list(s.aliases),
        stem_lower,
        need_all_capitals=False,
        complete=True,
    )
    return by_name or _best_entry(
        roster, asked, lambda s: _name_words(f"{s.name} {s.role or ''}"), stem_lower, need_all_capitals=True
    )


def _lowercase(stem: Stem) -> Stem:
    return lambda word: stem(word.lower())


def _fits_role(asked: list[str], have: set[str], stem: Stem) -> bool:
    """Every capitalised word asked is there ("Belgorod"), and so is a lowercase one if any was
    asked ("governor"): a shared demonym alone does not make "the Ukrainian president"."""
    capitals = [w for w in asked if w[0].isupper()]
    lowercase = [w for w in asked if not w[0].isupper()]
    return all(stem(w) in have for w in capitals) and (not lowercase or any(stem(w) in have for w in lowercase))


def _best_entry(
    roster: Sequence[SpeakerSummary],
    asked: list[str],
    words_of: Callable[[SpeakerSummary], list[str]],
    stem: Stem,
    need_all_capitals: bool,
    complete: bool = False,
) -> SpeakerSummary | None:
    """The entry sharing most (stemmed) words with the subject; None on a tie or no overlap.

    ``complete``: every word asked but a title must be the entry's, so "Putin married to"
    is no name while "Gov. Gladkov" is.
    """
    scored = []
    for entry in roster:
        have = {stem(w) for w in words_of(entry)}
        if need_all_capitals and not _fits_role(asked, have, stem):
            continue
        score = sum(stem(w) in have for w in asked)
        untitled = [w for w in asked if not lexicon().is_title(w)]  # "Gov. Gladkov", "President Putin"
        if score and (not complete or all(stem(w) in have for w in untitled)):
            scored.append((score, entry))
    scored.sort(key=lambda pair: -pair[0])
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]
