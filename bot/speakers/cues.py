"""Cue rules: at a cue word ("said", "according to"), find the phrase naming who speaks.

Each rule is one function per phenomenon, tried in the order of :data:`CUE_RULES` at every
cue word of a sentence, left to right; the first that finds a speaker phrase wins, and its
name is recorded in ``Speaker.rule``. Quotations are single tokens here (``bot.speakers.tokens``),
so the rules read only the article's own words around them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.speakers.lexicon import lexicon, singular
from bot.speakers.phrases import (
    DETERMINERS,
    NAME_LINKS,
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
    """A sentence's own words (quotations collapsed into single tokens).

    ``subordinate`` lets a speaker inside a subordinate clause count ("..., after the Times
    reported that ..."): tried only when the sentence has no speaker of its own.
    """

    text: str
    toks: list[Tok]
    subordinate: bool = False


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
    """Cue before its speaker, after a quote or comma: "“We will win,” said Jane Doe, a spokeswoman.",
    or opening a sentence that quotes: "Said Ana Ruiz, a nurse: “We are exhausted.”"."""
    cue = c.toks[i]
    if cue.low not in lexicon().inverting_forms:
        return None
    opening = i == 0 and cue.capitalised and any(t.kind == "quote" for t in c.toks)
    if not (opening or (i > 0 and _after_quote_or_comma(c.toks[i - 1]))):
        return None
    if i + 1 < len(c.toks) and c.toks[i + 1].low in lexicon().pronouns:
        # "..., said he." inverts; "..., said it was checked." is the cue's own clause.
        if i + 2 < len(c.toks) and _continues_clause(c.toks[i + 2]):
            return None
        return Mention(c.toks[i + 1].low, None, "pronoun"), cue.text
    if i + 1 < len(c.toks) and c.toks[i + 1].low in lexicon().time_nouns:
        return None  # "Donald Trump, tweeted Sunday": a day after the cue is no speaker
    if i + 1 < len(c.toks) and c.toks[i + 1].text in NAME_LINKS:
        return None  # "..., Mr. Guerrero said of Mr. Trump": whom the words are about
    end = phrase_after(c.toks, i + 1)
    if end is None and _adjective_before_name(c.toks, i + 1):
        end = phrase_after(c.toks, i + 3)  # "said a senior | White House official"
    if end is None or (end < len(c.toks) and _continues_clause(c.toks[end])):
        return None
    if end < len(c.toks) and c.toks[end].kind == "poss":
        return None  # "..., said Clinton's acceptance of donations was ...": the object's owner
    mention = mention_of(c.text, c.toks[i + 1 : end])
    return (with_appositive_after(c, mention, end), cue.text) if mention else None


def coordinated_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """A cue verb sharing the subject of an earlier verb: "Mayor Ed Lin cut the ribbon and
    said the bridge was safe", "Doe called the plan “reckless,” warned of costs ..."."""
    cue = c.toks[i]
    if i == 0 or not cue.text.islower() or cue.low.endswith("ing") or cue.low in lexicon().cue_lemmas:
        return None  # "and call centers": a bare lemma after "and" is no finite verb of a third person
    j = i
    while j > 1 and _is_verb_modifier(c.toks[j - 1]):  # "... but has since said"
        j -= 1
    if not (c.toks[j - 1].low in COORDINATORS or c.toks[j - 1].kind == "quote"):
        return None
    mention = _main_subject(c, j - 1)
    return (mention, cue.text) if mention and mention.kind != "pronoun" else None


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
    pair = mention is not None and " and " in mention.name  # "two members, Ana Ruiz and Tom Hale,"
    if mention is None or not (mention.kind == "person" or pair) or len(mention.name.split()) < 2:
        return None
    if any(lexicon().is_title(word) for word in mention.name.split()):
        return None  # ", the Democratic presidential nominee," describes; it names nobody
    role = _role_chunk(c, span[0] - 1)
    if role is None:
        return None
    return replace(mention, role=mention.role or role, kind="body" if pair else "person"), c.toks[i].text


def subject_appositive_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """Speaker, appositive role, cue: "Aleksey Smirnov, the acting head of the Kursk region, informed ...";
    several appositives may stand in a row: "Margaret Hill, 78, who has used it for years, told ..."."""
    end = _subject_end(c, i)
    if end is None or end == 0 or not _is_comma(c.toks[end - 1]):  # also 'host of “Morning Joe,”'
        return None
    comma, role, start, stop = end - 1, None, None, end - 1
    for _ in range(MAX_APPOSITIVES):
        span = appositive_before(c.toks, comma)
        if span is None:
            return None
        role = role or role_of_appositive(c.text, c.toks[span[0] : span[1]])
        comma = span[0] - 1
        stop = _before_parenthesis(c.toks, comma)  # "Sen. Ted Cruz (R-Texas), also a ..."
        start = phrase_before(c.toks, stop)
        if start is not None and not _in_prepositional_phrase(c.toks, start):
            break
        start = None
    if start is None or _blocked(c, start):
        return None
    mention = mention_of(c.text, c.toks[start:stop])
    if mention is None or mention.kind == "pronoun":
        return None
    return replace(mention, role=mention.role or role), c.toks[i].text


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
    if _object_of_preposition(c.toks, start) and (whole := clause_subject_cue(c, i)):
        return whole  # "Leaders of the organization have said": the leaders, not the organization
    mention = mention_of(c.text, c.toks[start:end])
    return (mention, c.toks[i].text) if mention else None


def _object_of_preposition(toks: list[Tok], start: int) -> bool:
    """The phrase is the object of "of" in a longer subject: "Leaders of | the organization have
    said", "Most of | the vulnerable Senate Republicans have said" ("Analysts at Barclays said"
    and "a spokesperson for the ministry said" stay the bank's and the ministry's)."""
    return start > 0 and toks[start - 1].text == "of"


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
    if mention and end and not (mention.kind == "unknown" and _is_evidence_phrase(c.toks, end)):
        if _fronted_according(c.toks) and not _closed_appositive(c.toks, end):
            return mention, cue  # "According to the Post, the port closed": no appositive
        return with_appositive_after(c, mention, end), cue
    evidence = _evidence_source(c, i + 2)
    return (evidence, cue) if evidence else None


def _closed_appositive(toks: list[Tok], end: int) -> bool:
    """A comma at ``end`` opens an appositive that a second comma closes ("Jane Doe, a nurse,")."""
    if end >= len(toks) or toks[end].text != ",":
        return False
    _, stop = appositive_after(toks, end)
    return stop < len(toks) and toks[stop].text == ","


def _is_evidence_phrase(toks: list[Tok], end: int) -> bool:
    """A bare name is only the front of a poll or a study ("a yearly Gallup" of "a yearly Gallup
    poll"); a body stays the speaker of its own report ("according to a police report")."""
    return end < len(toks) and toks[end].low in lexicon().evidence


def _evidence_source(c: Clause, start: int) -> Mention | None:
    """ "according to a new article in Politico" -> Politico; "according to a yearly Gallup poll"
    -> that poll: a source cited as evidence (evidence.txt), named after from/by/in if it can be."""
    lex = lexicon()
    stop = start
    while stop < len(c.toks) and stop - start < MAX_EVIDENCE and c.toks[stop].kind in ("word", "poss"):
        stop += 1
    doc = next((k for k in range(start, stop) if c.toks[k].low in lex.evidence), None)
    if doc is None:
        return None
    if doc + 2 < stop and c.toks[doc + 1].low in EVIDENCE_LINKS:
        end = phrase_after(c.toks, doc + 2)
        named = mention_of(c.text, c.toks[doc + 2 : end]) if end else None
        if named and named.kind != "pronoun" and any(t.capitalised for t in c.toks[doc + 2 : end]):
            return named
    first = start + (c.toks[start].low in DETERMINERS or c.toks[start].low in lex.function_words)
    return Mention(span_text(c.text, c.toks[first:stop]), None, "body") if first < stop else None


def participle_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """A trailing "-ing" cue credits the main clause's subject:
    "The ministry issued a statement on Monday, saying the talks had failed."."""
    if not (c.toks[i].low.endswith("ing") and i > 0 and _is_comma(c.toks[i - 1])):
        return None
    if c.toks[i].low == "according":  # ", according to X" names X, not the main clause's subject
        return None
    mention = _main_subject(c, i)
    return (mention, c.toks[i].text) if mention else None


def document_participle_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """An "-ing" cue after a statement its sender put out credits the main clause's subject:
    "Trump's campaign released a statement saying ...", "The museum issued a report this month
    charging ...", "Sanders started a petition calling on ..."."""
    cue = c.toks[i]
    if not (cue.low.endswith("ing") and cue.text.islower()) or cue.low == "according":
        return None
    k = i
    while k > 0 and (_is_verb_modifier(c.toks[k - 1]) or _is_time_word(c.toks[k - 1])):
        k -= 1  # "a statement Thursday night condemning", "a letter strongly disputing"
    lex = lexicon()
    if k == 0 or not (singular(c.toks[k - 1].low) in lex.documents or c.toks[k - 1].low in lex.evidence):
        return None
    if any(t.low in lex.receiving_verbs for t in c.toks[max(0, k - 1 - MAX_DOCUMENT_PHRASE) : k - 1]):
        return None  # "Police found a letter saying ...": the letter is not theirs
    mention = _main_subject(c, k - 1)
    return (mention, cue.text) if mention else None


def possessor_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """A statement noun after its named owner, opening the clause: "Sanders's claim that he can
    still win would depend on ...", "But Clinton's broadside against “printing money” leaves ..."."""
    k = _nominal_start(c.toks, i)
    if k is None or k < 2 or c.toks[k - 1].kind != "poss":
        return None
    start = phrase_before(c.toks, k - 1)
    if start is None or not any(t.capitalised for t in c.toks[start : k - 1]):
        return None
    if _main_clause_start(c.toks, start + 1) != start:
        return None  # "Biden rubbished Trump's claim to ...": an object, not what the sentence reports
    mention = mention_of(c.text, c.toks[start : k - 1])
    return (mention, c.toks[i].text) if mention and mention.kind in ("person", "body", "unknown") else None


def nominal_object_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """A statement noun as the object of its speaker's verb: "Gorka also made the point that
    ...", "Sanders pressed his attack that ..." (after a light verb, or with the subject's own
    "his"/"her"/"their"/"its")."""
    k = _nominal_start(c.toks, i)
    if k is None or k < 2:
        return None
    lex, det = lexicon(), c.toks[k - 1].low
    verb = k - 2
    if det not in DETERMINERS and det not in POSSESSIVE_PRONOUNS:
        return None
    if not c.toks[verb].text.islower() or c.toks[verb].low in lex.function_words:
        return None
    if det not in POSSESSIVE_PRONOUNS and c.toks[verb].low not in lex.light_verbs:
        return None
    mention = _main_subject(c, verb + 1)
    return (mention, c.toks[i].text) if mention else None


def _nominal_start(toks: list[Tok], i: int) -> int | None:
    """Where the statement noun phrase at ``i`` starts after its modifiers ("continued insistence",
    "original pledge"), if the noun is one of nominal_cues.txt and a word it takes follows it
    ("claim THAT", "call FOR", "post:"); else None."""
    lex = lexicon()
    follows = lex.nominal_cues.get(toks[i].low) if toks[i].text.islower() else None
    if not follows or i + 1 >= len(toks):
        return None
    nxt = toks[_past_time_expression(toks, i + 1)] if _past_time_expression(toks, i + 1) < len(toks) else None
    opened = nxt is not None and (nxt.low in follows or ("quote" in follows and nxt.kind == "quote"))
    if not opened:
        return None
    k = i
    while k > 0 and i - k < MAX_PREMODIFIERS and _is_noun_modifier(toks[k - 1]):
        k -= 1
    return k


def _is_noun_modifier(tok: Tok) -> bool:
    """A lowercase word before a noun that is no function word: "forceful", "continued", "first"."""
    lex = lexicon()
    return tok.kind == "word" and tok.text.islower() and (tok.low not in lex.function_words or tok.low == "first")


def fronted_participle_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """An "-ing" cue opening the sentence credits the main clause's subject when no later cue
    names a speaker: "Noting that Obama's policy has been ..., Trump reminded Americans of his
    policy"."""
    cue, lex = c.toks[i], lexicon()
    if not (cue.low.endswith("ing") and cue.capitalised) or cue.low == "according":
        return None
    if any(t.low not in lex.connectives for t in c.toks[:i]):
        return None
    if _match_from(c, i + 1):
        return None  # "Boasting 108,000 residents ..., according to Politico": a later cue speaks
    mention = _main_subject(c, len(c.toks))
    return (mention, cue.text) if mention else None


def linked_participle_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """An "-ing" cue after "by", "while" or "in" credits the main clause's subject:
    "Bolton distanced himself from the group by saying he would serve"."""
    j = i
    while j > 1 and _is_verb_modifier(c.toks[j - 1]):  # "by first saying", "while also noting"
        j -= 1
    if not (c.toks[i].low.endswith("ing") and j > 0 and c.toks[j - 1].low in PARTICIPLE_LINKS):
        return None
    mention = _main_subject(c, i)
    return (mention, c.toks[i].text) if mention else None


def absolute_participle_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """A speaker with its own "-ing" cue inside a larger sentence: "..., with Doe noting that
    ...", "... – Lin saying he was encouraged and Doe calling it a great meeting"."""
    cue = c.toks[i]
    if not (cue.low.endswith("ing") and cue.text.islower()) or cue.low == "according":
        return None
    end = i
    while end > 0 and _is_verb_modifier(c.toks[end - 1]):
        end -= 1
    start = phrase_before(c.toks, end)
    if start is None or start == 0 or c.toks[start - 1].low not in ABSOLUTE_OPENERS:
        return None
    mention = mention_of(c.text, c.toks[start:end])
    # a surname alone speaks too ("with Gorka noting"), a day does not ("with Monday marking")
    named = mention is not None and mention.kind != "pronoun" and mention.name.lower() not in lexicon().time_nouns
    return (mention, cue.text) if mention and named else None


def infinitive_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """A cue after "to" whose subject opens the clause: "Doe went so far as to say ...",
    "Lin was quick to add ..." (not "Officials are expected to announce": that is passive)."""
    if i < 2 or c.toks[i - 1].low != "to" or not c.toks[i].text.islower():
        return None
    start = _main_clause_start(c.toks, i)
    end = phrase_after(c.toks, start) if start is not None else None
    if end is None or not 0 < i - 1 - end <= MAX_INFINITIVE_GAP:
        return None
    verbs = c.toks[end : i - 1]
    if not _is_finite_verb_like(verbs[0]) or any(t.kind != "word" for t in verbs):
        return None
    lex = lexicon()
    passive = any(a.low in lex.passive_markers and b.low.endswith("ed") for a, b in itertools.pairwise(verbs))
    unspoken = (lex.is_cue(t.low) or t.low in lex.blocking_words or t.low in lex.unspoken_frames for t in verbs)
    if passive or any(unspoken):
        return None
    mention = mention_of(c.text, c.toks[start:end])
    return (mention, c.toks[i].text) if mention and mention.kind != "pronoun" else None


def passive_agent_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """A speech verb in the passive names its speaker after "by": "The story was first
    reported by the Herald", "Rubio was asked by moderator Ann Lee whether ..."."""
    cue = c.toks[i]
    if cue.low not in lexicon().inverting_forms or not cue.low.endswith(("ed", "en", "id", "ld")):
        return None
    if i + 2 >= len(c.toks) or c.toks[i + 1].low != "by":
        return None
    j = i
    while j > 0 and _is_verb_modifier(c.toks[j - 1]) and c.toks[j - 1].low not in lexicon().passive_markers:
        j -= 1
    # "was first reported by", "..., reported by", "As reported by Western Journalism, ..."
    if j == 0 or not (c.toks[j - 1].low in lexicon().passive_markers or c.toks[j - 1].low in (",", "as")):
        return None
    end = phrase_after(c.toks, i + 2)
    mention = mention_of(c.text, c.toks[i + 2 : end]) if end else None
    return (with_appositive_after(c, mention, end), cue.text) if mention and end else None


def relative_clause_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """A cue in a relative clause credits the person it describes: "..., Indiana Gov. Mike Pence,
    who called their son “an American hero.”" (only after a comma: "the leaders who rebuked
    him" restricts a group, it names nobody)."""
    end = _subject_end(c, i)
    if end is None or end < 3 or c.toks[end - 1].low != "who" or c.toks[end - 2].text != ",":
        return None
    start = phrase_before(c.toks, end - 2)
    if start is None:
        return None
    mention = mention_of(c.text, c.toks[start : end - 2])
    return (mention, c.toks[i].text) if mention and mention.kind in ("person", "unknown") else None


def subject_relative_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """A subject with a relative clause of its own before the cue: "A White House official who
    spoke anonymously to discuss strategy said ...", "Many Sanders supporters who came to protest
    say ..."."""
    end = _subject_end(c, i)
    if not end:
        return None
    for k in range(end - 2, max(end - MAX_RELATIVE, 0), -1):  # "leaders who rebuked": the cue is the clause's
        tok = c.toks[k]
        if tok.kind not in ("word", "poss"):
            return None
        if tok.low != "who":
            continue
        start = phrase_before(c.toks, k)
        opens = start is not None and (start == 0 or c.toks[start - 1].text in SUBJECT_OPENERS)
        mention = mention_of(c.text, c.toks[start:k]) if start is not None and opens else None
        return (mention, c.toks[i].text) if mention and mention.kind in ("person", "body") else None
    return None


def clause_subject_cue(c: Clause, i: int) -> tuple[Mention, str] | None:
    """Whatever noun phrase opens the clause speaks, when no name or title heads it: "Nearly a
    third say ...", "Partisans on both sides warn ...", "Opponents of the plan cite ..."."""
    cue, lex = c.toks[i], lexicon()
    if cue.low.endswith("ing") or not (cue.low in lex.past_forms or _opens_statement(c.toks, i)):
        return None  # "The original tweet was deleted", "Saturday's tweet": the cue word is a noun
    end = _subject_end(c, i)
    if not end:
        return None
    start = _main_clause_start(c.toks, end)
    if start is None:  # "About four in 10 said ...": the subject may open with a function word
        start = next((k for k, t in enumerate(c.toks) if t.low not in lex.connectives), 0)
    if not 0 < end - start <= MAX_CLAUSE_SUBJECT:
        return None
    words = c.toks[start:end]
    if any(t.kind not in ("word", "poss") for t in words) or words[0].low in lex.pronouns:
        return None
    # "both", "all", "each" are modifiers after a verb ("have both said") but quantifiers here
    verbs = (lex.verb_modifiers - QUANTIFIERS) | lex.passive_markers | lex.blocking_words | WH_WORDS
    if any(lex.is_cue(t.low) or t.low in verbs for t in words):
        return None  # "Those who think Rubio can win stressed", "Utah is most uncertain state"
    if words[-1].kind == "poss" or words[-1].low in lex.function_words:
        return None
    if all(t.low in lex.function_words for t in words):
        return None
    if words[0].low in SINGULAR_DETERMINERS and cue.low in lex.cue_lemmas:
        return None  # "even a passing promise that ...": "a ..." takes "promises", so this is a noun
    first = 1 if words[0].low in DETERMINERS and len(words) > 1 else 0
    return Mention(span_text(c.text, words[first:]), None, "body"), c.toks[i].text


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
    CueRule("linked_participle_cue", linked_participle_cue),
    CueRule("fronted_participle_cue", fronted_participle_cue),
    CueRule("document_participle_cue", document_participle_cue),
    CueRule("absolute_participle_cue", absolute_participle_cue),
    CueRule("coordinated_cue", coordinated_cue),
    CueRule("infinitive_cue", infinitive_cue),
    CueRule("passive_agent_cue", passive_agent_cue),
    CueRule("relative_clause_cue", relative_clause_cue),
    CueRule("subject_relative_cue", subject_relative_cue),
    CueRule("clause_subject_cue", clause_subject_cue),
    CueRule("possessor_cue", possessor_cue),
    CueRule("nominal_object_cue", nominal_object_cue),
)

