"""Cue rules: at a cue word ("said", "according to"), find the phrase naming who speaks.

Each rule is one function per phenomenon, tried in the order of :data:`CUE_RULES` at every
cue word of a sentence, left to right; the first that finds a speaker phrase wins, and its
name is recorded in ``Speaker.rule``. Quotations are single tokens here (``bot.speakers.tokens``),
so the rules read only the article's own words around them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.speakers.lexicon import lexicon
from bot.speakers.phrases import (
    DETERMINERS,
    Mention,
    appositive_after,
    appositive_before,
    is_name_word,
    mention_of,
    phrase_after,
    phrase_before,
    role_of_appositive,
    span_text,
)
from bot.speakers.tokens import Tok

__all__ = ["CUE_RULES", "SUBJECT_OPENERS", "Clause", "CueMatch", "CueRule", "first_cue_match", "with_appositive_after"]


@dataclass(frozen=True, slots=True)
class Clause:
    """A sentence's own words (quotations collapsed into single tokens)."""

    text: str
    toks: list[Tok]


@dataclass(frozen=True, slots=True)
class CueMatch:
    """What a cue rule found: the speaker phrase, the cue as written, and the rule's name."""

    mention: Mention
    cue: str
    rule: str


@dataclass(frozen=True, slots=True)
class CueRule:
    """A named rule tried at a cue word: returns the speaker phrase and cue, or None."""

    name: str
    find: Callable[[Clause, int], tuple[Mention, str] | None]


# ---- cue rules: one function per phenomenon -------------------------------------------


def quote_then_cue_name(c: Clause, i: int) -> tuple[Mention, str] | None:
    """Cue before its speaker, after a quote or comma: "“We will win,” said Jane Doe, a spokeswoman."."""
    cue = c.toks[i]
    if i == 0 or cue.low not in lexicon().inverting_forms or not _after_quote_or_comma(c.toks[i - 1]):
        return None
    if i + 1 < len(c.toks) and c.toks[i + 1].low in lexicon().pronouns:
        # "..., said he." inverts; "..., said it was checked." is the cue's own clause.
        if i + 2 < len(c.toks) and _continues_clause(c.toks[i + 2]):
            return None
        return Mention(c.toks[i + 1].low, None, "pronoun"), cue.text
    end = phrase_after(c.toks, i + 1)
    if end is None or (end < len(c.toks) and _continues_clause(c.toks[end])):
        return None
    mention = mention_of(c.text, c.toks[i + 1 : end])
    return (with_appositive_after(c, mention, end), cue.text) if mention else None


def role_then_name_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """Role first, the name in the appositive: "His lawyer, Rebecca Stahl, argued ...",
    "The No. 2 Senate Democrat, Sen. Dick Durbin of Illinois, said ..."."""
    end = _subject_end(c, i)
    if end is None or end == 0 or c.toks[end - 1].text != ",":
        return None
    span = appositive_before(c.toks, end - 1)
    if span is None or phrase_after(c.toks, span[0]) != span[1]:
        return None
    mention = mention_of(c.text, c.toks[span[0] : span[1]])
    if mention is None or mention.kind != "person" or len(mention.name.split()) < 2:
        return None
    role = _role_chunk(c, span[0] - 1)
    if role is None:
        return None
    return Mention(mention.name, mention.role or role, "person"), c.toks[i].text


def subject_appositive_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """Speaker, appositive role, cue: "Aleksey Smirnov, the acting head of the Kursk region, informed ...";
    several appositives may stand in a row: "Margaret Hill, 78, who has used it for years, told ..."."""
    end = _subject_end(c, i)
    if end is None or end == 0 or c.toks[end - 1].text != ",":
        return None
    comma, role, start = end - 1, None, None
    for _ in range(MAX_APPOSITIVES):
        span = appositive_before(c.toks, comma)
        if span is None:
            return None
        role = role or role_of_appositive(c.text, c.toks[span[0] : span[1]])
        comma = span[0] - 1
        start = phrase_before(c.toks, comma)
        if start is not None:
            break
    if start is None or _blocked(c, start):
        return None
    mention = mention_of(c.text, c.toks[start:comma])
    if mention is None or mention.kind == "pronoun":
        return None
    return Mention(mention.name, mention.role or role, mention.kind, mention.definite), c.toks[i].text


def subject_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """Speaker phrase, then the cue: "Russian President Vladimir Putin has vowed ...", "He added ..."."""
    end = _subject_end(c, i)
    if end is None or end == 0:
        return None
    before = c.toks[end - 1]
    if before.low in lexicon().pronouns and (end == 1 or not is_name_word(c.toks[end - 2])):
        return None if _blocked(c, end - 1) else (Mention(before.low, None, "pronoun"), c.toks[i].text)
    start = phrase_before(c.toks, end)
    if start is None or _blocked(c, start):
        return None
    mention = mention_of(c.text, c.toks[start:end])
    return (mention, c.toks[i].text) if mention else None


