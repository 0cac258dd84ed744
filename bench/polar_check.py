"""What the yes/no predicate check (``bot.answer.polar``) costs and gains, on SQuAD first, then on the news set.

    python bench/polar_check.py

For every yes/no question (``polar.is_polar``) of SQuAD dev pools A and B (pooled and per-passage) and
of the news questions, BM25's best ``CANDIDATES`` sentences are checked. Printed per set: how many
yes/no questions there are (answerable / not); the cost, the answerable ones with a right candidate the
check rejects (and of those, the ones whose only right candidates it rejects); the gain, the unanswerable
ones whose best-ranked candidate it rejects (their other candidates are then judged by the decision);
and through ``ask``, with the check, how many unanswerable yes/no questions get no answer and how many
answerable ones get a right first answer. The check has no fitted value (``NEAR_COSINE`` is the predicate
check's 0.5 of ``bench/decision_cv.py``), so every set is a check set.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.devsets import Case, news_cases, run_ask, squad_cases  # noqa: E402
from bot.answer import polar, rank  # noqa: E402
from bot.answer.ask import CANDIDATES, _context  # noqa: E402
from bot.answer.query import parse_query  # noqa: E402
from bot.library import INDEX_PARAMS  # noqa: E402


def measure(cases: list[Case]) -> dict[str, int]:
    m = rank.model()
    f = dict.fromkeys(("answerable", "unanswerable", "right_rejected", "all_right_rejected", "best_rejected"), 0)
    f |= {"silent": 0, "right_first": 0}
    polar_cases = [Case(c.library, [q for q in c.questions if polar.is_polar(q.text)]) for c in cases]
    for case in polar_cases:
        lib = case.library
        for q in case.questions:
            f["answerable" if q.answerable else "unanswerable"] += 1
            query = parse_query(q.text, lib.analyzer)
            hits = [(h.index, h.score) for h in lib.search(query.terms, CANDIDATES)]
            if not hits:
                continue
            ctx = _context(lib, query, query.terms, hits)
            cands = rank.candidates(lib, query.terms, hits)
            asked = polar.predicate(ctx, lib.analyzer)
            kept = [polar.speaks_of(asked, c) for c in cands]
            right = [c.position in q.right for c in cands]
            if q.answerable:
                rejected = [r and not k for r, k in zip(right, kept, strict=True)]
                f["right_rejected"] += any(rejected)
                f["all_right_rejected"] += any(right) and not any(r and k for r, k in zip(right, kept, strict=True))
            else:
                best = int(np.argmax(m.scores(rank.feature_matrix(ctx, cands, m.features))))
                f["best_rejected"] += not kept[best]
    for q, reply, shown in run_ask(polar_cases):
        if q.answerable:
            f["right_first"] += bool(shown) and shown[0] in q.right
        else:
            f["silent"] += reply.status != "answered"
    return f


def show(name: str, f: dict[str, int]) -> None:
    print(
        f"{name:<22} yes/no questions {f['answerable']} answerable / {f['unanswerable']} not | cost: right "
        f"candidate rejected {f['right_rejected']}, every right one {f['all_right_rejected']} | gain: best "
        f"candidate rejected {f['best_rejected']}/{f['unanswerable']} | ask: silent {f['silent']}/"
        f"{f['unanswerable']}, right first {f['right_first']}/{f['answerable']}"
    )


def main() -> None:
    for pool in "AB":
        for mode in ("pooled", "per-passage"):
            show(f"SQuAD {pool} {mode}", measure(squad_cases(pool, mode, INDEX_PARAMS)))
    show("news", measure(news_cases(INDEX_PARAMS)))


if __name__ == "__main__":
    main()
