"""Feeds and sitemaps that declare entities are refused before anything reads them."""

from __future__ import annotations

import pytest

from store.repo import Store
from tests.conftest import Clock, make_settings
from tests.fakesite import FakeSite
from tests.unit.discover.test_discovery import check

SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
# The XML payloads: an external entity (XXE) and nested entities (billion laughs).
XXE_DTD = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
LAUGHS_DTD = (
    '<!DOCTYPE r [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def rss(dtd: str, title: str) -> str:
    return (f'<?xml version="1.0"?>{dtd}<rss version="2.0"><channel><item><title>{title}</title>'
            "<link>https://www.whitehouse.gov/hled/</link></item></channel></rss>")  # fmt: skip


def urlset(dtd: str, loc: str) -> str:
    return f'<?xml version="1.0"?>{dtd}<urlset {SITEMAP_NS}><url><loc>{loc}</loc></url></urlset>'


@pytest.mark.parametrize(("dtd", "entity"), [(XXE_DTD, "&x;"), (LAUGHS_DTD, "&lol9;")])
def test_a_feed_with_entities_is_refused_unfollowed(
    store: Store, clock: Clock, dtd: str, entity: str
) -> None:
    site = FakeSite({"/feed/": ("application/rss+xml", rss(dtd, f"HLED {entity}"))})
    source = {"name": "wh", "agency": "White House", "kind": "feed",
              "url": "https://www.whitehouse.gov/feed/"}  # fmt: skip
    result = check(make_settings(source), store, site, clock)
    assert "declares entities" in result.reports[0].errors[0]
    assert site.requests == ["/feed/"]
    assert store.documents() == []


@pytest.mark.parametrize(("dtd", "entity"), [(XXE_DTD, "&x;"), (LAUGHS_DTD, "&lol9;")])
def test_a_sitemap_with_entities_is_refused_unfollowed(
    store: Store, clock: Clock, dtd: str, entity: str
) -> None:
    loc = f"https://www.state.gov/hled-{entity}/"
    site = FakeSite({"/sitemap.xml": ("application/xml", urlset(dtd, loc))})
    source = {"name": "map", "agency": "State", "kind": "sitemap",
              "url": "https://www.state.gov/sitemap.xml"}  # fmt: skip
    result = check(make_settings(source), store, site, clock)
    assert "declares a DTD or entities" in result.reports[0].errors[0]
    assert site.requests == ["/sitemap.xml"]


@pytest.mark.parametrize(
    ("body", "asked"),
    [
        # Cut off: the entries read before the cut are offered (the sitemap is streamed).
        ("<urlset><url><loc>https://www.state.gov/hled/</loc></url>", ["/hled/"]),
        ("<html><body>Sitemap moved</body></html", []),
        ("", []),
    ],
)
def test_a_malformed_sitemap_is_a_source_error(
    store: Store, clock: Clock, body: str, asked: list[str]
) -> None:
    site = FakeSite({"/sitemap.xml": ("application/xml", body)})
    source = {"name": "map", "agency": "State", "kind": "sitemap",
              "url": "https://www.state.gov/sitemap.xml"}  # fmt: skip
    result = check(make_settings(source), store, site, clock)
    assert "not a readable sitemap" in result.reports[0].errors[0]
    assert site.requests == ["/sitemap.xml", *asked]
