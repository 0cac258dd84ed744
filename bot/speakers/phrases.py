"""Speaker phrases: the words naming who speaks, split into a name and a role.

"Russian President Vladimir Putin" -> name "Vladimir Putin", role "Russian President";
"Aleksey Smirnov, the acting head of the Kursk region," -> role from the appositive;
"the ministry" -> a body; "He" -> a pronoun to resolve later. No tagger is needed:
capitalisation plus the title and body lists in ``bot/rules/`` carry the decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.speakers.lexicon import lexicon
from bot.speakers.tokens import Tok

# Articles of a speaker phrase; "one"/"another" introduce an unnamed source ("said one aide").
DETERMINERS = frozenset({"the", "a", "an", "one", "another"})
NAME_LINKS = frozenset({"of", "for", "and", "de", "van", "von", "bin", "al", "da", "del", "la", "le"})
# Words between "and" and the partners of a speaker: "Sanders and HIS supporters", "and OTHER leaders".
GROUP_PARTNERS = frozenset({"his", "her", "their", "its", "other"})
MAX_PHRASE = 9
MAX_PREMODIFIERS = 2
MAX_NAME_WORDS = 4  # "Robert P. Ashley Jr."
MAX_APPOSITIVE = 28
PLACE_RE = re.compile(
    r"\b[Ii]n the (?:[a-z]+ )*?(?P<place>(?:[A-Z][\w\u2019'-]+ )+"
    r"(?:region|province|state|county|district|city|oblast|prefecture|territory|area))\b"
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker as written: ``kind`` is person, body, unknown (a bare name) or pronoun.

    ``definite`` is set for a role-only phrase ("the governor"), which may refer back to a
    speaker already named with that role. ``gender`` ("female", "male") comes from an
    honorific, a role noun or a given name ("Mrs. Clinton", "the spokeswoman", "Hillary").
    ``members`` are the people of a group named one by one ("Susan Collins and Louis Gohmert").
    """

    name: str
    role: str | None
    kind: str
    definite: bool = False
    gender: str | None = None
    members: tuple[Mention, ...] = ()


def span_text(text: str, toks: list[Tok]) -> str:
    """The original characters covered by a run of tokens (keeps "'s"), with one plain space
    between words and no soft hyphens: "Donald\u00a0Trump" and "Don\u00adald Trump" are Donald Trump."""
    span = text[toks[0].start : toks[-1].start + len(toks[-1].text)]
    if "\u00ad" in span or "\u200b" in span:
        span = span.replace("\u00ad", "").replace("\u200b", "")
    return " ".join(span.split()) if "\u00a0" in span or "  " in span or "\n" in span else span


def is_name_word(tok: Tok) -> bool:
    """A capitalised word that can be part of a name (not "The", "During", "He")."""
    return tok.capitalised and tok.low not in lexicon().function_words


def is_head_word(tok: Tok) -> bool:
    """A word that may end a speaker phrase: a name, a title or a body noun."""
    lex = lexicon()
    return tok.kind == "word" and (is_name_word(tok) or lex.is_title(tok.text) or lex.is_body(tok.text))


def phrase_before(toks: list[Tok], end: int) -> int | None:
    """Start index of the speaker phrase ending just before ``end``, or None if there is none.

    Walks left over names, titles, body nouns, possessives, name links ("Ministry of
    Defense"), up to two lowercase pre-modifiers of a title ("military leader") and one
    determiner, which ends the phrase.
    """
    if end >= 3 and toks[end - 1].low == "others" and toks[end - 2].text == "and":
        return phrase_before(toks, end - 2)  # "Edwards and others said"
    if end <= 0 or not is_head_word(toks[end - 1]):
        return None
    start, premods = end - 1, 0
    while start > 0 and end - start < MAX_PHRASE:
        tok, right = toks[start - 1], toks[start]
        if tok.low in DETERMINERS:
            start -= 1
            if not _owner_before(toks, start):
                break
            # "Ana Ruiz of | the Harbor Daily said": the person speaks, not the paper
            return phrase_before(toks, start - 1) or start
        if is_head_word(tok) or tok.kind == "poss" or (tok.low in NAME_LINKS and is_name_word(right)):
            start -= 1
        elif _is_premodifier(tok, right) and premods < MAX_PREMODIFIERS:
            start, premods = start - 1, premods + 1
        else:
            break
    while toks[start].low in NAME_LINKS:
        start += 1
    return _coordinated_start(toks, start)


