"""Who said each sentence: ordered, named rules over cue verbs, quotes and speaker phrases.

Step 1: find quotations, carrying an open quote from one sentence to the next.
Step 2: for each sentence, try the cue rules at each cue word, left to right; the first
        rule that finds a speaker phrase wins and its name is recorded in ``Speaker.rule``.
Step 3: resolve the phrase to one entity of the article (surname, pronoun, "the governor").
Step 4: context rules give quote-only sentences the speaker of their quotation.
Anything else is the narrator: the outlet itself.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.records import Sentence, Speaker, SpeakerKind, byline
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
    place_role,
    role_of_appositive,
    span_text,
)
from bot.speakers.quotes import QuoteLayout, layout_quotes
from bot.speakers.registry import Entity, Registry
from bot.speakers.tokens import Tok, surname, tokenize

__all__ = ["SpeakerSummary", "attribute", "roster"]


@dataclass(frozen=True)
class SpeakerSummary:
    """One person or body quoted in an article, as listed by :func:`roster`."""

    name: str
    role: str | None
    count: int
    aliases: tuple[str, ...]

    @property
    def byline(self) -> str:
        """"Name, role", as a "who is" answer leads with it."""
        return byline(self.name, self.role)


@dataclass(frozen=True, slots=True)
class Clause:
    """A sentence's own words (quotations collapsed into single tokens)."""

    text: str
    toks: list[Tok]


@dataclass(frozen=True, slots=True)
class Hit:
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
    return (_with_appositive_after(c, mention, end), cue.text) if mention else None


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
        return (None if _blocked(c, end - 1) else (Mention(before.low, None, "pronoun"), c.toks[i].text))
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
    return (_with_appositive_after(c, mention, end), cue) if mention and end else None


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
    return tok.kind == "word" and tok.text.islower() and (
        tok.low not in lex.function_words or tok.low in lex.verb_modifiers or tok.low in lex.passive_markers
    )


def _blocked(c: Clause, start: int) -> bool:
    """A subject right after "after", "because", "if"... sits in a subordinate clause."""
    return start > 0 and c.toks[start - 1].low in lexicon().blocking_words


def _with_appositive_after(c: Clause, mention: Mention, end: int) -> Mention:
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


def _first_hit(clause: Clause) -> Hit | None:
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
                return Hit(found[0], found[1], rule.name)
    return None


# ---- resolution: one entity per speaker -----------------------------------------------


def _resolve(hit: Hit, registry: Registry, text: str) -> tuple[Entity | None, str]:
    """The entity a speaker phrase refers to, and the rule name extended by how it resolved."""
    m = hit.mention
    if m.kind == "pronoun":
        return registry.pronoun(m.name), f"{hit.rule}/pronoun"
    if m.definite:
        known = registry.definite(m)
        if known:
            return known, f"{hit.rule}/definite"
    role = place_role(m.role, text) if m.role else None
    known = registry.find(m.name)
    entity = registry.add(Mention(m.name, role, m.kind, m.definite))
    return entity, hit.rule if known is None or known.name == m.name else f"{hit.rule}/alias"


def _register_mentions(clause: Clause, registry: Registry) -> Entity | None:
    """Remember people named but not (yet) quoted, so a later surname finds the full name and role.

    Returns the person the clause opens with (its subject, as in "Illinois Gov. J.B. Pritzker
    declared ..." or "Keane, in a gray suit, stood ..."): a following "He" most likely means them.
    """
    toks, i, subject = clause.toks, 0, None
    while i < len(toks):
        end = phrase_after(toks, i) if is_name_word(toks[i]) or lexicon().is_title(toks[i].text) else None
        if end is None:
            i += 1
            continue
        mention = mention_of(clause.text, toks[i:end])
        entity = registry.find(mention.name) if mention else None
        if mention and _worth_remembering(mention):
            mention = _with_appositive_after(clause, mention, end)
            role = place_role(mention.role, clause.text) if mention.role else None
            entity = registry.add(Mention(mention.name, role, mention.kind))
        opens = i == 0 or toks[i - 1].text in SUBJECT_OPENERS
        if subject is None and opens and entity is not None and entity.kind == "person":
            subject = entity
        i = end
    return subject


