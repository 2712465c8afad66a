"""``listing``: an HTML index of links (press-release pages), read over a few pages."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.config import SourceConfig
from monitor.extract import decode_html
from monitor.fetch import HTML_TYPES
from monitor.sources import DiscoverContext, Discovery, register
from monitor.sources.index import IndexReader

# Link texts that say nothing about the document: worth one fetch to read its title.
VAGUE = re.compile(
    r"^(?:read more|learn more|more|read the (?:full )?\w+|full (?:text|statement|story)|"
    r"continue reading|click here|here|details|view|download|link)\W*$",
    re.IGNORECASE,
)


def page_urls(base: str, source: SourceConfig) -> list[str]:
    """The first page is the configured URL; later ones follow ``paginate``."""
    urls = [base]
    if source.paginate:
        root = base if base.endswith("/") or source.paginate.startswith("?") else base + "/"
        for number in range(source.first_page + 1, source.first_page + source.pages):
            urls.append(urljoin(root, source.paginate.format(n=number)))
    return urls


@register("listing")
async def discover_listing(source: SourceConfig, context: DiscoverContext) -> Discovery:
    reader = IndexReader(source, context)
    for base in source.targets:
        for url in page_urls(base, source):
            result = await reader.read(url, HTML_TYPES)
            if result is not None:
                tree = LexborHTMLParser(decode_html(result.body, result.encoding))
                _collect(reader, result.final_url or url, tree, source.item_selector)
    return reader.discovery()


def _collect(
    reader: IndexReader, base: str, tree: LexborHTMLParser, item_selector: str | None
) -> None:
    items = tree.css(item_selector) if item_selector else tree.css("a[href]")
    for item in items:
        link = item if item.tag == "a" else item.css_first("a[href]")
        if link is None:
            continue
        text = item.text(separator=" ", strip=True)
        link_text = link.text(separator=" ", strip=True)
        vague = bool(VAGUE.match(link_text)) or (
            item_selector is not None and len(text.split()) < 3
        )
        reader.offer(base, link.attributes.get("href"), [text, _title(link)], vague)


def _title(link: LexborNode) -> str | None:
    return link.attributes.get("title") or link.attributes.get("aria-label")