# The rules of statement nouns ("insistence", "claim"), tried only after every verb cue failed.
NOMINAL_RULES = frozenset({"possessor_cue", "nominal_object_cue"})

# Rules whose position alone makes the cue speech, so @complement and @topic do not apply:
# "“...,” added Doe." / "..., added the ministry." (an object cannot follow an inverted speaker),
# "released a statement highlighting ..." (a statement's participle says what it said).
UNRESTRICTED_RULES = frozenset({"quote_then_cue_name", "document_participle_cue"})

# How far back a reporting clause's speaker may reach: ", said the ministry's press office".
MAX_PHRASE_WORDS = 9

# A cue tagged @complement needs one of these within a few words: "noted THAT", "asked WHETHER".
COMPLEMENTISERS = frozenset({"that", "whether", "if", "how", "why", "what", "when", "where", "who"})
COMPLEMENT_WINDOW = 4
# Past a prepositional phrase right after the cue, the complement may come this many words later:
# "noted in a guest column in Saturday's New York Times that".
MAX_PP_WORDS = 12
# A cue tagged @topic needs one of these within a few words: "spoke ABOUT", "spoke highly OF",
# "lectured ON" (not "spoke TO reporters": that reports the event, not what was said).
TOPIC_MARKERS = frozenset({"about", "of", "out", "on"})
TOPIC_WINDOW = 3
# A cue tagged @charge needs one of these after its object, within a few words: "attacked
# Clinton AS too cozy", "knocked Rubio ON trade", "attacked voters FOR opposing ...".
CHARGE_MARKERS = frozenset({"as", "for", "over", "on"})
CHARGE_WINDOW = 8

