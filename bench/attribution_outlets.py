"""Speaker attribution on PolNeAR per outlet, in process, with the shared scorer's own ``evaluate``.

The shared scorer (``../shared/eval/attribution_eval.py``) runs the CLI once per article and prints
the overall figures; this script imports its ``evaluate`` and predicts in process (the same
``parse_article`` + headline the CLI's ``attribute --json`` prints), so it runs in seconds and can
print the figures per outlet and, with ``--ablate``, what each cue or context rule is worth on each
outlet: a rule fitted to one outlet's quirks helps there and nowhere else.

Examples:
    python bench/attribution_outlets.py
    python bench/attribution_outlets.py --ablate              # every rule, one at a time
    python bench/attribution_outlets.py --ablate coordinated_cue infinitive_cue
    python bench/attribution_outlets.py --json /tmp/before.json   # then, after a change:
    python bench/attribution_outlets.py --baseline /tmp/before.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
FIGURES = ("speech_recall", "named_recall", "narrator_precision")
Prediction = list[tuple[int, int, str | None]]


def _scorer(path: Path) -> Any:
    """The shared scorer as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("attribution_eval", path)
    if spec is None or spec.loader is None:
        sys.exit(f"attribution_outlets: cannot import the scorer {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predict(text: str) -> Prediction:
    """What ``python -m bot attribute --json -`` prints, as the scorer reads it: (start, end, speaker or None)."""
    from bot.corpus import headline_sentence, parse_article

    article = parse_article(text, Path("<stdin>"))
    headline = headline_sentence(article)
    rows = [headline, *article.sentences] if headline else list(article.sentences)
    return [(s.start, s.end, s.speaker.name if s.speaker.kind in ("direct", "reported") else None) for s in rows]


def per_outlet(scorer: Any, articles: list[dict], preds: dict[str, Prediction]) -> dict[str, dict[str, float]]:
    """The scorer's figures over all articles ("all") and over each publisher's."""
    groups: dict[str, list[dict]] = {"all": articles}
    for art in articles:
        groups.setdefault(art["publisher"], []).append(art)
    by_text = {art["text"]: preds[art["id"]] for art in articles}
    return {name: scorer.evaluate(by_text.__getitem__, arts) for name, arts in groups.items()}


def predict_all(articles: list[dict]) -> dict[str, Prediction]:
    return {art["id"]: predict(art["text"]) for art in articles}


@contextmanager
def without_rule(name: str) -> Iterator[None]:
    """Attribution with one cue or context rule taken out (as tests/test_speakers.py does)."""
    from bot.speakers import attribution, cues

    saved_cues, saved_context = cues.CUE_RULES, attribution.CONTEXT_RULES
    cues.CUE_RULES = tuple(r for r in saved_cues if r.name != name)
    attribution.CONTEXT_RULES = tuple(r for r in saved_context if r[0] != name)
    try:
        yield
    finally:
        cues.CUE_RULES, attribution.CONTEXT_RULES = saved_cues, saved_context


COUNTS = {"speech_recall": "speech", "named_recall": "named", "narrator_precision": "free_sentences"}


def _row(name: str, res: dict[str, float], base: dict[str, float] | None = None) -> str:
    """Figures, or (given ``base``) their change and the change in sentences: "+0.011 (+2)"."""
    cells = []
    for key in FIGURES:
        if base is None:
            cells.append(f"{res[key]:.3f}")
            continue
        n = res[COUNTS[key]]
        cells.append(f"{res[key] - base[key]:+.3f} ({round(res[key] * n) - round(base[key] * n):+d})")
    width = 8 if base is None else 14
    counts = f"   {res['speech']:>5} {res['named']:>5} {res['free_sentences']:>5}" if base is None else ""
    return f"{name:<14} " + " ".join(f"{c:>{width}}" for c in cells) + counts


def _print_table(title: str, table: dict[str, dict[str, float]], base: dict[str, dict[str, float]] | None) -> None:
    print(f"\n{title}")
    width = 14 if base else 8
    header = f"{'outlet':<14} {'speech':>{width}} {'named':>{width}} {'narrator':>{width}}"
    print(header + ("" if base else "   speech named  free"))
    for outlet, res in table.items():
        print(_row(outlet, res, base[outlet] if base else None))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=EVAL, help="where attribution_eval.py and its data are")
    ap.add_argument("--ablate", nargs="*", metavar="RULE", help="rules to take out one at a time (none named: all)")
    ap.add_argument("--json", type=Path, help="write the figures (and ablations) here")
    ap.add_argument("--baseline", type=Path, help="also print the change from the figures of an earlier --json run")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    scorer = _scorer(args.eval_dir / "attribution_eval.py")
    articles = json.loads((args.eval_dir / "polnear_train.json").read_text(encoding="utf-8"))["articles"]

    base = per_outlet(scorer, articles, predict_all(articles))
    _print_table("figures (speech recall, named recall, narrator precision; counts)", base, None)
    out: dict[str, Any] = {"figures": base}
    if args.baseline:
        before = json.loads(args.baseline.read_text(encoding="utf-8"))["figures"]
        _print_table(f"change from {args.baseline}", base, before)
    if args.ablate is not None:
        from bot.speakers import attribution, cues

        names = args.ablate or [r.name for r in cues.CUE_RULES] + [name for name, _ in attribution.CONTEXT_RULES]
        out["ablations"] = {}
        for name in names:
            with without_rule(name):
                table = per_outlet(scorer, articles, predict_all(articles))
            _print_table(f"without {name} (change)", table, base)
            out["ablations"][name] = table
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