def _worth_remembering(mention: Mention) -> bool:
    """Named people ("Raymond Tate", "Governor Gladkov") and named bodies ("Environment Agency");
    a lone capitalised word may be anything, so it is not remembered."""
    if mention.kind == "person":
        return bool(mention.role) or len(mention.name.split()) > 1
    return mention.kind == "body" and not mention.definite and len(mention.name.split()) > 1


# ---- context rules: quotes without their own cue --------------------------------------


@dataclass
class Draft:
    """A sentence's attribution while the article is being read."""

    entity: Entity | None = None
    cue: str | None = None
    kind: SpeakerKind = "narrator"
    rule: str = "narrator"


def quote_continuation(drafts: list[Draft], layout: QuoteLayout, i: int) -> Draft | None:
    """A sentence inside a quotation spanning sentences takes that quotation's speaker:
    "“We will not retreat. We will win,” said Doe." credits both sentences to Doe."""
    group = layout.group[i]  # the index of the group's first sentence; a group is contiguous
    members = itertools.takewhile(lambda j: layout.group[j] == group, range(group, len(drafts)))
    donor = next((drafts[j] for j in members if drafts[j].entity), None)
    if donor is None or not layout.quoted[i]:
        return None
    return Draft(donor.entity, donor.cue, "direct", "quote_continuation")


def quote_follows_speaker(drafts: list[Draft], layout: QuoteLayout, i: int) -> Draft | None:
    """A sentence that is only a quotation continues the speaker next to it (AP style):
    "“We will win,” Doe said. “We are ready.”" credits the second sentence to Doe too."""
    if not layout.only_quote[i]:
        return None
    nxt = i + 1
    same_paragraph = nxt < len(drafts) and layout.paragraph[nxt] == layout.paragraph[i]
    if same_paragraph and drafts[nxt].kind == "direct" and drafts[nxt].entity is not None:
        return Draft(drafts[nxt].entity, drafts[nxt].cue, "direct", "quote_follows_speaker")
    prev = i - 1
    if prev >= 0 and drafts[prev].entity and layout.paragraph[i] - layout.paragraph[prev] <= 1:
        return Draft(drafts[prev].entity, drafts[prev].cue, "direct", "quote_follows_speaker")
    return None


def interview_continuation(drafts: list[Draft], layout: QuoteLayout, i: int) -> Draft | None:
    """Later sentences of an answer paragraph stay with the interviewee:
    "A: Optimism is a luxury. What I have is determination." credits both."""
    prev = i - 1
    if prev < 0 or layout.paragraph[prev] != layout.paragraph[i] or drafts[prev].entity is None:
        return None
    if drafts[prev].rule not in ("interview_answer", "interview_continuation"):
        return None
    return Draft(drafts[prev].entity, None, "direct", "interview_continuation")


CONTEXT_RULES: tuple[tuple[str, Callable[[list[Draft], QuoteLayout, int], Draft | None]], ...] = (
    ("interview_continuation", interview_continuation),
    ("quote_continuation", quote_continuation),
    ("quote_follows_speaker", quote_follows_speaker),
)


# ---- interview transcripts: "Q: ..." / "A: ..." / "OKOYE: ..." ----------------------------

# A speaker label opening a paragraph: Q, A, or a name already in the article.
LABEL_RE = re.compile(r"(?P<label>[A-Z][\w'\u2019.-]*(?: [A-Z][\w'\u2019.-]*){0,2})\s?:\s+\S")
QUESTION_LABELS = frozenset({"q", "question"})
ANSWER_LABELS = frozenset({"a", "answer"})


