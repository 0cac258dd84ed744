"""Extraction quality on real pages served over HTTP: trafilatura's defaults against the options we chose.

Each page is served by a local HTTP server on 127.0.0.1 (``tests/web_server.py``)
as ``text/html`` with no charset, so the charset comes from the page itself,
then read exactly as a link sent to the bot is: ``bot.corpus.fetch.fetch`` and
``bot.corpus.extract.extract_page``. The body is scored against the page's
annotated article body with the shingle measure of the public
article-extraction benchmark (4-word shingles; per-page precision and recall
averaged; F1 of the averages), which its pages and ``ground-truth.json`` are
from. The pages are not in this repo (their texts belong to their publishers):

    python bench/extraction.py --pages DIR     # DIR holds ground-truth.json and html/<id>.html[.gz]

Prints one line per option set: F1, precision, recall, pages with no article, and ms per page.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.corpus.extract import TRAFILATURA_OPTIONS, extract_page  # noqa: E402
from bot.corpus.fetch import AddressPolicy, fetch  # noqa: E402
from bot.errors import BotError  # noqa: E402
from tests.web_server import WebServer  # noqa: E402

OPTION_SETS: dict[str, dict[str, Any]] = {
    "trafilatura defaults": {},
    "no comments": {"include_comments": False},
    "chosen": TRAFILATURA_OPTIONS,
    "chosen, no tables": {**TRAFILATURA_OPTIONS, "include_tables": False},
    "chosen, deduplicate": {**TRAFILATURA_OPTIONS, "deduplicate": True},
    "no comments, favor recall": {"include_comments": False, "favor_recall": True},
}
WORD = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    words = WORD.findall(text or "")
    return Counter(tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)) if words[i : i + n])


def counts(true: str, predicted: str) -> tuple[float, float, float]:
    """Shares of true positives, false positives and false negatives among all shingles of both."""
    gold, got = shingles(true), shingles(predicted)
    tp, fp, fn = sum((gold & got).values()), sum((got - gold).values()), sum((gold - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _ratio(tp: float, other: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == other == 0 else tp / (tp + other)


def score(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    precision = statistics.mean(_ratio(tp, fp, fp, fn) for tp, fp, fn in rows if tp + fp > 0)
    recall = statistics.mean(_ratio(tp, fn, fp, fn) for tp, fp, fn in rows if tp + fn > 0)
    return {"f1": 2 * precision * recall / (precision + recall), "precision": precision, "recall": recall}


def load_pages(directory: Path) -> dict[str, tuple[bytes, str, str]]:
    """id -> (page bytes, original url, gold article body)."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {}
    for key, gold in truth.items():
        packed, plain = directory / "html" / f"{key}.html.gz", directory / "html" / f"{key}.html"
        data = gzip.decompress(packed.read_bytes()) if packed.is_file() else plain.read_bytes()
        pages[key] = (data, gold.get("url", ""), gold.get("articleBody", ""))
    return pages


async def measure(web: WebServer, pages: dict[str, tuple[bytes, str, str]], options: dict[str, Any]) -> dict:
    rows, failed, started = [], 0, time.perf_counter()
    policy = AddressPolicy(allow_private=True)
    for key, (_, _, gold) in pages.items():
        try:
            text = extract_page(await fetch(web.url(f"/{key}"), policy), options).text
        except BotError:
            text, failed = "", failed + 1
        rows.append(counts(gold, text))
    ms = (time.perf_counter() - started) * 1000 / len(pages)
    return {**score(rows), "no_article": failed, "ms_per_page": ms}


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, required=True, help="folder with ground-truth.json and html/")
    parser.add_argument("--only", nargs="+", choices=sorted(OPTION_SETS), help="option sets to run")
    args = parser.parse_args(argv)
    pages = load_pages(args.pages)
    with WebServer() as web:
        for key, (data, _, _) in pages.items():
            web.page(f"/{key}", data, content_type="text/html")
        print(f"{len(pages)} pages from {args.pages}, served on {web.url()}")
        for name in args.only or OPTION_SETS:
            result = await measure(web, pages, OPTION_SETS[name])
            print(
                f"{name:<28} F1 {result['f1']:.4f}  precision {result['precision']:.4f}  recall "
                f"{result['recall']:.4f}  no article {result['no_article']}  {result['ms_per_page']:.0f} ms/page",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
