"""Benchmark: index build time and memory, query latency, rank-bm25 / bm25s side by side, start-up (the first
load in one process and on every core, side by side), speaker attribution speed, bot throughput.

Run with ``make bench`` (or ``python bench/run.py``); ``--quick`` runs tiny
sizes in seconds (the test suite does, to check the script works). Every
measurement that allocates runs in its own child process, so one size's
memory does not inflate the next one's peak RSS (``ru_maxrss`` of the child).
Prints a table and writes ``bench/results.json`` and ``bench/RESULTS.md``.

Example: python bench/run.py --sizes 1000 100000 --startup-size 10000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE_QUESTIONS = [
    "How far have Ukrainian forces advanced into Russia?",
    "What did Putin say?",
    "Who is Aleksey Smirnov?",
    "How many villages were seized?",
    "What happened in Kursk?",
    "Who said the situation was difficult?",
    "What did Gladkov say about Belgorod?",
    "How many people were evacuated?",
]


def peak_rss_mb() -> float:
    """This process's peak resident set size (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def percentiles(seconds: list[float]) -> dict[str, float]:
    """p50 / p99 / mean in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    if not ms:
        return {"p50_ms": float("nan"), "p99_ms": float("nan"), "mean_ms": float("nan")}
    return {"p50_ms": round(_pct(ms, 50), 4), "p99_ms": round(_pct(ms, 99), 4), "mean_ms": round(sum(ms) / len(ms), 4)}


def _pct(sorted_values: list[float], p: float) -> float:
    k = (len(sorted_values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def timed(fn: Any, items: list, budget_s: float = float("inf")) -> list[float]:
    """Per-item wall times of fn(item), stopping early once the budget is spent (at least 3 items)."""
    times: list[float] = []
    start = time.perf_counter()
    for item in items:
        t = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - t)
        if len(times) >= 3 and time.perf_counter() - start > budget_s:
            break
    return times


# --- children: each prints one JSON line --------------------------------------------------------------------


def child_build(size: int, n_queries: int) -> dict[str, Any]:
    """Our index: build from raw text (analysis included), memory, query latency on question strings."""
    from bench.synthetic import Synthetic
    from bot.retrieval import BM25Index

    syn = Synthetic(size)
    texts = syn.sentences()
    questions = syn.questions(n_queries)
    del syn
    rss_texts = current_rss_mb()
    t = time.perf_counter()
    index = BM25Index(texts)
    build_s = time.perf_counter() - t
    for q in questions[:10]:  # warm-up
        index.search(q)
    lat = timed(index.search, questions)
    return {
        "size": size,
        "build_s": round(build_s, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_texts_mb": round(rss_texts, 1),
        "postings": len(index.doc_ids),
        "terms": len(index.vocabulary),
        **{f"search_{k}": v for k, v in percentiles(lat).items()},
    }


def child_compare(size: int, n_queries: int, rank_max: int, budget_s: float) -> dict[str, Any]:
    """The same token lists and queries through ours, rank-bm25 and bm25s, in one process."""
    import numpy as np

    from bench.synthetic import Synthetic
    from bot.retrieval import BM25Index, analyze

    syn = Synthetic(size)
    tokens = [analyze(s) for s in syn.sentences()]
    queries = [analyze(q) for q in syn.questions(n_queries)]
    out: dict[str, Any] = {"size": size, "queries": len(queries)}
    t = time.perf_counter()
    ours = BM25Index(tokens=tokens)
    out["ours_build_s"] = round(time.perf_counter() - t, 3)
    ours.search(queries[0])
    out["ours_search"] = percentiles(timed(ours.search, queries))
    out["ours_get_scores"] = percentiles(timed(ours.get_scores, queries))
    if size <= rank_max:
        from rank_bm25 import BM25Okapi

        t = time.perf_counter()
        theirs = BM25Okapi(tokens)
        out["rank_bm25_build_s"] = round(time.perf_counter() - t, 3)
        times = timed(theirs.get_scores, queries, budget_s)
        out["rank_bm25_get_scores"] = {**percentiles(times), "queries": len(times)}
        checked = queries[: len(times)]
        out["equal_scores"] = all(np.array_equal(ours.get_scores(q), theirs.get_scores(q)) for q in checked[:5])
        out["speedup_search_vs_rank_bm25"] = round(
            out["rank_bm25_get_scores"]["mean_ms"] / out["ours_search"]["mean_ms"], 1
        )
        out["speedup_get_scores_vs_rank_bm25"] = round(
            out["rank_bm25_get_scores"]["mean_ms"] / out["ours_get_scores"]["mean_ms"], 1
        )
        del theirs
    try:
        import bm25s
    except ImportError:
        out["bm25s"] = "not installed"
    else:
        t = time.perf_counter()
        retriever = bm25s.BM25(method="robertson")
        retriever.index(tokens, show_progress=False)
        out["bm25s_build_s"] = round(time.perf_counter() - t, 3)
        known = [[w for w in q if w in retriever.vocab_dict] or [next(iter(retriever.vocab_dict))] for q in queries]

        def bm25s_top3(q: list[str]) -> Any:
            return retriever.retrieve([q], k=min(3, size), show_progress=False, n_threads=1)

        out["bm25s_retrieve"] = percentiles(timed(bm25s_top3, known, budget_s))
        out["bm25s_get_scores"] = percentiles(timed(retriever.get_scores, known, budget_s))
        out["speedup_search_vs_bm25s"] = round(out["bm25s_retrieve"]["mean_ms"] / out["ours_search"]["mean_ms"], 2)
    return out


def child_startup(size: int, workdir: str) -> dict[str, Any]:
    """Parse + index + save a synthetic corpus of article files (``ask`` is timed on it by :func:`child_ask`)."""
    from bench.synthetic import Synthetic
    from bot.library import Library

    directory = Path(workdir) / f"corpus-{size}"
    files = Synthetic(size).write_corpus(directory)
    t = time.perf_counter()
    library = Library.load(directory, workers=1)  # one process; bench/first_load.py times every core beside it
    first_s = time.perf_counter() - t
    sentences = len(library)
    cache_mb = sum(p.stat().st_size for p in (directory / ".index").rglob("*") if p.is_file()) / 2**20
    (manifest,) = (directory / ".index").glob("*/manifest.json")
    return {
        "manifest_files": json.loads(manifest.read_text(encoding="utf-8"))["files"],
        "size": size,
        "files": files,
        "sentences": sentences,
        "first_load_s": round(first_s, 2),
        "first_load_peak_rss_mb": round(peak_rss_mb(), 1),
        "cache_mb": round(cache_mb, 1),
        "directory": str(directory),
    }


def child_ask(directory: str, size: int, n_queries: int) -> dict[str, Any]:
    """``ask`` end to end (BM25 candidates, re-rank, decision) on the saved index of a corpus: p50 / p99.

    In a process of its own that loads the saved index, as the CLI and the bot start: measured in the
    process that had just built the corpus, ``ask`` was ~40 % slower (p50 14.0 against 10.0 ms, the same
    index and questions).
    """
    from bench.synthetic import Synthetic
    from bot.answer import ask
    from bot.library import Library

    library = Library.load(Path(directory))
    questions = SAMPLE_QUESTIONS + Synthetic(size).questions(n_queries)
    for q in questions[:10]:  # warm-up: the rules and the model load once
        ask(library, q)
    lat = timed(lambda q: ask(library, q), questions[10:] or questions)
    return {f"ask_{k}": v for k, v in percentiles(lat).items()}


def child_real(n_queries: int) -> dict[str, Any]:
    """The real corpus: parse + index time, and latency of its sample questions end to end (bot.answer.ask)."""
    from bot.answer import ask
    from bot.library import Library

    t = time.perf_counter()
    library = Library.load(ROOT / "corpus", cache=False)
    build_s = time.perf_counter() - t
    questions = (SAMPLE_QUESTIONS * (n_queries // len(SAMPLE_QUESTIONS) + 1))[:n_queries]
    ask(library, questions[0])
    lat = timed(lambda q: ask(library, q), questions)
    return {
        "size": len(library),
        "articles": len(library.articles),
        "build_s": round(build_s, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        **{f"ask_{k}": v for k, v in percentiles(lat).items()},
    }


READ_PEOPLE = ["Maria Olsen", "Tom Reed", "Ruth Park", "Omar Haddad", "Ana Lima"]
READ_TOPICS = [
    "the harbour wall",
    "the new bridge",
    "the library hours",
    "the flood fund",
    "the ferry timetable",
    "the school budget",
    "the bus lanes",
    "the market square",
]


def read_article_html(chars: int = 5000) -> str:
    """An invented news page whose article body is ``chars`` characters: quotes, reported speech, numbers."""
    paragraphs: list[str] = []
    n = 0
    while sum(len(p) for p in paragraphs) < chars:
        who, topic = READ_PEOPLE[n % len(READ_PEOPLE)], READ_TOPICS[n % len(READ_TOPICS)]
        paragraphs.append(
            f"“We expect {topic} to be finished by week {n + 3},” said {who}, who has followed the plans since "
            f"{2010 + n % 12}. The council set aside {n * 7 + 12} thousand euros for {topic}, officials said."
        )
        n += 1
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Town plans | Gazette</title>"
        f"<meta property='og:title' content='Town Plans for the Year'><meta property='og:site_name' "
        f"content='Gazette'></head><body><nav><a href='/'>Home</a></nav><article><h1>Town Plans for the "
        f"Year</h1>{body}</article><aside><h2>Related</h2><a href='/x'>Other story</a></aside></body></html>"
    )


def child_read(runs: int) -> dict[str, Any]:
    """A link to a 5,000-character article, from a local HTTP server: fetched, extracted, parsed, stored, answered.

    Timed from the link to the first answer, as a user who sends a link and then asks waits for both:
    ``Chats.read_link`` (fetch, extract, sentences, speakers, index, SQLite insert) plus one ``Chats.ask``.
    The first run includes loading trafilatura and the rules; the median is of the runs after it.
    """
    return asyncio.run(_read(runs))


async def _read(runs: int) -> dict[str, Any]:
    from bot.chats import Chats, ChatStore
    from bot.corpus.fetch import AddressPolicy
    from bot.database import connect
    from bot.library import Library
    from tests.web_server import WebServer

    html = read_article_html()
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, WebServer() as web:
        url = web.page("/story", html)
        chats = Chats(
            ChatStore(connect(f"sqlite:///{tmp}/bench.sqlite3")),
            Library.load(ROOT / "corpus"),
            policy=AddressPolicy(allow_private=True),
        )
        for run in range(runs):
            t = time.perf_counter()
            read = await chats.read_link(run, url)
            reply, _ = chats.ask(run, "How much did the council set aside for the new bridge?")
            times.append(time.perf_counter() - t)
            assert reply.answers, "the benchmark article must answer its question"
    body_chars = sum(len(s.text) for s in read.library.articles[0].sentences)
    return {
        "body_chars": body_chars,
        "sentences": read.sentences,
        "people": read.people,
        "first_s": round(times[0], 3),
        "median_s": round(statistics.median(times[1:] or times), 3),
        "max_s": round(max(times[1:] or times), 3),
        "runs": runs,
    }


def child_speakers(sentences: int) -> dict[str, Any]:
    """Sentence splitting and speaker attribution over news-like text: the invented articles of
    tests/data/articles (wire, BBC, Guardian, NYT-style quotes, Q&A ...), repeated to ``sentences``.

    CPU time of this one process (time.process_time), so the figure is per core even on a busy
    machine: sentences/s of split + attribute (as a corpus load does) and of attribute alone.
    """
    from bot.corpus import body_sentences
    from bot.speakers.attribution import attribute

    articles = sorted((ROOT / "tests" / "data" / "articles").glob("*.txt"))
    bodies = [path.read_text(encoding="utf-8").split("\n", 1)[1] for path in articles]
    per_round = sum(len(body_sentences(body, 0)) for body in bodies)
    texts = bodies * max(1, -(-sentences // max(1, per_round)))  # at least ``sentences``
    attribute(body_sentences(texts[0], 0))  # word lists and Punkt built before timing
    t = time.process_time()
    split = [body_sentences(text, 0) for text in texts]
    split_s = time.process_time() - t
    t = time.process_time()
    for article in split:
        attribute(article)
    attribute_s = time.process_time() - t
    n = sum(map(len, split))
    return {
        "sentences": n,
        "articles": len(texts),
        "split_per_s": round(n / split_s),
        "attribute_per_s": round(n / attribute_s),
        "split_and_attribute_per_s": round(n / (split_s + attribute_s)),
    }


def child_bot(concurrency: list[int], questions_per_level: int) -> dict[str, Any]:
    """Answers per second through the real Application against the fake Bot API server (rate limiter off)."""
    return asyncio.run(_bot(concurrency, questions_per_level))


async def _bot(concurrency: list[int], total: int) -> dict[str, Any]:
    from bot.library import Library
    from bot.settings import Settings
    from bot.telegram_bot.app import ALLOWED_UPDATES, build_app
    from tests.fake_bot_api import FakeBotApi, private_message

    library = Library.load(ROOT / "corpus")
    results: dict[str, Any] = {"questions_per_level": total, "levels": []}
    async with FakeBotApi() as api:
        settings = Settings(
            token=api.token, api_base_url=api.url, rate_limiter=False, flood_limit=1_000_000, database_url="sqlite://"
        )
        app = build_app(settings, library)
        await app.initialize()
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        await app.updater.start_polling(poll_interval=0, timeout=5, allowed_updates=ALLOWED_UPDATES)
        await app.start()
        try:
            for chats in concurrency:
                before = api.count("sendMessage")
                t = time.perf_counter()
                for i in range(total):
                    api.queue_update(private_message(1000 + i % chats, SAMPLE_QUESTIONS[i % len(SAMPLE_QUESTIONS)]))
                await api.wait_for("sendMessage", count=before + total, timeout=120)
                elapsed = time.perf_counter() - t
                answered = api.count("sendMessage") - before
                per_chat: dict[int, int] = {}
                for params in api.sent("sendMessage")[before:]:
                    chat = int(params["chat_id"])
                    per_chat[chat] = per_chat.get(chat, 0) + 1
                lost = total - answered
                uneven = any(per_chat.get(1000 + c, 0) != len(range(c, total, chats)) for c in range(chats))
                results["levels"].append(
                    {
                        "chats": chats,
                        "answered": answered,
                        "lost": lost,
                        "per_chat_exact": not uneven,
                        "seconds": round(elapsed, 3),
                        "answers_per_s": round(answered / elapsed, 1),
                    }
                )
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
    return results


CHILDREN: dict[str, Callable[..., Any]] = {
    "build": child_build,
    "compare": child_compare,
    "startup": child_startup,
    "ask": child_ask,
    "real": child_real,
    "speakers": child_speakers,
    "bot": child_bot,
    "read": child_read,
}


def run_child(kind: str, timeout: float, **kwargs: Any) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its last stdout line is the JSON result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--child-args", json.dumps(kwargs)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# --- process start-up ---------------------------------------------------------------------------------------


def wall(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> dict[str, float]:
    """Min and median wall time of a command over several cold runs."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, cwd=ROOT, env=env, check=True)
        times.append(time.perf_counter() - t)
    return {"min_s": round(min(times), 3), "median_s": round(statistics.median(times), 3)}