def interview_label(text: str, registry: Registry) -> Draft | None:
    """A Q&A or transcript line: the question is the outlet's, the answer the interviewee's
    (the person the article last put in focus), "OKOYE: ..." the named person's."""
    match = LABEL_RE.match(text)
    if match is None:
        return None
    label = match.group("label").lower()
    if label in QUESTION_LABELS:
        return Draft(None, None, "narrator", "interview_question")
    entity = registry.latest("person") if label in ANSWER_LABELS else registry.find(label)
    return Draft(entity, None, "direct", "interview_answer") if entity else None


# ---- public API -----------------------------------------------------------------------


def attribute(sentences: Sequence[Sentence], source: str | None = None) -> list[Speaker]:
    """One :class:`Speaker` per sentence, in order; ``source`` names the narrator (the outlet)."""
    layout = layout_quotes(sentences)
    registry = Registry()
    drafts: list[Draft] = []
    # Steps 2-3: cue rules and resolution, reading the article in order.
    for k, sentence in enumerate(sentences):
        labelled = interview_label(sentence.text, registry) if _opens_paragraph(sentences, k) else None
        if labelled:
            if labelled.entity:
                registry.spoke(labelled.entity)
            drafts.append(labelled)
            continue
        draft = Draft()
        for spans in layout.readings(k):
            clause = Clause(sentence.text, tokenize(sentence.text, spans))
            hit = _first_hit(clause)
            if hit:
                draft = _draft_from_hit(hit, registry, clause, layout.has_quote[k], source)
                _register_mentions(clause, registry)
                break
        else:
            subject = _register_mentions(Clause(sentence.text, tokenize(sentence.text, layout.spans[k])), registry)
            if subject:
                registry.spoke(subject)
        drafts.append(draft)
    # Step 4: quotations without a cue of their own.
    for k, draft in enumerate(drafts):
        if draft.entity is None and draft.rule == "narrator":
            drafts[k] = next((d for _, rule in CONTEXT_RULES if (d := rule(drafts, layout, k))), draft)
    return [_speaker(d, source) for d in drafts]


def _opens_paragraph(sentences: Sequence[Sentence], k: int) -> bool:
    """Sentence ``k`` is the first of its paragraph (where a speaker label may stand)."""
    return k == 0 or sentences[k - 1].paragraph != sentences[k].paragraph


def _draft_from_hit(hit: Hit, registry: Registry, clause: Clause, quoted: bool, source: str | None) -> Draft:
    """Resolve a rule's hit; the outlet as subject ("CNN has reported") stays the narrator."""
    entity, rule = _resolve(hit, registry, clause.text)
    if entity is None:
        return Draft(None, hit.cue, "narrator", f"{rule}/unresolved")
    if source and entity.name.lower() == source.lower():
        return Draft(None, hit.cue, "narrator", "outlet_voice")
    registry.spoke(entity)
    return Draft(entity, hit.cue, "direct" if quoted else "reported", rule)


def _speaker(draft: Draft, source: str | None) -> Speaker:
    """Freeze a draft with the entity's final name and first role."""
    if draft.entity is None:
        return Speaker(name=source, cue=draft.cue, kind="narrator", rule=draft.rule)
    return Speaker(draft.entity.name, draft.entity.role, draft.cue, draft.kind, draft.rule)


def roster(speakers: Sequence[Speaker]) -> list[SpeakerSummary]:
    """People and bodies quoted (not the narrator), most frequent first, then first quoted."""
    quoted = [s for s in speakers if s.kind != "narrator" and s.name]
    counts = Counter(s.name for s in quoted)
    roles: dict[str, str | None] = {}
    for s in quoted:
        roles[s.name] = roles.get(s.name) or s.role  # type: ignore[index]
    first_quoted = dict.fromkeys(s.name for s in quoted)  # insertion order; sorted() below is stable
    return [
        SpeakerSummary(name, roles[name], counts[name], _aliases(name))  # type: ignore[index,arg-type]
        for name in sorted(first_quoted, key=lambda n: -counts[n])
    ]


def _aliases(name: str) -> tuple[str, ...]:
    """Short forms a reader may use: the surname of a several-word name ("Putin", "Ashley")."""
    return (surname(name),) if len(name.split()) > 1 else ()
