"""Entity declarations are refused even in feeds too malformed for the strict XML parser."""

from __future__ import annotations

import pytest

from monitor.discover.xmlsafety import UnsafeXML, refuse_entities

LAUGHS = '<!ENTITY a0 "lol">' + "".join(
    f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
)
XXE = '<!ENTITY x SYSTEM "file:///etc/passwd">'


def feed(prefix: str, entities: str, reference: str) -> bytes:
    return (
        f'{prefix}<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
        f"<item><title>HLED {reference}</title><link>https://x.gov/a</link></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize("prefix", ["", "junk before the declaration ", "\n<!-- -->"])
@pytest.mark.parametrize(("entities", "reference"), [(LAUGHS, "&a9;"), (XXE, "&x;")])
def test_declarations_are_refused_malformed_or_not(
    prefix: str, entities: str, reference: str
) -> None:
    with pytest.raises(UnsafeXML, match="declares entities"):
        refuse_entities(feed(prefix, entities, reference))


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>A &amp; B</title></channel></rss>',
        b"<html><body>not a feed at all</body></html",
        b"",
    ],
)
def test_feeds_without_declarations_pass(body: bytes) -> None:
    refuse_entities(body)  # malformed ones are feedparser's to report


def test_feedparser_itself_never_expands_what_slips_through() -> None:
    """Our second line of defence, pinned: the lenient parser leaves references unexpanded."""
    import feedparser

    parsed = feedparser.parse(feed("junk ", LAUGHS, "&a9;"), sanitize_html=False)
    assert [len(entry.get("title", "")) for entry in parsed.entries] == [len("HLED &a9;")]
