"""Sharded search on Xapian: ``bot index`` and ``SEARCH_BACKEND=xapian`` against real ``xapian-tcpsrv`` servers.

The shards are built by the real CLI from a small corpus (the test articles and the seed);
answers over two remote shards must equal the in-process backend's on the same corpus.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from bot.answer import Reply, ask
from bot.errors import CorpusError, SearchBackendError
from bot.library import INDEX_PARAMS, Library
from bot.search.stem_table import StemTable
from bot.shards.build import ShardResult, ShardTask, build_index, build_shard
from bot.shards.client import ShardedLibrary
from tests.helpers import ROOT, SEED, run_cli, write_article
from tests.xapian_server import TcpServer, free_port

ARTICLES = ROOT / "tests" / "data" / "articles"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("corpus")
    for path in [*sorted(ARTICLES.glob("*.txt")), SEED]:
        shutil.copy(path, directory / path.name)
    return directory


@pytest.fixture(scope="module")
def shards(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("index") / "shards"
    done = run_cli("index", "--corpus", str(corpus), "--out", str(out), "--shards", "2", timeout=300)
    assert done.returncode == 0, done.stderr
    assert "indexing [" in done.stderr and "] 2/2 shards" in done.stderr  # the progress bar
    paths = [Path(line) for line in done.stdout.splitlines()]
    assert paths == [out / "shard-000", out / "shard-001"]
    return paths


@pytest.fixture(scope="module")
def servers(shards: list[Path]) -> Iterator[list[TcpServer]]:
    running = [TcpServer(p).start() for p in shards]
    try:
        yield running
    finally:
        for server in running:
            server.stop()


@pytest.fixture(scope="module")
def memory(corpus: Path) -> Library:
    return Library.load(corpus, cache=False)


def questions(library: Library) -> list[str]:
    """Questions of every kind, made from the corpus itself: headlines, a speaker's words, who someone is."""
    out = [a.title for a in library.articles]
    for person in library.speakers[:8]:
        said = [library.locate(p).sentence.text for p in library.speaker_positions(person.name)]
        word = max(said[0].split(), key=len).strip(".,;:“”\"'") if said else "it"
        surname = person.name.split()[-1]
        out += [f"What did {surname} say?", f"What did {surname} say about {word}?", f"Who is {person.name}?"]
    out += [
        "What did Zelensky say about Paris?",
        "What is the capital of Peru?",
        "How much did the stadium cost?",
        "  ",
    ]
    return out


def shown(reply: Reply) -> dict:
    """A reply as a user sees it (the scores left out: the two engines round the last bits differently)."""
    data = reply.to_dict()
    for answer in data["answers"]:
        answer.pop("score")
    return data


def test_two_remote_shards_answer_as_the_in_process_backend(servers: list[TcpServer], memory: Library) -> None:
    sharded = ShardedLibrary([s.address for s in servers])
    assert len(sharded) == len(memory) and sharded.unavailable == ()
    assert sharded.speakers == memory.speakers  # the roster merged from both shards' speaker tables
    assert isinstance(sharded.analyzer._saved, StemTable) and not sharded.analyzer._stems  # both shards' stems, packed
    asked = questions(memory)
    statuses = set()
    for question in asked:
        expected = ask(memory, question)
        assert shown(ask(sharded, question)) == shown(expected), question
        statuses.add((expected.status, expected.lead is not None))
    assert len(asked) > 30  # headlines, speaker questions with and without a topic, "who is", no answers
    assert {("answered", True), ("answered", False), ("no_answer", False), ("unknown_speaker", False)} <= statuses


def test_scores_are_bm25okapis_for_terms_in_under_a_third_of_the_sentences(
    servers: list[TcpServer], memory: Library
) -> None:
    sharded = ShardedLibrary([s.address for s in servers])
    rare = [t for t in memory.index.vocabulary if 0 < memory.doc_freq(t) < len(memory) / 4][:400:7]
    for i in range(0, len(rare) - 3, 3):
        terms = rare[i : i + 3]
        ours, theirs = memory.search(terms, 10), sharded.search(terms, 10)
        assert [h.index for h in theirs] == [h.index for h in ours], terms
        assert [h.score for h in theirs] == pytest.approx([h.score for h in ours], rel=1e-12)


