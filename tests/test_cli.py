"""The command line, run as a user runs it: ``python -m bot ...`` in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import SEED, gold, run_cli, write_article

QUESTION = "How far have Ukrainian forces advanced into Russia?"
ANSWER_KEYS = {"text", "score", "article", "sentence_index", "start", "end", "speaker"}


def test_ask_prints_numbered_quotes_with_article_and_speaker() -> None:
    result = run_cli("ask", QUESTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1. “He added that Ukrainian forces had advanced approximately 7.5 miles")
    assert "— Aleksey Smirnov, acting head of the Kursk region" in result.stdout
    assert "000_ffa75115645ef01b.txt" in result.stdout
    assert "Traceback" not in result.stderr


def test_ask_without_an_answer_says_so_with_a_hint() -> None:
    result = run_cli("ask", "What is the weather in Paris?")
    assert result.returncode == 0
    assert "couldn't find that in the article" in result.stdout
    assert "Try, for example:" in result.stdout


def test_ask_json_schema_and_offsets() -> None:
    result = run_cli("ask", "--json", "--top-k", "2", QUESTION)
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout)
    assert row["question"] == QUESTION
    assert 1 <= len(row["answers"]) <= 2
    text = SEED.read_text(encoding="utf-8")
    for answer in row["answers"]:
        assert answer.keys() >= ANSWER_KEYS
        assert text[answer["start"] : answer["end"]] == answer["text"]
        assert answer["article"] == SEED.name
        assert set(answer["speaker"]) == {"name", "role", "cue", "kind"}
    scores = [a["score"] for a in row["answers"]]
    assert scores == sorted(scores, reverse=True)


def test_ask_stdin_gives_one_json_line_per_question_in_order() -> None:
    questions = [q["q"] for q in gold()["questions"]]
    result = run_cli("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == questions
    for q, row in zip(gold()["questions"], rows, strict=True):
        assert bool(row["answers"]) == bool(q["answer"]), q["q"]


def test_ask_stdin_keeps_blank_lines_in_step() -> None:
    result = run_cli("ask", "--json", "-", stdin="Did CNN verify the claims?\n\n???\nwhat is the\n")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["status"] for r in rows] == ["answered", "empty", "empty", "no_answer"]


def test_ask_stdin_answers_each_line_as_it_arrives() -> None:
    """The JSON line for a question is flushed before the next question is read."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=SEED.parents[1],
    )
    try:
        assert proc.stdin and proc.stdout
        proc.stdin.write("Did CNN verify the claims?\n")
        proc.stdin.flush()
        first = json.loads(proc.stdout.readline())
        assert first["answers"] and "independently verified" in first["answers"][0]["text"]
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


@pytest.mark.parametrize(("question", "message"), [("", "the question is empty"), ("   ", "the question is empty")])
def test_ask_empty_question_is_a_usage_error(question: str, message: str) -> None:
    result = run_cli("ask", question)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "question", ["?!?!", "what is the", "🙂 🚀", "מה קרה באזור קורסק?", "x" * 10_000, "evacuated " * 1000]
)
def test_ask_odd_questions_never_crash(question: str) -> None:
    result = run_cli("ask", "--json", question)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["question"] == " ".join(question.split())


def test_ask_missing_corpus_dir_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = run_cli("ask", "--corpus", str(missing), QUESTION)
    assert result.returncode == 1
    assert str(missing) in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_ask_corpus_dir_from_environment(tmp_path: Path) -> None:
    write_article(tmp_path, "bridge.txt", "Bridge vote\nThe council approved the bridge on Tuesday.\n")
    result = run_cli("ask", "--json", "When was the bridge approved?", env={"CORPUS_DIR": str(tmp_path)})
    assert json.loads(result.stdout)["answers"][0]["article"] == "bridge.txt"


def test_ask_workers_flag_and_setting(tmp_path: Path) -> None:
    """--workers (or LOAD_WORKERS) sets the processes of a big first load; a small corpus answers as always."""
    write_article(tmp_path, "bridge.txt", "Bridge vote\nThe council approved the bridge on Tuesday.\n")
    answered = run_cli("ask", "--json", "--workers", "2", "--corpus", str(tmp_path), "When was the bridge approved?")
    assert json.loads(answered.stdout)["answers"][0]["article"] == "bridge.txt"
    zero = run_cli("ask", "--workers", "0", "--corpus", str(tmp_path), QUESTION)
    assert zero.returncode == 2 and "--workers: must be at least 1" in zero.stderr
    bad = run_cli("ask", "--corpus", str(tmp_path), QUESTION, env={"LOAD_WORKERS": "many"})
    assert bad.returncode == 2 and "LOAD_WORKERS must be a whole number" in bad.stderr


def test_ask_skips_a_non_utf8_file_with_a_warning(tmp_path: Path) -> None:
    write_article(tmp_path, "good.txt", "Bridge vote\nThe council approved the bridge on Tuesday.\n")
    write_article(tmp_path, "bad.txt", b"Headline\nCaf\xe9 au lait.\n")
    result = run_cli("ask", "--corpus", str(tmp_path), "When was the bridge approved?")
    assert result.returncode == 0
    assert "bad.txt" in result.stderr and "not UTF-8" in result.stderr
    assert "council approved the bridge" in result.stdout


def test_ask_only_bad_files_is_an_error(tmp_path: Path) -> None:
    write_article(tmp_path, "bad.txt", b"\xff\xfe\x00")
    result = run_cli("ask", "--corpus", str(tmp_path), QUESTION)
    assert result.returncode == 1 and "bad.txt" in result.stderr and "Traceback" not in result.stderr