# Words before an "-ing" cue that tie it to the main clause's subject: "by saying", "while noting".
PARTICIPLE_LINKS = frozenset({"by", "while", "in", "before", "after", "when"})
# Words before "Doe noting that ..." inside a larger sentence: "..., with Doe noting".
ABSOLUTE_OPENERS = frozenset({"with", "and", ",", "\u2013", "\u2014", "-", "--"})
# The verb before a document is at most this many words before its noun: "released a new radio ad".
MAX_DOCUMENT_PHRASE = 5
# At most this many words between a subject and "to <cue>": "went so far as to say".
MAX_INFINITIVE_GAP = 5

# A headline's speaker label is a short name: "Lynch:", "CNN President On Trump:".
MAX_LABEL_WORDS = 6

# "according to a poll of voters": at most this many words name the evidence, and a name
# after one of these words is its source ("data FROM the Department of Education").
MAX_EVIDENCE = 14
EVIDENCE_LINKS = frozenset({"from", "by", "in", "compiled"})

# A subject phrase with no name or title in it: at most this many words ("Nearly nine out
# of 10"), and none of these, which open a clause of their own.
MAX_CLAUSE_SUBJECT = 9
WH_WORDS = frozenset({"who", "whom", "whose", "which", "what", "where", "how", "why"})
SINGULAR_DETERMINERS = frozenset({"a", "an", "one", "another", "each", "every"})
QUANTIFIERS = frozenset({"both", "all", "each"})  # "Partisans on both sides warn ..."

