"""Parallel work: a task mapped over batches, on this machine's cores or on a Dask cluster.

Two ways to run batches, and this module is the one place that knows them:

- ``local_batches``: a pool of worker processes forked from this one, for the
  first load of a big corpus on this machine (``bot.corpus.files.run_batches``).
  Forked workers start with this process's imported modules and rules, and
  nothing schedules but this process; on a Dask ``LocalCluster`` the same
  batches took ~20 % more CPU (300,000 sentences: 108 s of worker CPU against
  88 s in one plain process), and its scheduler ran inside the loading process
  (6-10 % of a core).
- ``dask_client`` + ``iter_batches``/``map_batches``: Dask distributed, for
  ``bot index`` and whenever a scheduler (``tcp://HOST:PORT``) is given: a
  ``LocalCluster`` (one thread per worker: parsing is pure Python and holds
  the GIL) or the workers of an existing cluster.

Nothing here knows what a batch is: callers pass a picklable module-level task,
such as ``bot.corpus.files.load_batch`` (parse and attribute a batch of article
files, the corpus loader's own step). A remote worker imports the task by name,
so the ``bot`` package must be installed there too.

Dask is imported only when a client is made: the CLI's cold start, which never
asks for parallel work, does not pay the ~0.5 s it costs.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import islice
from multiprocessing import get_context
from typing import TYPE_CHECKING, TypeVar

from bot.errors import ConfigError, WorkerError

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["Progress", "batched", "cpu_count", "dask_client", "iter_batches", "local_batches", "map_batches"]

B = TypeVar("B")
R = TypeVar("R")
Progress = Callable[[int, int], None]
"""(batches done, batches in all): called once per finished batch, in the caller's process."""

SCHEDULER_ADDRESS = re.compile(r"tcp://[^\s/:]+:\d{1,5}")
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}
"""No statistical profiler in this machine's workers: it samples the running task every 10 ms, and cost a 300,000
sentence first load 11 s of its 70 (bench/first_load.py's parse on 2 workers: 120 s of CPU with it, 108 s without)."""
CONNECT_TIMEOUT_S = 10
"""How long to wait for a scheduler that does not answer before saying so."""
IN_FLIGHT_PER_WORKER = 2
"""Batches handed to the local pool per worker ahead of the one being merged: every worker has its next batch
queued, and at most this many finished results wait in memory."""


