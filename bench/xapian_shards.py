"""Benchmark: the Xapian backend over 2 remote shards (real xapian-tcpsrv) against the in-process backend.

Prints three figures (issue 13's floors in brackets):

1. agreement on the dev sets' questions (bench/devsets.py): the share of questions whose top answer is
   the same sentence (>= 98 %) and whose top-3 answer sets are the same (>= 95 %), over 2 remote shards;
   the news set as one pooled corpus of its 12 articles (one article cannot be split in 2 shards), SQuAD
   pools A and B pooled;
2. latency at 1M synthetic sentences (bench/synthetic.py) on 2 remote shards: BM25 search p50 (<= 10 ms)
   and ``ask`` end to end, beside the in-process backend's;
3. a bot worker's RSS on each backend with that archive answering the same questions (xapian <= 25 % of
   in-process): the in-process worker as it starts, from the saved index (``Library.load``).

Every worker runs in its own process. Run: ``python bench/xapian_shards.py [--size N] [--questions Q]``;
``--quick`` uses 20,000 sentences. Writes nothing into the repo; the corpus and shards go to a temp dir, or to
``--workdir DIR``, kept there and reused by the next run of the same ``--size`` (writing 1M sentences' shards
takes minutes).
"""

from __future__ import annotations

import argparse
import json
import os
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


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def p50_ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 3)


def p99_ms(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 3)


# ---- 1. agreement on the dev sets ---------------------------------------------------------------------------


def agreement(workdir: Path) -> list[dict[str, Any]]:
    from bench.devsets import Case, news_cases, squad_cases
    from bot.answer import Reply
    from bot.library import INDEX_PARAMS, Library
    from bot.records import Corpus
    from bot.shards.client import ShardedLibrary
    from tests.xapian_server import TcpServer

    news = news_cases()
    pooled_news = Library(Corpus.of(Path("."), tuple(a for c in news for a in c.library.articles)), params=INDEX_PARAMS)
    sets: list[tuple[str, Library, list[str]]] = [
        ("news (12 articles pooled)", pooled_news, [q.text for c in news for q in c.questions]),
    ]
    for pool in ("A", "B"):
        case: Case = squad_cases(pool, "pooled")[0]
        sets.append((f"SQuAD pool {pool} pooled", case.library, [q.text for q in case.questions]))

    def answers(reply: Reply) -> list[tuple[str, int]]:
        return [(a.article.name, a.sentence.index) for a in reply.answers]

    rows: list[dict[str, Any]] = []
    for name, library, questions in sets:
        out = workdir / f"dev-{len(rows)}"
        rows.append(_agree(name, out, [(library, questions)], 2, TcpServer, ShardedLibrary, answers))
    per_article = [(c.library, [q.text for q in c.questions]) for c in news]
    rows.append(
        _agree(
            "news, one article per corpus (1 shard each)",
            workdir / "dev-news",
            per_article,
            1,
            TcpServer,
            ShardedLibrary,
            answers,
        )
    )
    return rows


def _agree(
    name: str,
    out: Path,
    cases: list[tuple[Any, list[str]]],
    shards: int,
    server: Any,
    sharded: Any,
    answers: Callable[[Any], list[tuple[str, int]]],
) -> dict[str, Any]:
    """Ask every question of every case of both backends: how often the top answer and top-3 set agree."""
    from bot.answer import ask
    from bot.library import INDEX_PARAMS
    from bot.shards.build import index_corpus

    top1 = top3 = n = sentences = 0
    for i, (library, questions) in enumerate(cases):
        paths = index_corpus(library.corpus, out / str(i), shards, params=INDEX_PARAMS)
        servers = [server(p).start() for p in paths]
        try:
            remote = sharded([s.address for s in servers])
            for q in questions:
                ours, theirs = answers(ask(library, q)), answers(ask(remote, q))
                top1 += ours[:1] == theirs[:1]
                top3 += set(ours[:3]) == set(theirs[:3])
        finally:
            for s in servers:
                s.stop()
        n += len(questions)
        sentences += len(library)
    print(
        f"  {name}: {sentences:,} sentences, {n} questions: top-1 identical {top1}/{n} ({top1 / n:.1%}), "
        f"top-3 sets identical {top3}/{n} ({top3 / n:.1%})",
        flush=True,
    )
    return {"set": name, "sentences": sentences, "questions": n, "top1_same": top1, "top3_same": top3}


# ---- 2 and 3. a 1M-sentence archive ----------------------------------------------------------------------------