def qualified_subject_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """An unnamed source hidden by a reduced relative clause:
    "Two people familiar with the matter told Reuters ..." credits "Two people"."""
    end = _subject_end(c, i)
    if end is None:
        return None
    for k in range(end - 1, max(end - QUALIFIER_WINDOW, 0) - 1, -1):
        if c.toks[k].kind != "word":
            return None
        if not _qualifier_at(c.toks, k, end):
            continue
        start = phrase_before(c.toks, k)
        if start is None or _blocked(c, start):
            return None
        mention = mention_of(c.text, c.toks[start:k])
        return (mention, c.toks[i].text) if mention and mention.kind in ("person", "body") else None
    return None


def according_to(c: Clause, i: int) -> tuple[Mention, str] | None:
    """Attribution by "according to": "... were evacuated, according to the regional governor."."""
    if c.toks[i].low != "according" or i + 1 >= len(c.toks) or c.toks[i + 1].low != "to":
        return None
    start = _past_document(c.toks, i + 2)
    end = phrase_after(c.toks, start)
    mention = mention_of(c.text, c.toks[start:end]) if end else None
    cue = c.text[c.toks[i].start : c.toks[i + 1].start + 2]
    return (with_appositive_after(c, mention, end), cue) if mention and end else None


def participle_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """A trailing "-ing" cue credits the main clause's subject:
    "The ministry issued a statement on Monday, saying the talks had failed."."""
    if not (c.toks[i].low.endswith("ing") and i > 0 and c.toks[i - 1].text == ","):
        return None
    if c.toks[i].low == "according":  # ", according to X" names X, not the main clause's subject
        return None
    start = _main_clause_start(c.toks, i)
    end = phrase_after(c.toks, start) if start is not None else None
    if end is None or end >= i or not _is_finite_verb_like(c.toks[end]):
        return None
    mention = mention_of(c.text, c.toks[start:end])
    return (mention, c.toks[i].text) if mention else None


# Order matters: the inverted form is checked before a subject phrase, and an appositive
# subject before a plain one, so "Smirnov, the acting head, informed" keeps its role.
CUE_RULES: tuple[CueRule, ...] = (
    CueRule("quote_then_cue_name", quote_then_cue_name),
    CueRule("role_then_name_cue", role_then_name_cue),
    CueRule("subject_appositive_cue", subject_appositive_cue),
    CueRule("subject_cue", subject_cue),
    CueRule("qualified_subject_cue", qualified_subject_cue),
    CueRule("according_to", according_to),
    CueRule("participle_cue", participle_cue),
)

# A cue tagged @complement needs one of these within a few words: "noted THAT", "asked WHETHER".
COMPLEMENTISERS = frozenset({"that", "whether", "if"})
COMPLEMENT_WINDOW = 4

# Appositives in a row between a speaker and the cue: "Hill, 78, who lives nearby, said".
MAX_APPOSITIVES = 3
# How far back from the cue a source qualifier may start: "people familiar with the matter told".
QUALIFIER_WINDOW = 8
QUALIFIER_OBJECT = 3
# A role chunk before a name appositive: at most this many tokens, opening with one of
# these words or holding a title ("His lawyer, Rebecca Stahl, said").
MAX_ROLE_CHUNK = 8
ROLE_OPENERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "our", "my"})

# Tokens after which a name opens its clause: the sentence start, a dateline dash, a comma
# after an introductory phrase ("On Monday, Mayor Ed Lin met ...").
SUBJECT_OPENERS = frozenset({",", "\u2014", "\u2013", "-", ":"})

# Words that may follow an inverted speaker phrase: "..., said Doe in a statement on Monday."
AFTER_INVERSION = frozenset({"in", "on", "at", "during", "after", "before", "to", "from", "via", "when"})


# ---- helpers of the cue rules ---------------------------------------------------------


def _after_quote_or_comma(tok: Tok) -> bool:
    """The word before an inverted cue: a quotation or a comma ("...,” said Doe" / "..., said Doe")."""
    return tok.kind == "quote" or tok.text == ","


def _continues_clause(tok: Tok) -> bool:
    """After "said the ministry", a word other than a preposition means the phrase was an object."""
    return tok.kind == "word" and tok.low not in AFTER_INVERSION


NEGATIONS = frozenset({"not", "never", "n't"})


def _subject_end(c: Clause, i: int) -> int | None:
    """Index just after the subject of the cue at ``i``, skipping "has", "also", "consistently".

    None when the cue is not a finite verb here: passive ("was revealed", "has been
    accused"), a bare participle ("..., emphasizing the need") or capitalised.
    """
    lex = lexicon()
    cue = c.toks[i]
    if not cue.text.islower():
        return None
    j, passive, negated = i, False, False
    while j > 0 and _is_verb_modifier(c.toks[j - 1]):
        passive = passive or c.toks[j - 1].low in lex.passive_markers
        negated = negated or c.toks[j - 1].low in NEGATIONS
        j -= 1
    progressive = cue.low.endswith("ing")
    if (passive and not progressive) or (progressive and not passive):
        return None
    if negated and cue.low in lex.affirmative_forms:
        return None  # "did not respond to a request for comment": silence, not a statement
    return j