def slow_imports(
    python: str, args: list[str], env: dict[str, str], threshold_ms: float = 30
) -> list[tuple[str, float]]:
    """Top-level-ish imports with a cumulative time above the threshold (``python -X importtime``)."""
    proc = subprocess.run([python, "-X", "importtime", *args], capture_output=True, text=True, cwd=ROOT, env=env)
    rows: list[tuple[str, float]] = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = (part.strip() for part in line[len("import time:") :].split("|"))
            depth = (len(name) - len(name.lstrip())) // 2
            if cumulative.isdigit() and int(cumulative) / 1000 >= threshold_ms and depth <= 2:
                rows.append((name.strip(), round(int(cumulative) / 1000, 1)))
    return sorted(rows, key=lambda r: -r[1])[:12]


def cli_startup(python: str, runs: int, corpus: str | None = None, question: str = SAMPLE_QUESTIONS[0]) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "CORPUS_DIR"))}
    ask = [python, "-m", "bot", "ask", "--json", *(["--corpus", corpus] if corpus else []), question]
    subprocess.run(ask, capture_output=True, cwd=ROOT, env=env)  # warm: saves the index if needed
    load = [
        python,
        "-c",
        "import sys; from bot.library import Library; Library.load(sys.argv[1])",
        corpus or str(ROOT / "corpus"),
    ]
    return {
        "python_pass": wall([python, "-c", "pass"], runs, env),
        "ask": wall(ask, runs, env),
        "library_load": wall(load, runs, env),
        "bot_start": wall([python, "-c", BOT_START, load[-1]], runs, env),
        "slow_imports_ms": slow_imports(python, ask[1:], env),
    }


