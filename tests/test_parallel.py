"""bot.parallel on a real Dask LocalCluster of worker processes, parsing real article files."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client

from bot.corpus.files import article_files, load_batch
from bot.errors import ConfigError, CorpusError
from bot.parallel import batched, dask_client, map_batches
from bot.records import Article
from tests.helpers import ROOT

ARTICLES = ROOT / "tests" / "data" / "articles"


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """One two-worker cluster for the module (each start costs seconds), shut down after it."""
    with dask_client(workers=2) as client:
        yield client
    assert client.status == "closed"


def fail_on_odd(n: int) -> int:
    """A task that fails for some batches (module level: workers import it by name)."""
    if n % 2:
        raise ValueError(f"odd batch {n}")
    return n


def test_a_batch_loads_as_the_corpus_loader_loads_the_same_files(tmp_path: Path) -> None:
    good = article_files(ARTICLES)[:3]
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe not text")
    articles, problems = load_batch([good[0], tmp_path / "bad.txt", *good[1:]])
    assert [a.path for a in articles] == good
    assert len(problems) == 1 and isinstance(problems[0], CorpusError) and "bad.txt" in str(problems[0])


def test_batched_keeps_order_and_balances_by_weight() -> None:
    items = list(range(10))
    weights = [1, 1, 1, 1, 1, 1, 1, 1, 10, 10]
    batches = batched(items, weights, 3)
    assert [i for b in batches for i in b] == items
    assert all(batches) and len(batches) == 3
    assert batches[-1] == [9] and batches[-2] == [8]
    assert batched(items, [1] * 10, 50) == [[i] for i in items]  # never more batches than items
    assert batched([], [], 4) == []


def test_parsing_in_batches_on_two_workers_equals_one_process_in_input_order(client: Client) -> None:
    files = article_files(ARTICLES)
    batches = batched(files, [f.stat().st_size for f in files], 6)
    seen: list[tuple[int, int]] = []
    results = map_batches(client, load_batch, batches, progress=lambda done, total: seen.append((done, total)))
    expected_articles, expected_problems = load_batch(files)
    assert [a for articles, _ in results for a in articles] == expected_articles
    assert [p for _, problems in results for p in problems] == expected_problems == []
    assert seen == [(i, len(batches)) for i in range(1, len(batches) + 1)]
    assert len({w for w in client.scheduler_info()["workers"]}) == 2  # two processes, one thread each
    assert all(w["nthreads"] == 1 for w in client.scheduler_info()["workers"].values())


def last_to_finish(n: int) -> int:
    """Batch 0 waits until the caller has seen the others finish (a Dask Event: no timing involved).

    It secedes from its worker's one thread while it waits: otherwise a batch the scheduler queued behind it
    on the same worker could never start, and the test would hang on who got which batch."""
    from distributed import Event, rejoin, secede

    if n == 0:
        secede()
        done = Event("others-done").wait(timeout=60)
        rejoin()
        if not done:
            raise TimeoutError("the other batches never finished")
    return n


def test_iter_batches_yields_in_input_order_as_soon_as_each_prefix_is_done(client: Client) -> None:
    from distributed import Event

    from bot.parallel import iter_batches

    finished: list[int] = []

    def progress(done: int, total: int) -> None:
        finished.append(done)
        if done == total - 1:
            Event("others-done", client=client).set()

    results = iter_batches(client, last_to_finish, [0, 1, 2, 3], progress)
    assert next(results) == 0 and finished == [1, 2, 3, 4]  # 1-3 were done first; 0 was waited for
    assert list(results) == [1, 2, 3]


def test_a_failing_task_raises_in_the_caller(client: Client) -> None:
    with pytest.raises(ValueError, match="odd batch 1"):
        map_batches(client, fail_on_odd, [0, 1, 2])
    assert map_batches(client, fail_on_odd, [0, 2, 4]) == [0, 2, 4]  # the cluster still works
    assert map_batches(client, fail_on_odd, []) == []


def test_an_existing_scheduler_is_used_and_left_running(client: Client) -> None:
    address = client.scheduler_info()["address"]
    with dask_client(scheduler=address) as remote:
        assert map_batches(remote, fail_on_odd, [2, 4]) == [2, 4]
    assert remote.status == "closed"
    assert client.submit(fail_on_odd, 6).result() == 6  # leaving did not shut the scheduler down


@pytest.mark.parametrize(
    ("workers", "scheduler", "message"),
    [
        (2, "tcp://127.0.0.1:8786", "not both"),
        (0, None, "1 or more"),
        (None, "127.0.0.1:8786", "tcp://HOST:PORT"),
        (None, "tcp://127.0.0.1", "tcp://HOST:PORT"),
    ],
)
def test_bad_arguments_are_a_config_error(workers: int | None, scheduler: str | None, message: str) -> None:
    with pytest.raises(ConfigError, match=message), dask_client(workers=workers, scheduler=scheduler):
        pass


def test_a_scheduler_that_does_not_answer_is_a_config_error() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConfigError, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"):  # noqa: SIM117
        with dask_client(scheduler=f"tcp://127.0.0.1:{port}", timeout=1):
            pass


def test_the_cli_cold_start_does_not_import_dask() -> None:
    code = (
        "import runpy, sys; sys.argv = ['bot', 'ask', '--json', 'Who leads the Kursk region?']\n"
        "try:\n    runpy.run_module('bot', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'dask', 'distributed'}), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stderr.strip().splitlines()[-1] == "[]"


# ---- the first load of a corpus on every core --------------------------------------------------------------


def test_packed_articles_unpack_to_the_same_records(tmp_path: Path) -> None:
    import pickle

    from bot.corpus.packed import pack, unpack

    (tmp_path / "bad.txt").write_bytes(b"\xff not text")
    articles, problems = load_batch([*article_files(ARTICLES), tmp_path / "bad.txt"])
    again, again_problems = unpack(pickle.loads(pickle.dumps(pack(articles, problems))))
    assert again == articles
    assert [str(p) for p in again_problems] == [str(p) for p in problems] and len(problems) == 1


def test_packed_batches_join_into_the_corpus_of_their_articles(tmp_path: Path) -> None:
    """Batches joined as columns (speakers renumbered across batches, a batch of problems only, an empty
    article) give the Corpus that ``Corpus.of`` gives the same articles, record for record."""
    import numpy as np

    from bot.columns import LazyArticles
    from bot.corpus.packed import PackedJoin, pack
    from bot.records import Corpus

    (tmp_path / "bad.txt").write_bytes(b"\xff not text")
    paths = article_files(ARTICLES)
    parts = [paths[:1], [tmp_path / "bad.txt"], paths[1:3], paths[3:]]
    join = PackedJoin(ARTICLES)
    for part in parts:
        join.add(pack(*load_batch(part)))
    joined = join.corpus()
    articles, problems = load_batch([p for part in parts for p in part])
    expected = Corpus.of(ARTICLES, tuple(articles), tuple(problems))
    assert isinstance(joined.articles, LazyArticles) and len(joined.articles) == len(articles) > 3
    assert list(joined.articles) == articles
    assert [joined.articles.sentence(i, 0) for i in range(len(articles))] == [a.sentences[0] for a in articles]
    assert joined.speakers == expected.speakers and len(expected.speakers) > 3
    assert np.array_equal(joined.speaker_ids, expected.speaker_ids)
    assert np.array_equal(joined.sentence_counts, expected.sentence_counts)
    assert [str(p) for p in joined.problems] == [str(p) for p in problems] and len(problems) == 1


def test_joining_only_problems_names_every_file(tmp_path: Path) -> None:
    from bot.corpus.packed import PackedJoin, pack

    join = PackedJoin(tmp_path)
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(b"\xff")
        join.add(pack(*load_batch([tmp_path / name])))
    with pytest.raises(CorpusError, match=r"no article in .* could be loaded: .*a\.txt.*b\.txt"):
        join.corpus()


def test_a_first_load_on_two_workers_equals_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The real corpus files on a real two-process LocalCluster, in several batches (the size thresholds
    lowered so a small corpus takes the big corpus's path): the same articles, speakers and index, and a
    saved index byte for byte the same, the analyzer's stems and the word vectors' vocabulary included
    (each load with an analyzer of its own, as in a fresh process)."""
    import json
    import logging
    import shutil
    from dataclasses import replace

    import numpy as np

    from bot.columns import LazyArticles
    from bot.corpus import files
    from bot.library import Library
    from bot.search.analysis import default_analyzer

    corpora = [tmp_path / "one", tmp_path / "two"]
    for corpus in corpora:
        shutil.copytree(ARTICLES, corpus)
        (corpus / "broken.txt").write_bytes(b"\xff not text")
    monkeypatch.setattr(files, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(files, "BATCH_BYTES", 2_000)  # ~14 KB of articles: 6 batches
    default_analyzer.cache_clear()
    one = Library.load(corpora[0], workers=1)
    default_analyzer.cache_clear()
    with caplog.at_level(logging.INFO, logger="bot.corpus.files"):
        two = Library.load(corpora[1], workers=2)
    default_analyzer.cache_clear()
    assert "in 6 batches on 2 processes" in caplog.text and "parsed 6 of 6 batches" in caplog.text

    def relative(library: Library, corpus: Path) -> list[Article]:
        return [replace(a, path=a.path.relative_to(corpus)) for a in library.articles]

    assert relative(two, corpora[1]) == relative(one, corpora[0])
    assert isinstance(two.articles, LazyArticles)  # the workers' batches joined as columns, as the cache holds them
    problems = [
        [str(p).replace(str(c), "") for p in lib.corpus.problems] for lib, c in ((one, corpora[0]), (two, corpora[1]))
    ]
    assert problems[1] == problems[0] != []
    assert two.corpus.speakers == one.corpus.speakers
    assert np.array_equal(two.corpus.speaker_ids, one.corpus.speaker_ids)
    assert two.speakers == one.speakers
    for name in ("doc_len", "idf", "indptr", "doc_ids", "weights"):
        assert np.array_equal(getattr(two.index, name), getattr(one.index, name))
    assert two.index.vocabulary == one.index.vocabulary
    assert list(two.analyzer.stems.items()) == list(one.analyzer.stems.items()) != []
    manifests = [json.loads(next(c.glob(".index/*/manifest.json")).read_text(encoding="utf-8")) for c in corpora]
    assert {"index/analyzer.json", "vocabulary.json"} <= set(manifests[0]["files"])
    del manifests[0]["files"]["problems.json"], manifests[1]["files"]["problems.json"]  # they name their folders
    assert manifests[1]["files"] == manifests[0]["files"]


def test_a_small_corpus_loads_in_one_process(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from bot.library import Library

    with caplog.at_level(logging.INFO, logger="bot.corpus.files"):
        Library.load(ARTICLES, cache=False, workers=2)
    assert "processes" not in caplog.text
