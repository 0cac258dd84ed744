"""bot.corpus.fetch against a real HTTP server on 127.0.0.1: redirects, caps, types, statuses, the address guard."""

from __future__ import annotations

import gzip
import ipaddress
import time

import pytest

from bot.corpus.fetch import AddressPolicy, FetchLimits, fetch, is_forbidden
from bot.errors import FetchError
from tests.web_server import Route, WebServer, gzip_bomb

OPEN = AddressPolicy(allow_private=True)
"""FETCH_ALLOW_PRIVATE=1: the test pages are on 127.0.0.1."""
PAGE = "<html><head><title>T</title></head><body><p>Hello from the test server.</p></body></html>"


async def refused(url: str, policy: AddressPolicy = OPEN, limits: FetchLimits | None = None) -> str:
    with pytest.raises(FetchError) as caught:
        await fetch(url, policy, limits)
    (line,) = str(caught.value).splitlines()
    return line


async def test_reads_a_page_with_its_type_and_charset(web: WebServer) -> None:
    url = web.page("/a", PAGE, content_type="text/html; charset=ISO-8859-1")
    page = await fetch(url, OPEN)
    assert (page.url, page.media_type, page.charset, page.body) == (url, "text/html", "ISO-8859-1", PAGE.encode())
    assert page.address == "127.0.0.1" and page.redirects == ()


async def test_connects_to_the_address_it_checked_not_the_name(web: WebServer) -> None:
    web.page("/a", PAGE)
    page = await fetch(web.url("/a").replace("127.0.0.1", "localhost"), OPEN)
    assert page.address == "127.0.0.1"  # the resolved IP, not a second lookup of the name


async def test_follows_up_to_five_redirects_relative_and_absolute(web: WebServer) -> None:
    target = web.page("/end", PAGE)
    web.redirect("/r5", "/end", status=301)
    web.redirect("/r4", web.url("/r5"), status=308)
    web.redirect("/r3", "r4", status=307)
    web.redirect("/r2", "/r3", status=303)
    web.redirect("/r1", "/r2")
    page = await fetch(web.url("/r1"), OPEN)
    assert page.url == target and page.body == PAGE.encode()
    assert page.redirects == tuple(web.url(f"/r{n}") for n in range(1, 6))


async def test_a_sixth_redirect_is_refused(web: WebServer) -> None:
    web.page("/end", PAGE)
    for n in range(6):
        web.redirect(f"/r{n}", f"/r{n + 1}" if n < 5 else "/end")
    assert "redirects more than 5 times" in await refused(web.url("/r0"))
    assert "/end" not in web.requests


async def test_a_redirect_to_another_scheme_is_refused(web: WebServer) -> None:
    web.redirect("/r", "file:///etc/passwd")
    assert "only read http and https" in await refused(web.url("/r"))


async def test_a_slow_server_is_cut_off_at_the_deadline(web: WebServer) -> None:
    web.route("/slow", Route(200, {"Content-Type": "text/html"}, (b"<p>a</p>" for _ in range(1000)), pause=0.1))
    started = time.monotonic()
    line = await refused(web.url("/slow"), limits=FetchLimits(total_seconds=0.5))
    assert "took longer than 0.5 seconds" in line
    assert time.monotonic() - started < 5  # stopped by the deadline, not by the server finishing (100 s)


async def test_a_huge_page_is_stopped_at_the_cap_while_streaming(web: WebServer) -> None:
    web.route("/huge", Route(200, {"Content-Type": "text/html"}, (b"<p>" + b"x" * 65_533 for _ in range(2_000))))
    assert "larger than 5 MB" in await refused(web.url("/huge"))  # 131 MB offered, no Content-Length


async def test_a_declared_huge_length_is_refused_before_reading(web: WebServer) -> None:
    web.route("/big", Route(200, {"Content-Type": "text/html"}, [b"<p>tiny</p>"], length=2 * 10**9))
    assert "larger than 5 MB" in await refused(web.url("/big"))


