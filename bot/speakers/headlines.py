"""Who a headline quotes: "Lynch: No outside influence on FBI probe", "Sanders calls Clinton
unqualified", "Clinton Says Russians Hacked DNC".

Headlines have a grammar of their own: a speaker label before a colon, the present tense,
and, at many outlets, title case, where capitals no longer tell names from verbs. The
speaker is named as the body names them ("Sanders" -> "Bernie Sanders"), so the headline is
read after the body.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.records import Sentence, Speaker
from bot.speakers.cues import SUBJECT_OPENERS, Clause, first_cue_match
from bot.speakers.lexicon import lexicon
from bot.speakers.phrases import DETERMINERS, Mention, is_name_word, mention_of, phrase_after
from bot.speakers.registry import Registry
from bot.speakers.tokens import Tok, scan_quotes, tokenize

__all__ = ["attribute_headline"]

# A speaker label or a title-case subject is a short name: "Lynch:", "Jeb Bush Super PAC Chief".
MAX_LABEL_WORDS = 6
# Words that may stand between a title-case subject and its verb: "Rick Perry Just Announced".
HEADLINE_MODIFIERS = frozenset({"just", "now", "also", "finally"})


def attribute_headline(
    headline: str, sentences: Sequence[Sentence], speakers: Sequence[Speaker], source: str | None = None
) -> Speaker:
    """The speaker a headline quotes, else the outlet's own voice; ``sentences`` and
    ``speakers`` are the attributed body, which names the people in full."""
    spans = scan_quotes(headline).spans
    toks = tokenize(headline, spans)
    body = " ".join(s.text for s in sentences).lower()
    found = _label(headline, toks, body) or _cue(headline, toks)
    if found is None:
        return Speaker(name=source, kind="narrator", rule="narrator")
    mention, cue, rule = found
    if mention.kind == "pronoun" or (source and mention.name.lower() == source.lower()):
        return Speaker(name=source, cue=cue, kind="narrator", rule=f"{rule}/unresolved")
    name, role = _as_the_body_names(mention, speakers)
    quoted = any(" " in headline[a:b].strip() for a, b in spans)
    return Speaker(name, role, cue, "direct" if quoted else "reported", rule)


def _as_the_body_names(mention: Mention, speakers: Sequence[Speaker]) -> tuple[str, str | None]:
    """The body's full name and role for a headline's surname ("Sanders" -> "Bernie Sanders");
    a group or a description keeps the headline's own words ("Rabbis", "Insiders")."""
    registry = Registry()
    for speaker in speakers:
        if speaker.kind != "narrator" and speaker.name:
            kind = "person" if len(speaker.name.split()) > 1 else "unknown"
            registry.add(Mention(speaker.name, speaker.role, kind))
    known = registry.definite(mention) if mention.definite else registry.find(mention.name)
    if known is not None and known.kind == "person" and all(w[:1].isupper() for w in known.name.split()):
        return known.name, known.role
    return mention.name, mention.role


def _label(text: str, toks: list[Tok], body: str) -> tuple[Mention, str | None, str] | None:
    """A speaker label before the colon: "Lynch: ...", "CNN President On Trump: ..." (the part
    before "on" speaks); not a story label ("The Latest:", "BUSTED:", headline_labels.txt) nor a
    column's title ("The Ninth Circle:"), and only someone the story mentions."""
    colon = next((k for k, t in enumerate(toks) if t.text == ":"), None)
    if not colon or colon + 1 >= len(toks):
        return None
    head = toks[:colon]
    about = next((k for k, t in enumerate(head) if t.low == "on" and k > 0), None)
    head = head[:about] if about is not None else head
    labels = lexicon().headline_labels
    if head[0].low in labels or " ".join(t.low for t in head) in labels or head[0].low in DETERMINERS:
        return None
    if len(head) > MAX_LABEL_WORDS or phrase_after(head, 0) != len(head):
        return None
    mention = mention_of(text, head)
    if mention is None or mention.kind == "pronoun" or mention.name.lower() not in body:
        return None
    return mention, ":", "headline_label"


def _cue(text: str, toks: list[Tok]) -> tuple[Mention, str | None, str] | None:
    """A cue verb, after a story label if any ("The Latest: Mourners say ..."): in sentence case
    the body's cue rules read it ("Paul Ryan says he is not ready"); in title case the subject
    is the run of capitalised words before the verb ("Clinton Says Russians Hacked DNC")."""
    colon = next((k for k, t in enumerate(toks) if t.text == ":"), None)
    if colon is not None and toks[0].low in lexicon().headline_labels:
        toks = toks[colon + 1 :]
    words = [t for t in toks if t.kind == "word"]
    if sum(t.capitalised for t in words) <= len(words) / 2:
        match = first_cue_match(Clause(text, toks))
        return (match.mention, match.cue, f"headline/{match.rule}") if match else None
    return _title_case_cue(text, toks)


def _title_case_cue(text: str, toks: list[Tok]) -> tuple[Mention, str | None, str] | None:
    """The first cue word after a run of capitalised words at the start of a clause:
    "Jeb Bush Super PAC Chief Praises ...", "Rick Perry Just Announced ..."."""
    lex = lexicon()
    for i, tok in enumerate(toks):
        if i == 0 or tok.kind != "word" or not lex.is_cue(tok.low):
            continue
        end = i
        while end > 0 and toks[end - 1].low in HEADLINE_MODIFIERS:
            end -= 1
        start = end
        while start > 0 and end - start < MAX_LABEL_WORDS and is_name_word(toks[start - 1]):
            start -= 1
        opens_clause = start == 0 or toks[start - 1].text in SUBJECT_OPENERS
        # "Putin's Pledge to ...": after a possessive the cue word is a noun
        if start == end or not opens_clause or (start > 0 and toks[start - 1].kind == "poss"):
            continue
        mention = mention_of(text, toks[start:end])
        if mention and mention.kind != "pronoun":
            return mention, tok.text, "headline_title_case"
    return None
