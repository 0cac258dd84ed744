"""``bot index``: a corpus directory -> N Xapian shard databases, each a contiguous run of articles.

``build_shard`` is one task: it parses and attributes a batch of article files and writes them
into a shard database under a temporary name (``.shard-NNN.partial-<build>``); it needs nothing
but its task, so a parallel map (``bot.parallel``'s Dask client) can run it anywhere that sees
the corpus and the output folder. ``build_index`` runs the tasks, then, once every shard is
complete, stamps each with the build's manifest and renames it into place (``shard-NNN``): an
interrupted build leaves only temporary folders, which the next build removes, never a
half-written shard under a real name.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

import numpy as np
import xapian

from bot.errors import CorpusError
from bot.records import Article, Corpus
from bot.search.analysis import Analyzer, default_analyzer
from bot.search.bm25 import BM25Params
from bot.shards import schema

__all__ = ["ShardResult", "ShardTask", "build_index", "build_shard", "index_corpus", "plan", "write_shard"]

INDEX_FILE = "index.json"
"""Beside the shards: the build id, the shard folders in order, their sentence counts (for people and scripts)."""

Progress = Callable[[int, int], None]
"""(shards done, shards in all), once per finished shard."""
Mapper = Callable[[Callable[["ShardTask"], "ShardResult"], Sequence["ShardTask"], Progress], list["ShardResult"]]
"""Runs the task function over the tasks and returns the results in task order, calling progress per finished
task: one after the other here by default, or ``bot.parallel.map_batches`` on a Dask client."""


@dataclass(frozen=True, slots=True)
class ShardTask:
    """One shard to build: which article files, where to write, and the build it belongs to."""

    shard: int
    shards: int
    paths: tuple[Path, ...]
    corpus: Path
    out: Path
    build: str
    k1: float
    b: float
    epsilon: float

    @property
    def temp(self) -> Path:
        return self.out / f".shard-{self.shard:03d}.partial-{self.build}"

    @property
    def final(self) -> Path:
        return self.out / f"shard-{self.shard:03d}"


@dataclass(frozen=True, slots=True)
class ShardResult:
    """A shard written under its temporary name, with its counts and the files it could not load."""

    shard: int
    temp: Path
    sentences: int
    articles: int
    problems: tuple[str, ...]


def plan(files: Sequence[Path], shards: int) -> list[tuple[Path, ...]]:
    """Contiguous runs of files, one per shard, of about equal total size (so shards hold about as many
    sentences); corpus order is kept, so shard order then document order is the in-process corpus order."""
    if shards > len(files):
        raise CorpusError(f"--shards {shards} is more than the corpus's {len(files)} article files")
    cuts = _cuts([p.stat().st_size for p in files], shards)
    return [tuple(files[cuts[j] : cuts[j + 1]]) for j in range(shards)]


def _cuts(weights: Sequence[int], shards: int) -> list[int]:
    """Where to cut a list into ``shards`` contiguous non-empty runs of about equal total weight."""
    ends = np.cumsum(np.maximum(np.asarray(weights, dtype=np.float64), 1))
    cuts = [0] + [int(np.searchsorted(ends, ends[-1] * j / shards)) + 1 for j in range(1, shards)] + [len(ends)]
    for j in range(1, shards):  # every run at least one item, and the cuts increasing
        cuts[j] = min(max(cuts[j], cuts[j - 1] + 1), len(ends) - (shards - j))
    return cuts


def build_shard(task: ShardTask) -> ShardResult:
    """Parse, attribute and index one run of article files into a shard under its temporary name."""
    from bot.corpus.files import load_batch

    articles, problems = load_batch(task.paths)
    return write_shard(Corpus.of(task.corpus, tuple(articles), tuple(problems)), task, default_analyzer())


def write_shard(corpus: Corpus, task: ShardTask, analyzer: Analyzer) -> ShardResult:
    """Write the sentences of parsed articles as one shard database (see ``bot.shards.schema``)."""
    if task.temp.exists():
        shutil.rmtree(task.temp)
    db = xapian.WritableDatabase(str(task.temp), xapian.DB_CREATE)
    try:
        docid = 0
        for number, article in enumerate(corpus.articles):
            docid = _add_article(db, article, number, task.shard, docid, analyzer)
        counts = np.bincount(corpus.speaker_ids, minlength=len(corpus.speakers)).tolist()
        speakers = [[s.name, s.role, s.cue, s.kind, s.rule, n] for s, n in zip(corpus.speakers, counts, strict=True)]
        articles = [_info(a).to_row() for a in corpus.articles]
        shard_meta = {
            "format": schema.FORMAT_VERSION,
            "shard": task.shard,
            "shards": task.shards,
            "build": task.build,
            "k1": task.k1,
            "b": task.b,
            "epsilon": task.epsilon,
            "sentences": docid,
            "articles": len(corpus.articles),
        }
        for key, value in (
            (schema.META_SHARD, json.dumps(shard_meta)),
            (schema.META_SPEAKERS, json.dumps(speakers, ensure_ascii=False)),
            (schema.META_ARTICLES, json.dumps(articles, ensure_ascii=False)),
            (schema.META_ANALYZER, analyzer.to_json()),
        ):
            db.set_metadata(key, value.encode("utf-8"))
        db.commit()
    finally:
        db.close()
    problems = tuple(str(p) for p in corpus.problems)
    return ShardResult(task.shard, task.temp, docid, len(corpus.articles), problems)


def _info(article: Article) -> schema.ArticleInfo:
    return schema.ArticleInfo(
        article.name, article.title, article.source, article.url, article.published, len(article.sentences)
    )


def _add_article(
    db: xapian.WritableDatabase, article: Article, number: int, shard: int, docid: int, analyzer: Analyzer
) -> int:
    """Add an article's sentences as documents docid + 1, docid + 2, ...; returns the last document id."""
    info, key = _info(article), schema.article_key(shard, number)
    analyzer.analyze(article.title)  # its stems are saved with the shard: a question's headline feature needs them
    terms = [analyzer.analyze(s.text) for s in article.sentences]
    for j, sentence in enumerate(article.sentences):
        doc = xapian.Document()
        for term in terms[j]:
            doc.add_term(schema.xapian_term(term))  # one occurrence at a time: wdf = tf, length = |d|
        doc.add_boolean_term(schema.ARTICLE_PREFIX + key)
        if j == 0:
            doc.add_boolean_term(schema.FIRST_TERM)
            everything = sorted({t for ts in terms for t in ts})
            doc.add_value(schema.ARTICLE_TERMS_SLOT, "\n".join(everything).encode("utf-8"))
        if sentence.speaker.name:
            doc.add_boolean_term(schema.speaker_term(sentence.speaker.name))
        docid += 1
        doc.add_value(schema.ORDER_SLOT, xapian.sortable_serialise(schema.order_key(shard, docid)))
        doc.add_value(schema.ARTICLE_SLOT, key)
        stored = schema.StoredSentence(
            sentence,
            info,
            key,
            frozenset(terms[j - 1]) if j else frozenset(),
            frozenset(terms[j + 1]) if j + 1 < len(terms) else frozenset(),
        )
        data = stored.dumps()
        doc.set_data(data)
        doc.add_value(schema.DATA_SLOT, data)
        if db.add_document(doc) != docid:  # a fresh database numbers its documents 1, 2, ...: corpus order
            raise RuntimeError(f"{db}: document {docid} got another id")
    return docid


