"""The packed stem table: the same look-ups as the dict it replaces, and an analyzer over it gives the same terms."""

from __future__ import annotations

import pytest

from bot.search.analysis import Analyzer
from bot.search.stem_table import StemTable
from tests.helpers import SEED

STEMS = {"troops": "troop", "kursk": "kursk", "zürich": "zürich", "naïvely": "naiv", "a": "a", "offensive": "offens"}


def test_a_stem_table_holds_what_its_pairs_say() -> None:
    table = StemTable(STEMS.items())
    assert dict(table) == STEMS and len(table) == len(STEMS)
    assert list(table) == sorted(STEMS)
    assert table["naïvely"] == "naiv" and table.get("zürich") == "zürich"
    assert "troop" not in table and table.get("troop") is None
    with pytest.raises(KeyError):
        table["zzz"]


def test_the_first_pair_for_a_word_wins_and_an_empty_table_works() -> None:
    assert dict(StemTable([("runs", "run"), ("runs", "other")])) == {"runs": "run"}
    assert len(StemTable([])) == 0 and "x" not in StemTable([])


def test_a_packed_analyzer_analyses_as_the_dict_one_without_the_stemmer() -> None:
    text = SEED.read_text(encoding="utf-8")
    built = Analyzer()
    expected = built.analyze(text)
    saved = Analyzer.from_json(built.to_json())
    packed = Analyzer.from_json(built.to_json(), packed=True)
    assert isinstance(packed._saved, StemTable) and not packed._stems
    assert packed.analyze(text) == expected
    assert not packed._stems  # every word's stem came from the table: Snowball never ran
    assert [packed.known_term(w) for w in ("forces", "unseenword")] == [saved.known_term("forces"), None]
    assert Analyzer.from_json(packed.to_json()).analyze(text) == expected  # saved again, it is the same analyzer


def test_a_packed_analyzer_packs_what_it_learns_and_stems_new_words() -> None:
    packed = Analyzer(stems=StemTable([("troops", "troop")]))
    packed.learn(Analyzer(stems={"bridges": "bridg", "troops": "troop"}))
    packed.learn(Analyzer(stems=StemTable([("rivers", "river")])))
    assert dict(packed._saved) == {"bridges": "bridg", "rivers": "river", "troops": "troop"} and not packed._stems
    assert packed.analyze("Troops crossed bridges running") == ["troop", "cross", "bridg", "run"]
    assert packed._stems == {"crossed": "cross", "running": "run"}  # computed here, apart from the table
    with pytest.raises(ValueError, match="different rules"):
        packed.learn(Analyzer(stop_words=()))
