"""Who is who within one article: one entity per speaker, however it is mentioned.

"Russian President Vladimir Putin" registers Putin with his role; a later "Putin"
(surname), "the president" (role word) or "He" (most recent fitting speaker) resolves
to that same entity, which keeps the role first given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.speakers.lexicon import lexicon, singular
from bot.speakers.phrases import Mention
from bot.speakers.tokens import surname


@dataclass
class Entity:
    """A speaker or named person in the article; ``name`` may grow ("Doe" -> "Jane Doe")."""

    name: str
    role: str | None
    kind: str
    aliases: set[str] = field(default_factory=set)
    gender: str | None = None  # "female" / "male" once a word or a pronoun has told it

    def words(self) -> set[str]:
        """Lower-case words of name and role, plus the kind nouns of body words ("Inc" ->
        company, firm), for matching role-only mentions such as "the company"."""
        words = {singular(w.lower()) for w in f"{self.name} {self.role or ''}".split()}
        kinds = lexicon().body_kinds
        return words | {kind for w in f"{self.name} ".lower().split() for kind in kinds.get(w, ())}


def without_legal_suffix(name: str) -> str | None:
    """ "Voltra Inc" -> "Voltra": a company name without the suffix bodies.txt lists as a company's
    (Inc, Corp, Ltd, plc ...); None when there is none."""
    words = name.split()
    kinds = lexicon().body_kinds.get(words[-1].lower(), ()) if len(words) > 1 else ()
    is_suffix = "company" in kinds and singular(words[-1].lower()) not in ("company", "firm", "corporation")
    return " ".join(words[:-1]).rstrip(",") if is_suffix else None


def _role_gender(role: str | None) -> str | None:
    """The gender a role tells: "a spokeswoman for the agency" -> female."""
    genders = lexicon().role_genders
    return next((genders[w] for w in (role or "").lower().split() if w in genders), None)


class Registry:
    """Entities seen so far, and the order in which they last spoke."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.recent: list[Entity] = []

    def find(self, name: str, gender: str | None = None) -> Entity | None:
        """The entity with this full name, or whose surname this is (most recently added first);
        given a gender, not one known to be of the other ("Mrs. Clinton" is not Bill Clinton)."""
        key = name.lower()
        for entity in reversed(self.entities):
            named = key == entity.name.lower() or key in entity.aliases
            if named and (gender is None or entity.gender in (None, gender)):
                return entity
        return None

    def add(self, mention: Mention) -> Entity:
        """Register a named mention, merging it with an entity it extends or repeats; the
        members of a group are registered too ("Harry Reid and Chuck Schumer": a later
        "Schumer" is Chuck Schumer)."""
        for member in mention.members:
            self.add(member)
        bare = without_legal_suffix(mention.name)
        entity = self.find(mention.name, mention.gender) or (bare and self.find(bare)) or self._shorter_form(mention)
        if entity is None:
            entity = Entity(mention.name, mention.role, mention.kind)
            self.entities.append(entity)
        elif len(mention.name.split()) > len(entity.name.split()) and mention.kind != "body":
            entity.aliases.add(entity.name.lower())
            entity.name = mention.name
        entity.role = entity.role or mention.role
        entity.gender = entity.gender or mention.gender or _role_gender(mention.role)
        if entity.kind == "unknown" and mention.kind != "unknown":
            entity.kind = mention.kind
        if entity.kind == "person" and len(entity.name.split()) > 1:
            entity.aliases.add(surname(entity.name).lower())
        if short := without_legal_suffix(entity.name):  # "Voltra Inc" is later just "Voltra"
            entity.aliases.add(short.lower())
        return entity

    def _shorter_form(self, mention: Mention) -> Entity | None:
        """An entity first seen by surname only ("Doe said") that this full name completes."""
        last = surname(mention.name).lower()
        if mention.kind == "body" or len(mention.name.split()) < 2:
            return None
        return next((e for e in reversed(self.entities) if e.name.lower() == last), None)

    def spoke(self, entity: Entity) -> None:
        """Remember ``entity`` as the most recent speaker (or a sentence's subject), for pronouns."""
        if entity in self.recent:
            self.recent.remove(entity)
        self.recent.append(entity)

    def latest(self, kind: str) -> Entity | None:
        """The entity of ``kind`` most recently in focus (spoke or opened a sentence), else
        the last one named: the interviewee of a Q&A."""
        for pool in (self.recent, self.entities):
            found = next((e for e in reversed(pool) if e.kind == kind), None)
            if found:
                return found
        return None

    def pronoun(self, word: str) -> Entity | None:
        """The most recent speaker a pronoun may stand for ("he" -> a person, "it" -> a body);
        "she" skips a man and "he" a woman, and the gender is then known for the next one."""
        lex = lexicon()
        gender = lex.pronoun_genders.get(word)
        for kind in lex.pronouns.get(word, ()):
            for entity in reversed(self.recent):
                if entity.kind == kind and (gender is None or entity.gender in (None, gender)):
                    if gender and entity.kind == "person":
                        entity.gender = gender
                    return entity
        return None

    def definite(self, mention: Mention) -> Entity | None:
        """The most recent speaker (else named entity) whose name or role has the head word
        of "the governor" / "the ministry"."""
        words = mention.name.lower().split()
        # every title names the person: "the Florida senator and Republican presidential
        # candidate" is the senator named before; a group that shares a word is not meant
        heads = {singular(words[-1])} | {singular(w) for w in words if lexicon().is_title(w)}
        plural = singular(words[-1]) != words[-1]  # "the Centerview founders" are no one person
        if mention.kind == "person" and not plural:
            fits: Callable[[Entity], bool] = lambda e: e.kind != "body"  # noqa: E731
        else:
            fits = (lambda e: e.kind == "body") if plural else (lambda e: True)
        for pool in (self.recent, self.entities):
            found = next((e for e in reversed(pool) if fits(e) and heads & e.words()), None)
            if found:
                return found
        return None
