"""Example questions generated from the corpus itself, for /start, /help and no-answer hints."""

from __future__ import annotations

import re
from collections import Counter

from bot.search.analysis import stop_words
from bot.search.backend import SearchBackend

_WORD = re.compile(r"[A-Za-z][a-z]{4,}")
ARTICLES_SAMPLED = 20
"""Topic words come from the first articles only: a few examples need no scan of a whole archive."""


def topic_word(library: SearchBackend) -> str | None:
    """A common noun of a headline that the body repeats most (names and stop words excluded)."""
    counts: Counter[str] = Counter()
    stops = stop_words()  # a word of 5+ letters has index terms unless it is a stop word (no stemming: no NLTK)
    for article in library.articles[:ARTICLES_SAMPLED]:
        body = " ".join(s.text for s in article.sentences)
        for word in {w.lower() for w in _WORD.findall(article.title)}:
            if word not in stops:  # lowercase hits only: names are capitalised, so they never count
                counts[word] += len(re.findall(rf"\b{re.escape(word)}\b", body))
    best = counts.most_common(1)
    return best[0][0] if best and best[0][1] > 0 else None


def example_questions(library: SearchBackend, n: int = 3) -> list[str]:
    """Up to n questions this corpus can answer: a topic, a quoted person, and who someone is."""
    questions: list[str] = []
    if word := topic_word(library):
        questions.append(f"What happened with the {word}?")
    people = [s for s in library.speakers if " " in s.name]
    if people:
        questions.append(f"What did {people[0].name.split()[-1]} say?")
    if len(people) > 1:
        questions.append(f"Who is {people[-1].name}?")
    return questions[:n]
