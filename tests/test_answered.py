"""The answers table: question message -> answer message, in a real SQLite file, across reopening."""

from __future__ import annotations

import doctest
import time
from pathlib import Path

import bot.answer.addressing
from bot.answered import AnsweredStore
from bot.database import connect


def test_an_answer_is_found_by_its_question_and_survives_reopening(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    AnsweredStore(connect(url)).keep(-100, 7, 1001, "Who is Putin?")
    found = AnsweredStore(connect(url)).get(-100, 7)
    assert found is not None and (found.answer_id, found.question) == (1001, "Who is Putin?")
    assert AnsweredStore(connect(url)).get(-101, 7) is None  # another chat's message 7


def test_answering_again_replaces_the_row(tmp_path: Path) -> None:
    store = AnsweredStore(connect(f"sqlite:///{tmp_path}/bot.sqlite3"))
    store.keep(1, 7, 1001, "Who is Putin?")
    store.keep(1, 7, 1001, "Who is Smirnov?")  # the question was edited
    assert (found := store.get(1, 7)) is not None and found.question == "Who is Smirnov?"
    assert store.db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 1


def test_old_answers_are_forgotten(tmp_path: Path) -> None:
    store = AnsweredStore(connect(f"sqlite:///{tmp_path}/bot.sqlite3"), retention=60)
    store.keep(1, 7, 1001, "Who is Putin?", now=time.time() - 120)
    store.keep(1, 8, 1002, "Who is Smirnov?")
    assert store.get(1, 7) is None and store.get(1, 8) is not None
    assert store.prune() == 1
    assert store.db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 1


def test_addressing_doctests() -> None:
    assert doctest.testmod(bot.answer.addressing).failed == 0