def _coordinated_start(toks: list[Tok], start: int) -> int:
    """Start of "X and" before a phrase of X's partners: "Sanders and | his supporters",
    "Netanyahu and | other leaders" (names joined by "and" are walked over already)."""
    k = start - 1 if start > 0 and toks[start - 1].low in GROUP_PARTNERS else start
    if k >= 2 and toks[k - 1].text == "and":
        left = phrase_before(toks, k - 1)
        if left is not None:
            return left
    return start


def _owner_before(toks: list[Tok], det: int) -> bool:
    """A name and "of" before the determiner at ``det``: "Ana Ruiz of the Harbor Daily"."""
    return det > 1 and toks[det - 1].text == "of" and _is_plain_name(toks[det - 2])


def _person_of_place(toks: list[Tok]) -> int | None:
    """Index of the "of" after a person's name: "Jeffrey Lewis of the James Martin Center", "Marc
    Lasry of Avenue Capital Group" (a given name first, or "the" after "of"), not "Bank of America"."""
    lex = lexicon()
    for k in range(2, min(len(toks) - 1, MAX_NAME_WORDS + 1)):
        if toks[k].text != "of":
            continue
        names = toks[:k]
        if not all(_is_plain_name(t) and not lex.is_body(t.text) for t in names):
            return None
        return k if toks[k + 1].low in DETERMINERS or names[0].low in lex.name_genders else None
    return None


def phrase_after(toks: list[Tok], start: int) -> int | None:
    """End index (exclusive) of the speaker phrase starting at ``start``, or None."""
    end = start + (start < len(toks) and toks[start].low in DETERMINERS)
    last_head, titled = None, False
    lex = lexicon()
    while end < len(toks) and end - start < MAX_PHRASE:
        tok = toks[end]
        nxt = toks[end + 1] if end + 1 < len(toks) else None
        if is_head_word(tok):
            last_head, titled = end, titled or lex.is_title(tok.text)
        elif titled and tok.text.islower() and tok.low not in NAME_LINKS and _is_plain_name(toks[end - 1]):
            break  # "Mayor Ed Lin | met reporters": a titled name is complete
        elif not (tok.kind == "poss" or (nxt is not None and _links_forward(tok, nxt, end == start + 1))):
            break
        end += 1
    return None if last_head is None else last_head + 1


def _links_forward(tok: Tok, nxt: Tok, after_determiner: bool = False) -> bool:
    """A non-head word that continues a phrase read left to right: "of" in "Ministry of Defense",
    "finance" in "finance department", "city" in "the city's finance department"."""
    return (
        (tok.low in NAME_LINKS and is_name_word(nxt))
        or _is_premodifier(tok, nxt, after_determiner)
        or (nxt.kind == "poss" and tok.kind == "word")
    )


def _is_plain_name(tok: Tok) -> bool:
    """A name word that is no title: "Lin" in "Mayor Ed Lin", not "Republican" in "Republican
    presidential candidate Donald Trump", which a lowercase word may still continue."""
    return is_name_word(tok) and not lexicon().is_title(tok.text)


def _is_premodifier(tok: Tok, right: Tok, after_determiner: bool = False) -> bool:
    """A lowercase word directly before a title or body noun ("military leader", "senior official").

    A word that is also a speech verb ("state", "report") counts only straight after a
    determiner, where it cannot be a verb: "the state health department"; an auxiliary
    never does ("Ali would attend prayer services": "would" ends the phrase "Ali").
    """
    lex = lexicon()
    auxiliary = tok.low in lex.verb_modifiers or tok.low in lex.passive_markers
    lowercase_word = tok.kind == "word" and tok.text.islower() and tok.low not in lex.function_words and not auxiliary
    before_head = lex.is_title(right.text) or lex.is_body(right.text) or right.text.islower()
    return lowercase_word and (after_determiner or not lex.is_cue(tok.low)) and before_head


def appositive_before(toks: list[Tok], comma: int) -> tuple[int, int] | None:
    """(start, end) of ", the acting head of the Kursk region," whose closing comma is at ``comma``."""
    for i in range(comma - 1, max(comma - MAX_APPOSITIVE, 0) - 1, -1):
        if toks[i].text == ",":
            return (i + 1, comma) if i + 1 < comma else None
        if toks[i].kind in ("punct", "quote"):
            return None
    return None


def appositive_after(toks: list[Tok], comma: int) -> tuple[int, int]:
    """(start, end) of the appositive after the comma at ``comma``, to the next comma or stop."""
    end = comma + 1
    while end < len(toks) and end - comma < MAX_APPOSITIVE and toks[end].kind in ("word", "poss"):
        end += 1
    return comma + 1, end


