"""Fetch a web page to read it: http(s) only, capped, and never into the machine's private network.

Why not ``httpx.AsyncClient(follow_redirects=True)``: every redirect hop has
to be checked, the body has to be counted *after* decompression (100 KB of
gzip can be 100 MB of zeros), and the address has to be checked on the IP
that is actually connected to. So the request is made with httpcore (the
transport under httpx, which python-telegram-bot already installs) whose
network backend is wrapped by ``GuardedBackend``:

- it resolves the host itself, refuses it when any address it resolves to is
  loopback, private, link-local, multicast, reserved or otherwise not global
  (``AddressPolicy``), and then connects to exactly the address it checked —
  a DNS-rebinding name cannot resolve to a public address for the check and
  to 127.0.0.1 for the connection. Nothing is sent before the check passes;
- redirects are followed here, one hop at a time (at most ``max_redirects``),
  each a new connection through the same backend, so each hop is checked;
- the body is streamed and decoded here (gzip and deflate, the only
  encodings asked for) with zlib's ``max_length``, so no chunk can expand
  past the cap: the read stops at ``max_bytes`` of decoded body;
- one deadline (``total_seconds``) covers DNS, connecting, every hop and the
  whole body: a server that trickles bytes cannot hold a read open.

Only HTML, XHTML and plain text are read; everything else is refused by its
Content-Type before the body is read. No proxy from the environment is used
(a proxy would connect on our behalf, past the address check).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
import zlib
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import httpcore
import httpx

from bot.errors import FetchError

__all__ = ["AddressPolicy", "FetchLimits", "GuardedBackend", "Page", "fetch", "is_forbidden"]

log = logging.getLogger(__name__)

USER_AGENT = "Mozilla/5.0 (compatible; news-quote-bot/0.1; reads one article for its user)"
ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"
ACCEPT_ENCODING = "gzip, deflate"
READABLE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_URL_CHARS = 2048
NAT64 = ipaddress.ip_network("64:ff9b::/96")
HOST = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})|[0-9A-Fa-f:.]+")
"""A host name (as httpx gives it: IDNA already applied) or an IP address; anything else cannot be looked up."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """The caps on one fetch (the defaults are the documented ones; tests pass smaller)."""

    total_seconds: float = 10.0
    max_redirects: int = 5
    max_bytes: int = 5_000_000


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64), which is where it really goes."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_forbidden(ip: IPAddress) -> bool:
    """True for an address a fetch must not reach: loopback, private, link-local, multicast, reserved...

    ``is_global`` is Python's reading of the IANA special-purpose registries
    (it also excludes shared 100.64/10, documentation and benchmark ranges);
    multicast counts as global there, so it is refused on its own.

    >>> [is_forbidden(ipaddress.ip_address(a)) for a in ("8.8.8.8", "127.0.0.1", "::ffff:10.0.0.1", "224.0.0.1")]
    [False, True, True, True]
    """
    inner = _embedded_ipv4(ip)
    if inner is not None and is_forbidden(inner):
        return True
    return not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which resolved addresses may be connected to.

    ``allow_private`` (``FETCH_ALLOW_PRIVATE=1``) lifts the check, for
    operators whose sources live on their own network, and for the tests,
    whose pages are served on 127.0.0.1. ``allowed`` lists single addresses
    allowed even though private (say, an operator's own mirror).
    """

    allow_private: bool = False
    allowed: frozenset[str] = frozenset()

    def permits(self, ip: IPAddress) -> bool:
        return self.allow_private or str(ip) in self.allowed or not is_forbidden(ip)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving and checking each host before it connects (see module docstring)."""

    def __init__(self, policy: AddressPolicy, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.policy = policy
        self.inner = inner or httpcore.AnyIOBackend()
        self.connected: list[tuple[str, int]] = []
        """Every (address, port) connected to, in order: what the log and the tests read."""

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Every address ``host`` resolves to; FetchError when it resolves to none or to a forbidden one."""
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            raise FetchError(f"there is no site called {host}") from None
        addresses: list[IPAddress] = []
        for *_, sockaddr in infos:
            ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            if ip not in addresses:
                addresses.append(ip)
        refused = [ip for ip in addresses if not self.policy.permits(ip)]
        if refused:
            where = "" if host == str(refused[0]) else f" ({refused[0]})"
            raise FetchError(f"{host} is a private or local address{where}; I only read public web pages")
        if not addresses:
            raise FetchError(f"there is no site called {host}")
        return addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.resolve(host, port)
        error: Exception | None = None
        for ip in addresses:  # the checked addresses themselves: no second lookup that could answer differently
            try:
                stream = await self.inner.connect_tcp(str(ip), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            self.connected.append((str(ip), port))
            return stream
        assert error is not None
        raise error

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise FetchError("unix sockets are not web pages")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched page: where it ended up, what it says it is, and its body (content-decoded, still bytes)."""

    url: str
    media_type: str | None
    charset: str | None
    body: bytes
    redirects: tuple[str, ...] = field(default=())
    address: str | None = None
    """The IP address the page was read from (the one that was checked)."""


def check_url(url: str) -> httpx.URL:
    """The URL parsed, if it is one we may fetch (absolute http or https); else FetchError.

    Messages name the problem, not the URL: callers say which link they were given.
    """
    text = url.strip()
    if len(text) > MAX_URL_CHARS:
        raise FetchError(f"the link is longer than {MAX_URL_CHARS} characters")
    try:
        parsed = httpx.URL(text)
    except (httpx.InvalidURL, ValueError):
        raise FetchError("that is not a web address") from None
    if parsed.scheme not in ("http", "https"):
        if not parsed.scheme:
            raise FetchError("that is not a full link (it needs http:// or https://)")
        raise FetchError(f"that is not a web link ({parsed.scheme}:); I only read http and https links")
    if not parsed.host:
        raise FetchError("the link has no site name in it")
    if not HOST.fullmatch(parsed.host):
        raise FetchError(f"that is not a web address (no site can be called {parsed.host!r})")
    return parsed


def _media_type(header: str | None) -> tuple[str | None, str | None]:
    """("text/html", "windows-1252") from a Content-Type header; (None, None) when it is missing."""
    if not header:
        return None, None
    kind, *params = (part.strip() for part in header.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return kind.lower() or None, charset


def _refuse_type(media_type: str | None) -> None:
    if media_type is None or media_type in READABLE_TYPES:
        return
    if media_type == "application/pdf":
        raise FetchError("that link is a PDF document, not a web page; send me the article's page instead")
    if media_type.startswith(("image/", "video/", "audio/")):
        raise FetchError(f"that link is {media_type.split('/')[0]} ({media_type}), not an article")
    raise FetchError(f"that link is {media_type}, not a web page or plain text")


def _refuse_status(status: int, url: str) -> None:
    if 200 <= status < 300 and status not in (204, 205):
        return
    try:
        phrase = f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        phrase = str(status)
    if status in (401, 403, 407):
        raise FetchError(f"the site refused to show the page ({phrase}): it may need a login or block readers like me")
    if status in (404, 410):
        raise FetchError(f"the page is not there ({phrase}); check the link")
    if status == 429:
        raise FetchError(f"the site is turning readers away right now ({phrase}); try again later")
    if status >= 500:
        raise FetchError(f"the site had a problem ({phrase}); try again later")
    raise FetchError(f"the site answered {phrase} instead of the page")


class BodyDecoder:
    """Undoes one Content-Encoding while counting decoded bytes; FetchError past ``limit`` (gzip bombs too)."""

    def __init__(self, encoding: str | None, limit: int) -> None:
        names = [e.strip().lower() for e in (encoding or "").split(",") if e.strip()]
        names = [n for n in names if n != "identity"]
        if len(names) > 1 or (names and names[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(f"the site sent the page compressed as {encoding!r}, which I don't read")
        self.kind = names[0] if names else None
        self.limit = limit
        self.size = 0
        self._zlib: Any = None

    def _room(self) -> int:
        return self.limit - self.size

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            raise FetchError(f"the page is larger than {self.limit // 1_000_000} MB; I only read pages up to that size")
        return data

    def feed(self, chunk: bytes) -> bytes:
        if self.kind is None:
            return self._count(chunk)
        if self._zlib is None:
            # deflate is meant to be zlib-wrapped, but some servers send raw deflate: tell by the first byte
            wbits = (
                16 + zlib.MAX_WBITS
                if self.kind != "deflate"
                else (zlib.MAX_WBITS if chunk[:1] and chunk[0] & 0x0F == 8 else -zlib.MAX_WBITS)
            )
            self._zlib = zlib.decompressobj(wbits)
        try:
            return self._count(self._zlib.decompress(chunk, self._room() + 1))  # never more than the cap + 1
        except zlib.error:
            raise FetchError("the site sent a damaged compressed page") from None

    def finish(self) -> bytes:
        if self._zlib is None:
            return b""
        try:
            return self._count(self._zlib.flush())
        except zlib.error:
            raise FetchError("the site sent a damaged compressed page") from None


@asynccontextmanager
async def _pool(policy: AddressPolicy) -> AsyncIterator[tuple[httpcore.AsyncConnectionPool, GuardedBackend]]:
    backend = GuardedBackend(policy)
    pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=backend, max_connections=2, retries=0
    )
    async with pool:
        yield pool, backend


def _headers(url: httpx.URL) -> list[tuple[bytes, bytes]]:
    return [
        (b"Host", url.netloc),
        (b"User-Agent", USER_AGENT.encode()),
        (b"Accept", ACCEPT.encode()),
        (b"Accept-Encoding", ACCEPT_ENCODING.encode()),
        (b"Accept-Language", b"en;q=1, *;q=0.5"),
    ]


async def _get(
    pool: httpcore.AsyncConnectionPool,
    url: httpx.URL,
    limits: FetchLimits,
) -> tuple[int, dict[str, str], bytes]:
    """One GET; the status, the headers, and the decoded body (empty for a redirect or an error status)."""
    timeouts = {key: limits.total_seconds for key in ("connect", "read", "write", "pool")}
    request = httpcore.Request(b"GET", str(url), headers=_headers(url), extensions={"timeout": timeouts})
    async with pool.stream(
        request.method, request.url, headers=request.headers, extensions=request.extensions
    ) as response:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers}
        if response.status in REDIRECTS or response.status >= 300 or response.status < 200:
            return response.status, headers, b""
        _refuse_type(_media_type(headers.get("content-type"))[0])
        declared = headers.get("content-length", "").strip()
        if declared.isdigit() and "content-encoding" not in headers and int(declared) > limits.max_bytes:
            raise FetchError(
                f"the page is larger than {limits.max_bytes // 1_000_000} MB; I only read pages up to that size"
            )
        decoder = BodyDecoder(headers.get("content-encoding"), limits.max_bytes)
        parts = [decoder.feed(chunk) async for chunk in response.aiter_stream()]
        parts.append(decoder.finish())
        return response.status, headers, b"".join(parts)


def _seconds(value: float) -> str:
    return f"{value:g} second{'' if value == 1 else 's'}"


async def fetch(url: str, policy: AddressPolicy | None = None, limits: FetchLimits | None = None) -> Page:
    """GET ``url`` under the policy and limits (see the module docstring); FetchError names what went wrong."""
    policy = policy or AddressPolicy()
    limits = limits or FetchLimits()
    current = check_url(url)
    hops: list[str] = []
    try:
        async with asyncio.timeout(limits.total_seconds), _pool(policy) as (pool, backend):
            while True:
                status, headers, body = await _get(pool, current, limits)
                if status not in REDIRECTS or not headers.get("location"):
                    break
                if len(hops) >= limits.max_redirects:
                    raise FetchError(
                        f"the link redirects more than {limits.max_redirects} times; send me the article's own address"
                    )
                hops.append(str(current))
                current = check_url(str(current.join(headers["location"].strip())))
            _refuse_status(status, str(current))
            log.info("fetched %s (%d bytes, via %s)", current, len(body), backend.connected[-1][0])
    except (TimeoutError, httpcore.TimeoutException):
        raise FetchError(f"the site took longer than {_seconds(limits.total_seconds)} to send the page") from None
    except httpcore.ConnectError:
        raise FetchError(f"could not connect to {current.host}") from None
    except (httpcore.ProtocolError, httpcore.NetworkError) as exc:
        raise FetchError(f"the connection to {current.host} broke off ({type(exc).__name__})") from None
    media_type, charset = _media_type(headers.get("content-type"))
    return Page(str(current), media_type, charset, body, tuple(hops), backend.connected[-1][0])