# A relative clause between a subject and its cue: at most this many words ("who spoke ...").
MAX_RELATIVE = 16

# Prepositions before a place: "of Raleigh, N.C.", "in Columbus, Ohio".
PLACE_PREPOSITIONS = frozenset({"of", "in", "from", "near", "at"})

# Words that join a second verb to the first one's subject: "cut the ribbon AND said ...".
COORDINATORS = frozenset({"and", "but"})

# Appositives in a row between a speaker and the cue: "Hill, 78, who lives nearby, said".
MAX_APPOSITIVES = 6
# How far back from the cue a source qualifier may start: "people familiar with the matter told".
QUALIFIER_WINDOW = 8
QUALIFIER_OBJECT = 3
# A role chunk before a name appositive: at most this many tokens, opening with one of
# these words or holding a title ("His lawyer, Rebecca Stahl, said").
MAX_ROLE_CHUNK = 16
ROLE_OPENERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "our", "my"})
POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their", "its"})
# Modifiers between a statement noun and its owner: "Trump's controversial pledge to".
MAX_PREMODIFIERS = 2

# Tokens after which a name opens its clause: the sentence start, a dateline dash, a comma
# after an introductory phrase ("On Monday, Mayor Ed Lin met ...").
SUBJECT_OPENERS = frozenset({",", "\u2014", "\u2013", "-", "--", ":"})

