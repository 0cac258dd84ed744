"""The command line: ask, split, attribute, speakers, extract, add, chat, index, run.

Each command calls one library function and turns BotError into a one-line
message and an exit code at this edge; nothing here parses or scores text.
Only ``run`` imports Telegram, and only when it runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bot.corpus.fetch import AddressPolicy
    from bot.records import Article
    from bot.search.backend import SearchBackend
    from bot.settings import Settings
    from bot.shards.build import Mapper

from bot.errors import BotError, CorpusError, QuestionError

SAMPLE_QUESTION = "How far have Ukrainian forces advanced into Russia?"
CHAT_TITLES = 10
"""Headlines ``chat`` names when it starts (on the Xapian backend each is read from its shard)."""


def _settings() -> Settings:
    from bot.settings import Settings

    return Settings.from_env()


def _top_k(args: argparse.Namespace) -> int:
    return int(args.top_k or _settings().top_k)


def _corpus_dir(args: argparse.Namespace) -> Path:
    return Path(args.corpus) if args.corpus else _settings().corpus_dir


def _workers(args: argparse.Namespace) -> int | None:
    return getattr(args, "workers", None) or _settings().load_workers


def _load_library(directory: Path, workers: int | None = None) -> SearchBackend:
    """The configured backend (SEARCH_BACKEND): the corpus directory in process, or Xapian shards."""
    from bot.backends import open_library

    library = open_library(_settings(), directory, workers=workers)
    for problem in library.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return library


def _questions(question: str, stdin: TextIO) -> Iterator[str]:
    """One question, or one per stdin line for ``-`` (each line answered as soon as it is read)."""
    if question != "-":
        yield question
        return
    for line in stdin:
        yield line.rstrip("\n")


def cmd_ask(args: argparse.Namespace) -> int:
    """Print the best-matching quoted sentences for a question."""
    from bot.answer import ask
    from bot.answer.examples import example_questions
    from bot.render import render_text

    if args.question != "-" and not args.question.strip():
        raise QuestionError(
            f'the question is empty; ask something about the article, e.g. python -m bot ask "{SAMPLE_QUESTION}"'
        )
    library = _load_library(_corpus_dir(args), _workers(args))
    examples: list[str] | None = None
    k = _top_k(args)
    for question in _questions(args.question, sys.stdin):
        reply = ask(library, question, k=k)
        if args.json:
            print(json.dumps(reply.to_dict(), ensure_ascii=False), flush=True)
        else:
            if examples is None and not reply.answers:  # hints only; they cost a look at every speaker
                examples = example_questions(library)
            if args.question == "-":
                print(f"Q: {question}")
            print(render_text(reply, examples or ()), end="\n\n" if args.question == "-" else "\n", flush=True)
    return 0


def _read_article(file: str) -> Article:
    from bot.corpus import decode, parse_article

    if file == "-":
        return parse_article(decode(sys.stdin.buffer.read(), Path("<stdin>")), Path("<stdin>"))
    from bot.corpus import load_article

    return load_article(Path(file))


def cmd_split(args: argparse.Namespace) -> int:
    """Print an article's body sentences, one per line (headline and boilerplate left out)."""
    article = _read_article(args.file)
    for s in article.sentences:
        if args.json:
            row = {"index": s.index, "start": s.start, "end": s.end, "paragraph": s.paragraph, "text": s.text}
            print(json.dumps(row, ensure_ascii=False))
        else:
            print(s.text)
    return 0


def cmd_attribute(args: argparse.Namespace) -> int:
    """Print the headline, then each body sentence, with who said it."""
    from bot.corpus import headline_sentence

    article = _read_article(args.file)
    headline = headline_sentence(article)
    for s in [headline, *article.sentences] if headline else article.sentences:
        is_headline = s is headline
        if args.json:
            row = {
                "index": None if is_headline else s.index,
                "start": s.start,
                "end": s.end,
                "paragraph": None if is_headline else s.paragraph,
                "text": s.text,
                "speaker": s.speaker.to_dict(),
            }
            print(json.dumps(row | {"headline": True} if is_headline else row, ensure_ascii=False))
        else:
            who = s.speaker.byline or "the article"
            label = "headline" if is_headline else s.index
            print(f"[{label}] {who} ({s.speaker.kind}{', ' + s.speaker.cue if s.speaker.cue else ''}): {s.text}")
    return 0


