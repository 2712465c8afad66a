"""``sitemap``: XML sitemaps and sitemap indexes; URLs are matched on their slug.

Sitemaps carry no titles, so a URL is kept when its path spells a keyword
(``/u-s-mexico-high-level-economic-dialogue/``). Of an index, the ``pages`` most recently
modified child sitemaps are read.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from monitor.config import SourceConfig
from monitor.sources import DiscoverContext, Discovery, register
from monitor.sources.index import IndexReader

SITEMAP_TYPES = ("application/xml", "text/xml", "application/x-xml")


@register("sitemap")
async def discover_sitemap(source: SourceConfig, context: DiscoverContext) -> Discovery:
    reader = IndexReader(source, context)
    for url in source.targets:
        root = await _read(reader, url)
        if root is None:
            continue
        if _local(root.tag) == "sitemapindex":
            for child in _newest(root, source.pages):
                child_root = await _read(reader, child)
                if child_root is not None:
                    _collect(reader, child, child_root)
        else:
            _collect(reader, url, root)
    return reader.discovery()


async def _read(reader: IndexReader, url: str) -> Element | None:
    result = await reader.read(url, SITEMAP_TYPES)
    if result is None:
        return None
    try:
        root: Element = fromstring(result.body, forbid_dtd=True)
        return root
    except DefusedXmlException as exc:
        reader.errors.append(f"{url}: refused: the XML declares a DTD or entities ({exc})")
    except ParseError as exc:
        reader.errors.append(f"{url}: not a readable sitemap ({exc})")
    return None


def _collect(reader: IndexReader, base: str, root: Element) -> None:
    for entry in root:
        loc = _child_text(entry, "loc")
        if loc:
            try:
                slug = unquote(urlsplit(loc).path).replace("/", " ")
            except ValueError:
                slug = ""  # a malformed URL: offer() skips it and says so
            reader.offer(base, loc, [slug], vague=False)


def _newest(index: Element, count: int) -> list[str]:
    entries = [(_child_text(e, "lastmod") or "", _child_text(e, "loc")) for e in index]
    ranked = sorted((entry for entry in entries if entry[1]), reverse=True)
    return [loc for _, loc in ranked[:count] if loc]


def _child_text(element: Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name and child.text:
            return child.text.strip()
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
