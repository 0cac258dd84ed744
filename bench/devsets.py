"""The shared dev sets (``../shared/eval``) loaded in-process, for fitting and quick checks.

The scorers in ``../shared/eval`` run the CLI once per corpus; fitting the
re-ranker needs every candidate's features many times over, so this module
builds the same corpora in one process and labels each sentence the way the
scorers do: a SQuAD sentence is right when its span holds an annotator's
answer start, a news sentence when it contains one of the gold substrings.
The scorers stay the measurement; this is for fitting and for prototypes.

Parsed articles are kept in a pickle under the system temp directory, keyed by
a digest of the text and the code, so a second run skips speaker attribution.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.answer import Reply
    from bot.library import Library
    from bot.records import Article, Speaker
    from bot.search.bm25 import BM25Params

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT.parent / "shared" / "eval"
QUOTES = str.maketrans(
    {c: "'" for c in '\u2018\u2019\u201a\u201b\u2032\u00b4`\u201c\u201d\u201e\u201f\u2033"\u00ab\u00bb'}
)


@dataclass(frozen=True)
class Question:
    """One dev question: its text, the corpus positions that answer it (empty: unanswerable), its group."""

    text: str
    right: frozenset[int]
    answerable: bool
    group: str  # the article (news) or Wikipedia title (SQuAD): cross-validation folds never split one
    kind: str = "fact"  # news: fact / said / who_said / none; SQuAD: fact / none
    speaker: Any = None  # news: the expected speaker (surname, None = narrator, or a list)


@dataclass
class Case:
    """One corpus (a Library) and the questions asked of it."""

    library: Library
    questions: list[Question]


def norm(text: str | None) -> str:
    """The news scorer's folding: quotes, dashes, whitespace, case."""
    text = (text or "").translate(QUOTES).replace("''", "'")
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def _code_digest() -> str:
    h = hashlib.sha256()
    for path in sorted((ROOT / "bot").rglob("*")):
        if path.is_file() and path.suffix in {".py", ".txt", ".tsv", ".json"} and "answer" not in path.parts:
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


class _ParseCache:
    """text digest -> parsed Article, in one pickle per code version."""

    def __init__(self) -> None:
        self.path = Path(tempfile.gettempdir()) / f"bench-devsets-{_code_digest()}.pickle"
        self.items: dict[str, Article] = {}
        if self.path.exists():
            self.items = pickle.loads(self.path.read_bytes())
        self.dirty = False

    def article(self, name: str, text: str) -> Article:
        from bot.corpus import parse_article

        key = hashlib.sha256(f"{name}\0{text}".encode()).hexdigest()
        if key not in self.items:
            self.items[key] = parse_article(text, Path(name))
            self.dirty = True
        return self.items[key]

    def save(self) -> None:
        if self.dirty:
            self.path.write_bytes(pickle.dumps(self.items))
            self.dirty = False


def _library(articles: list[Article], params: BM25Params | None = None) -> Library:
    from bot.library import INDEX_PARAMS, Library
    from bot.records import Corpus

    return Library(Corpus.of(Path("."), tuple(articles)), params=params or INDEX_PARAMS)


def _squad_file(p: dict) -> tuple[str, str, int]:
    """As squad_eval.write: file name, text, header length."""
    stem = p["id"].replace("#", "-").replace("/", "_")
    header = p["id"].replace("#", " part ").replace("_", " ") + "\n\n"
    return f"{stem}.txt", header + p["text"] + "\n", len(header)


def _squad_pool(pool: str, eval_dir: Path) -> tuple[list[dict], dict[str, list[dict]]]:
    """A SQuAD pool's passages, and every passage's questions by its id."""
    data = json.loads((eval_dir / "squad_dev.json").read_text(encoding="utf-8"))
    by_passage: dict[str, list[dict]] = {}
    for q in data["questions"]:
        by_passage.setdefault(q["passage"], []).append(q)
    return [p for p in data["passages"] if p.get("pool") == pool], by_passage


def squad_cases(pool: str, mode: str, params: BM25Params | None = None, eval_dir: Path = EVAL_DIR) -> list[Case]:
    """SQuAD pool "A" or "B", ``mode`` "pooled" (one corpus) or "per-passage" (one corpus per passage)."""
    passages, by_passage = _squad_pool(pool, eval_dir)
    cache = _ParseCache()
    parsed = [(p, *_squad_file(p)) for p in passages]
    articles = [cache.article(name, text) for _, name, text, _ in parsed]
    cache.save()

    def questions(items: Iterable[tuple[dict, Article, int, int]]) -> list[Question]:
        out = []
        for p, article, header, first in items:
            for q in by_passage.get(p["id"], []):
                starts = [s + header for s in q["answer_starts"]]
                right = frozenset(
                    first + i for i, s in enumerate(article.sentences) if any(s.start <= a < s.end for a in starts)
                )
                out.append(Question(q["q"], right, q["answerable"], p["title"], "fact" if q["answerable"] else "none"))
        return out

    if mode == "pooled":
        firsts, n = [], 0
        for a in articles:
            firsts.append(n)
            n += len(a.sentences)
        items = [(p, a, h, f) for (p, _, _, h), a, f in zip(parsed, articles, firsts, strict=True)]
        return [Case(_library(articles, params), questions(items))]
    return [
        Case(_library([a], params), questions([(p, a, h, 0)]))
        for (p, _, _, h), a in zip(parsed, articles, strict=True)
        if by_passage.get(p["id"])
    ]


