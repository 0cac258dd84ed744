"""A real ``xapian-tcpsrv`` on 127.0.0.1 serving one shard, for the sharded-search tests.

Started in its own session (``start_new_session``): on SIGTERM xapian-tcpsrv signals its
process group, so stopping it is one ``killpg`` that reaches the children it forked
for connections too, and never the test runner.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

READY_SECONDS = 20.0


def free_port() -> int:
    """A port nothing listens on, below the ephemeral range: a port the kernel hands out for outgoing
    connections (as bind(0) does) may be taken by a client's socket before a server gets to bind it."""
    low = 32768
    with contextlib.suppress(OSError, ValueError, IndexError):
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for port in random.sample(range(10_000, max(low, 10_001)), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


class TcpServer:
    """``with TcpServer(shard) as server:`` -> ``server.address`` is ``tcp://127.0.0.1:PORT`` while it runs."""

    def __init__(self, shard: Path) -> None:
        self.shard = shard
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def start(self) -> TcpServer:
        self.proc = subprocess.Popen(
            ["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(self.port), "--quiet", str(self.shard)],
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + READY_SECONDS
        while True:  # ready once it accepts a connection (it serves the probe and forgets it)
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"xapian-tcpsrv exited: {self.proc.stderr.read().decode() if self.proc.stderr else ''}"
                )
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        finally:
            if self.proc.stderr:
                self.proc.stderr.close()

    def __enter__(self) -> TcpServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
