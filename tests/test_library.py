"""Tests for bot.library: the corpus-wide speaker list equals roster() over every sentence's speaker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.library import Library
from bot.records import Article, Corpus, Sentence, Speaker
from bot.speakers import roster
from tests.helpers import ROOT, SEED

ARTICLES = ROOT / "tests" / "data" / "articles"


def _roster_of_every_sentence(library: Library) -> list:
    return roster([s.speaker for a in library.articles for s in a.sentences])


@pytest.fixture
def multi(tmp_path: Path) -> Path:
    """The seed article and the invented test articles (AP, BBC, CNN, court, Q&A...) in one corpus."""
    directory = tmp_path / "corpus"
    directory.mkdir()
    shutil.copy(SEED, directory / SEED.name)
    for path in sorted(ARTICLES.glob("*.txt")):
        shutil.copy(path, directory / path.name)
    return directory


@pytest.mark.parametrize("cache", [False, True])
def test_speakers_equal_roster_on_the_seed_corpus(tmp_path: Path, cache: bool) -> None:
    shutil.copy(SEED, tmp_path / SEED.name)
    Library.load(tmp_path)  # writes the cache; the second load reads it
    library = Library.load(tmp_path, cache=cache)
    assert library.speakers == _roster_of_every_sentence(library)
    assert library.speakers


@pytest.mark.parametrize("cache", [False, True])
def test_speakers_equal_roster_on_many_articles(multi: Path, cache: bool) -> None:
    Library.load(multi)
    library = Library.load(multi, cache=cache)
    expected = _roster_of_every_sentence(library)
    assert library.speakers == expected
    assert len({s.name for s in expected}) > 10
    assert len({s.count for s in expected}) < len(expected)  # ties, broken by first appearance


def test_speakers_counts_roles_and_ties_by_hand() -> None:
    """Roles come from the first mention that has one; the narrator's outlet is nobody quoted."""
    smith, smith_mayor = Speaker("Ann Smith", None, kind="direct"), Speaker("Ann Smith", "mayor", kind="reported")
    lee, outlet = Speaker("Bo Lee", "chief", kind="direct"), Speaker("AP", kind="narrator")
    sequence = [outlet, lee, smith, outlet, smith_mayor, lee, Speaker(None), Speaker("AP", kind="direct")]
    article = Article(Path("a.txt"), "A", "", tuple(Sentence(i, 0, 0, "", 0, s) for i, s in enumerate(sequence)))
    library = Library(Corpus.of(Path("."), (article,)))
    assert library.speakers == roster(sequence)
    assert [(s.name, s.role, s.count) for s in library.speakers] == [
        ("Bo Lee", "chief", 2),
        ("Ann Smith", "mayor", 2),
        ("AP", None, 1),
    ]


def test_sentence_at_a_position_is_the_located_one_fresh_or_cached(multi: Path) -> None:
    fresh = Library.load(multi)  # parses and writes the cache
    cached = Library.load(multi)
    for library in (fresh, cached):
        for position in (0, len(library) // 2, len(library) - 1):
            located = library.locate(position)
            assert library.sentence(position) == (located.sentence, located.article.title)
        span = library.article_span(len(library) - 1)
        assert library.locate(span.start).sentence.index == 0 and span.stop == len(library)


def test_a_cold_start_answers_without_the_stemmer_when_the_question_has_known_words(tmp_path: Path) -> None:
    """Headline stems are saved with the index and the word vectors never stem: NLTK (0.25-0.8 s) stays out."""
    import subprocess
    import sys

    shutil.copy(SEED, tmp_path / SEED.name)
    Library.load(tmp_path)  # writes the saved index
    code = (
        "import sys; from bot.library import Library; from bot.answer import ask; "
        f"lib = Library.load({str(tmp_path)!r}); "
        "assert ask(lib, 'How far have Ukrainian forces advanced into Russia?').status == 'answered'; "
        "print('nltk' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"