def _is_verb_modifier(tok: Tok) -> bool:
    """An auxiliary, adverb or form of "be" between subject and cue."""
    lex = lexicon()
    adverb = tok.low.endswith("ly") and len(tok.low) > 3
    auxiliary = tok.low in lex.verb_modifiers or tok.low in lex.passive_markers
    return tok.kind == "word" and tok.text.islower() and (auxiliary or adverb)


def _role_chunk(c: Clause, comma: int) -> str | None:
    """The role words before a name appositive ("His lawyer" -> "lawyer", "The No. 2 Senate
    Democrat" -> "No. 2 Senate Democrat"), from the clause start; None if they are no role."""
    start = comma
    while start > 0 and comma - start < MAX_ROLE_CHUNK:
        tok = c.toks[start - 1]
        if not (tok.kind in ("word", "poss") or tok.text == "."):
            break
        start -= 1
    chunk = c.toks[start:comma]
    if not chunk or comma - start >= MAX_ROLE_CHUNK or (start > 0 and c.toks[start - 1].kind == "quote"):
        return None
    lex = lexicon()
    opens = chunk[0].low in ROLE_OPENERS
    if not (opens or any(lex.is_title(t.text) for t in chunk)) or any(lex.is_cue(t.low) for t in chunk):
        return None
    words = chunk[1:] if opens else chunk
    return span_text(c.text, words) if words else None


def _qualifier_at(toks: list[Tok], k: int, end: int) -> bool:
    """A source qualifier from ``source_qualifiers.txt`` starts at ``k`` and its object, a short
    noun phrase, runs to ``end`` ("familiar with | the matter"; not "with the deal declined to")."""
    lex = lexicon()
    for q in lex.source_qualifiers:
        obj = toks[k + len(q) : end]
        if [t.low for t in toks[k : k + len(q)]] != list(q) or not 0 < len(obj) <= QUALIFIER_OBJECT:
            continue
        if all(t.low in ROLE_OPENERS or (t.low not in lex.function_words and not lex.is_cue(t.low)) for t in obj):
            return True
    return False


def _past_document(toks: list[Tok], k: int) -> int:
    """Skip "a statement from" in "according to a statement from the ministry": the body speaks."""
    doc = k + (k < len(toks) and toks[k].low in DETERMINERS)
    is_document = doc + 1 < len(toks) and toks[doc].low in lexicon().documents
    if is_document and toks[doc + 1].low in ("from", "by", "of"):
        return doc + 2
    return k


def _main_clause_start(toks: list[Tok], stop: int) -> int | None:
    """Where the main clause's subject starts: the sentence start, or after an introductory
    phrase and its comma ("On Monday, the ministry ...")."""
    if is_name_word(toks[0]) or toks[0].low in DETERMINERS:
        return 0
    comma = next((k for k in range(stop) if toks[k].text == ","), None)
    return comma + 1 if comma is not None and comma + 1 < stop else None


def _is_finite_verb_like(tok: Tok) -> bool:
    """The word after a subject looks like its verb: lowercase and not a function word."""
    lex = lexicon()
    return (
        tok.kind == "word"
        and tok.text.islower()
        and (tok.low not in lex.function_words or tok.low in lex.verb_modifiers or tok.low in lex.passive_markers)
    )


def _blocked(c: Clause, start: int) -> bool:
    """A subject right after "after", "because", "if"... sits in a subordinate clause."""
    return start > 0 and c.toks[start - 1].low in lexicon().blocking_words


def with_appositive_after(c: Clause, mention: Mention, end: int) -> Mention:
    """Take the role from a following appositive: "said Jane Doe, a spokeswoman for the agency";
    a rank before the name keeps its place: "Sgt. Maria Gomez, a police spokeswoman" ->
    "Sergeant, police spokeswoman"."""
    if end >= len(c.toks) or c.toks[end].text != ",":
        return mention
    start, stop = appositive_after(c.toks, end)
    role = role_of_appositive(c.text, c.toks[start:stop])
    if role and mention.role:
        role = f"{mention.role}, {role}"
    return Mention(mention.name, role, mention.kind, mention.definite) if role else mention


def _has_complement(toks: list[Tok], i: int) -> bool:
    """A clause follows the cue ("added that", "posted on X:"), or the cue ends its clause
    ("..., he added.")."""
    after = toks[i + 1 : i + 1 + COMPLEMENT_WINDOW]
    if not after or (after[0].kind == "punct" and after[0].text != ":"):
        return True
    return any(t.low in COMPLEMENTISERS or t.kind == "quote" or t.text == ":" for t in after)


def first_cue_match(clause: Clause) -> CueMatch | None:
    """Try every rule at every cue word, left to right; the first match wins."""
    lex = lexicon()
    for i, tok in enumerate(clause.toks):
        if tok.kind != "word" or not (lex.is_cue(tok.low) or tok.low == "according"):
            continue
        if tok.low in lex.complement_forms and not _has_complement(clause.toks, i):
            continue
        for rule in CUE_RULES:
            found = rule.find(clause, i)
            if found:
                return CueMatch(found[0], found[1], rule.name)
    return None
