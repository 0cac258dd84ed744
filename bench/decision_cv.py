"""Can a refitted no-answer decision silence more of the news set's unanswerable questions? In-sample vs by article.

    python bench/decision_cv.py

For each news question, the best candidate of the ranking path (``bot.answer.ask.rank_question`` with the
shipped weights) gives one row: the decision's inputs (``bench.fit_ranker.DECISION``), optionally four
paraphrase inputs and a predicate check (the idf share of the question's lowercase words -- its verb among
them -- that neither the sentence, the one before it nor a word vector with cosine >= 0.5 has). A logistic
regression of "this candidate is right" is fitted on the news questions alone (the fit most favourable to
them), in-sample and leave-one-article-out (12 folds). The threshold is the highest that silences no right
first answer, chosen after the fact (an upper bound for any honest choice). Printed: how many unanswerable
questions it silences beyond those ``ask`` already leaves unanswered (``REQUIRED_TYPES``: "how many" /
"how much money" without a number; the speaker routes), and how many wrong first answers it silences with them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.devsets import news_cases  # noqa: E402
from bench.fit_ranker import DECISION, fit_logistic  # noqa: E402
from bot.answer import rank  # noqa: E402
from bot.answer.ask import _context, ask  # noqa: E402
from bot.answer.polar import NEAR_COSINE  # noqa: E402
from bot.answer.query import parse_query  # noqa: E402
from bot.library import INDEX_PARAMS, Library  # noqa: E402
from bot.search.vectors import vectors  # noqa: E402

PARAPHRASE = ("soft_coverage", "similarity", "paraphrase", "answer_type", "context_before")
NEAR = NEAR_COSINE  # the shipped yes/no check uses the same closeness
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’]*")


def predicate_missing(ctx: rank.QuestionContext, c: rank.Candidate, library: Library) -> float:
    """The idf share of the question's lowercase words found neither in the sentence, its predecessor, nor near."""
    v = vectors()
    have = set(c.terms) | c.previous_terms
    total = missing = 0.0
    for word in _LOWER_WORD.findall(ctx.query.text):
        terms = library.index.analyzer.analyze(word)
        weight = ctx.weights.get(terms[0], 0.0) if terms else 0.0
        if not weight:
            continue
        total += weight
        near = (
            v is not None
            and c.word_vectors is not None
            and len(c.word_vectors) > 0
            and float((v.words([word]) @ c.word_vectors.T).max()) >= NEAR
        )
        missing += weight * (terms[0] not in have and not near)
    return missing / total if total else 0.0


def rows() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per news question with candidates: inputs, right, answerable, article, already left unanswered by ask."""
    m = rank.model()
    x_rows, right, answerable, group, silent = [], [], [], [], []
    for case in news_cases(INDEX_PARAMS):
        lib = case.library
        for q in case.questions:
            query = parse_query(q.text, lib.index.analyzer)
            hits = [(h.index, h.score) for h in lib.index.search(query.terms, k=20)]
            if not hits:
                continue
            ctx = _context(lib, query, query.terms, hits)
            cands = rank.candidates(lib, query.terms, hits)
            x = rank.feature_matrix(ctx, cands, m.features)
            s = m.scores(x)
            i = int(np.argmax(s))
            extra = [x[i, m.features.index(n)] for n in PARAPHRASE]
            decision = rank.decision_inputs(s, x, i, m.features, DECISION)
            x_rows.append([*decision, *extra, predicate_missing(ctx, cands[i], lib)])
            right.append(cands[i].position in q.right)
            answerable.append(q.answerable)
            group.append(q.group)
            silent.append(ask(lib, q.text).status != "answered")
    return tuple(np.array(a) for a in (x_rows, right, answerable, group, silent))  # type: ignore[return-value]


def main() -> None:
    x, right, answerable, group, silent = rows()
    z = (x - x.mean(0)) / (x.std(0) + 1e-9)
    y = right.astype(np.float64)
    n = len(DECISION)
    for label, cols in (
        ("decision inputs", list(range(n))),
        ("+ paraphrase inputs + predicate check", list(range(x.shape[1]))),
    ):
        for l2 in (1e-2, 1e-1):
            w, b = fit_logistic(z[:, cols], y, l2=l2)
            inside = 1 / (1 + np.exp(-(z[:, cols] @ w + b)))
            held = np.zeros(len(y))
            for g in set(group.tolist()):
                train = group != g
                w, b = fit_logistic(z[train][:, cols], y[train], l2=l2)
                held[~train] = 1 / (1 + np.exp(-(z[~train][:, cols] @ w + b)))
            for name, p in (("in-sample", inside), ("by article", held)):
                keep = ~silent
                bar = np.min(p[right & keep])  # the highest threshold that silences no right first answer
                silenced = keep & ~answerable & (p < bar)
                wrong = keep & answerable & ~right & (p < bar)
                print(
                    f"{label:<40} l2={l2:<5} {name:<10}: silences {int(silenced.sum())} more of "
                    f"{int((~answerable).sum())} unanswerable, and {int(wrong.sum())} wrong first answers"
                )


if __name__ == "__main__":
    main()