# Words that may follow an inverted speaker phrase: "..., said Doe in a statement on Monday."
# "who" opens a relative clause on the speaker: "..., said an official who was briefed".
AFTER_INVERSION = frozenset({"in", "on", "at", "during", "after", "before", "to", "from", "via", "when", "who"})


# ---- helpers of the cue rules ---------------------------------------------------------


def _after_quote_or_comma(tok: Tok) -> bool:
    """The word before an inverted cue: a quotation or a comma ("...,” said Doe" / "..., said Doe")."""
    return tok.kind == "quote" or tok.text == ","


def _adjective_before_name(toks: list[Tok], k: int) -> bool:
    """A determiner, a lowercase modifier, then a name: "a senior White House official", "one
    former GOP leadership aide", "the former Trump adviser"."""
    if k + 2 >= len(toks) or toks[k].low not in DETERMINERS:
        return False
    lex, adjective = lexicon(), toks[k + 1]
    plain = adjective.kind == "word" and adjective.text.islower() and adjective.low not in lex.function_words
    return plain and not lex.is_cue(adjective.low) and is_name_word(toks[k + 2])


def _is_comma(tok: Tok) -> bool:
    """A comma, also one inside a quotation as US style puts it: 'Doe called it “a fraud,” saying ...'."""
    return tok.text == "," or (tok.kind == "quote" and tok.text.rstrip(CLOSING_MARKS).endswith(","))


def _continues_clause(tok: Tok) -> bool:
    """After "said the ministry", a word other than a preposition means the phrase was an object."""
    return tok.kind == "word" and tok.low not in AFTER_INVERSION


CLOSING_MARKS = "\u201d\u2019\"'\u00bb"
NEGATIONS = frozenset({"not", "never", "n't", "cannot"})
NEGATED_SUFFIXES = ("n't", "n\u2019t")  # "didn't", "wouldn’t"
# Asides between a subject and its verb: "(D-Ore.)", "-- a former aide --", "on Saturday".
DASHES = frozenset({"\u2014", "\u2013", "-", "--"})
ASIDE_STOPS = frozenset({".", "?", "!", ";", ":"})
MAX_ASIDE = 30
MAX_TIME_WORDS = 5


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
    while j > 0:
        if _is_verb_modifier(c.toks[j - 1]):
            word = _without_negation(c.toks[j - 1].low)
            passive = passive or word in lex.passive_markers
            negated = negated or c.toks[j - 1].low in NEGATIONS or word != c.toks[j - 1].low
            j -= 1
        elif (start := _interruption_start(c.toks, j)) is not None:
            j = start
        else:
            break
    progressive = cue.low.endswith("ing")
    if (passive and not progressive) or (progressive and not passive):
        return None
    if i + 1 < len(c.toks) and c.toks[i + 1].low == "by":
        return None  # "the delegates recommended by the party": a participle, not the subject's verb
    if negated and cue.low in lex.affirmative_forms:
        return None  # "did not respond to a request for comment": silence, not a statement
    return j


def _interruption_start(toks: list[Tok], end: int) -> int | None:
    """Start of an aside that ends just before ``end`` and parts a subject from its verb:
    a parenthesis ("Sen. Jane Doe (D-Ore.) said"), a pair of dashes ("Doe -- a former aide --
    said") or a time expression ("Doe on Saturday criticized", "Doe later Thursday told")."""
    last = toks[end - 1]
    if last.text == ")":  # "(Tex.)": a dot inside parentheses ends no sentence
        return _opening_at(toks, end - 1, "(", MAX_ASIDE, ASIDE_STOPS - {"."})
    if last.text in DASHES:
        close = end - 1
        while close > 0 and toks[close - 1].text in DASHES:
            close -= 1
        start = _opening_at(toks, close, DASHES, MAX_ASIDE)
        while start is not None and start > 0 and toks[start - 1].text in DASHES:
            start -= 1
        return start if start else None
    return _time_expression_start(toks, end)


def _opening_at(
    toks: list[Tok], close: int, marks: str | frozenset[str], window: int, stops: frozenset[str] = frozenset()
) -> int | None:
    """Index of the nearest opening mark before ``close`` within ``window`` tokens, with no
    quotation or sentence mark (``stops``, by default ASIDE_STOPS) in between: an aside, not a clause."""
    stops = stops or ASIDE_STOPS
    for k in range(close - 1, max(close - window, 0) - 1, -1):
        if toks[k].text in marks:
            return k if k < close - 1 else None
        if toks[k].kind == "quote" or toks[k].text in stops:
            return None
    return None


def _before_parenthesis(toks: list[Tok], end: int) -> int:
    """Index of the "(" of a short parenthesis closing just before ``end`` ("Sen. Ana Ruiz
    (D-Ore.)"), else ``end``."""
    if end == 0 or toks[end - 1].text != ")":
        return end
    opening = _opening_at(toks, end - 1, "(", MAX_ASIDE, ASIDE_STOPS - {"."})
    return opening if opening else end