def role_of_appositive(text: str, toks: list[Tok]) -> str | None:
    """An appositive names a role if it is a determiner phrase or holds a title
    ("the head of the district administration", "a spokeswoman for the agency");
    relative clauses and ages ("who leads the group", "54") are not roles."""
    if not toks or toks[0].low in lexicon().function_words - DETERMINERS or toks[0].text[0].isdigit():
        return None
    lex = lexicon()
    if toks[0].low.endswith("ing") and toks[0].text.islower() and (len(toks) == 1 or toks[1].low in lex.function_words):
        return None  # "throwing a wrench in ...", "according to an organizer" (not "managing director")
    lex = lexicon()
    if toks[0].low not in DETERMINERS and not any(lex.is_title(t.text) or lex.is_body(t.text) for t in toks):
        return None
    verb = next((k for k, t in enumerate(toks) if t.low in lex.verb_modifiers or t.low in lex.passive_markers), None)
    if verb is not None:  # a clause follows: "a former aide who has worked ..." / "the port would close"
        if not any(lex.is_title(t.text) for t in toks[:verb]):
            return None
        toks = toks[: next((k for k in range(verb, 0, -1) if lex.is_title(toks[k - 1].text)), verb)]
    words = toks[1:] if toks[0].low in DETERMINERS else toks
    return span_text(text, words) if words else None


def mention_of(text: str, toks: list[Tok]) -> Mention | None:
    """Split a speaker phrase into name and role, and say whether it is a person or a body
    (and, for a person, the gender its words tell, if they tell one)."""
    mention = _mention_of(text, toks)
    if mention is None or mention.kind not in ("person", "unknown"):
        return mention
    gender = gender_of(toks)
    return replace(mention, gender=gender) if gender else mention


def gender_of(toks: list[Tok]) -> str | None:
    """The gender an honorific or role noun of the phrase tells ("Mrs.", "spokeswoman",
    "Chairman"), else its first given name ("Hillary Clinton", not "Clinton" alone); None when
    nothing tells."""
    lex = lexicon()
    said = next((lex.role_genders[t.low] for t in toks if t.low in lex.role_genders), None)
    if said:
        return said
    # a given name only before a surname: "Clinton" alone is Mrs. or Mr. Clinton, not a first name
    first = None
    for t in toks:
        if t.capitalised and not lex.is_title(t.text):
            if first is not None:
                return lex.name_genders.get(first.low)
            first = t
    return None


def _mention_of(text: str, toks: list[Tok]) -> Mention | None:
    if not toks:
        return None
    lex = lexicon()
    # Only "the" refers back ("the official" = the one already quoted); "a senior
    # official" introduces someone new.
    definite = toks[0].low == "the"
    if toks[0].low in DETERMINERS:
        toks = toks[1:]
    if not toks:
        return None
    if len(toks) > 2:  # only a phrase of three words or more can hold "of" or "and" between names
        words = {t.text for t in toks}
        of = _person_of_place(toks) if "of" in words else None
        if of is not None:  # "Jeffrey Lewis of the James Martin Center": the person
            return _mention_of(text, toks[:of])
        group = _group_of(text, toks) if "and" in words else None
        if group is not None:
            return group
    if len(toks) == 1 and toks[0].low in lex.pronouns:
        return Mention(toks[0].low, None, "pronoun")
    last_title = max((i for i, t in enumerate(toks) if lex.is_title(t.text)), default=-1)
    owned = _owned_person(text, toks, last_title)
    if owned:
        return owned
    named_body = last_title < 0 and any(lex.is_body(t.text) for t in toks if t.capitalised)
    if lex.is_body(toks[-1].text) or named_body:
        # "the ministry", "Ukrainian officials", "Ministry of Defense" (not "Kremlin spokesman X")
        # "The Sanders campaign" names its body: only an unnamed one refers back ("the ministry")
        return Mention(span_text(text, toks), None, "body", definite and not any(t.capitalised for t in toks))
    name_start = _name_start(toks, last_title)
    if name_start >= len(toks):
        # a role only: "the governor" (a person), "Presidential candidates" (a group of them)
        kind = "body" if toks[-1].low not in lex.titles and lex.is_title(toks[-1].text) else "person"
        return Mention(expand_role(span_text(text, toks)), None, kind, definite)
    if last_title < 0 and name_start and toks[name_start - 1].low in NAME_LINKS:
        return None  # "the north of England": a place, not a speaker
    name_toks = _without_place(toks[name_start:])
    if not all(is_name_word(t) or t.low in NAME_LINKS for t in name_toks):
        return None
    if name_toks[0].low in NAME_LINKS:  # "Republican of Florida": a role, no name
        return Mention(expand_role(span_text(text, toks)), None, "person", definite)
    role_toks = [t for t in toks[:name_start] if not lex.is_honorific(t.text)]
    role = expand_role(span_text(text, role_toks)) if role_toks else None
    kind = "person" if name_start or len(name_toks) > 1 else "unknown"
    name = span_text(text, name_toks)
    if any(t.text == "and" for t in name_toks) or name.lower() in lex.places:
        kind = "body"  # "Novak Djokovic and Andy Murray": two people; "United States": a place
    return Mention(name, role, kind)


