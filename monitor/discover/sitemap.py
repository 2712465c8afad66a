"""``sitemap``: XML sitemaps and sitemap indexes; URLs are matched on their slug.

Sitemaps carry no titles, so a URL is kept when its path spells a keyword
(``/u-s-mexico-high-level-economic-dialogue/``). Of an index, the ``pages`` most recently
modified child sitemaps are read.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from monitor.config import SourceConfig
from monitor.discover import DiscoverContext, Discovery, register
from monitor.discover.index import IndexReader

SITEMAP_TYPES = ("application/xml", "text/xml", "application/x-xml")


@register("sitemap")
async def discover_sitemap(source: SourceConfig, context: DiscoverContext) -> Discovery:
    reader = IndexReader(source, context, keep_validators=True)
    for url in source.targets:
        children = await _read(reader, url)
        for child in _newest(children, source.pages):
            await _read(reader, child)  # an index's children: their <url>s are offered
    return reader.discovery()


async def _read(reader: IndexReader, url: str) -> list[tuple[str, str]]:
    """Offer a sitemap's URLs as they are parsed; return an index's (lastmod, loc) entries.

    The XML is parsed as a stream and every entry dropped once read, so memory stays flat
    however many URLs a sitemap lists (only the candidates kept by the cap stay).
    """
    result = await reader.read(url, SITEMAP_TYPES)
    children: list[tuple[str, str]] = []
    if result is None:
        return children
    try:
        for kind, loc, lastmod in _entries(result.body):
            if kind == "sitemap":
                children.append((lastmod or "", loc))
            else:
                _offer(reader, url, loc)
    except DefusedXmlException as exc:
        reader.errors.append(f"{url}: refused: the XML declares a DTD or entities ({exc})")
    except ParseError as exc:
        reader.errors.append(f"{url}: not a readable sitemap ({exc})")
    return children


def _entries(body: bytes) -> Iterator[tuple[str, str, str | None]]:
    """(url or sitemap, loc, lastmod) of each entry with a <loc>, as the parser reaches it."""
    root: Element | None = None
    for event, element in iterparse(io.BytesIO(body), ("start", "end"), forbid_dtd=True):
        if root is None:
            root = element
        if event != "end" or element is root:
            continue
        kind = _local(element.tag)
        if kind in ("url", "sitemap"):
            loc = _child_text(element, "loc")
            if loc:
                yield kind, loc, _child_text(element, "lastmod")
            root.clear()  # done with what was read so far


def _offer(reader: IndexReader, base: str, loc: str) -> None:
    try:
        slug = unquote(urlsplit(loc).path).replace("/", " ")
    except ValueError:  # a malformed URL: offer() skips it (and says so) if it matches
        slug = loc.replace("/", " ")
    reader.offer(base, loc, [slug], vague=False)


def _newest(entries: list[tuple[str, str]], count: int) -> list[str]:
    return [loc for _, loc in sorted(entries, reverse=True)[:count]]


def _child_text(element: Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name and child.text:
            return child.text.strip()
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