def cmd_speakers(args: argparse.Namespace) -> int:
    """List the people and bodies quoted: name, role, number of sentences."""
    from bot.speakers import roster

    if args.file:
        speakers = roster([s.speaker for s in _read_article(args.file).sentences])
    else:
        speakers = _load_library(_corpus_dir(args), _workers(args)).speakers
    if not speakers:
        print("The article quotes no one: every sentence is its own reporting.")
    for person in speakers:
        print(f"{person.byline} — {person.count} sentence{'s' if person.count != 1 else ''}")
    return 0


def _policy() -> AddressPolicy:
    from bot.corpus.fetch import AddressPolicy

    return AddressPolicy(allow_private=_settings().fetch_allow_private)


def cmd_extract(args: argparse.Namespace) -> int:
    """Print the article a link or an .html/.txt file holds: its headline, then one paragraph per line."""
    import asyncio

    from bot.corpus.reader import read_source

    try:
        article = asyncio.run(read_source(args.source, _policy()))
    except BotError as exc:
        raise type(exc)(f"{args.source}: {exc}") from None
    if args.json:
        print(json.dumps(article.to_dict(), ensure_ascii=False))
    else:
        print(article.title)
        print(article.text)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Save links or files into the corpus as .txt articles (the same URL again updates its file); print each path."""
    import asyncio

    from bot.corpus.reader import read_source, save_article

    directory, policy, failed = _corpus_dir(args), _policy(), 0
    for source in args.sources:
        try:
            print(save_article(asyncio.run(read_source(source, policy)), directory), flush=True)
        except BotError as exc:
            print(f"bot: error: {source}: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def cmd_chat(args: argparse.Namespace) -> int:
    """A console conversation through the bot's own answering and formatting code."""
    from bot.answer import ask
    from bot.answer.examples import example_questions
    from bot.render import render_text

    library = _load_library(_corpus_dir(args), _workers(args))
    examples = example_questions(library)
    articles = library.articles
    shown = [a.title for a in articles[:CHAT_TITLES]]  # an archive's every title would be a wall of text
    titles = ", ".join(shown) + (f" and {len(articles) - len(shown):,} more" if len(articles) > len(shown) else "")
    print(
        f"Ask me about: {titles}. An empty line or Ctrl-D ends.\n"
        + ("For example: " + " / ".join(examples) if examples else "")
    )
    prompt, k = ("> " if sys.stdin.isatty() else ""), _top_k(args)
    while True:
        print(prompt, end="", flush=True)
        line = sys.stdin.readline()
        if not line.strip():
            return 0
        print(render_text(ask(library, line, k=k), examples, show_source=False) + "\n", flush=True)