def _time_expression_start(toks: list[Tok], end: int) -> int | None:
    """Start of a run of time words ending before ``end`` that holds a time noun
    ("on Saturday", "Thursday evening", "this past week", "on Aug. 12")."""
    lex = lexicon()
    k, noun = end, False
    while k > 0 and end - k < MAX_TIME_WORDS:
        tok = toks[k - 1]
        if tok.kind != "word":
            break
        if tok.low in lex.time_nouns or singular(tok.low) in lex.time_nouns or _is_year(tok.text):
            noun = True
        elif not (tok.low in lex.time_leads or tok.text.isdigit()):
            break
        k -= 1
    if k < end and toks[k].low in DETERMINERS:
        k += 1  # "the day before" keeps its time; a leading "the" may open the subject
    # A capitalised time word alone is a name: "Day said ..." is Mr. Day, "Monday" needs "on".
    written_as_time = any(t.text.islower() or t.text.isdigit() for t in toks[k:end])
    return k if noun and written_as_time and k < end else None


def _is_time_word(tok: Tok) -> bool:
    """A word of a time expression: "Thursday", "night", "this", "week"."""
    lex = lexicon()
    return tok.kind == "word" and (tok.low in lex.time_nouns or tok.low in lex.time_leads)


def _is_year(word: str) -> bool:
    """A four-digit year: "in 2013"."""
    return len(word) == 4 and word.isdigit() and word[:2] in ("19", "20")


def _without_negation(word: str) -> str:
    """ "wasn't" -> "was", "didn’t" -> "did"; other words unchanged."""
    return word[:-3] if word.endswith(NEGATED_SUFFIXES) else word


def _is_verb_modifier(tok: Tok) -> bool:
    """An auxiliary (also negated: "didn't"), adverb or form of "be" between subject and cue."""
    lex = lexicon()
    word = _without_negation(tok.low)
    adverb = word.endswith("ly") and len(word) > 3
    auxiliary = word in lex.verb_modifiers or word in lex.passive_markers
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
    if comma - start >= MAX_ROLE_CHUNK:
        return None
    lex = lexicon()
    while start < comma and (c.toks[start].low in lex.connectives or c.toks[start].low == "as"):
        start += 1  # "And a third, Daniel Traynor,", "As the chief executive, Jeff Weiner, put it"
    chunk = c.toks[start:comma]
    if not chunk:
        return None
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
    """Where the main clause's subject starts: the sentence start (past "And then", "But"),
    or after an introductory phrase and its comma ("On Monday, the ministry ...")."""
    lex = lexicon()
    first = 0
    while first < stop and toks[first].low in lex.connectives:
        first += 1
    # "Asked on Monday whether ..., Mrs. Clinton said": a participle opens an introductory phrase
    participle = first < stop and toks[first].low in lex.cue_forms and toks[first].low.endswith(("ed", "ing"))
    # "Hours later, she issued ...", "Years after ...": a time opens an introductory phrase
    timed = first < stop and singular(toks[first].low) in lex.time_nouns
    if first < stop and not (participle or timed) and (is_name_word(toks[first]) or toks[first].low in DETERMINERS):
        return first
    comma = next((k for k in range(first, stop) if _is_comma(toks[k])), None)
    return comma + 1 if comma is not None and comma + 1 < stop else None


def _main_subject(c: Clause, stop: int) -> Mention | None:
    """The main clause's subject, if a verb follows it before ``stop``; asides between them
    are skipped ("Clinton, clearly frustrated, responded ...", "Sen. Ana Ruiz (D-Ore.) left")."""
    toks = c.toks
    start = _main_clause_start(toks, stop)
    while start is not None:
        found = _subject_with_verb(c, start, stop)
        if found or not _is_comma(toks[start - 1]):
            return found
        # "In a September debate, while most of his competitors called for ..., also known as
        # ISIS, Trump hewed more to ...": past the introductory phrase's own commas
        start = next((k + 1 for k in range(start, stop - 1) if _is_comma(toks[k])), None)
    return None


def _subject_with_verb(c: Clause, start: int, stop: int) -> Mention | None:
    """The subject phrase at ``start`` if a verb follows it (past asides) before ``stop``."""
    toks = c.toks
    pronoun = toks[start].low in lexicon().pronouns  # "Hours later, she issued a statement saying"
    end = start + 1 if pronoun else phrase_after(toks, start)
    if end is None:
        return None
    verb: int | None = end
    for _ in range(MAX_APPOSITIVES):
        if verb is None or verb >= stop or _is_finite_verb_like(toks[verb]):
            break
        verb = _past_aside(toks, verb, stop)
    if verb is None or verb >= stop or not _is_finite_verb_like(toks[verb]):
        return None
    if pronoun:
        return Mention(toks[start].low, None, "pronoun")
    mention = mention_of(c.text, toks[start:end])
    return with_appositive_after(c, mention, end) if mention else None


def _past_aside(toks: list[Tok], k: int, stop: int) -> int | None:
    """Index just after an aside opening at ``k``: ", clearly frustrated," / "(D-Ore.)" /
    "on Monday"; None if none opens there."""
    closer = {",": ",", "(": ")"}.get(toks[k].text) or (toks[k].text if toks[k].text in DASHES else None)
    if closer is not None:
        end = next((j for j in range(k + 1, min(stop, k + MAX_ASIDE)) if toks[j].text == closer), None)
        return end + 1 if end is not None else None
    lex = lexicon()
    j, noun = k, False
    while j < stop and (toks[j].low in lex.time_leads or toks[j].low in lex.time_nouns or toks[j].text.isdigit()):
        noun = noun or toks[j].low in lex.time_nouns
        j += 1
    return j if noun else None


def _opens_statement(toks: list[Tok], i: int) -> bool:
    """A present-tense cue followed by what was said: "that", a quotation, a colon or a subject
    pronoun ("Nearly a third say THEY don't know")."""
    if i + 1 >= len(toks):
        return False
    nxt = toks[i + 1]
    return nxt.low in COMPLEMENTISERS or nxt.kind == "quote" or nxt.text == ":" or nxt.low in lexicon().pronouns


