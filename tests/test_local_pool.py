"""bot.parallel.local_batches: real worker processes, forked (or spawned from a process with threads)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from bot.errors import ConfigError, WorkerError
from bot.parallel import local_batches
from tests.helpers import ROOT

MARK = "set in the parent"
"""A forked worker sees what the parent set here after import; a spawned one imports this module afresh."""


def marked(n: int) -> tuple[int, str, int]:
    """A task (module level: a spawned worker imports it by name): its batch, what it sees of MARK, its pid."""
    return n * n, MARK, os.getpid()


def fail_on_three(n: int) -> int:
    if n == 3:
        raise ValueError(f"batch {n} is bad")
    return n


def die_on_two(n: int) -> int:
    if n == 2:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
    return n


def busy(n: int) -> int:
    """About 0.1 s of work: batches that outlast the test's signal."""
    return sum(range(2_000_000)) + n


def run_child(code: str, *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def test_a_process_without_threads_forks_its_workers_and_gets_results_in_input_order() -> None:
    code = (
        "import os, multiprocessing, tests.test_local_pool as t\n"
        "from bot.parallel import local_batches\n"
        "t.MARK = 'changed after import'\n"
        "seen = []\n"
        "out = list(local_batches(t.marked, list(range(9)), 2, lambda done, total: seen.append((done, total))))\n"
        "print([r[0] for r in out], sorted({r[1] for r in out}), len({r[2] for r in out} - {os.getpid()}))\n"
        "print(seen == [(i, 9) for i in range(1, 10)], multiprocessing.active_children())\n"
    )
    out = run_child(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "[0, 1, 4, 9, 16, 25, 36, 49, 64] ['changed after import'] 2",  # forked: two workers, not this process
        "True []",
    ]


@pytest.fixture
def another_thread() -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    yield
    stop.set()
    thread.join()


@pytest.mark.usefixtures("another_thread")
def test_a_process_with_threads_spawns_its_workers_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "MARK", "changed after import")
    out = list(local_batches(marked, [3, 1, 2], workers=2))
    assert [r[0] for r in out] == [9, 1, 4]
    assert {r[1] for r in out} == {"set in the parent"}  # a fresh import: not a copy of this process
    assert multiprocessing.active_children() == []


def test_a_failing_task_raises_here_and_leaves_no_worker() -> None:
    with pytest.raises(ValueError, match="batch 3 is bad"):
        list(local_batches(fail_on_three, list(range(8)), workers=2))
    assert multiprocessing.active_children() == []
    assert list(local_batches(fail_on_three, [], workers=2)) == []


def test_a_worker_that_dies_is_a_worker_error_not_a_hang() -> None:
    with pytest.raises(WorkerError, match=r"a worker process died before batch [1-3] of 6 was done"):
        list(local_batches(die_on_two, list(range(6)), workers=2))
    assert multiprocessing.active_children() == []


def test_stopping_early_shuts_the_workers_down() -> None:
    results = local_batches(marked, list(range(20)), workers=2)
    assert next(results)[0] == 0
    assert len(multiprocessing.active_children()) == 2
    results.close()
    assert multiprocessing.active_children() == []


def test_zero_workers_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="1 or more"):
        list(local_batches(marked, [1], workers=0))


def test_ctrl_c_stops_the_load_and_leaves_no_orphan() -> None:
    """Ctrl-C reaches the whole process group, as a terminal sends it: the loader stops with KeyboardInterrupt
    once the running batches are done, and every worker process is gone."""
    code = (
        "import os, sys, tests.test_local_pool as t\n"
        "from bot.parallel import local_batches\n"
        "import multiprocessing\n"
        "for i, _ in enumerate(local_batches(t.busy, list(range(500)), 2)):\n"
        "    if i == 0:\n"
        "        print(' '.join(str(p.pid) for p in multiprocessing.active_children()), flush=True)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        assert child.stdout is not None
        workers = [int(pid) for pid in child.stdout.readline().split()]
        assert len(workers) == 2
        os.killpg(child.pid, signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert child.returncode != 0 and "KeyboardInterrupt" in stderr
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