def cpu_count() -> int:
    """The cores this process may run on (the affinity mask, not every core of the machine)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def dask_client(
    workers: int | None = None, scheduler: str | None = None, *, timeout: float = CONNECT_TIMEOUT_S
) -> Iterator[Client]:
    """A Dask client: of an existing scheduler at ``tcp://HOST:PORT``, else of a new LocalCluster of
    ``workers`` processes (default: every core), which is shut down on leaving.

    Raises ConfigError for a malformed address, a worker count below 1, both given at once, or a
    scheduler that does not answer within ``timeout`` seconds.
    """
    if workers is not None and scheduler is not None:
        raise ConfigError("give either a number of workers or a scheduler address, not both")
    if scheduler is not None and not SCHEDULER_ADDRESS.fullmatch(scheduler):
        raise ConfigError(f"the scheduler address must look like tcp://HOST:PORT, got {scheduler!r}")
    if workers is not None and workers < 1:
        raise ConfigError(f"the number of workers must be 1 or more, got {workers}")
    import dask
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=timeout)
        except OSError as exc:  # distributed raises OSError (a TimeoutError) when nothing answers
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        with client:
            yield client
        return
    with dask.config.set(WORKER_CONFIG):  # the nannies hand this config to the worker processes they start
        cluster = LocalCluster(
            n_workers=workers or cpu_count(),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",  # this machine's processes only
            dashboard_address=None,  # no dashboard; the scheduler's small HTTP server on any free loopback port:
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # not 8787, which another cluster may hold
            silence_logs=logging.WARNING,
        )
    with cluster, Client(cluster) as client:
        yield client


def local_batches(
    task: Callable[[B], R], batches: Sequence[B], workers: int | None = None, progress: Progress | None = None
) -> Generator[R, None, None]:
    """``task(b)`` for each batch on a pool of ``workers`` local processes (None: every core), yielded in
    input order; at most ``IN_FLIGHT_PER_WORKER`` batches per worker are handed out ahead of the caller.

    The workers are forked when this process runs no other Python thread, so they inherit its imported
    modules (the pool starts every worker before its own management thread; numpy's OpenBLAS threads are
    stopped around a fork by OpenBLAS itself); from a process with threads, forking could copy a lock that
    another thread holds, so they are spawned instead. Workers ignore Ctrl-C: this process gets it, stops
    handing out batches and waits for the running ones. A task that raises re-raises here; a worker that
    dies raises WorkerError. Either way, and when the caller stops early (``close()``), no worker outlives the call.
    """
    if workers is not None and workers < 1:
        raise ConfigError(f"the number of workers must be 1 or more, got {workers}")
    if not batches:
        return
    processes = min(workers or cpu_count(), len(batches))
    method = "fork" if threading.active_count() == 1 else "spawn"
    executor = ProcessPoolExecutor(processes, mp_context=get_context(method), initializer=_ignore_interrupts)
    todo = iter(batches)
    pending: deque[Future[R]] = deque(executor.submit(task, b) for b in islice(todo, processes * IN_FLIGHT_PER_WORKER))
    try:
        for done in range(1, len(batches) + 1):
            try:
                result = pending.popleft().result()
            except BrokenProcessPool:
                raise WorkerError(
                    f"a worker process died before batch {done} of {len(batches)} was done (out of memory, or killed?)"
                ) from None
            pending.extend(executor.submit(task, b) for b in islice(todo, 1))
            if progress is not None:
                progress(done, len(batches))
            yield result
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupts() -> None:
    """A local worker's start: Ctrl-C is for the process that hands out the batches, which then shuts the
    pool down in order (a worker interrupted while waiting for work would die and break the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def map_batches(
    client: Client, task: Callable[[B], R], batches: Sequence[B], progress: Progress | None = None
) -> list[R]:
    """``[task(b) for b in batches]`` on the client's workers, in input order whatever order they finish in.

    A task that raises cancels the batches not yet done and re-raises here.
    """
    return list(iter_batches(client, task, batches, progress))


def iter_batches(
    client: Client, task: Callable[[B], R], batches: Sequence[B], progress: Progress | None = None
) -> Iterator[R]:
    """``task(b)`` for each batch, yielded in input order as soon as it and every batch before it are done,
    so the caller can go on with the first batches while the workers parse the rest.

    ``progress`` counts finished batches, in the order they finish. A result's future is released once
    yielded, so the workers do not keep a copy. A task that raises (or the caller stopping early)
    cancels the batches not yet done; the error is re-raised here.
    """
    from distributed import as_completed

    if not batches:
        return
    futures = client.map(task, batches, pure=False)  # pure=False: equal batches are still separate tasks
    where = {future.key: i for i, future in enumerate(futures)}
    pending = as_completed(futures, with_results=True)
    unfinished = set(where)
    del futures  # as_completed holds them until each is done; then nothing does, and the worker drops it
    ready: dict[int, R] = {}
    next_up = 0
    try:
        for done, (future, result) in enumerate(pending, start=1):
            ready[where[future.key]] = result
            unfinished.discard(future.key)
            del future
            if progress is not None:
                progress(done, len(where))
            while next_up in ready:
                yield ready.pop(next_up)
                next_up += 1
    finally:
        if unfinished:
            client.cancel(list(pending.futures))


def batched(items: Sequence[B], weights: Sequence[int], parts: int) -> list[list[B]]:
    """``items`` cut, in order, into about ``parts`` consecutive batches of about equal total weight
    (a file's size stands for its number of sentences); never an empty batch."""
    if not items:
        return []
    parts = max(1, min(parts, len(items)))
    target = sum(weights) / parts
    batches: list[list[B]] = [[]]
    load = 0
    for item, weight in zip(items, weights, strict=True):
        if batches[-1] and load + weight / 2 > target * len(batches) and len(batches) < parts:
            batches.append([])
        batches[-1].append(item)
        load += weight
    return batches
