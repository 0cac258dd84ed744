"""Paths and small builders shared by the tests (real files, real subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEED = CORPUS / "000_ffa75115645ef01b.txt"
GOLD_FILE = Path(os.environ.get("GOLD_FILE", ROOT.parent / "shared" / "eval" / "article_gold.json"))


@cache
def gold() -> dict[str, Any]:
    """The shared dev gold of the seed article; a missing file is a failure, not a skip."""
    if not GOLD_FILE.is_file():
        raise FileNotFoundError(f"dev gold not found at {GOLD_FILE}; set GOLD_FILE or put shared/ beside the repo")
    data: dict[str, Any] = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
    return data


def run_cli(
    *args: str, stdin: str | None = None, cwd: Path = ROOT, env: dict | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot ARGS`` as a user would, with no token in the environment."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "CORPUS_DIR"))}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=timeout,
    )


def write_article(directory: Path, name: str, text: str | bytes) -> Path:
    """Write one article file into a corpus directory (bytes are written as they are)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
