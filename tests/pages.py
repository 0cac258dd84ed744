"""Web pages in the layouts real news sites use, around invented articles, for the fetch and extraction tests.

Each builder returns the page as text; ``tests/web_server.py`` serves it. The
article texts are invented (no publisher's text is copied); what is real is
the furniture around them: navigation, share bars, related-links blocks,
readers' comments, JSON-LD and OpenGraph metadata, AMP markup, login walls.
"""

from __future__ import annotations

import json
from html import escape

__all__ = ["BODY", "HEADLINE", "amp_page", "article_page", "json_ld_page", "links_page", "login_page"]

HEADLINE = "Harbour Wall Repaired After Winter Storms"
BODY = (
    "The harbour wall in Eastport was repaired on Tuesday after the winter storms had torn a 40-metre gap in it.",
    "“The wall will hold for another fifty years,” said Maria Olsen, the town engineer, who led the works.",
    "Mayor Tom Reed said the repairs cost 2 million euros, paid for by the regional flood fund.",
    "Fishermen had been unable to land their catch in the inner basin since January, the harbour office said.",
    "Olsen said a second phase, raising the wall by half a metre, would begin in the autumn.",
)
COMMENTS = (
    "Great news for the town, finally!",
    "I still think the council wasted money on this, the old wall was fine for decades.",
)
RELATED = (
    "Ferry timetable changes for the summer",
    "Eastport school wins regional science prize",
    "Five walks along the northern coast",
)


def _paragraphs(paragraphs: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)


def _nav() -> str:
    return (
        "<header><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
        "<li><a href='/sport'>Sport</a></li><li><a href='/weather'>Weather</a></li></ul></nav></header>"
    )


def _related() -> str:
    items = "".join(f"<li><a href='/story/{n}'>{escape(title)}</a></li>" for n, title in enumerate(RELATED))
    return f"<aside class='related'><h2>Related stories</h2><ul>{items}</ul></aside>"


def _comments() -> str:
    items = "".join(
        f"<div class='comment'><span class='author'>reader{n}</span><p>{escape(text)}</p></div>"
        for n, text in enumerate(COMMENTS)
    )
    return f"<section id='comments' class='comments'><h3>Comments (2)</h3>{items}</section>"


def article_page(
    headline: str = HEADLINE,
    body: tuple[str, ...] | list[str] = BODY,
    charset: str | None = "utf-8",
    site: str = "Harbour Gazette",
    extra_head: str = "",
) -> str:
    """A classic article page: nav, headline, byline, body, share bar, related links, readers' comments."""
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head>{meta}
<title>{escape(headline)} | {escape(site)}</title>
<meta property="og:title" content="{escape(headline)}">
<meta property="og:site_name" content="{escape(site)}">
<meta property="article:published_time" content="2024-08-13T09:30:00Z">
<meta name="author" content="Jane Doe">
{extra_head}
</head><body>
{_nav()}
<main><article>
<h1>{escape(headline)}</h1>
<p class="byline">By Jane Doe · 13 August 2024</p>
{_paragraphs(body)}
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
</article>
{_related()}
{_comments()}
</main>
<footer><p>© 2024 {escape(site)}. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


def json_ld_page(headline: str = "Council Approves New Bridge Over the River") -> str:
    """Metadata only in JSON-LD (an @graph with a NewsArticle, two authors and a publisher), no OpenGraph."""
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Ignored Site Name", "url": "https://example.com/"},
            {
                "@type": "NewsArticle",
                "headline": headline,
                "datePublished": "2023-03-05T18:00:00+01:00",
                "author": [{"@type": "Person", "name": "Ana Lima"}, {"@type": "Person", "name": "Ben Ode"}],
                "publisher": {"@type": "Organization", "name": "River Times"},
            },
        ],
    }
    body = (
        "The city council approved a new bridge over the river on Monday by a vote of seven to two.",
        "“This bridge will cut the commute in half for thousands of people,” said councillor Ruth Park.",
        "Construction is expected to start next spring and to last about eighteen months, officials said.",
        "Opponents argued that the money would be better spent on repairing the existing roads.",
    )
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Bridge story</title>
<script type="application/ld+json">{json.dumps(data)}</script>
<script type="application/ld+json">{{ this is not json </script>
</head><body>{_nav()}<div class="content"><h1>{escape(headline)}</h1>{_paragraphs(body)}</div>
{_related()}</body></html>"""


def amp_page(headline: str = "Library Opens Late on Weekdays") -> str:
    """An AMP page: amp-specific markup, inline amp styles, amp-img, amp-analytics, a canonical link."""
    body = (
        "The central library will stay open until nine in the evening on weekdays from next month.",
        "“People asked for it and we listened,” said Omar Haddad, who heads the city's libraries.",
        "The longer hours will be paid for by moving two staff from the archive to the reading rooms.",
    )
    return f"""<!doctype html><html ⚡ lang="en"><head><meta charset="utf-8">
<link rel="canonical" href="https://example.org/library-hours">
<meta name="viewport" content="width=device-width,minimum-scale=1">
<style amp-boilerplate>body{{visibility:hidden}}</style>
<script async src="https://cdn.ampproject.org/v0.js"></script>
<title>{escape(headline)}</title>
<meta property="og:site_name" content="City Post">
</head><body>
<amp-analytics type="gtag"><script type="application/json">{{"vars": {{}}}}</script></amp-analytics>
<header class="amp-header"><a href="/">City Post</a></header>
<article class="amp-article"><h1>{escape(headline)}</h1>
<amp-img src="/lib.jpg" width="600" height="400" layout="responsive" alt="The library"></amp-img>
{_paragraphs(body)}
</article>
{_related()}
</body></html>"""


def login_page() -> str:
    """A login wall: a teaser line and a password form, no article."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Subscribe | Daily Paper</title></head>
<body>{_nav()}<h1>Subscribers only</h1><p>Log in to keep reading.</p>
<form action="/login" method="post"><input type="email" name="email"><input type="password" name="password">
<button>Sign in</button></form></body></html>"""


def links_page() -> str:
    """A section front: only headlines linking elsewhere."""
    items = "".join(f"<li><a href='/s/{n}'>Story number {n} about the town</a></li>" for n in range(30))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>News</title></head>
<body>{_nav()}<h1>Latest news</h1><ul>{items}</ul></body></html>"""