def neighbour_cases(pool: str, params: BM25Params | None = None, eval_dir: Path = EVAL_DIR) -> list[Case]:
    """Natural unanswerable questions: each passage of a SQuAD pool alone, asked the answerable questions of the
    next passage of the same Wikipedia article whose answers it does not contain.

    SQuAD v2 writes its unanswerable questions from the passage's own words; a reader's question about
    something the article does not cover is more like these: on the subject, not in the text.
    """
    passages, by_passage = _squad_pool(pool, eval_dir)
    by_title: dict[str, list[dict]] = {}
    for p in passages:
        by_title.setdefault(p["title"], []).append(p)
    cache = _ParseCache()
    cases = []
    for title, group in by_title.items():
        for i, p in enumerate(group if len(group) > 1 else ()):
            text = p["text"].lower()
            other = group[(i + 1) % len(group)]["id"]
            qs = [
                Question(q["q"], frozenset(), False, title, "none")
                for q in by_passage.get(other, [])
                if q["answerable"] and not any(a.lower() in text for a in q["answers"])
            ]
            if qs:
                cases.append(Case(_library([cache.article(*_squad_file(p)[:2])], params), qs))
    cache.save()
    return cases


def cases_named(name: str) -> list[Case]:
    """A dev set by its name on the command line: news, A-pooled, B-per-passage, A-neighbour, ..."""
    if name == "news":
        return news_cases()
    pool, _, mode = name.partition("-")
    return neighbour_cases(pool) if mode == "neighbour" else squad_cases(pool, mode)


def news_cases(params: BM25Params | None = None, eval_dir: Path = EVAL_DIR) -> list[Case]:
    """The news reader questions: one corpus per article."""
    data = json.loads((eval_dir / "news_questions_dev.json").read_text(encoding="utf-8"))
    cache = _ParseCache()
    cases = []
    for art in data["articles"]:
        article = cache.article(f"{art['id']}.txt", art["text"])
        qs = []
        for q in data["questions"]:
            if q["article_id"] != art["id"]:
                continue
            gold = [norm(g) for g in q["answer"]]
            right = frozenset(i for i, s in enumerate(article.sentences) if any(g in norm(s.text) for g in gold))
            qs.append(Question(q["q"], right, bool(q["answer"]), art["id"], q["type"], q["speaker"]))
        cases.append(Case(_library([article], params), qs))
    cache.save()
    return cases


def speaker_ok(speaker: Speaker, expected: Any) -> bool:
    """The news scorer's speaker check."""
    for e in expected if isinstance(expected, list) else [expected]:
        if e is None and speaker.kind == "narrator":
            return True
        if e is not None and re.search(r"(?<!\w)" + re.escape(norm(e)) + r"(?!\w)", norm(speaker.name)):
            return True
    return False


@dataclass
class Figures:
    """top-1 / top-3 over answerable questions, answerable left unanswered, unanswerable left silent."""

    n: int = 0
    top1: int = 0
    top3: int = 0
    quiet: int = 0
    n_none: int = 0
    silent: int = 0
    speaker: int = 0  # news: top-1 hit with the right speaker

    def add(self, q: Question, positions: list[int], speaker: Speaker | None = None) -> None:
        if not q.answerable:
            self.n_none += 1
            self.silent += not positions
            return
        self.n += 1
        self.quiet += not positions
        self.top1 += bool(positions) and positions[0] in q.right
        self.top3 += any(p in q.right for p in positions[:3])
        if speaker is not None and positions and positions[0] in q.right:
            self.speaker += speaker_ok(speaker, q.speaker)

    def __str__(self) -> str:
        if not self.n:  # unanswerable questions only (the neighbour sets)
            return f"silent {self.silent}/{self.n_none} ({self.silent / max(self.n_none, 1):.1%})"

        def pct(a: int) -> str:
            return f"{a / self.n:.1%}"

        return (
            f"top-1 {self.top1}/{self.n} ({pct(self.top1)}), top-3 {self.top3}/{self.n} ({pct(self.top3)}), "
            f"unanswered {self.quiet}/{self.n}, silent {self.silent}/{self.n_none}"
        )


def run_ask(cases: Iterable[Case], k: int = 3) -> Iterator[tuple[Question, Reply, list[int]]]:
    """Each question through ``bot.answer.ask``: (question, reply, answer positions)."""
    from bot.answer import ask

    for case in cases:
        lib = case.library
        starts = {}
        n = 0
        for a in lib.articles:
            starts[id(a)] = n
            n += len(a.sentences)
        for q in case.questions:
            reply = ask(lib, q.text, k=k)
            yield q, reply, [starts[id(a.article)] + a.sentence.index for a in reply.answers]


def main() -> None:
    """Print the dev figures of the current ``ask`` (in-process; the scorers remain the measurement)."""
    import argparse

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument(
        "--sets",
        nargs="*",
        default=["news", "A-pooled", "A-per-passage", "B-pooled", "B-per-passage"],
        help="news, {A,B}-pooled, {A,B}-per-passage, or {A,B}-neighbour (natural unanswerable questions)",
    )
    args = ap.parse_args()
    for name in args.sets:
        cases = cases_named(name)
        figures = Figures()
        for q, reply, positions in run_ask(cases):
            top = reply.answers[0].sentence.speaker if reply.answers else None
            figures.add(q, positions, top)
        print(f"{name}: {figures}" + (f", right speaker {figures.speaker}" if name == "news" else ""))


if __name__ == "__main__":
    main()
