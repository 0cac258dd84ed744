"""Speaker attribution: one table per rule (firing and not firing), invented articles in
several outlet styles, the seed article against its gold, and robustness cases."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.records import Sentence, Speaker
from bot.speakers import SpeakerSummary, attribute, roster

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
SEED_NAME = "000_ffa75115645ef01b.txt"
SEED_GOLD = Path("/work/shared/eval/article_gold.json")
BOILERPLATE = re.compile(r"^Let your voice be heard!")


def _split(line: str) -> list[tuple[int, int]]:
    """Sentence spans of one line, by the project's splitter when it is importable."""
    try:
        from bot.sentences import split_spans
    except ImportError:  # the splitter is written concurrently; Punkt alone needs no data
        from nltk.tokenize.punkt import PunktSentenceTokenizer

        return list(PunktSentenceTokenizer().span_tokenize(line))
    return list(split_spans(line))


def sentences_of(text: str, headline: bool = True) -> list[Sentence]:
    """Body sentences of an article file: headline and site boilerplate dropped, one paragraph a line."""
    sentences: list[Sentence] = []
    offset, lines = 0, text.split("\n")
    first = lines.index("---", 1) + 1 if lines[0] == "---" else 0  # front matter (corpus copy)
    for number, line in enumerate(lines):
        if number < first + headline:
            offset += len(line) + 1
            continue
        if line.strip() and not BOILERPLATE.match(line):
            for start, end in _split(line):
                sentences.append(Sentence(len(sentences), offset + start, offset + end, line[start:end], number))
        offset += len(line) + 1
    return sentences


def paragraphs(*texts: str) -> list[Sentence]:
    """A tiny article from paragraph strings (no headline)."""
    return sentences_of("\n".join(texts), headline=False)


def same_speaker(name: str | None, want: str) -> bool:
    """The dev evaluation's test: equal names, or the same last word."""
    return bool(name) and (name.lower() == want.lower() or name.split()[-1].lower() == want.split()[-1].lower())


def role_words(role: str | None) -> set[str]:
    """Words of a role as the dev evaluation compares them."""
    return {w for w in re.findall(r"[a-z]+", (role or "").lower()) if len(w) > 2 and w not in {"the", "and", "region"}}


def speaker_for(sentences: list[Sentence], speakers: list[Speaker], key: str) -> Speaker:
    """The speaker of the sentence containing ``key``."""
    matches = [sp for s, sp in zip(sentences, speakers, strict=True) if key in s.text]
    assert len(matches) == 1, f"{key!r} found in {len(matches)} sentences"
    return matches[0]


# ---- the seed article against the shared gold ------------------------------------------


def _seed_path() -> Path:
    """Prefer the copy in the repo's corpus, else the shared seed."""
    local = ROOT / "corpus" / SEED_NAME
    return local if local.exists() else Path("/work/shared/seeds") / SEED_NAME


def _seed_cases() -> list[dict]:
    return json.loads(SEED_GOLD.read_text(encoding="utf-8"))["sentences"] if SEED_GOLD.exists() else []


@pytest.fixture(scope="module")
def seed() -> tuple[list[Sentence], list[Speaker]]:
    sentences = sentences_of(_seed_path().read_text(encoding="utf-8"))
    return sentences, attribute(sentences, source="CNN")


@pytest.mark.parametrize("gold", _seed_cases(), ids=lambda g: g["key"][:30])
def test_seed_gold(seed: tuple[list[Sentence], list[Speaker]], gold: dict) -> None:
    sp = speaker_for(*seed, gold["key"])
    if gold["speaker"] == "narrator":
        assert sp.kind == "narrator" or any(same_speaker(sp.name, a) for a in gold.get("accept", []))
    else:
        assert sp.kind in ("direct", "reported")
        assert same_speaker(sp.name, gold["speaker"])
    if gold.get("role"):
        assert role_words(gold["role"]) & role_words(sp.role)
    if gold.get("cue"):
        assert sp.cue == gold["cue"]


def test_seed_has_one_speaker_per_sentence(seed: tuple[list[Sentence], list[Speaker]]) -> None:
    sentences, speakers = seed
    assert len(speakers) == len(sentences) == 17
    assert all(sp.name == "CNN" for sp in speakers if sp.kind == "narrator")


def test_seed_roster(seed: tuple[list[Sentence], list[Speaker]]) -> None:
    people = roster(seed[1])
    assert people[0] == SpeakerSummary("Vladimir Putin", "Russian President", 4, ("Putin",))
    assert [p.name for p in people][1] == "Aleksey Smirnov"
    assert {p.name for p in people} == {
        "Vladimir Putin", "Aleksey Smirnov", "Vyacheslav Gladkov", "Oleksandr Syrskyi", "Russia", "Andrey Miskov"
    }


# ---- invented articles in several outlet styles ----------------------------------------


def _article_cases() -> list:
    cases = []
    for gold_file in sorted(ARTICLES.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        for case in gold["sentences"]:
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
            cases.append(pytest.param(gold_file.stem, gold["source"], case, marks=marks,
                                      id=f"{gold_file.stem}:{case['key'][:25]}"))
    return cases


@pytest.fixture(scope="module")
def attributed() -> dict[str, tuple[list[Sentence], list[Speaker]]]:
    """Every invented article, split and attributed once."""
    out = {}
    for gold_file in sorted(ARTICLES.glob("*.json")):
        source = json.loads(gold_file.read_text(encoding="utf-8"))["source"]
        sentences = sentences_of(gold_file.with_suffix(".txt").read_text(encoding="utf-8"))
        out[gold_file.stem] = (sentences, attribute(sentences, source=source))
    return out


@pytest.mark.parametrize(("article", "source", "case"), _article_cases())
def test_invented_article(attributed: dict, article: str, source: str | None, case: dict) -> None:
    sp = speaker_for(*attributed[article], case["key"])
    if case["speaker"] == "narrator":
        assert (sp.kind, sp.name) == ("narrator", source)
    else:
        assert sp.name == case["speaker"]
        assert sp.kind in ("direct", "reported")
    for field in ("role", "kind", "cue", "rule"):
        if field in case:
            assert getattr(sp, field) == case[field], field


def test_article_without_quotes_is_all_narrator(attributed: dict) -> None:
    sentences, speakers = attributed["comet_no_quotes"]
    assert speakers == [Speaker(None, kind="narrator", rule="narrator")] * len(sentences)
    assert roster(speakers) == []