def cmd_index(args: argparse.Namespace) -> int:
    """Build Xapian shard databases of a corpus (for SEARCH_BACKEND=xapian); print the shard folders in order."""
    try:
        from bot.shards.build import build_index
    except ModuleNotFoundError as exc:
        if exc.name != "xapian":
            raise
        raise BotError(
            "bot index needs Xapian's Python bindings: apt-get install python3-xapian xapian-tools, "
            "then make (it links them into .venv)"
        ) from None
    from bot.library import INDEX_PARAMS

    def build(mapper: Mapper | None = None) -> list[Path]:
        return build_index(
            Path(args.corpus), Path(args.out), args.shards, params=INDEX_PARAMS, mapper=mapper, progress=sys.stderr
        )

    if args.workers is None and args.scheduler is None:
        shards = build()  # one process: no Dask start-up for a small corpus
    else:
        from bot.parallel import dask_client, map_batches

        with dask_client(args.workers, args.scheduler) as client:
            shards = build(lambda run, tasks, progress: map_batches(client, run, tasks, progress))
    for path in shards:
        print(path, flush=True)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run the Telegram bot (long polling, or a webhook when WEBHOOK_URL is set)."""
    settings = _settings()
    settings.require_token()
    from bot.telegram_bot.app import run

    run(settings)
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    """With a token: run the bot. Without: answer a sample question offline and say how to go on."""
    settings = _settings()
    if settings.token:
        return cmd_run(args)
    args.question = args.question or SAMPLE_QUESTION
    args.json, args.top_k, args.corpus = False, None, None
    print(f"Q: {args.question}")
    code = cmd_ask(args)
    print(
        "\nNo TELEGRAM_BOT_TOKEN set, so the bot is not started. Put a token in .env "
        '(see .env.example) to run it; ask more with: python -m bot ask "your question"',
        file=sys.stderr,
    )
    return code


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _add_workers(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--workers",
        type=_positive,
        metavar="N",
        help="processes that parse a big corpus with no saved index yet (default: LOAD_WORKERS or every core)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; each command's help carries an example."""
    parser = argparse.ArgumentParser(
        prog="bot",
        description="Answer questions about news articles, quoting them and naming who said it.",
        epilog="With no command: run the Telegram bot if TELEGRAM_BOT_TOKEN is set, else answer a sample question.",
    )
    parser.set_defaults(func=cmd_start, question=None)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], example: str) -> argparse.ArgumentParser:
        doc = (func.__doc__ or "").strip()
        p = sub.add_parser(
            name,
            help=doc,
            description=doc,
            epilog=f"Example: {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(func=func)
        return p

    ask = add("ask", cmd_ask, 'python -m bot ask --json "How far have Ukrainian forces advanced into Russia?"')
    ask.add_argument("question", help="the question, or - to read one question per line from stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question (JSON Lines)")
    ask.add_argument("--top-k", type=_positive, metavar="N", help="answers per question (default: TOP_K or 3)")
    ask.add_argument("--corpus", metavar="DIR", help="corpus directory (default: CORPUS_DIR or corpus/)")
    _add_workers(ask)

    for name, func, example in (
        ("split", cmd_split, "python -m bot split --json corpus/000_ffa75115645ef01b.txt"),
        ("attribute", cmd_attribute, "python -m bot attribute corpus/000_ffa75115645ef01b.txt"),
    ):
        p = add(name, func, example)
        p.add_argument("file", metavar="FILE", help="an article file, or - for stdin")
        p.add_argument("--json", action="store_true", help="print JSON Lines, one object per sentence")

    speakers = add("speakers", cmd_speakers, "python -m bot speakers corpus/000_ffa75115645ef01b.txt")
    speakers.add_argument("file", metavar="FILE", nargs="?", help="one article (default: the whole corpus)")
    speakers.add_argument("--corpus", metavar="DIR", help="corpus directory (default: CORPUS_DIR or corpus/)")
    _add_workers(speakers)

    extract = add("extract", cmd_extract, "python -m bot extract --json https://example.com/news/story.html")
    extract.add_argument("source", metavar="URL|FILE", help="an http(s) link, or an .html/.htm/.txt file")
    extract.add_argument(
        "--json",
        action="store_true",
        help='one JSON object: {"url", "title", "source", "published", "authors", "text"}',
    )

    add_cmd = add("add", cmd_add, "python -m bot add https://example.com/news/story.html saved-page.html")
    add_cmd.add_argument("sources", metavar="URL|FILE", nargs="+", help="http(s) links or .html/.htm/.txt files")
    add_cmd.add_argument("--corpus", metavar="DIR", help="corpus directory (default: CORPUS_DIR or corpus/)")

    chat = add("chat", cmd_chat, "python -m bot chat")
    chat.add_argument("--corpus", metavar="DIR", help="corpus directory (default: CORPUS_DIR or corpus/)")
    chat.add_argument("--top-k", type=_positive, metavar="N", help="answers per question (default: TOP_K or 3)")
    _add_workers(chat)

    index = add("index", cmd_index, "python -m bot index --corpus corpus --out shards --shards 2")
    index.add_argument("--corpus", metavar="DIR", required=True, help="the corpus directory to index")
    index.add_argument("--out", metavar="INDEX_DIR", required=True, help="where the shard folders are written")
    index.add_argument("--shards", type=_positive, metavar="N", default=1, help="how many shards (default: 1)")
    parallel = index.add_mutually_exclusive_group()
    parallel.add_argument("--workers", type=_positive, metavar="W", help="build shards in W local processes (Dask)")
    parallel.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="build shards on a running Dask scheduler's workers"
    )

    add("run", cmd_run, "python -m bot run   (with TELEGRAM_BOT_TOKEN in .env or the environment)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a BotError becomes ``bot: error: ...`` on stderr and its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return command(args)
    except BotError as exc:
        print(f"bot: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`); nothing left to say
        return 0


__all__ = ["CorpusError", "build_parser", "main"]