BOT_START = """
import sys
from bot.library import Library
from bot.settings import Settings
from bot.telegram_bot.app import build_app
build_app(Settings(token="123456:bench-start-no-network", database_url="sqlite://"), Library.load(sys.argv[1]))
"""
"""The bot's start-up without the network: what ``bot.telegram_bot.app.run`` does before it connects."""


# --- report -------------------------------------------------------------------------------------------------


def fmt(value: Any, spec: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return format(value, spec or ".3g")
    return str(value)


def markdown(results: dict[str, Any]) -> str:
    lines = [
        f"Benchmark {results['date']} on {results['machine']['cpus']} CPUs, {results['machine']['platform']}, "
        f"Python {results['machine']['python']}; command: `{results['command']}`",
        "",
    ]
    lines += [
        "| sentences | build s | peak RSS MB | search p50 ms | search p99 ms | ours ms/q (tokens) | "
        "rank-bm25 ms/q | × faster | bm25s ms/q | × vs bm25s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    compare = {c.get("size"): c for c in results["compare"]}
    for row in results["sizes"]:
        c = compare.get(row.get("size"), {})
        if "error" in row:
            lines.append(f"| {row.get('size', '?')} | error: {row['error']} |||||||||")
            continue
        rank = c.get("rank_bm25_get_scores", {}).get("mean_ms")
        bm25s_ms = c.get("bm25s_retrieve", {}).get("mean_ms") if isinstance(c.get("bm25s_retrieve"), dict) else None
        lines.append(
            f"| {row['size']:,} | {row['build_s']:.2f} | {row['peak_rss_mb']:.0f} | {row['search_p50_ms']:.3f} "
            f"| {row['search_p99_ms']:.3f} | {fmt(c.get('ours_search', {}).get('mean_ms'), '.3f')} "
            f"| {fmt(rank, '.2f')} | {fmt(c.get('speedup_search_vs_rank_bm25'))} | {fmt(bm25s_ms, '.3f')} "
            f"| {fmt(c.get('speedup_search_vs_bm25s'))} |"
        )
    real = results.get("real", {})
    if "size" in real:
        lines.append(
            f"| real corpus ({real['size']}) | {real['build_s']:.2f} (parse incl.) | "
            f"{real['peak_rss_mb']:.0f} | {real['ask_p50_ms']:.3f} (ask) | {real['ask_p99_ms']:.3f} (ask) "
            "| | | | | |"
        )
    lines += [
        "",
        "Search times include analysing the question; the side-by-side columns use the same token lists "
        "(mean per query; ours = search top 3, rank-bm25 = get_scores, bm25s = retrieve k=3).",
        "",
    ]
    sp = results.get("speakers", {})
    if "attribute_per_s" in sp:
        lines.append(
            f"Speakers, {sp['sentences']:,} sentences of the invented news articles (tests/data/articles), CPU "
            f"time of one core: split + attribute {sp['split_and_attribute_per_s']:,}/s, attribute alone "
            f"{sp['attribute_per_s']:,}/s, split alone {sp['split_per_s']:,}/s (issue 10's floor: 5,000/s)."
        )
        lines.append("")
    elif sp:
        lines.append(f"Speakers: {sp}")
    st = results.get("startup", {})
    if "first_load_s" in st:
        lines.append(
            f"Start-up, {st['sentences']:,} sentences in {st['files']:,} files: first load (parse, index, "
            f"save) {st['first_load_s']} s in one process"
            + (
                f", {st['parallel']['first_load_s']} s on {st['parallel']['workers']} processes "
                f"({st['parallel']['speedup']}x; saved index identical: {st['parallel']['identical']}; load "
                f"average {st['parallel']['load_average'][0]}; {st['parallel']['workers']} busy processes did "
                f"{st['parallel']['cpu_ceiling']}x one's work then)"
                if "parallel" in st
                else ""
            )
            + f", peak RSS {st['first_load_peak_rss_mb']:.0f} MB, cache "
            f"{st['cache_mb']} MB; from the saved index: Library.load {st['cli']['library_load']['min_s']} s, "
            f"`ask --json` {st['cli']['ask']['min_s']} s, bot start (process start to Application "
            f"built) {st['cli'].get('bot_start', {}).get('min_s')} s (min of runs); `ask` on it (BM25 "
            f"candidates, re-rank, decision) p50 {st.get('ask_p50_ms')} ms, p99 {st.get('ask_p99_ms')} ms."
        )
    elif st:
        lines.append(f"Start-up: {st}")
    cli = results.get("cli", {})
    if "ask" in cli:
        lines.append(
            f"CLI cold start on the seed corpus (saved index): `ask --json` {cli['ask']['min_s']} s min / "
            f"{cli['ask']['median_s']} s median; Library.load {cli['library_load']['min_s']} s; "
            f"bot start {cli.get('bot_start', {}).get('min_s')} s; "
            f"`python -c pass` {cli['python_pass']['min_s']} s. Slowest imports (ms, cumulative): "
            + ", ".join(f"{n} {ms}" for n, ms in cli["slow_imports_ms"][:6])
        )
    read = results.get("read", {})
    if "median_s" in read:
        lines.append(
            f"Reading a link ({read['body_chars']:,}-character article from a local server, "
            f"{read['sentences']} sentences, {read['people']} people quoted): fetch + extract + parse + "
            f"store + first answer {read['median_s']} s median, {read['max_s']} s max over "
            f"{read['runs'] - 1} runs; the first in a fresh process {read['first_s']} s (target: 1 s)."
        )
    elif read:
        lines.append(f"Reading a link: {read}")
    bot = results.get("bot", {})
    lines.append("")
    if "levels" in bot:
        lines.append("| concurrent chats | questions | answered | lost | answers/s |")
        lines.append("|---:|---:|---:|---:|---:|")
        for level in bot["levels"]:
            lines.append(
                f"| {level['chats']} | {bot['questions_per_level']} | {level['answered']} | {level['lost']} "
                f"| {level['answers_per_s']} |"
            )
    else:
        lines.append(f"Bot throughput: NOT RUN ({bot.get('error') or bot.get('skipped')})")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", help="synthetic corpus sizes (default 1k 10k 100k 1M)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few runs: checks the script works")
    parser.add_argument("--queries", type=int, help="questions per size (default 300, quick 30)")
    parser.add_argument("--rank-bm25-max", type=int, default=100_000, help="largest size given to rank-bm25")
    parser.add_argument("--startup-size", type=int, help="sentences of the start-up corpus (default 1M, quick 1k)")
    parser.add_argument("--cli-python", default=sys.executable, help="interpreter for the CLI timings")
    parser.add_argument("--no-bot", action="store_true", help="skip the bot throughput part")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--child-args", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child](**json.loads(args.child_args))))
        return 0

    sizes = args.sizes or ([1000, 3000] if args.quick else [1000, 10_000, 100_000, 1_000_000])
    queries = args.queries or (30 if args.quick else 300)
    startup_size = args.startup_size or (1000 if args.quick else 1_000_000)
    runs = 2 if args.quick else 5
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        },
        "command": " ".join(["python", "bench/run.py", *(argv if argv is not None else sys.argv[1:])]),
        "sizes": [],
        "compare": [],
    }
    for size in sizes:
        row = run_child("build", 900, size=size, n_queries=queries)
        results["sizes"].append(row)
        print(f"build {size:>9,}: {row}", flush=True)
        compare = run_child(
            "compare", 1200, size=size, n_queries=queries, rank_max=args.rank_bm25_max, budget_s=5 if args.quick else 60
        )
        results["compare"].append(compare)
        print(f"compare {size:>7,}: {compare}", flush=True)
    results["real"] = run_child("real", 300, n_queries=queries)
    print(f"real corpus: {results['real']}", flush=True)
    results["speakers"] = run_child("speakers", 600, sentences=2000 if args.quick else 50_000)
    print(f"speakers: {results['speakers']}", flush=True)
    workdir = tempfile.mkdtemp(prefix="bench-startup-")
    try:
        startup = run_child("startup", 3000, size=startup_size, workdir=workdir)
        if "directory" in startup:
            from bench.first_load import cpu_ceiling, first_load

            ceiling = cpu_ceiling(os.cpu_count() or 1, 2 if args.quick else 5)  # what the shared cores allow now
            parallel = first_load(Path(startup["directory"]), os.cpu_count() or 1)  # the saved index is rebuilt
            startup["parallel"] = {
                "cpu_ceiling": round(ceiling, 2),
                "workers": parallel["workers"],
                "first_load_s": parallel["seconds"],
                "speedup": round(startup["first_load_s"] / parallel["seconds"], 2),
                "identical": parallel["files"] == startup.pop("manifest_files"),
                "load_average": parallel["load"],
            }
            startup.update(run_child("ask", 900, directory=startup["directory"], size=startup_size, n_queries=queries))
            startup["cli"] = cli_startup(
                args.cli_python, runs, corpus=startup.pop("directory"), question="What about " + "Papouvine?"
            )
        results["startup"] = startup
        print(f"startup: {startup}", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["cli"] = cli_startup(args.cli_python, runs)
    print(f"cli: {results['cli']}", flush=True)
    results["read"] = run_child("read", 300, runs=3 if args.quick else 11)
    print(f"read: {results['read']}", flush=True)
    if args.no_bot:
        results["bot"] = {"skipped": "--no-bot"}
    elif not (ROOT / "tests" / "fake_bot_api.py").is_file() or not (ROOT / "bot" / "telegram_bot" / "app.py").is_file():
        results["bot"] = {"skipped": "tests/fake_bot_api.py or bot/telegram_bot/app.py missing"}
    else:
        results["bot"] = run_child(
            "bot", 900, concurrency=[1, 10, 100], questions_per_level=100 if args.quick else 2000
        )
    print(f"bot: {results['bot']}", flush=True)

    table = markdown(results)
    print("\n" + table)
    args.output.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if args.output == parser.get_default("output"):
        (ROOT / "bench" / "RESULTS.md").write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
