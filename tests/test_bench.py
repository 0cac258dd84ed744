"""bench/run.py works: a tiny run as a subprocess writes results of the documented shape (timings not checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT


def test_quick_benchmark_writes_results(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--quick",
            "--sizes",
            "300",
            "--queries",
            "10",
            "--startup-size",
            "200",
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(output.read_text(encoding="utf-8"))
    keys = {"date", "machine", "command", "sizes", "compare", "real", "speakers", "startup", "cli", "bot", "read"}
    assert keys <= set(results)
    speakers = results["speakers"]
    assert speakers["sentences"] >= 2000 and speakers["attribute_per_s"] > 0 and speakers["split_per_s"] > 0
    (row,) = results["sizes"]
    assert row["size"] == 300 and row["build_s"] > 0 and row["peak_rss_mb"] > 0
    assert row["search_p50_ms"] <= row["search_p99_ms"]
    (compare,) = results["compare"]
    assert compare["equal_scores"] is True  # same scores as rank-bm25 on the same tokens
    assert compare["rank_bm25_get_scores"]["mean_ms"] > 0
    assert results["real"]["size"] > 0
    assert results["startup"]["sentences"] > 0 and results["startup"]["cli"]["ask"]["min_s"] > 0
    parallel = results["startup"]["parallel"]  # the first load on every core, beside the one-process one
    assert parallel["identical"] is True and parallel["first_load_s"] > 0 and parallel["speedup"] > 0
    assert results["cli"]["python_pass"]["min_s"] > 0
    assert results["startup"]["cli"]["bot_start"]["min_s"] > 0 and results["cli"]["bot_start"]["min_s"] > 0
    read = results["read"]
    assert read["body_chars"] >= 5000 and read["sentences"] > 30 and read["people"] >= 5 and read["median_s"] > 0
    bot = results["bot"]
    assert "levels" in bot or "skipped" in bot
    for level in bot.get("levels", []):
        assert level["lost"] == 0 and level["answered"] == bot["questions_per_level"]
    assert "| sentences |" in proc.stdout  # the printed table


def test_xapian_benchmark_prints_its_figures() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "xapian_shards.py"), "--quick", "--size", "1200", "--questions", "5"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert any(line.strip().startswith("memory: open") and "search p50" in line for line in lines)
    assert any(line.strip().startswith("xapian: open") and "worker RSS" in line for line in lines)
    assert "of the in-process worker's" in lines[-1]


def test_xapian_benchmark_reuses_the_shards_kept_in_its_workdir(tmp_path: Path) -> None:
    cmd = [sys.executable, str(ROOT / "bench" / "xapian_shards.py"), "--quick", "--size", "1200", "--questions", "3"]
    first = subprocess.run([*cmd, "--workdir", str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert first.returncode == 0, first.stderr
    prepared = json.loads((tmp_path / "prepared.json").read_text())
    shard = Path(prepared["shards"][0])
    written = shard.stat().st_mtime_ns
    again = subprocess.run([*cmd, "--workdir", str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert again.returncode == 0, again.stderr
    assert shard.stat().st_mtime_ns == written  # not written again
    assert "of the in-process worker's" in again.stdout.splitlines()[-1]
