"""Is a question in English? A general rule, so a question the bot cannot read gets a plain answer.

The articles and the search are English, so a question in another language finds
nothing; the asker should hear that the bot understands English questions, not a
list of English example questions. The rule looks at script and function words only,
knows no particular language, and leans towards "English" (a miss costs the usual
"couldn't find that"; a false alarm would puzzle an English speaker):

- most letters are not Latin (Cyrillic, Greek, Arabic, Hebrew, Devanagari, CJK ...): not English;
- in Latin script, no word is an English function word (``bot/rules/stopwords.txt``: who,
  what, did, the, is, about ...) although the question has ``MIN_WORDS`` or more words,
  or has ``FEW_WORDS`` or more and a letter English does not use (é, ñ, ü, ß, ł ...):
  not English. Names are no evidence either way ("Putin", "Gladkov").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from bot import rules

__all__ = ["looks_english"]

MIN_WORDS = 5
"""An English question this long without a single function word is very rare."""
FEW_WORDS = 3
"""With a non-English letter in it, this many words without a function word are enough."""
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@cache
def _function_words() -> frozenset[str]:
    return frozenset(rules.words("stopwords.txt"))


def _latin(letter: str) -> bool:
    return unicodedata.name(letter, "").startswith("LATIN")


def looks_english(text: str) -> bool:
    """True unless ``text`` is plainly in another language (see the module docstring).

    >>> looks_english("What did Gladkov say about the evacuation?"), looks_english("Кто такой Путин?")
    (True, False)
    >>> looks_english("¿Qué dijo Putin sobre las negociaciones?"), looks_english("Kursk casualties")
    (False, True)
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    if sum(map(_latin, letters)) * 2 < len(letters):
        return False
    words = [w.lower() for w in WORD.findall(text)]
    if any(w in _function_words() or w.split("'")[0] in _function_words() for w in words):
        return True
    foreign_letter = any(not c.isascii() and _latin(c) for c in letters)
    return len(words) < (FEW_WORDS if foreign_letter else MIN_WORDS)