def _group_of(text: str, toks: list[Tok]) -> Mention | None:
    """Speakers joined by "and" are one group (a body: "they", never "he"): "Maine Sen. Susan
    Collins and Texas Rep. Louis Gohmert" -> "Susan Collins and Louis Gohmert", "Sanders and
    his supporters", "Edwards and others"."""
    k = next((k for k in range(1, len(toks) - 1) if toks[k].text == "and"), None)
    if k is None:
        return None
    right = toks[k + 1 :]
    if right[0].low in GROUP_PARTNERS and len(right) > 1:
        right = right[1:]
    first = mention_of(text, toks[:k])
    second = None if [t.low for t in right] == ["others"] else mention_of(text, right)
    if first is None or first.kind == "pronoun" or (second is None and right[-1].low != "others"):
        return None
    if second is not None and second.kind == "pronoun":
        return None
    lex = lexicon()
    if first.kind == "person" and lex.is_title(first.name.split()[-1]):
        return None  # "the Florida senator and Republican presidential candidate": one person's roles
    people = tuple(m for m in (first, second) if m is not None and m.kind in ("person", "unknown"))
    name = f"{first.name} and {second.name}" if len(people) == 2 and second is not None else span_text(text, toks)
    return Mention(name, None, "body", members=tuple(m for m in people if m.kind == "person"))


def _owned_person(text: str, toks: list[Tok], last_title: int) -> Mention | None:
    """A name after a possessive, with no title after it: "The Washington Post's Ed O'Keefe"
    is Ed O'Keefe of The Washington Post (a title keeps its owner in the role as usual:
    "the Kremlin's spokesman Dmitry Peskov")."""
    poss = max((i for i, t in enumerate(toks) if t.kind == "poss"), default=-1)
    if poss < 1 or last_title > poss or poss + 1 >= len(toks) or not is_name_word(toks[poss + 1]):
        return None
    person = mention_of(text, toks[poss + 1 :])
    if person is None or person.kind == "body" or person.kind == "pronoun":
        return None
    owner = toks[1:poss] if toks[0].low in DETERMINERS else toks[:poss]
    if not owner:
        return None
    role = ", ".join(r for r in (person.role, expand_role(span_text(text, owner))) if r)
    return Mention(person.name, role, "person")


def expand_role(role: str) -> str:
    """Spell out abbreviated titles: "Illinois Gov." -> "Illinois Governor", "Lt. Gen." ->
    "Lieutenant General", so one person's role reads the same in AP and BBC copy."""
    lex = lexicon()
    return " ".join(lex.expand_title(word) for word in role.split())


def _without_place(name_toks: list[Tok]) -> list[Tok]:
    """Drop a home place after a full name: "Dick Durbin of Illinois" -> "Dick Durbin"."""
    cut = next((k for k, t in enumerate(name_toks) if t.low == "of" and k >= 2), None)
    return name_toks[:cut] if cut else name_toks


def _name_start(toks: list[Tok], last_title: int) -> int:
    """Where the name begins: after the last title, plus "of State" style tails that leave
    at least two name words ("Secretary of State Antony Blinken")."""
    start = last_title + 1
    if start < len(toks) and toks[start].low in ("of", "for"):
        tail = start + 1
        while tail < len(toks) and len(toks) - tail > 2:
            tail += 1
        start = tail if len(toks) - tail >= 2 else start
    if last_title < 0:
        names = (i for i, t in enumerate(toks) if is_name_word(t) and not _is_demonym(t, toks, i))
        start = next(names, len(toks))
    return start


def _is_demonym(tok: Tok, toks: list[Tok], i: int) -> bool:
    """A capitalised modifier before lowercase words ("Ukrainian" in "Ukrainian military leader X")."""
    return i + 1 < len(toks) and not toks[i + 1].capitalised


def place_role(role: str, sentence: str) -> str:
    """Give a place-bound title its place from the sentence:
    "In the Belgorod region, Governor X announced" -> "Governor of the Belgorod region"."""
    words = role.split()
    if not words or words[-1].lower() not in lexicon().place_titles or " of " in role:
        return role
    match = PLACE_RE.search(sentence)
    return f"{role} of the {match.group('place')}" if match else role