def test_the_cli_answers_from_remote_shards_without_the_corpus(
    servers: list[TcpServer], corpus: Path, memory: Library, tmp_path: Path
) -> None:
    asked = "\n".join(questions(memory)[:12]) + "\n"
    by_corpus = run_cli("ask", "--json", "-", "--corpus", str(corpus), stdin=asked)
    env = {"SEARCH_BACKEND": "xapian", "XAPIAN_SHARDS": ",".join(s.address for s in servers)}
    by_shards = run_cli("ask", "--json", "-", "--corpus", str(tmp_path / "nowhere"), stdin=asked, env=env)
    assert by_corpus.returncode == 0 and by_shards.returncode == 0, by_shards.stderr
    assert by_shards.stderr == ""
    for mine, theirs in zip(by_shards.stdout.splitlines(), by_corpus.stdout.splitlines(), strict=True):
        a, b = json.loads(mine), json.loads(theirs)
        for reply in (a, b):
            for answer in reply["answers"]:
                answer.pop("score")
        assert a == b


def test_a_shard_that_goes_down_leaves_the_rest_answering_and_saying_so(shards: list[Path], memory: Library) -> None:
    with TcpServer(shards[0]) as first, TcpServer(shards[1]) as second:
        sharded = ShardedLibrary([first.address, second.address])
        question = memory.articles[-1].title  # the last article's headline: that article is in the second shard
        whole = ask(sharded, question)
        assert whole.answers and not whole.incomplete
        second.stop()
        partial = ask(sharded, question)
    assert partial.incomplete
    assert sharded.unavailable and second.address in sharded.unavailable[0]
    assert len(sharded) < len(memory)  # only the first shard's sentences are searched now
    index = json.loads((shards[0].parent / "index.json").read_text(encoding="utf-8"))
    first_articles = {a.name for a in memory.articles[: index["shards"][0]["articles"]]}
    assert all(a.article.name in first_articles for a in partial.answers)


def test_the_cli_warns_in_one_line_about_a_shard_that_is_down(servers: list[TcpServer], memory: Library) -> None:
    down = f"tcp://127.0.0.1:{free_port()}"
    env = {"SEARCH_BACKEND": "xapian", "XAPIAN_SHARDS": f"{servers[0].address},{down}"}
    done = run_cli("ask", memory.articles[0].title, env=env)
    assert done.returncode == 0
    warnings = done.stderr.splitlines()
    assert len(warnings) == 1 and down in warnings[0] and "may be incomplete" in warnings[0]
    assert "may be incomplete" in done.stdout.splitlines()[-1]


def test_no_shard_reachable_is_a_one_line_error() -> None:
    env = {"SEARCH_BACKEND": "xapian", "XAPIAN_SHARDS": f"tcp://127.0.0.1:{free_port()}"}
    done = run_cli("ask", "Who said it?", env=env)
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[-1].startswith("bot: error: no Xapian shard is reachable: tcp://127.0.0.1:")
    assert len([line for line in lines if line.startswith("bot: error")]) == 1


@pytest.mark.parametrize(
    ("shards_setting", "message"),
    [
        ("", "XAPIAN_SHARDS is empty"),
        ("tcp://127.0.0.1", "is not tcp://HOST:PORT"),
        ("/nonexistent/shard-000", "is not a shard folder"),
    ],
)
def test_bad_shard_settings_are_one_line_errors(shards_setting: str, message: str) -> None:
    done = run_cli("ask", "Who said it?", env={"SEARCH_BACKEND": "xapian", "XAPIAN_SHARDS": shards_setting})
    assert done.returncode == 1 and message in done.stderr and len(done.stderr.splitlines()) == 1


def test_shards_out_of_order_or_missing_are_refused(shards: list[Path]) -> None:
    with pytest.raises(SearchBackendError, match="in the order bot index printed"):
        ShardedLibrary([str(shards[1]), str(shards[0])])
    with pytest.raises(SearchBackendError, match="lists 1 shards but the build has 2"):
        ShardedLibrary([str(shards[0])])


