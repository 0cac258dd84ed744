"""The merge of analysed batches from several workers, each numbering its terms and words its own way
(``bot.search.batch_index``): workers simulated in this process, batches given as texts."""

from __future__ import annotations

from itertools import chain

import numpy as np
import pytest

from bot.corpus.files import article_files
from bot.corpus.packed import pack
from bot.search.analysis import Analyzer
from bot.search.batch_index import AnalysedBatch, BatchMerge, _Worker
from bot.search.bm25 import BM25Index, BM25Params
from bot.search.vectors import word_counts
from tests.helpers import ROOT

PARAMS = BM25Params()
ARTICLES = ROOT / "tests" / "data" / "articles"

# (sentences, headlines) of each batch, in corpus order. "Floods" is first a headline's word (batch 0) and then
# a sentence's of a later batch of the same worker (batch 2): it must come among the sentence stems, which the
# analyzer orders before every headline stem. "Harvest" is first a sentence's on one worker and then on the other.
BATCHES = [
    (["Ministers met in the capital.", "The harvest failed."], ["Floods hit the north"]),
    (["Rains came early to the valley.", "Harvest prices rose."], ["Markets fall"]),
    (["Floods rose again in the north.", "Ministers said little."], ["Floods recede", "Rains return"]),
    (["Markets recovered slowly after the floods."], ["Valley farmers count losses"]),
    (["Farmers counted their losses.", "The capital stayed dry."], ["Ministers meet again"]),
]
WORKERS = [1, 2, 1, 1, 2]
"""Which worker did each batch: not in turn, as a pool hands a batch to whichever worker is free."""


def analysed(workers: dict[int, _Worker], pid: int, sentences: list[str], titles: list[str]) -> AnalysedBatch:
    return workers.setdefault(pid, _Worker(pid)).analyse(pack([]), sentences, titles)


def one_process() -> tuple[BM25Index, list[tuple[str, str]], list[tuple[str, int]]]:
    """The index, stems and word counts of every batch in one process: sentences first, then headlines."""
    sentences = [s for batch, _ in BATCHES for s in batch]
    titles = [t for _, batch in BATCHES for t in batch]
    analyzer = Analyzer()
    index = BM25Index(sentences, PARAMS, analyzer=analyzer)
    for title in titles:
        analyzer.analyze(title)
    return index, list(analyzer.stems.items()), list(word_counts(chain(sentences, titles)).items())


def test_batches_of_interleaved_workers_merge_into_the_one_process_index() -> None:
    workers: dict[int, _Worker] = {}
    batches = [analysed(workers, pid, *batch) for pid, batch in zip(WORKERS, BATCHES, strict=True)]
    assert batches[2].terms.before > 0 and batches[2].words.before > 0  # its worker's batch 0 numbered them
    assert "floods" in batches[2].sentence_stems and "floods" in batches[0].title_stems
    assert "ministers" not in batches[2].sentence_stems  # its worker sent it with batch 0
    merge = BatchMerge(Analyzer())
    for batch in batches:
        merge.add(batch)
    index = merge.index(PARAMS)
    expected, stems, counts = one_process()
    assert index.vocabulary == expected.vocabulary and list(index.vocabulary) == list(expected.vocabulary)
    for name in ("doc_len", "idf", "indptr", "doc_ids", "weights"):
        assert np.array_equal(getattr(index, name), getattr(expected, name))
    assert list(merge.analyzer.stems.items()) == stems
    assert list(merge.word_counts().items()) == counts


def test_a_worker_sends_only_what_is_new_to_it() -> None:
    worker = _Worker(7)
    first = worker.analyse(pack([]), ["Rains came early.", "Rains came late."], ["Rains"])
    again = worker.analyse(pack([]), ["Rains came early."], ["Rains came"])
    assert first.sequence == 0 and again.sequence == 1
    assert again.terms.strings == [] and again.terms.before == len(first.terms.strings)
    assert again.words.strings == [] and again.sentence_stems == {} and again.title_stems == {}
    assert np.array_equal(again.term_ids, first.term_ids[: len(again.term_ids)])
    assert again.word_counts.tolist() == [1, 1, 1]


@pytest.mark.parametrize("order", [[0, 2, 1], [1]])
def test_a_worker_s_batches_out_of_its_order_are_refused(order: list[int]) -> None:
    worker = _Worker(3)
    batches = [worker.analyse(pack([]), sentences, titles) for sentences, titles in BATCHES[:3]]
    merge = BatchMerge(Analyzer())
    with pytest.raises(RuntimeError, match="out of the order"):
        for i in order:
            merge.add(batches[i])


def test_a_worker_that_numbers_afresh_is_refused() -> None:
    """A worker process replaced by a new one with the same id (or one whose failed batch reset it)."""
    merge = BatchMerge(Analyzer())
    merge.add(_Worker(5).analyse(pack([]), *BATCHES[0]))
    with pytest.raises(RuntimeError, match="batch 0 of worker 5"):
        merge.add(_Worker(5).analyse(pack([]), *BATCHES[1]))


def test_a_batch_that_fails_in_analysis_makes_its_worker_start_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its chunks were cached and their stems taken, never sent: the worker's next batch must not be merged."""
    from bot.search import batch_index

    files = article_files(ARTICLES)[:2]
    batch_index._worker.cache_clear()  # this process may have analysed batches in another test
    merge = BatchMerge(Analyzer())
    merge.add(batch_index.load_analysed(files[:1]))

    def out_of_memory(texts: object) -> None:
        raise MemoryError

    with monkeypatch.context() as patch:
        patch.setattr(batch_index, "word_counts", out_of_memory)
        with pytest.raises(MemoryError):
            batch_index.load_analysed(files[1:])
    again = batch_index.load_analysed(files[1:])
    assert again.sequence == 0 and again.terms.before == 0
    with pytest.raises(RuntimeError, match="out of the order"):
        merge.add(again)
    batch_index._worker.cache_clear()
