"""Packaging metadata that must stay true: the data files shipped, one version, the licence."""

from __future__ import annotations

import tomllib
from pathlib import Path

import bot
from tests.helpers import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PACKAGE = ROOT / "bot"


def test_package_data_globs_match_every_data_file_and_nothing_else() -> None:
    globs = PYPROJECT["tool"]["setuptools"]["package-data"]["bot"]
    matched = {p for pattern in globs for p in PACKAGE.glob(pattern)}
    assert all(any(PACKAGE.glob(pattern)) for pattern in globs), "a package-data glob matches no file"
    data = {p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")}
    data = {p for p in data if "__pycache__" not in p.parts}
    assert data == matched, f"data files not shipped: {sorted(str(p.relative_to(ROOT)) for p in data - matched)}"


def test_one_version_source() -> None:
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "bot.__version__"}
    assert bot.__version__.count(".") == 2


def test_the_licence_is_shipped_and_named() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert [Path(f).name for f in PYPROJECT["project"]["license-files"]] == ["LICENSE"]