def test_index_cli_errors(tmp_path: Path, corpus: Path) -> None:
    missing = run_cli("index", "--corpus", str(tmp_path / "none"), "--out", str(tmp_path / "out"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr and len(missing.stderr.splitlines()) == 1
    zero = run_cli("index", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--shards", "0")
    assert zero.returncode == 2 and "must be at least 1" in zero.stderr
    too_many = run_cli("index", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--shards", "99")
    assert too_many.returncode == 1 and "more than the corpus's" in too_many.stderr
    foreign = tmp_path / "photos"
    write_article(foreign, "holiday.jpg", b"\xff\xd8")
    refused = run_cli("index", "--corpus", str(corpus), "--out", str(foreign), "--shards", "1")
    assert refused.returncode == 1 and "is not empty" in refused.stderr
    assert [p.name for p in foreign.iterdir()] == ["holiday.jpg"]


def test_an_interrupted_build_leaves_no_half_written_shard(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "index"
    first = build_index(corpus, out, 2, params=INDEX_PARAMS)
    before = {p.name: sorted(f.name for f in p.iterdir()) for p in first}

    def interrupted(run: object, tasks: Sequence[ShardTask], progress: object) -> list[ShardResult]:
        build_shard(tasks[0])  # one shard fully written under its temporary name, then Ctrl-C
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index(corpus, out, 2, params=INDEX_PARAMS, mapper=interrupted)
    assert sorted(p.name for p in out.iterdir()) == ["index.json", "shard-000", "shard-001"]
    assert {p.name: sorted(f.name for f in p.iterdir()) for p in first} == before
    assert ShardedLibrary([str(p) for p in first]).unavailable == ()  # the earlier build still opens whole
    with pytest.raises(CorpusError, match="cannot split"):
        from bot.records import Corpus
        from bot.shards.build import index_corpus

        index_corpus(Corpus.of(corpus, ()), tmp_path / "empty", 1, params=INDEX_PARAMS)


def test_index_on_two_dask_workers_writes_the_same_shards(
    corpus: Path, shards: list[Path], memory: Library, tmp_path: Path
) -> None:
    out = tmp_path / "parallel"
    done = run_cli("index", "--corpus", str(corpus), "--out", str(out), "--shards", "2", "--workers", "2", timeout=300)
    assert done.returncode == 0, done.stderr
    parallel = [Path(line) for line in done.stdout.splitlines()]
    assert parallel == [out / "shard-000", out / "shard-001"] and "] 2/2 shards" in done.stderr
    one, two = ShardedLibrary([str(p) for p in shards]), ShardedLibrary([str(p) for p in parallel])
    assert len(one) == len(two) == len(memory)
    assert [one.locate(p).sentence for p in range(len(one))] == [two.locate(p).sentence for p in range(len(two))]
    for question in questions(memory)[:10]:
        assert shown(ask(two, question)) == shown(ask(memory, question)), question


def test_index_parallel_options_are_checked(corpus: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    both = run_cli("index", "--corpus", str(corpus), "--out", out, "--workers", "2", "--scheduler", "tcp://h:1")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
    nobody = f"tcp://127.0.0.1:{free_port()}"
    unreachable = run_cli("index", "--corpus", str(corpus), "--out", out, "--scheduler", nobody, timeout=120)
    assert unreachable.returncode == 2 and f"cannot reach the Dask scheduler at {nobody}" in unreachable.stderr
    assert not (tmp_path / "out").exists()


def test_a_shard_down_at_start_joins_when_it_answers_again(
    shards: list[Path], memory: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.shards import client

    monkeypatch.setattr(client, "RETRY_SECONDS", 0.0)  # try it again on the next search, not in 30 s
    question = memory.articles[-1].title
    with TcpServer(shards[0]) as first:
        later = TcpServer(shards[1])  # its port is chosen, nothing listens on it yet
        sharded = ShardedLibrary([first.address, later.address])
        assert len(sharded.unavailable) == 1 and later.address in sharded.problems[0]
        assert ask(sharded, question).incomplete
        assert len(sharded.speakers) < len(memory.speakers)
        with later:
            whole = ask(sharded, question)
            assert not whole.incomplete and not sharded.unavailable
            assert shown(whole) == shown(ask(memory, question))
            assert sharded.speakers == memory.speakers
            assert [a.name for a in sharded.articles] == [a.name for a in memory.articles]
            assert [len(a.sentences) for a in sharded.articles] == [len(a.sentences) for a in memory.articles]