def _in_prepositional_phrase(toks: list[Tok], start: int) -> bool:
    """A name that cannot be the subject: the object of a preposition ("a town hall meeting
    in Columbus, Ohio,") or the state after its city ("of Raleigh, N.C.,")."""
    if start == 0:
        return False
    lex = lexicon()
    before = toks[start - 1]
    if before.low in lex.prepositions:
        return True
    # "of Raleigh, N.C.,": one word after a place that is itself the object of "of", "in" ...
    # (not "on Sunday, Trump, who ...": a day is no place)
    if before.text != "," or start < 3 or not is_name_word(toks[start - 2]) or is_name_word(toks[start + 1]):
        return False
    if toks[start - 2].low in lex.time_nouns:
        return False
    place = phrase_before(toks, start - 1)
    return place is not None and place > 1 and toks[place - 1].low in PLACE_PREPOSITIONS


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
    return not c.subordinate and start > 0 and c.toks[start - 1].low in lexicon().blocking_words


def with_appositive_after(c: Clause, mention: Mention, end: int) -> Mention:
    """Take the role from a following appositive: "said Jane Doe, a spokeswoman for the agency";
    a rank before the name keeps its place: "Sgt. Maria Gomez, a police spokeswoman" ->
    "Sergeant, police spokeswoman"."""
    if end < len(c.toks) and c.toks[end].text == "(":  # "Sen. Ana Ruiz (D-Ore.), a nurse"
        close = next((k for k in range(end, min(len(c.toks), end + MAX_ASIDE)) if c.toks[k].text == ")"), None)
        end = close + 1 if close is not None else end
    if end >= len(c.toks) or c.toks[end].text != ",":
        return mention
    start, stop = appositive_after(c.toks, end)
    role = role_of_appositive(c.text, c.toks[start:stop])
    if role and mention.role:
        role = f"{mention.role}, {role}"
    return replace(mention, role=role) if role else mention


def _has_complement(toks: list[Tok], i: int) -> bool:
    """A clause follows the cue ("added that", "posted on X:"), also past a prepositional phrase
    ("declared in an interview with Reuters that"), or the cue ends its clause ("..., he added.",
    "..., Mr. Doe recalled last week.")."""
    if _after_as_subject(toks, i):
        return True
    end = _past_time_expression(toks, i + 1)
    if end >= len(toks) or (toks[end].kind == "punct" and toks[end].text != ":"):
        return _ends_reporting_clause(toks, i)
    stop = i + 1 + COMPLEMENT_WINDOW
    if toks[i + 1].low in lexicon().prepositions and toks[i + 1].low != "to":  # "agreed to talk": a verb follows
        stop = max(stop, next((k + 1 for k in range(i + 1, len(toks)) if toks[k].kind != "word"), len(toks)))
    after = toks[i + 1 : min(stop, i + 1 + MAX_PP_WORDS)]
    return any(t.low in COMPLEMENTISERS or t.kind == "quote" or t.text == ":" for t in after)


def _past_time_expression(toks: list[Tok], k: int) -> int:
    """Index after the time words starting at ``k`` ("last week", "on Monday", "Thursday night")."""
    lex = lexicon()
    j = k
    while j < len(toks) and toks[j].kind == "word" and (toks[j].low in lex.time_nouns or toks[j].low in lex.time_leads):
        j += 1
    return j if any(toks[m].low in lex.time_nouns for m in range(k, j)) else k


def _after_as_subject(toks: list[Tok], i: int) -> bool:
    """ "As David Dayen noted in The Intercept, ...": after "as" and its subject a cue reports speech
    whatever follows it."""
    k = i
    while k > 0 and i - k < MAX_PHRASE_WORDS and toks[k - 1].kind in ("word", "poss") and toks[k - 1].low != "as":
        k -= 1
    return k > 0 and k < i and toks[k - 1].low == "as" and (k == 1 or toks[k - 2].text in SUBJECT_OPENERS)


def _ends_reporting_clause(toks: list[Tok], i: int) -> bool:
    """The cue closes a short reporting clause after a quote or comma ("“...,” Ana Ruiz added.",
    "..., the ministry noted."), not a noun phrase ("... win big in the Badger state.")."""
    k = i
    while k > 0 and i - k < MAX_PHRASE_WORDS and (toks[k - 1].kind in ("word", "poss")):
        if toks[k - 1].low in lexicon().prepositions:
            return False
        k -= 1
    return k == 0 or toks[k - 1].kind == "quote" or toks[k - 1].text in SUBJECT_OPENERS


def _restricted(toks: list[Tok], i: int) -> bool:
    """A cue tagged @complement, @topic or @to (or several: "pointed out that", "pointed to the case")
    that has none of what it needs here is no statement ("added 500 jobs", "spoke for an hour")."""
    lex, word = lexicon(), toks[i].low
    tagged = (
        (lex.complement_forms, _has_complement),
        (lex.topic_forms, _has_topic),
        (lex.to_forms, _before_to),
        (lex.charge_forms, _has_charge),
        (lex.as_it_forms, _as_it),
    )
    gates = [gate for forms, gate in tagged if word in forms]
    return bool(gates) and not any(gate(toks, i) for gate in gates)


def _has_charge(toks: list[Tok], i: int) -> bool:
    """What the object is charged with follows it: "attacked Clinton AS too cozy with Wall
    Street", "knocked Rubio ON trade", "attacked GOP voters FOR opposing ..." (not "attacked the
    base on Monday", "for two hours": a time or a number is no charge), or a quotation."""
    lex = lexicon()
    after = toks[i + 1 : i + 2 + CHARGE_WINDOW]
    if not after or after[0].kind != "word":
        return False  # "the Paris attacks, which ...": a noun; a verb takes its object first
    for k, tok in enumerate(after[:-1] if len(after) > CHARGE_WINDOW else after):
        if tok.kind == "quote":
            return True
        if tok.kind == "punct" and tok.text != ",":  # "attacked voters, lawmakers, and thinkers for"
            return False
        nxt = after[k + 1] if k + 1 < len(after) else None
        timed = nxt is not None and (nxt.text[:1].isdigit() or singular(nxt.low) in lex.time_nouns)
        if k > 0 and tok.low in CHARGE_MARKERS and nxt is not None and not timed:
            return True
    return False