def _check_out(out: Path) -> None:
    """The output folder must be new, empty, or a previous ``bot index`` output (never someone's files)."""
    if out.exists() and not out.is_dir():
        raise CorpusError(f"--out {out} is a file, not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / INDEX_FILE).is_file():
        raise CorpusError(f"--out {out} is not empty and holds no {INDEX_FILE} of an earlier bot index; pick another")


def _remove_partials(out: Path) -> None:
    for stale in out.glob(".shard-*.partial-*"):
        shutil.rmtree(stale, ignore_errors=True)


def build_index(
    corpus: Path,
    out: Path,
    shards: int,
    *,
    params: BM25Params,
    mapper: Mapper | None = None,
    progress: TextIO | None = None,
) -> list[Path]:
    """Build ``shards`` shard databases of a corpus directory into ``out``; returns the shard folders in order.

    ``mapper`` runs the tasks (default: one after the other in this process). On any failure or
    interrupt the temporary folders are removed and earlier shards in ``out`` are left as they were.
    """
    from bot.corpus import article_files

    if shards < 1:
        raise CorpusError("--shards must be at least 1")
    _check_out(out)
    files = article_files(corpus)
    build = secrets.token_hex(6)
    tasks = [
        ShardTask(j, shards, run, corpus, out, build, params.k1, params.b, params.epsilon)
        for j, run in enumerate(plan(files, shards))
    ]
    bar = _Progress(len(tasks), progress)

    def results() -> Iterable[ShardResult]:
        done = (mapper or _in_order)(build_shard, tasks, bar.update)
        bar.close()
        return done

    return _build(out, tasks, results)


def index_corpus(corpus: Corpus, out: Path, shards: int, *, params: BM25Params) -> list[Path]:
    """Shards of an already parsed corpus (benchmarks and tests: no files to parse again), split as
    ``build_index`` splits files, in contiguous runs of about equal sentence counts."""
    if not 1 <= shards <= len(corpus.articles):
        raise CorpusError(f"cannot split {len(corpus.articles)} articles into {shards} shards")
    _check_out(out)
    build = secrets.token_hex(6)
    ends = np.cumsum(np.maximum(corpus.sentence_counts, 1))
    cuts = [0] + [int(np.searchsorted(ends, ends[-1] * j / shards)) + 1 for j in range(1, shards)] + [len(ends)]
    for j in range(1, shards):
        cuts[j] = min(max(cuts[j], cuts[j - 1] + 1), len(ends) - (shards - j))
    runs = [corpus.articles[cuts[j] : cuts[j + 1]] for j in range(shards)]
    tasks = [
        ShardTask(j, shards, (), corpus.directory, out, build, params.k1, params.b, params.epsilon)
        for j in range(shards)
    ]

    def results() -> Iterator[ShardResult]:
        for task, run in zip(tasks, runs, strict=True):
            yield write_shard(Corpus.of(corpus.directory, tuple(run)), task, default_analyzer())

    return _build(out, tasks, results)


def _build(out: Path, tasks: Sequence[ShardTask], results: Callable[[], Iterable[ShardResult]]) -> list[Path]:
    """Run the shard writes, then stamp every shard with the build's manifest and rename them into place."""
    out.mkdir(parents=True, exist_ok=True)
    _remove_partials(out)
    done: dict[int, ShardResult] = {}
    try:
        for result in results():
            done[result.shard] = result
        ordered = [done[t.shard] for t in tasks]
        manifest = {"build": tasks[0].build, "counts": [r.sentences for r in ordered]}
        for r in ordered:
            db = xapian.WritableDatabase(str(r.temp), xapian.DB_OPEN)
            try:
                db.set_metadata(schema.META_BUILD, json.dumps(manifest).encode("utf-8"))
                db.commit()
            finally:
                db.close()
        for task in tasks:
            _swap_in(task.temp, task.final, task.build)
        _write_index_file(out, tasks[0].build, tasks, ordered)
        finals = {t.final for t in tasks}
        for stale in out.glob("shard-*"):  # shards of an earlier, larger build
            if stale.is_dir() and stale not in finals:
                shutil.rmtree(stale)
    finally:
        _remove_partials(out)
    for r in ordered:
        for problem in r.problems:
            print(f"warning: skipped {problem}", file=sys.stderr)
    return [t.final for t in tasks]


def _in_order(
    run: Callable[[ShardTask], ShardResult], tasks: Sequence[ShardTask], progress: Progress
) -> list[ShardResult]:
    results = []
    for task in tasks:
        results.append(run(task))
        progress(len(results), len(tasks))
    return results


def _swap_in(temp: Path, final: Path, build: str) -> None:
    """Rename a finished shard into place; an earlier build's shard of that name is moved aside first."""
    if final.exists():
        old = final.with_name(f".{final.name}.partial-old-{build}")
        os.replace(final, old)
        os.replace(temp, final)
        shutil.rmtree(old)
    else:
        os.replace(temp, final)


def _write_index_file(out: Path, build: str, tasks: Sequence[ShardTask], results: Sequence[ShardResult]) -> None:
    data = {
        "format": schema.FORMAT_VERSION,
        "build": build,
        "shards": [
            {"path": t.final.name, "sentences": r.sentences, "articles": r.articles}
            for t, r in zip(tasks, results, strict=True)
        ],
        "params": asdict(BM25Params(tasks[0].k1, tasks[0].b, tasks[0].epsilon)),
    }
    temp = out / f".{INDEX_FILE}.partial-{build}"
    temp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(temp, out / INDEX_FILE)


class _Progress:
    """A one-line progress bar on stderr, in shards: redrawn in place on a terminal, a line per step otherwise."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.stream = stream
        self.tty = bool(stream and stream.isatty())
        self.update(0, total)

    def update(self, done: int, total: int) -> None:
        if self.stream is None:
            return
        filled = self.WIDTH * done // max(total, 1)
        line = f"indexing [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} shards"
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.stream is not None and self.tty:
            self.stream.write("\n")
            self.stream.flush()
