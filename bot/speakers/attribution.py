"""Who said each sentence: ordered, named rules over cue verbs, quotes and speaker phrases.

Step 1: find quotations, carrying an open quote from one sentence to the next.
Step 2: for each sentence, try the cue rules at each cue word, left to right; the first
        rule that finds a speaker phrase wins and its name is recorded in ``Speaker.rule``.
Step 3: resolve the phrase to one entity of the article (surname, pronoun, "the governor").
Step 4: context rules give quote-only sentences the speaker of their quotation.
Anything else is the narrator: the outlet itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.records import Sentence, Speaker
from bot.speakers.context import CONTEXT_RULES, Draft, interview_label
from bot.speakers.cues import SUBJECT_OPENERS, Clause, CueMatch, first_cue_match, with_appositive_after
from bot.speakers.lexicon import lexicon
from bot.speakers.phrases import Mention, is_name_word, mention_of, phrase_after, place_role
from bot.speakers.quotes import layout_quotes
from bot.speakers.registry import Entity, Registry
from bot.speakers.tokens import tokenize

__all__ = ["attribute"]


# ---- resolution: one entity per speaker -----------------------------------------------


def _resolve(match: CueMatch, registry: Registry, text: str) -> tuple[Entity | None, str]:
    """The entity a speaker phrase refers to, and the rule name extended by how it resolved."""
    m = match.mention
    if m.kind == "pronoun":
        return registry.pronoun(m.name), f"{match.rule}/pronoun"
    if m.definite:
        known = registry.definite(m)
        if known:
            return known, f"{match.rule}/definite"
    role = place_role(m.role, text) if m.role else None
    known = registry.find(m.name, m.gender)
    entity = registry.add(replace(m, role=role))
    return entity, match.rule if known is None or known.name == m.name else f"{match.rule}/alias"


def _register_mentions(clause: Clause, registry: Registry) -> Entity | None:
    """Remember people named but not (yet) quoted, so a later surname finds the full name and role.

    Returns the person the clause opens with (its subject, as in "Illinois Gov. J.B. Pritzker
    declared ..." or "Keane, in a gray suit, stood ..."): a following "He" most likely means them.
    """
    toks, i, subject = clause.toks, 0, None
    titles = lexicon().title_forms
    while i < len(toks):
        tok = toks[i]
        starts = (tok.capitalised and is_name_word(tok)) or tok.low in titles
        end = phrase_after(toks, i) if starts else None
        if end is None:
            i += 1
            continue
        mention = mention_of(clause.text, toks[i:end])
        entity = registry.find(mention.name) if mention else None
        if mention and _worth_remembering(mention):
            mention = with_appositive_after(clause, mention, end)
            role = place_role(mention.role, clause.text) if mention.role else None
            entity = registry.add(replace(mention, role=role, definite=False))
        opens = i == 0 or toks[i - 1].text in SUBJECT_OPENERS
        if subject is None and opens and entity is not None and entity.kind == "person":
            subject = entity
        i = end
    return subject


def _worth_remembering(mention: Mention) -> bool:
    """Named people ("Raymond Tate", "Governor Gladkov", "Mrs. Lee") and named bodies
    ("Environment Agency"); a lone capitalised word may be anything, so it is not remembered."""
    if mention.kind == "person":
        return bool(mention.role) or len(mention.name.split()) > 1 or mention.gender is not None
    return mention.kind == "body" and not mention.definite and len(mention.name.split()) > 1


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
            toks = layout.toks[k] if spans == layout.spans[k] else tokenize(sentence.text, spans)
            clause = Clause(sentence.text, toks)
            match = first_cue_match(clause)
            if match:
                if match.mention.kind == "pronoun" and (subject := _register_mentions(clause, registry)):
                    registry.spoke(subject)  # "In her speech, Rhimes declared ...: “...,” she said."
                draft = _draft_from_match(match, registry, clause, layout.has_quote[k], source)
                _register_mentions(clause, registry)
                break
        else:
            subject = _register_mentions(Clause(sentence.text, layout.toks[k]), registry)
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


def _draft_from_match(match: CueMatch, registry: Registry, clause: Clause, quoted: bool, source: str | None) -> Draft:
    """Resolve what a cue rule found; the outlet as subject ("CNN has reported") stays the narrator."""
    entity, rule = _resolve(match, registry, clause.text)
    if entity is None:
        return Draft(None, match.cue, "narrator", f"{rule}/unresolved")
    if source and entity.name.lower() == source.lower():
        return Draft(None, match.cue, "narrator", "outlet_voice")
    registry.spoke(entity)
    return Draft(entity, match.cue, "direct" if quoted else "reported", rule)


def _speaker(draft: Draft, source: str | None) -> Speaker:
    """Freeze a draft with the entity's final name and first role."""
    if draft.entity is None:
        return Speaker(name=source, cue=draft.cue, kind="narrator", rule=draft.rule)
    return Speaker(draft.entity.name, draft.entity.role, draft.cue, draft.kind, draft.rule)
