"""How well the shipped no-answer decision tells unanswerable questions from right answers, per question form.

    python bench/answerability.py

For SQuAD dev pools A and B (pooled and per-passage) and the news questions, each question's best
candidate under the shipped ranking (``bot.answer.ask.rank_question``, before the "how many" and yes/no
filters and the speaker routes) gets the decision's probability. Printed per question form (the first
words: yes/no, how many/much, when, where, who, what/which, how, why, other): the AUC of that
probability between right first answers and unanswerable questions (0.5: no separation), and at the
shipped ``answer_threshold`` how many right first answers it silences and how many unanswerable
questions. Pool A is the decision's fitting pool; pool B and the news set are checks.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.devsets import news_cases, squad_cases  # noqa: E402
from bench.fit_ranker import Item, collect  # noqa: E402
from bot.answer import polar, rank  # noqa: E402
from bot.library import INDEX_PARAMS  # noqa: E402

FORMS = (
    ("how many/much", re.compile(r"how\s+(?:many|much)\b", re.I)),
    ("when", re.compile(r"when\b", re.I)),
    ("where", re.compile(r"where\b", re.I)),
    ("who", re.compile(r"who(?:m|se|'s|’s)?\b", re.I)),
    ("what/which", re.compile(r"(?:what|which)\b", re.I)),
    ("how", re.compile(r"how\b", re.I)),
    ("why", re.compile(r"why\b", re.I)),
)


def form(question: str) -> str:
    """The question's form, from its first words."""
    if polar.is_polar(question):
        return "yes/no"
    text = question.lstrip()
    return next((name for name, pattern in FORMS if pattern.match(text)), "other")


def auc(pos: list[float], neg: list[float]) -> float:
    """P(a right answer's probability > an unanswerable one's), ties counting half."""
    if not pos or not neg:
        return float("nan")
    p, n = np.array(pos)[:, None], np.array(neg)[None, :]
    return float((p > n).mean() + 0.5 * (p == n).mean())


def report(name: str, items: list[Item]) -> None:
    m = rank.model()
    right: dict[str, list[float]] = defaultdict(list)
    none: dict[str, list[float]] = defaultdict(list)
    for it in items:
        if not it.positions:
            continue
        s = m.scores(it.x)
        i = int(np.lexsort((np.arange(len(s)), -s))[0])
        p = m.probability(s, it.x, i)
        kind = form(it.question.text)
        if not it.question.answerable:
            none[kind].append(p)
        elif it.right[i]:
            right[kind].append(p)
    print(f"== {name} (answer_threshold {m.answer_threshold})")
    kinds = sorted(set(right) | set(none), key=lambda k: -len(right[k]) - len(none[k]))
    for kind in [*kinds, "all"]:
        pos = [p for k in kinds for p in right[k]] if kind == "all" else right[kind]
        neg = [p for k in kinds for p in none[k]] if kind == "all" else none[kind]
        lost = sum(p < m.answer_threshold for p in pos)
        silent = sum(p < m.answer_threshold for p in neg)
        print(
            f"   {kind:<14} right first {len(pos):4}, unanswerable {len(neg):4} | AUC {auc(pos, neg):.3f} | "
            f"silenced: right {lost}, unanswerable {silent}"
        )


def main() -> None:
    names = rank.model().features
    for pool in "AB":
        for mode in ("pooled", "per-passage"):
            report(f"SQuAD pool {pool} {mode}", collect(squad_cases(pool, mode, INDEX_PARAMS), names))
    report("news", collect(news_cases(INDEX_PARAMS), names))


if __name__ == "__main__":
    main()