def test_split_prints_the_seed_sentences() -> None:
    result = run_cli("split", str(SEED))
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) == 17
    assert lines[0].startswith("Russian President Vladimir Putin has vowed")


def test_split_json_offsets_and_stdin() -> None:
    text = SEED.read_text(encoding="utf-8")
    from_file = [json.loads(line) for line in run_cli("split", "--json", str(SEED)).stdout.splitlines()]
    assert [r["index"] for r in from_file] == list(range(17))
    assert all(text[r["start"] : r["end"]] == r["text"] for r in from_file)
    from_stdin = [json.loads(line) for line in run_cli("split", "--json", "-", stdin=text).stdout.splitlines()]
    assert from_stdin == from_file


def test_split_missing_file() -> None:
    result = run_cli("split", "no/such/file.txt")
    assert result.returncode == 1 and "no/such/file.txt" in result.stderr and "Traceback" not in result.stderr


def test_start_without_token_answers_a_sample_question() -> None:
    result = run_cli()
    assert result.returncode == 0
    assert "Aleksey Smirnov" in result.stdout
    assert "TELEGRAM_BOT_TOKEN" in result.stderr


def test_every_command_has_help_with_an_example() -> None:
    for command in ("ask", "split", "attribute", "speakers", "chat", "run"):
        result = run_cli(command, "--help")
        assert result.returncode == 0 and "Example: python -m bot" in result.stdout, command


def test_chat_answers_through_the_same_formatting() -> None:
    result = run_cli("chat", stdin="Did CNN verify the claims?\nWhat did Zelensky say?\n")
    assert result.returncode == 0
    assert "“CNN has not independently verified" in result.stdout and "— CNN" in result.stdout
    assert "quotes no one by that name" in result.stdout


STORM = SEED.parents[1] / "tests" / "data" / "articles" / "ap_storm.txt"


def test_attribute_json_schema_offsets_and_speakers() -> None:
    result = run_cli("attribute", "--json", str(SEED))
    assert result.returncode == 0, result.stderr
    headline, *rows = [json.loads(line) for line in result.stdout.splitlines()]
    text = SEED.read_text(encoding="utf-8")
    assert (headline["headline"], headline["index"], headline["speaker"]["kind"]) == (True, None, "narrator")
    assert text[headline["start"] : headline["end"]] == headline["text"] and "Putin" in headline["text"]
    assert len(rows) == 17
    for row in rows:
        assert set(row) == {"index", "start", "end", "paragraph", "text", "speaker"}
        assert text[row["start"] : row["end"]] == row["text"]
        assert set(row["speaker"]) == {"name", "role", "cue", "kind"}
        assert row["speaker"]["kind"] in ("direct", "reported", "narrator")
    narrator = [r for r in rows if r["speaker"]["kind"] == "narrator"]
    assert narrator and all(r["speaker"]["name"] == "CNN" for r in narrator)


def test_attribute_text_shows_name_and_role() -> None:
    result = run_cli("attribute", str(SEED))
    assert "Aleksey Smirnov, acting head of the Kursk region (reported, informed)" in result.stdout


def test_speakers_lists_names_roles_and_counts() -> None:
    result = run_cli("speakers", str(SEED))
    assert result.returncode == 0
    assert "Vladimir Putin, Russian President — 4 sentences" in result.stdout
    assert "Andrey Miskov, head of the district administration — 1 sentence" in result.stdout


def test_speakers_of_an_article_without_quotes(tmp_path: Path) -> None:
    path = write_article(tmp_path, "plain.txt", "Comet seen\nA comet passed Earth on Monday. It was bright.\n")
    result = run_cli("speakers", str(path))
    assert result.returncode == 0 and "quotes no one" in result.stdout


def test_speaker_questions_on_another_outlets_article(tmp_path: Path) -> None:
    write_article(tmp_path, STORM.name, STORM.read_text(encoding="utf-8"))
    said = json.loads(run_cli("ask", "--json", "--corpus", str(tmp_path), "What did Becker say?").stdout)
    assert said["answers"] and {a["speaker"]["name"] for a in said["answers"]} == {"Tom Becker"}
    who = json.loads(run_cli("ask", "--json", "--corpus", str(tmp_path), "Who is Maria Lopez?").stdout)
    assert who["lead"] == "Maria Lopez, spokeswoman for Commonwealth Edison"
    nobody = json.loads(run_cli("ask", "--json", "--corpus", str(tmp_path), "What did Putin say?").stdout)
    assert nobody["status"] == "unknown_speaker" and nobody["answers"] == []
    narrator = json.loads(run_cli("attribute", "--json", str(STORM)).stdout.splitlines()[-1])
    assert narrator["speaker"]["kind"] != "narrator" or narrator["speaker"]["name"] == "AP"


def test_top_k_default_comes_from_the_environment() -> None:
    row = json.loads(run_cli("ask", "--json", "Ukrainian forces Russian territory", env={"TOP_K": "1"}).stdout)
    assert len(row["answers"]) == 1


def test_attribute_without_a_known_source_says_the_article_once(tmp_path: Path) -> None:
    path = write_article(tmp_path, "plain.txt", "Comet seen\nA comet passed Earth on Monday.\n")
    expected = (
        "[headline] the article (narrator): Comet seen\n[0] the article (narrator): A comet passed Earth on Monday."
    )
    assert run_cli("attribute", str(path)).stdout.strip() == expected