def _as_it(toks: list[Tok], i: int) -> bool:
    """ "As Akhil Amar, a law professor, put it, ...": the verb and "it" in an as-clause."""
    if i + 1 >= len(toks) or toks[i + 1].low != "it":
        return False
    lex = lexicon()
    for k in range(i - 1, max(i - MAX_ASIDE, 0) - 1, -1):
        if toks[k].text in ASIDE_STOPS:
            return False
        if toks[k].low == "as":
            return all(t.low in lex.connectives for t in toks[:k]) or toks[k - 1].text in SUBJECT_OPENERS
    return False


def _before_to(toks: list[Tok], i: int) -> bool:
    """ "to" follows the cue, past an adverb: "pointed to the case", "pointed repeatedly to"."""
    k = i + 1
    if k < len(toks) and toks[k].text.endswith("ly") and toks[k].text.islower():
        k += 1
    return k < len(toks) and toks[k].low == "to"


def _has_topic(toks: list[Tok], i: int) -> bool:
    """A topic follows the cue: "spoke about the plan", "spoke highly of", "spoke out", "pointed
    to the case", "spoke to reporters", "lectured on law" (not "spoke for about 30 minutes",
    "spoke on Monday": a number or a time after the marker is no topic)."""
    after = toks[i + 1 : i + 2 + TOPIC_WINDOW]
    lex = lexicon()
    return any(
        t.low in TOPIC_MARKERS
        and not (k + 1 < len(after) and (after[k + 1].text[:1].isdigit() or after[k + 1].low in lex.time_nouns))
        for k, t in enumerate(after[:TOPIC_WINDOW])
    )


def first_cue_match(clause: Clause) -> CueMatch | None:
    """The main clause's speaker, else the speaker of a subordinate clause ("The plane was
    grounded after the Times reported that its registration had expired")."""
    match = _first_match_in(clause)
    if match is None and _has_trailing_subordinate(clause.toks):
        match = _first_match_in(Clause(clause.text, clause.toks, subordinate=True))
        return CueMatch(match.mention, match.cue, f"{match.rule}/subordinate") if match else None
    return match


def _has_trailing_subordinate(toks: list[Tok]) -> bool:
    """A subordinate clause after the main one ("..., after the Times reported"); one that
    opens the sentence ("After the mayor said ..., firms invested") frames the main news."""
    lex = lexicon()
    first = next((k for k, t in enumerate(toks) if t.low not in lex.connectives), 0)
    return any(t.low in lex.blocking_words for t in toks[first + 1 :])


def _first_match_in(clause: Clause) -> CueMatch | None:
    """Try every rule at every cue word, left to right; the first match wins, except that a
    fronted "According to the Post," yields to the speaker it introduces ("According to the
    Post, spokesman Tom Hale said ...": Hale, the nearer and explicit source, speaks)."""
    first = _match_from(clause, 0)
    if first is None or first.rule != "according_to" or not _fronted_according(clause.toks):
        return first
    comma = next((k for k, t in enumerate(clause.toks) if t.text == ","), None)
    nearer = _match_from(clause, comma + 1) if comma is not None else None
    return nearer or first


def _fronted_according(toks: list[Tok]) -> bool:
    """The sentence opens with "According to ...," (after a connective: "But according to")."""
    lex = lexicon()
    k = next((k for k, t in enumerate(toks) if t.low not in lex.connectives), len(toks))
    return k + 1 < len(toks) and toks[k].low == "according" and toks[k + 1].low == "to"


def _match_from(clause: Clause, begin: int) -> CueMatch | None:
    """The first rule match at a cue word from token ``begin`` on; statement nouns only when no
    verb names a speaker ("Trump's accusation that ... imperiled troops, Biden said": Biden)."""
    lex = lexicon()
    verb_rules, noun_rules = _rule_sets(CUE_RULES)
    nouns: list[int] = []
    for i in range(begin, len(clause.toks)):
        tok = clause.toks[i]
        if tok.kind != "word":
            continue
        if tok.low in lex.nominal_cues:
            nouns.append(i)
        if lex.is_cue(tok.low) or tok.low == "according":
            found = _match_at(clause, i, verb_rules)
            if found:
                return found
    for i in nouns:
        found = _match_at(clause, i, noun_rules)
        if found:
            return found
    return None


def _match_at(clause: Clause, i: int, rules: tuple[CueRule, ...]) -> CueMatch | None:
    """The first of ``rules`` that finds a speaker at the cue word ``i``."""
    restricted = _restricted(clause.toks, i)
    for rule in rules:
        if restricted and rule.name not in UNRESTRICTED_RULES:
            continue
        found = rule.find(clause, i)
        if found:
            return CueMatch(found[0], found[1], rule.name)
    return None


def _rule_sets(rules: tuple[CueRule, ...]) -> tuple[tuple[CueRule, ...], tuple[CueRule, ...]]:
    """The verb rules and the statement-noun rules, in order, split once per rule table (looked
    up by identity: hashing the table's rules on every sentence cost 2 % of attribution)."""
    split = _RULE_SETS.get(id(rules))
    if split is None or split[0] is not rules:
        verbs = tuple(r for r in rules if r.name not in NOMINAL_RULES)
        split = (rules, verbs, tuple(r for r in rules if r.name in NOMINAL_RULES))
        _RULE_SETS[id(rules)] = split
    return split[1], split[2]


_RULE_SETS: dict[int, tuple[tuple[CueRule, ...], tuple[CueRule, ...], tuple[CueRule, ...]]] = {}