def synthetic_corpus(size: int, directory: Path) -> Any:
    """The synthetic corpus as files (for the saved index's key) and as parsed records, without re-parsing."""
    from bench.synthetic import SENTENCES_PER_ARTICLE, SENTENCES_PER_PARAGRAPH, Synthetic
    from bot.records import Article, Corpus, Sentence

    Synthetic(size).write_corpus(directory)
    sentences = Synthetic(size).sentences()
    articles = []
    for number, lo in enumerate(range(0, len(sentences), SENTENCES_PER_ARTICLE), start=1):
        path = directory / f"{number:06d}.txt"
        text = path.read_text(encoding="utf-8")
        body, at, records = sentences[lo : lo + SENTENCES_PER_ARTICLE], text.index("\n") + 1, []
        for j, sentence in enumerate(body):
            start = text.index(sentence, at)
            at = start + len(sentence)
            records.append(Sentence(j, start, at, sentence, j // SENTENCES_PER_PARAGRAPH))
        articles.append(Article(path, text[: text.index("\n")], text, tuple(records)))
    return Corpus.of(directory, tuple(articles))


PREPARED = "prepared.json"
"""In a kept ``--workdir``: what ``child_prepare`` wrote, so a later run reuses the shards of the same size."""


def child_prepare(size: int, workdir: str) -> dict[str, Any]:
    """Write the corpus, its saved in-process index and its 2 Xapian shards (the shards kept from an earlier run
    with ``--workdir`` and the same size are reused; the saved index is rewritten when bot/ changed since)."""
    from bot.library import INDEX_PARAMS, Library
    from bot.search.cache import IndexCache

    directory = Path(workdir) / "corpus"
    kept = Path(workdir) / PREPARED
    if kept.is_file() and json.loads(kept.read_text())["size"] == size:
        prepared: dict[str, Any] = json.loads(kept.read_text())
        if IndexCache(directory, INDEX_PARAMS).load() is not None:
            return prepared
        corpus = synthetic_corpus(size, directory)
    else:
        from bot.shards.build import index_corpus

        shutil.rmtree(directory, ignore_errors=True)
        shutil.rmtree(Path(workdir) / "shards", ignore_errors=True)
        corpus = synthetic_corpus(size, directory)
        t = time.perf_counter()
        paths = index_corpus(corpus, Path(workdir) / "shards", 2, params=INDEX_PARAMS)
        write_s = round(time.perf_counter() - t, 1)
        prepared = {"size": size, "xapian_write_s": write_s, "shards": [str(p) for p in paths]}
    library = Library(corpus)
    IndexCache(directory, INDEX_PARAMS).save(corpus, library.index)  # last: its key is the code as it is now
    kept.write_text(json.dumps(prepared))
    return prepared


def child_worker(backend: str, questions: list[str], workdir: str, shards: list[str]) -> dict[str, Any]:
    """One bot worker: open the backend, answer the questions; search and ask latency, RSS.

    The questions come from the parent: drawing them reads the whole synthetic corpus, which no bot worker does.
    """
    from bot.answer import ask
    from bot.answer.query import parse_query

    t = time.perf_counter()
    if backend == "xapian":
        from bot.shards.client import ShardedLibrary

        library: Any = ShardedLibrary(shards)
    else:
        from bot.library import INDEX_PARAMS, Library
        from bot.search.cache import IndexCache

        cached = IndexCache(Path(workdir) / "corpus", INDEX_PARAMS).load()  # as Library.load on a saved index
        if cached is None:
            raise SystemExit("the saved index is stale (bot/ changed since it was written): run the bench again")
        library = Library(*cached)
    open_s = time.perf_counter() - t
    terms = [parse_query(q, library.analyzer).terms for q in questions]
    for q in questions[:10]:
        ask(library, q)  # warm-up: the rules and the ranker load once
    search, answer = [], []
    for ts in terms:
        t = time.perf_counter()
        library.search(ts, 20)
        search.append(time.perf_counter() - t)
    for q in questions:
        t = time.perf_counter()
        ask(library, q)
        answer.append(time.perf_counter() - t)
    return {
        "backend": backend,
        "open_s": round(open_s, 2),
        "search_p50_ms": p50_ms(search),
        "search_p99_ms": p99_ms(search),
        "ask_p50_ms": p50_ms(answer),
        "ask_p99_ms": p99_ms(answer),
        "rss_mb": round(rss_mb(), 1),
        "sentences": len(library),
        "load_average": round(os.getloadavg()[0], 2),
    }


def index_speed(size: int, workdir: Path) -> list[dict[str, Any]]:
    """``bot index --shards 2`` on a synthetic corpus of article files, ``--workers 1`` against ``--workers 2``."""
    from bench.synthetic import Synthetic

    corpus = workdir / "files"
    Synthetic(size).write_corpus(corpus)
    rows = []
    for workers in (1, 2):
        out = workdir / f"index-w{workers}"
        cmd = [sys.executable, "-m", "bot", "index", "--corpus", str(corpus), "--out", str(out), "--shards", "2"]
        t = time.perf_counter()
        subprocess.run([*cmd, "--workers", str(workers)], check=True, cwd=ROOT, capture_output=True)
        rows.append({"workers": workers, "seconds": round(time.perf_counter() - t, 1)})
    print(
        f"  {size:,} sentences, 2 shards: --workers 1 {rows[0]['seconds']} s, --workers 2 {rows[1]['seconds']} s: "
        f"{rows[0]['seconds'] / rows[1]['seconds']:.2f}x",
        flush=True,
    )
    return rows


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {"prepare": child_prepare, "worker": child_worker}


def run_child(kind: str, **kwargs: Any) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--child-args", json.dumps(kwargs)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{proc.stderr}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def archive(size: int, n: int, workdir: Path) -> None:
    """Figures 2 and 3: latency and worker RSS on a synthetic archive, 2 remote shards."""
    from bench.synthetic import Synthetic
    from tests.xapian_server import TcpServer

    print(f"2-3. A {size:,}-sentence archive on 2 remote shards, {n} synthetic questions:", flush=True)
    prepared = run_child("prepare", size=size, workdir=str(workdir))
    print(f"  shards written in {prepared['xapian_write_s']} s (parsed records in, as bot index after parsing)")
    questions = Synthetic(size).questions(n)
    servers = [TcpServer(Path(p)).start() for p in prepared["shards"]]
    try:
        shards = [s.address for s in servers]
        rows = [
            run_child("worker", backend=b, questions=questions, workdir=str(workdir), shards=shards)
            for b in ("memory", "xapian")
        ]
    finally:
        for s in servers:
            s.stop()
    for r in rows:
        print(
            f"  {r['backend']:>6}: open {r['open_s']} s, search p50 {r['search_p50_ms']} ms "
            f"(p99 {r['search_p99_ms']}), ask p50 {r['ask_p50_ms']} ms (p99 {r['ask_p99_ms']}), "
            f"worker RSS {r['rss_mb']:.0f} MB ({r['sentences']:,} sentences; load average {r['load_average']} "
            f"on {os.cpu_count()} CPUs)"
        )
    memory, xapian = rows
    print(
        f"  xapian worker RSS = {xapian['rss_mb'] / memory['rss_mb']:.1%} of the in-process worker's "
        "(the two xapian-tcpsrv servers' own memory not counted: they run beside the shards)"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, help="synthetic sentences (default 1,000,000; --quick: 20,000)")
    ap.add_argument("--questions", type=int, help="questions timed per worker (default 300; --quick: 50)")
    ap.add_argument("--quick", action="store_true", help="a small archive and no dev sets (checks the script)")
    ap.add_argument("--skip-devsets", action="store_true")
    ap.add_argument("--skip-archive", action="store_true", help="leave out the 1M-sentence latency and RSS part")
    ap.add_argument("--index-size", type=int, default=0, help="also time bot index --workers 1 vs 2 on N sentences")
    ap.add_argument(
        "--workdir", type=Path, help="keep the corpus and shards here and reuse them next time (default: a temp dir)"
    )
    ap.add_argument("--child")
    ap.add_argument("--child-args")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child](**json.loads(args.child_args))))
        return 0
    size = args.size or (20_000 if args.quick else 1_000_000)
    n = args.questions or (50 if args.quick else 300)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-xapian-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        if not (args.quick or args.skip_devsets):
            print("1. Same answers as the in-process backend, 2 remote shards (xapian-tcpsrv on 127.0.0.1):")
            with tempfile.TemporaryDirectory(prefix="bench-xapian-dev-") as dev:
                agreement(Path(dev))
        if not args.skip_archive:
            archive(size, n, workdir)
        if args.index_size:
            print("4. bot index, one process against two (Dask LocalCluster):")
            index_speed(args.index_size, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
