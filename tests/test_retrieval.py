"""Tests for bot.retrieval: analysis cases, exact equality with rank-bm25, search, save/load."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot.retrieval import Analyzer, BM25Index, BM25Params, Hit, analyze
from tests.helpers import ROOT

ANALYZE_CASES = [
    # (text, expected terms)
    ("Russia’s troops", ["russia", "troop"]),  # curly apostrophe, possessive
    ("Russia's troops", ["russia", "troop"]),
    ("“Quoted” words", ["quot", "word"]),  # curly quotes are not part of words
    ("the soldiers' rifles", ["soldier", "rifl"]),  # plural possessive
    ("cross-border raid", ["cross", "border", "crossbord", "raid"]),  # hyphen: parts and joined form
    ("cross–border raid", ["cross", "border", "crossbord", "raid"]),  # en dash folded to a hyphen
    ("war — again", ["war"]),  # an em dash between words is no word
    ("1,000 troops", ["1000", "troop"]),
    ("1000 troops", ["1000", "troop"]),
    ("a 12-kilometer advance", ["12", "kilomet", "advanc"]),  # digits: parts, no joined form
    ("How far have they advanced into Russia?", ["advanc", "russia"]),  # stop words and question words
    ("What did he say about it?", ["say"]),  # "say" is content: "what did Putin say"
    ("Ukrainian forces", ["ukrain", "forc"]),  # demonym folded into its place
    ("Russians and Ukrainians", ["russia", "ukrain"]),
    ("The U.S. and the E.U.", ["us", "eu"]),  # dotted acronyms, never stop words
    ("3.5 percent", ["3.5", "percent"]),
    ("FORCES Forces forces", ["forc", "forc", "forc"]),  # case folded, repeats kept
    ("", []),
    ("   \n\t ", []),
]


@pytest.mark.parametrize(("text", "expected"), ANALYZE_CASES)
def test_analyze(text: str, expected: list[str]) -> None:
    assert analyze(text) == expected


@pytest.mark.parametrize("text", ["🙂🚀 ok", "שלום עולם", "مرحبا بالعالم", "\u202eevil\u202c", "ﬁnance ½", "a\x00b"])
def test_analyze_odd_text_does_not_crash(text: str) -> None:
    assert all(isinstance(t, str) and t for t in analyze(text))


def test_analyze_is_the_same_for_questions_and_sentences() -> None:
    """One tokenizer: a question's terms are found among a sentence's terms."""
    assert set(analyze("Who vowed to expel enemy forces?")) <= set(analyze("Putin vowed to expel enemy forces."))


def test_an_analyzer_owns_its_word_lists() -> None:
    """Two analyzers with different rules do not share caches: each answers by its own lists."""
    plain = Analyzer(stop_words=(), demonyms={})
    folded = Analyzer(stop_words=("the",), demonyms={"kursker": "kursk"})
    assert plain.analyze("The Kursker") == ["the", "kursker"]
    assert folded.analyze("The Kursker") == ["kursk"]
    assert analyze("The Kursker") == ["kursker"]  # the shipped lists know no such demonym


def test_an_index_keeps_the_analyzer_that_built_it(tmp_path) -> None:
    custom = Analyzer(stop_words=(), demonyms={"kursker": "kursk"})
    index = BM25Index(["The Kursker mayor spoke.", "Rain fell."], analyzer=custom)
    index.save(tmp_path / "ix")
    loaded = BM25Index.load(tmp_path / "ix")
    assert loaded.analyzer.stop_words == frozenset() and loaded.analyzer.demonyms == {"kursker": "kursk"}
    assert loaded.search("Who is the Kursk mayor?") == index.search("Who is the Kursk mayor?")
    assert loaded.search("Who is the Kursk mayor?")[0].index == 0


def test_a_loaded_index_stems_known_words_without_nltk(tmp_path) -> None:
    """The stems saved beside an index are enough to answer questions in its words: no NLTK import."""
    BM25Index(["Forces advanced into the region.", "Residents were evacuated."]).save(tmp_path / "ix")
    script = (
        f"import sys; from bot.retrieval import BM25Index; ix = BM25Index.load({str(tmp_path / 'ix')!r}); "
        "hits = ix.search('Were residents evacuated?'); "
        "print(hits[0].index, 'nltk' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["1", "False"]


# A three-document corpus checkable by hand: N = 3, avgdl = (2 + 3 + 1) / 3 = 2.
HAND = [["kursk", "troops"], ["kursk", "kursk", "putin"], ["putin"]]


def test_hand_checked_scores() -> None:
    index = BM25Index(tokens=HAND)
    assert index.avgdl == 2.0
    k1, b = 1.5, 0.75
    idf_kursk = np.log(3 - 2 + 0.5) - np.log(2 + 0.5)  # in 2 of 3 texts: negative, floored below
    idf_putin = idf_kursk  # also in 2 of 3
    idf_troops = np.log(3 - 1 + 0.5) - np.log(1 + 0.5)
    floor = 0.25 * (idf_kursk + idf_troops + idf_putin) / 3
    assert idf_kursk < 0 and floor < 0  # rank-bm25 floors with a negative mean too

    def part(tf: int, dl: int) -> float:
        return tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / 2.0))

    expected = [floor * part(1, 2), floor * part(2, 3), 0.0]
    assert index.get_scores(["kursk"]) == pytest.approx(expected, rel=1e-12)
    assert index.get_scores(["troops"])[0] == pytest.approx(idf_troops * part(1, 2), rel=1e-12)


def _random_corpus(rng: random.Random, n_docs: int, n_words: int) -> list[list[str]]:
    words = [f"w{i}" for i in range(n_words)]
    weights = [1 / (i + 1) for i in range(n_words)]
    docs = [rng.choices(words, weights, k=rng.choice([0, 1, 2, 5, 10, 30])) for _ in range(n_docs)]
    for doc in docs[: n_docs * 3 // 4]:  # "common" is in 3/4 of the texts: negative idf, floored
        doc.append("common")
    for doc in docs:  # "everywhere" is in every text that has any word
        if doc:
            doc.append("everywhere")
    return docs


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_scores_equal_rank_bm25_exactly(seed: int) -> None:
    """Bit-for-bit equality with rank-bm25, empty texts, repeats and unknown words included."""
    rng = random.Random(seed)
    docs = _random_corpus(rng, rng.choice([1, 2, 3, 7, 50, 400]), rng.choice([3, 20, 200]))
    if not any(docs):
        docs.append(["w0"])
    # k1 > 0: with k1 = 0 rank-bm25 divides 0 by 0 for texts lacking a term and returns NaN.
    params = BM25Params(k1=rng.choice([1.5, 1.2, 0.3, 2.0]), b=rng.choice([0.75, 0.0, 1.0]), epsilon=0.25)
    ours = BM25Index(tokens=docs, params=params)
    theirs = BM25Okapi(docs, k1=params.k1, b=params.b, epsilon=params.epsilon)
    vocabulary = [*sorted({t for d in docs for t in d}), "unknown", "never"]
    for _ in range(20):
        query = rng.choices(vocabulary, k=rng.randint(0, 8))  # repeats likely
        expected = theirs.get_scores(query)
        # With b = 1, rank-bm25 divides 0 by 0 for an empty text (|d| = 0) lacking a term: NaN. Here: 0.
        nan = np.isnan(expected)
        assert all(not docs[i] for i in np.flatnonzero(nan))
        scores = ours.get_scores(query)
        assert np.array_equal(scores[~nan], expected[~nan]), query
        assert (scores[nan] == 0).all()


def test_scores_equal_rank_bm25_on_analyzed_text() -> None:
    texts = [
        "Putin vowed to expel enemy forces from Russia's territory.",
        "Ukrainian troops seized dozens of Russian villages.",
        "",
        "The the the.",
        "Kyiv's cross-border offensive surprised Moscow.",
        "Forces, forces and more forces.",
    ]
    theirs = BM25Okapi([analyze(t) for t in texts])
    ours = BM25Index(texts)
    for q in ["Russian forces", "cross border offensive", "What did Putin vow?", "", "the", "villages villages"]:
        assert np.array_equal(ours.get_scores(q), theirs.get_scores(analyze(q))), q


@pytest.fixture(scope="module")
def corpus_index() -> tuple[list[list[str]], BM25Index]:
    docs = _random_corpus(random.Random(99), 3000, 500)
    return docs, BM25Index(tokens=docs)


@pytest.mark.parametrize("seed", range(8))
def test_search_is_the_top_of_get_scores(corpus_index: tuple[list[list[str]], BM25Index], seed: int) -> None:
    """Best first, ties in input order, only texts with a query term, same floats as get_scores."""
    docs, index = corpus_index
    rng = random.Random(seed)
    query = rng.choices([f"w{i}" for i in range(500)] + ["common", "everywhere"], k=rng.randint(1, 6))
    scores = index.get_scores(query)
    containing = [i for i, d in enumerate(docs) if set(d) & set(query)]
    expected = sorted(containing, key=lambda i: (-scores[i], i))
    for k in (1, 3, 10, 10_000):
        hits = index.search(query, k=k)
        assert [h.index for h in hits] == expected[:k]
        assert [h.score for h in hits] == [scores[i] for i in expected[:k]]


def test_search_edge_cases() -> None:
    index = BM25Index(["Putin vowed to expel enemy forces.", "Ukrainian forces advanced.", "Nothing here."])
    assert index.search("") == []
    assert index.search("What is it?") == []  # only stop words
    assert index.search("zebra giraffe") == []  # unknown terms
    assert index.search("forces", k=0) == []
    hits = index.search("Ukrainian forces", k=3)
    assert [h.index for h in hits] == [1, 0]  # the third text has no query term
    assert all(isinstance(h, Hit) for h in hits)
    assert hits[0].score > hits[1].score > 0


def test_postings_of_a_term_are_the_texts_that_hold_it() -> None:
    index = BM25Index(["Ukrainian forces advanced.", "Russian forces retreated.", "Rain in Kursk."])
    assert index.postings_of("forc").tolist() == [0, 1]
    assert index.postings_of("kursk").tolist() == [2]
    assert index.postings_of("volcano").tolist() == []
    assert index.doc_freq("forc") == len(index.postings_of("forc"))


def test_empty_index() -> None:
    index = BM25Index([])
    assert len(index) == 0
    assert index.search("anything") == []
    assert index.get_scores("anything").shape == (0,)


def test_save_and_load_give_the_same_scores(tmp_path, corpus_index) -> None:
    _docs, index = corpus_index
    index.save(tmp_path / "ix")
    assert (tmp_path / "ix" / "params.index.json").is_file()
    loaded = BM25Index.load(tmp_path / "ix")
    assert loaded.params == index.params
    for query in (["w1", "w7", "common"], ["w3", "w3"], ["unknown"]):
        assert np.array_equal(loaded.get_scores(query), index.get_scores(query))
        assert loaded.search(query, 5) == index.search(query, 5)


@pytest.mark.parametrize(("few", "dense_share"), [(0, 0), (0, 8), (0, 10**9), (512, 8)])
def test_pruned_search_equals_exhaustive_search(corpus_index, monkeypatch, few: int, dense_share: int) -> None:
    """MaxScore pruning (sparse candidates or one dense sum) finds exactly the exhaustive top k, ties included."""
    import bot.search.bm25

    monkeypatch.setattr(bot.search.bm25, "FEW_POSTINGS", few)
    monkeypatch.setattr(bot.search.bm25, "DENSE_SHARE", dense_share)
    docs, index = corpus_index
    rng = random.Random(few + dense_share)
    vocabulary = [f"w{i}" for i in range(500)] + ["common", "everywhere"]
    for _ in range(150):
        query = rng.choices(vocabulary, k=rng.randint(2, 9))  # repeats likely among the frequent words
        scores = index.get_scores(query)
        containing = [i for i, d in enumerate(docs) if set(d) & set(query)]
        expected = sorted(containing, key=lambda i: (-scores[i], i))
        for k in (1, 3, 20):
            assert index.search(query, k) == [Hit(i, scores[i]) for i in expected[:k]], (query, k)


def test_max_weight_is_each_terms_largest_weight(corpus_index) -> None:
    _docs, index = corpus_index
    for tid in (0, 1, 7, len(index.vocabulary) - 1):
        lo, hi = index.indptr[tid], index.indptr[tid + 1]
        assert index.max_weight[tid] == index.weights[lo:hi].max()


def test_known_term_never_stems_a_new_word() -> None:
    analyzer = Analyzer()
    analyzer.analyze("The forces advanced.")
    assert analyzer.known_term("forces") == analyzer.term("forces")
    assert analyzer.known_term("the") is None  # a stop word
    assert analyzer.known_term("1,000") == "1000"  # a number needs no stem
    assert analyzer.known_term("volcanoes") is None and "volcanoes" not in analyzer._stems
