"""``listing``: an HTML index of links (press-release pages), read over a few pages.

A listing that answers 200 but is a bot challenge, or whose first page no longer has anything
``item_selector`` selects (the layout changed), is a failure of the source, not an empty week:
it counts toward ``source_error`` like any other failure.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.config import SourceConfig
from monitor.discover import DiscoverContext, Discovery, register
from monitor.discover.index import IndexReader
from monitor.errors import ExtractError
from monitor.fetch.client import HTML_TYPES
from monitor.text.article import decode_html, parse_html, reject_soft_failure

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
        for number in range(source.first_page + 1, source.first_page + source.pages):
            urls.append(_page_url(base, source.paginate.format(n=number)))
    return urls


def _page_url(base: str, suffix: str) -> str:
    if suffix.startswith("?"):  # keep the listing's own filters: ?type=x becomes ?type=x&page=2
        parts = urlsplit(base)
        query = "&".join(filter(None, (parts.query, suffix[1:])))
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    return urljoin(base if base.endswith("/") else base + "/", suffix)


@register("listing")
async def discover_listing(source: SourceConfig, context: DiscoverContext) -> Discovery:
    reader = IndexReader(source, context)
    for base in source.targets:
        await _read_pages(reader, base, source)
    return reader.discovery()


async def _read_pages(reader: IndexReader, base: str, source: SourceConfig) -> None:
    """Read one listing's pages in order; stop at the first failure or past the last page."""
    for number, url in enumerate(page_urls(base, source)):
        errors = len(reader.errors)
        result = await reader.read(url, HTML_TYPES)
        if len(reader.errors) > errors:
            return  # the next pages of a failing listing would only fail the same way
        if result is None:
            continue  # 304: unchanged since the last good check
        try:
            tree = parse_html(decode_html(result.body, result.encoding))
            reject_soft_failure(tree)  # a challenge page answers 200 but lists nothing
        except ExtractError as exc:
            reader.errors.append(f"{url}: {exc}")
            return
        items = _items(tree, source.item_selector)
        if not items:
            if number == 0 and source.item_selector:  # later pages: past the end of the listing
                reader.errors.append(
                    f'{url}: item_selector "{source.item_selector}" matched nothing: '
                    "has the page layout changed?"
                )
            return
        _collect(reader, result.final_url or url, items, source.item_selector is not None)


def _items(tree: LexborHTMLParser, item_selector: str | None) -> list[LexborNode]:
    return list(tree.css(item_selector) if item_selector else tree.css("a[href]"))


def _collect(reader: IndexReader, base: str, items: list[LexborNode], selected: bool) -> None:
    for item in items:
        link = item if item.tag == "a" else item.css_first("a[href]")
        if link is None:
            continue
        text = item.text(separator=" ", strip=True)
        link_text = link.text(separator=" ", strip=True)
        vague = bool(VAGUE.match(link_text)) or (selected and len(text.split()) < 3)
        reader.offer(base, link.attributes.get("href"), [text, _title(link)], vague)


def _title(link: LexborNode) -> str | None:
    return link.attributes.get("title") or link.attributes.get("aria-label")
