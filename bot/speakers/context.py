"""Context rules: sentences without a cue of their own take a speaker from their neighbours.

A quotation running over several sentences, AP's "quote-only" paragraphs next to a quoted
speaker, and Q&A transcripts ("Q: ..." / "A: ..." / "OKOYE: ...").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.records import SpeakerKind
from bot.speakers.quotes import QuoteLayout
from bot.speakers.registry import Entity, Registry

__all__ = ["CONTEXT_RULES", "Draft", "interview_label"]


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

# A speaker label opening a paragraph: Q, A, or a name already in the article, in capitals.
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
    if label in ANSWER_LABELS:
        entity = registry.latest("person")
    elif match.group("label").isupper():  # transcripts write speakers in capitals: "OKOYE: ..."
        entity = registry.find(label)
    else:  # "Jeb Bush: Student loans" heads a section of a column; it quotes nobody
        return None
    return Draft(entity, None, "direct", "interview_answer") if entity and entity.kind != "body" else None
