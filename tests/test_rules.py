"""The one rules loader: its syntax, its errors (file:line), and every shipped data file through it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot import rules
from bot.errors import RulesError
from bot.search.analysis import demonyms, stop_words
from bot.speakers.lexicon import lexicon

SHIPPED = sorted(p.name for p in rules.RULES_DIR.iterdir() if p.suffix == ".txt")


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_comments_blank_lines_and_collocation_hashes(tmp_path: Path) -> None:
    path = _file(tmp_path, "# heading\n\nno ##number##\n  Vol ##number##   # volume 3\nsaid#not-a-comment\n")
    assert rules.words(path) == ("no ##number##", "vol ##number##", "said#not-a-comment")


def test_table_keys_values_and_tags(tmp_path: Path) -> None:
    path = _file(tmp_path, "say said says @inverts  # Doe said\nTell told\n")
    table = rules.table(path, frozenset({"inverts"}))
    assert table["say"].values == ("said", "says") and table["say"].tags == {"inverts"}
    assert table["tell"].values == ("told",) and not table["tell"].tags
    assert table["tell"].where.endswith("rules.txt:2")


def test_mapping_keys_may_hold_spaces(tmp_path: Path) -> None:
    path = _file(tmp_path, "new zealand: kiwi kiwis\nrussia: russian\n")
    assert rules.mapping(path) == {"new zealand": ("kiwi", "kiwis"), "russia": ("russian",)}


def test_patterns_carry_their_examples(tmp_path: Path) -> None:
    path = _file(tmp_path, "^read more\\s*:\n  example: Read more: the story\n  example: READ MORE: x\n")
    (pattern,) = rules.patterns(path)
    assert pattern.examples == ("Read more: the story", "READ MORE: x")
    assert all(pattern.regex.search(example) for example in pattern.examples)


@pytest.mark.parametrize(
    ("reader", "text", "line", "message"),
    [
        (lambda p: rules.table(p, frozenset({"inverts"})), "say @inverts\nadd @invert\n", 2, "unknown tag '@invert'"),
        (rules.words, "mr\n@place\n", 2, "unknown tag"),
        (rules.table, "say\ntell\nsay said\n", 3, "already listed at .*:1"),
        (rules.words, "he\nshe\nhe\n", 3, "already listed"),
        (rules.table, "word\n@tag\n", 2, "unknown tag"),
        (rules.mapping, "russia: russian\nukraine ukrainian\n", 2, "expected 'key: value"),
        (rules.patterns, "^ok$\n  example: ok\n(unclosed\n  example: (unclosed\n", 3, "bad pattern"),
        (rules.patterns, "^ok$\n^no example$\n  example: no example\n", 1, "no 'example:' line"),
        (rules.patterns, "^ok$\n  example: ok\n^last$\n", 3, "no 'example:' line"),
        (rules.patterns, "  example: orphan\n^ok$\n  example: ok\n", 1, "example before any pattern"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, reader, text: str, line: int, message: str) -> None:
    with pytest.raises(RulesError, match=rf"rules\.txt:{line}: .*{message}"):
        reader(_file(tmp_path, text))


def test_an_unreadable_file_is_a_rules_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"caf\xe9\n")
    with pytest.raises(RulesError, match=r"latin1\.txt"):
        rules.words(path)


READERS: dict[str, Callable[[str], object]] = {
    "abbrev_collocations.txt": rules.words,
    "abbrev_titles.txt": rules.words,
    "abbreviations.txt": rules.words,
    "answer_evidence.txt": lambda n: rules.table(n, frozenset({"quantity", "money", "date", "place"})),
    "answer_types.txt": rules.patterns,
    "bodies.txt": rules.table,
    "boilerplate.txt": rules.patterns,
    "demonyms.txt": rules.mapping,
    "documents.txt": rules.words,
    "evidence.txt": rules.words,
    "function_words.txt": lambda n: rules.table(n, frozenset({"block", "prep", "connective"})),
    "gendered_words.txt": lambda n: rules.table(n, frozenset({"female", "male"})),
    "given_names.txt": lambda n: rules.table(n, frozenset({"female", "male"})),
    "headline_labels.txt": rules.words,
    "honorifics.txt": rules.words,
    "light_verbs.txt": rules.words,
    "mention_fillers.txt": rules.words,
    "nominal_cues.txt": rules.table,
    "passive_markers.txt": rules.words,
    "places.txt": rules.words,
    "polar_openers.txt": rules.words,
    "pronouns.txt": lambda n: rules.table(n, frozenset({"female", "male"})),
    "question_verbs.txt": rules.table,
    "receiving_verbs.txt": rules.words,
    "sentence_starters.txt": rules.words,
    "source_qualifiers.txt": rules.words,
    "speech_verbs.txt": lambda n: rules.table(
        n, frozenset({"inverts", "complement", "affirmative", "topic", "to", "charge", "as_it"})
    ),
    "stopwords.txt": rules.words,
    "title_abbreviations.txt": rules.table,
    "time_words.txt": lambda n: rules.table(n, frozenset({"lead"})),
    "titles.txt": lambda n: rules.table(n, frozenset({"place"})),
    "unspoken_frames.txt": rules.words,
    "unwritable_chats.txt": rules.words,
    "verb_modifiers.txt": rules.words,
}
"""How each shipped file is read (the code reads it the same way); a new file needs a line here."""


def test_every_shipped_file_has_a_reader_and_a_user() -> None:
    assert set(READERS) == set(SHIPPED)
    code = "\n".join(p.read_text(encoding="utf-8") for p in Path(rules.RULES_DIR).parent.rglob("*.py"))
    assert not [name for name in SHIPPED if f'"{name}"' not in code], "a rules file no module reads"


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_file_loads(name: str) -> None:
    assert READERS[name](name)


def test_the_products_build() -> None:
    """The word lists as the pipeline uses them: one look-up each, to catch a reader/format mismatch."""
    assert "said" in lexicon().cue_forms and "said" in lexicon().inverting_forms
    assert "governor" in lexicon().place_titles and "gov." in lexicon().place_titles
    assert "after" in lexicon().blocking_words and "the" not in lexicon().blocking_words
    assert demonyms()["russian"] == "russia" and "the" in stop_words()


@pytest.mark.parametrize("pattern", rules.patterns("boilerplate.txt"), ids=lambda p: p.where.rsplit("/", 1)[-1])
def test_every_boilerplate_pattern_matches_its_examples(pattern: rules.Pattern) -> None:
    from bot.corpus import is_boilerplate

    assert pattern.examples
    for example in pattern.examples:
        assert pattern.regex.search(example), f"{pattern.where}: does not match its example {example!r}"
        assert is_boilerplate(example)
