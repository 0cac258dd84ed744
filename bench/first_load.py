"""First load of a big corpus, one process against every core, side by side in one run.

A synthetic corpus (``bench.synthetic``) is written once; then each mode runs
``Library.load`` in a fresh process with no saved index (parse, attribute,
index, save), as a first start does. The saved indexes of the two modes must
be byte for byte the same (their manifests' CRC-32s are compared), so the
speed-up is for the same result. Prints one line per run, then the ratio and
the machine's load average, and first the ceiling this machine allows right
now: how much more a busy loop gets done in N processes than in one (on a
machine whose cores are shared with other work, 2 processes may get no more
CPU than 1, and then no parallel load can be faster).

A shared virtual machine also drifts: the same parse took 19.8 s and 16.7 s a
minute apart here. ``--rounds 2`` runs 1, N, N, 1 processes (an ABBA order, so
a steady drift weighs on both sides alike) and gives the ratio of the sums.

    python bench/first_load.py --sentences 1000000 --workers 2 [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(directory: str, workers: int) -> None:
    """One first load, timed in this (fresh) process; prints one JSON line."""
    from bot.library import Library

    t = time.perf_counter()
    library = Library.load(directory, workers=workers)
    seconds = time.perf_counter() - t
    (manifest,) = Path(directory, ".index").glob("*/manifest.json")
    files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    print(json.dumps({"workers": workers, "seconds": round(seconds, 2), "sentences": len(library), "files": files}))


def _spin(seconds: float) -> int:
    """Count loop turns for ``seconds`` of wall time: what one process gets done."""
    end, turns = time.perf_counter() + seconds, 0
    while time.perf_counter() < end:
        turns += 1
    return turns


def cpu_ceiling(workers: int, seconds: float = 5.0) -> float:
    """Work done by ``workers`` spinning processes over one spinning process: the best speed-up possible now."""
    from multiprocessing import get_context

    one = _spin(seconds)
    with get_context("spawn").Pool(workers) as pool:
        many = sum(pool.map(_spin, [seconds] * workers))
    return many / one


def first_load(directory: Path, workers: int) -> dict:
    shutil.rmtree(directory / ".index", ignore_errors=True)
    load_before = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(directory), str(workers)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    result: dict = json.loads(out.stdout.strip().splitlines()[-1])
    result["load"] = (round(load_before, 2), round(os.getloadavg()[0], 2))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=1_000_000, help="synthetic corpus size (default 1M)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes of the parallel load")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of 1 and N processes, every other one reversed")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    sys.path.insert(0, str(ROOT))
    from bench.synthetic import Synthetic

    workdir = Path(tempfile.mkdtemp(prefix="bench-first-load-"))
    try:
        directory = workdir / "corpus"
        files = Synthetic(args.sentences).write_corpus(directory)
        print(f"corpus: {args.sentences:,} synthetic sentences in {files:,} files; {os.cpu_count()} CPUs", flush=True)
        print(
            f"ceiling now: {args.workers} busy processes do {cpu_ceiling(args.workers):.2f}x the work of one "
            f"(load average {os.getloadavg()[0]:.2f})",
            flush=True,
        )
        runs: dict[int, list[dict]] = {1: [], args.workers: []}
        for round_ in range(args.rounds):
            for workers in (1, args.workers) if round_ % 2 == 0 else (args.workers, 1):
                r = first_load(directory, workers)
                runs[workers].append(r)
                print(
                    f"workers={workers}: first load {r['seconds']} s, {r['sentences']:,} sentences "
                    f"(load average {r['load'][0]} before, {r['load'][1]} after)",
                    flush=True,
                )
        same = all(r["files"] == runs[1][0]["files"] for rs in runs.values() for r in rs)
        one, many = (sum(r["seconds"] for r in runs[w]) for w in (1, args.workers))
        print(f"speed-up {args.workers} processes vs 1: {one / many:.2f}x; saved index identical: {same}")
        return 0 if same else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
