"""The one reader of the data files in ``bot/rules/``: word lists, tables, mappings and patterns.

Every file shares one syntax, so a reviewer can extend any of them without reading code:

- one entry per line; blank lines are skipped;
- ``#`` opens a comment at the start of a line, or after a space when a space or the line's
  end follows (``say @inverts  # Doe said``); ``##number##`` in a Punkt collocation is no comment;
- ``@word`` is a tag, allowed only in the files whose reader names it: a misspelled tag is an
  error, never silently dropped.

Every error is a :class:`~bot.errors.RulesError` naming ``file:line``. Files are read once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.errors import RulesError

__all__ = ["RULES_DIR", "Pattern", "Row", "mapping", "patterns", "table", "words"]

RULES_DIR = Path(__file__).resolve().parent
_COMMENT = re.compile(r"(?:^|\s)#(?=\s|$)")
EXAMPLE = "example:"
"""In a patterns file, a line starting with this holds an example the pattern above must match."""


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a table: its first word (the key), the other words, and its tags."""

    values: tuple[str, ...]
    tags: frozenset[str]
    where: str


@dataclass(frozen=True, slots=True)
class Pattern:
    """One regular expression of a patterns file, with the example lines it must match."""

    regex: re.Pattern[str]
    examples: tuple[str, ...]
    where: str


def _lines(name: str | Path) -> list[tuple[str, str]]:
    """(``file:line``, content) of every entry line: comments and blank lines removed.

    ``name`` is a file in ``bot/rules/``, or any path (tests, an operator's own file).
    """
    path = RULES_DIR / name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot read the rules file ({exc})") from None
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#"):
            continue
        match = _COMMENT.search(line)
        line = (line[: match.start()] if match else line).strip()
        if line:
            out.append((f"{path}:{number}", line))
    return out


def _split_tags(where: str, parts: Iterable[str], allowed: frozenset[str]) -> tuple[list[str], frozenset[str]]:
    words, tags = [], set()
    for part in parts:
        if not part.startswith("@"):
            words.append(part)
        elif part[1:] in allowed:
            tags.add(part[1:])
        else:
            known = ", ".join(f"@{t}" for t in sorted(allowed)) or "none"
            raise RulesError(f"{where}: unknown tag {part!r} (this file's tags: {known})")
    return words, frozenset(tags)


@cache
def words(name: str | Path) -> tuple[str, ...]:
    """Every entry of a word list, lowercase, in file order (an entry may be a phrase: "familiar with").

    An entry listed twice is an error.
    """
    seen: dict[str, str] = {}
    for where, line in _lines(name):
        parts, _ = _split_tags(where, line.split(), frozenset())
        entry = " ".join(parts).lower()
        if entry in seen:
            raise RulesError(f"{where}: {entry!r} is already listed at {seen[entry]}")
        seen[entry] = where
    return tuple(seen)


@cache
def table(name: str | Path, tags: frozenset[str] = frozenset()) -> dict[str, Row]:
    """First word of each line (lowercase) -> the line's other words and its tags.

    ``tags`` are the tags this file may use; a key listed twice is an error.
    """
    rows: dict[str, Row] = {}
    for where, line in _lines(name):
        parts, found = _split_tags(where, line.split(), tags)
        if not parts:
            raise RulesError(f"{where}: a line of tags only; put the word first")
        key = parts[0].lower()
        if key in rows:
            raise RulesError(f"{where}: {key!r} is already listed at {rows[key].where}")
        rows[key] = Row(tuple(p.lower() for p in parts[1:]), found, where)
    return rows


@cache
def mapping(name: str | Path) -> dict[str, tuple[str, ...]]:
    """``key: value value ...`` lines -> {key: values}, lowercase; the key may hold spaces."""
    out: dict[str, tuple[str, ...]] = {}
    for where, line in _lines(name):
        key, sep, values = line.partition(":")
        if not sep or not key.strip():
            raise RulesError(f"{where}: expected 'key: value ...'")
        parts, _ = _split_tags(where, values.split(), frozenset())
        out[key.strip().lower()] = tuple(p.lower() for p in parts)
    return out


@cache
def patterns(name: str | Path) -> tuple[Pattern, ...]:
    """Case-insensitive regexes, one a line, each followed by at least one ``example:`` line it matches."""
    found: list[Pattern] = []
    for where, line in _lines(name):
        if line.startswith(EXAMPLE):
            if not found:
                raise RulesError(f"{where}: an example before any pattern")
            last = found[-1]
            found[-1] = Pattern(last.regex, (*last.examples, line[len(EXAMPLE) :].strip()), last.where)
            continue
        if found and not found[-1].examples:
            raise RulesError(f"{found[-1].where}: the pattern has no '{EXAMPLE}' line after it")
        try:
            regex = re.compile(line, re.IGNORECASE)
        except re.error as exc:
            raise RulesError(f"{where}: bad pattern {line!r}: {exc}") from None
        found.append(Pattern(regex, (), where))
    if found and not found[-1].examples:
        raise RulesError(f"{found[-1].where}: the pattern has no '{EXAMPLE}' line after it")
    return tuple(found)
