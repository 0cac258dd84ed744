"""Parallel work on Dask: a client for this machine's cores or for a cluster, and a task mapped over batches.

Dask distributed does the scheduling: a ``LocalCluster`` of worker processes on
one machine (one thread each: parsing is pure Python and holds the GIL), or the
workers of an existing scheduler (``tcp://HOST:PORT``) on many. Nothing here
knows what a batch is: callers pass a picklable module-level task, such as
``bot.corpus.files.load_batch`` (parse and attribute a batch of article files,
the corpus loader's own step). A remote worker imports the task by name, so the
``bot`` package must be installed there too.

Dask is imported only when a client is made: the CLI's cold start, which never
asks for parallel work, does not pay the ~0.5 s it costs.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from bot.errors import ConfigError

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["Progress", "batched", "cpu_count", "dask_client", "iter_batches", "map_batches"]

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
