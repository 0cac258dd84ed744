"""A real HTTP server on 127.0.0.1 serving the pages a test writes, for fetching links without the internet.

It runs in a thread (``http.server.ThreadingHTTPServer``), so the bot under
asyncio, the CLI in a subprocess and plain synchronous tests all reach it
alike. It imports nothing from ``bot``.

API::

    with WebServer() as web:                       # binds a free port on 127.0.0.1 (host="127.0.0.2" works too)
        url = web.page("/story", "<html>...</html>", content_type="text/html; charset=utf-8")
        web.redirect("/old", "/story")              # 302 to a path or a full URL
        web.route("/slow", Route(chunks=[b"<html>"] * 50, pause=0.2))   # one chunk every 0.2 s
        web.requests                               # paths asked for, in order
        web.connections                            # TCP connections accepted

``Route.chunks`` may be any iterable of bytes, generated lazily (a "huge
page" never exists in memory here either); with ``length=None`` the body is
sent without Content-Length, ending when the connection closes.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Route", "WebServer", "gzip_bomb"]


@dataclass
class Route:
    """What one path answers."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    chunks: Iterable[bytes] = ()
    pause: float = 0.0
    length: int | None = None
    """Content-Length to send; None sends none (the body ends when the connection closes)."""


def gzip_bomb(decoded_mb: int = 200) -> bytes:
    """``decoded_mb`` MB of zeros, gzipped (about 1,000 times smaller)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(2**20)
    return b"".join(compressor.compress(block) for _ in range(decoded_mb)) + compressor.flush()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        web = self.server.owner
        web.requests.append(self.path)
        route = web.routes.get(self.path.split("?", 1)[0])
        if route is None:
            route = Route(404, {"Content-Type": "text/html"}, [b"<html><body><h1>Not Found</h1></body></html>"])
        chunks = route.chunks
        self.send_response(route.status)
        headers = dict(route.headers)
        length = route.length
        if length is None and isinstance(chunks, list | tuple) and not route.pause:
            length = sum(len(c) for c in chunks)
        if length is not None:
            headers.setdefault("Content-Length", str(length))
        else:
            headers["Connection"] = "close"
            self.close_connection = True
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        try:
            for chunk in chunks:
                self.wfile.write(chunk)
                self.wfile.flush()
                if route.pause:
                    time.sleep(route.pause)
                if web.closing.is_set():
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: what a capped fetch does


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: WebServer

    def get_request(self) -> Any:
        request = super().get_request()
        self.owner.connections += 1
        return request


class WebServer:
    """See the module docstring."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.connections = 0
        self.closing = threading.Event()
        self._server = _Server((host, 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> WebServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def page(
        self,
        path: str,
        body: str | bytes,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        **headers: str,
    ) -> str:
        """Serve ``body`` at ``path`` (str bodies are encoded as UTF-8); returns its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        all_headers = {"Content-Type": content_type, **{k.replace("_", "-"): v for k, v in headers.items()}}
        if not content_type:
            del all_headers["Content-Type"]
        return self.route(path, Route(status, all_headers, [data]))

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.route(path, Route(status, {"Location": location, "Content-Type": "text/html"}, [b"moved"]))