async def test_a_gzip_bomb_is_refused(web: WebServer) -> None:
    bomb = gzip_bomb(200)  # 200 MB of zeros in ~200 KB
    web.route("/bomb", Route(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, [bomb]))
    assert "larger than 5 MB" in await refused(web.url("/bomb"))


async def test_a_gzipped_page_is_decoded(web: WebServer) -> None:
    web.route(
        "/gz", Route(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, [gzip.compress(PAGE.encode())])
    )
    assert (await fetch(web.url("/gz"), OPEN)).body == PAGE.encode()


async def test_an_unknown_encoding_is_refused(web: WebServer) -> None:
    web.route("/br", Route(200, {"Content-Type": "text/html", "Content-Encoding": "br"}, [b"\x0b\x02\x80"]))
    assert "compressed as 'br'" in await refused(web.url("/br"))


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/pdf", "PDF document"),
        ("image/png", "image (image/png)"),
        ("application/json", "application/json, not a web page"),
    ],
)
async def test_only_pages_and_text_are_read(web: WebServer, content_type: str, expected: str) -> None:
    url = web.page("/x", b"%PDF-1.4 ...", content_type=content_type)
    assert expected in await refused(url)


@pytest.mark.parametrize("content_type", ["text/plain; charset=utf-8", "application/xhtml+xml", ""])
async def test_text_xhtml_and_untyped_bodies_are_read(web: WebServer, content_type: str) -> None:
    page = await fetch(web.page("/x", PAGE, content_type=content_type), OPEN)
    assert page.body == PAGE.encode()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (404, "not there (404 Not Found)"),
        (410, "not there (410 Gone)"),
        (403, "refused to show the page (403 Forbidden): it may need a login"),
        (500, "had a problem (500 Internal Server Error)"),
        (429, "turning readers away"),
    ],
)
async def test_error_statuses_are_named(web: WebServer, status: int, expected: str) -> None:
    assert expected in await refused(web.page("/x", PAGE, status=status))


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/a",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "example.com/a",
        "http://",
        "https://exa mple.com/",
    ],
)
async def test_only_http_and_https_links(url: str) -> None:
    line = await refused(url, AddressPolicy())
    assert "http" in line or "web address" in line or "site name" in line
    assert url not in line  # the caller names the link


# ---------------------------------------------------------------- the address guard (FETCH_ALLOW_PRIVATE off)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "0.0.0.0", "127.1"])
async def test_local_addresses_are_refused_before_connecting(web: WebServer, host: str) -> None:
    web.page("/a", PAGE)
    url = web.url("/a").replace("127.0.0.1", host)
    assert "private or local address" in await refused(url, AddressPolicy())
    assert web.connections == 0


async def test_a_redirect_into_the_private_network_is_refused_at_that_hop(web: WebServer) -> None:
    """The first hop is allowed (as a public site would be); its redirect to 127.0.0.2 is refused unconnected."""
    with WebServer(host="127.0.0.2") as inside:
        inside.page("/admin", "<p>secret</p>")
        web.redirect("/go", inside.url("/admin"))
        line = await refused(web.url("/go"), AddressPolicy(allowed=frozenset({"127.0.0.1"})))
        assert "127.0.0.2 is a private or local address" in line
        assert web.requests == ["/go"]
        assert inside.connections == 0


@pytest.mark.parametrize(
    ("address", "forbidden"),
    [
        ("8.8.8.8", False),
        ("1.1.1.1", False),
        ("2606:4700::1111", False),
        ("127.0.0.1", True),
        ("127.255.0.9", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),
        ("100.64.0.1", True),
        ("0.0.0.0", True),
        ("255.255.255.255", True),
        ("224.0.0.1", True),
        ("239.255.255.250", True),
        ("240.0.0.1", True),
        ("192.0.2.7", True),
        ("::1", True),
        ("::", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("ff02::1", True),
        ("::ffff:127.0.0.1", True),
        ("::ffff:8.8.8.8", True),  # mapped: refused either way
        ("64:ff9b::a00:1", True),
        ("2002:a00:1::", True),
    ],
)
def test_forbidden_addresses(address: str, forbidden: bool) -> None:
    assert is_forbidden(ipaddress.ip_address(address)) is forbidden
