"""``feed``: RSS 2.0 and Atom, parsed by feedparser after a defusedxml safety check."""

from __future__ import annotations

from typing import Any

from monitor.config import SourceConfig
from monitor.discover import DiscoverContext, Discovery, register
from monitor.discover.index import IndexReader, Post
from monitor.discover.xmlsafety import UnsafeXML, refuse_entities
from monitor.text.article import html_text

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)


@register("feed")
async def discover_feed(source: SourceConfig, context: DiscoverContext) -> Discovery:
    import feedparser  # imported when a feed is read: it is slow to import

    reader = IndexReader(source, context, keep_validators=True)
    for url in source.targets:
        result = await reader.read(url, FEED_TYPES)
        if result is None:
            continue
        try:
            refuse_entities(result.body)
        except UnsafeXML as exc:
            reader.errors.append(f"{url}: {exc}")
            continue
        parsed = feedparser.parse(result.body, resolve_relative_uris=False, sanitize_html=False)
        if parsed.bozo and not parsed.entries:
            reader.errors.append(f"{url}: not a readable feed ({parsed.bozo_exception})")
            continue
        for entry in parsed.entries:
            reader.offer_post(url, entry.get("link"), _post(entry))
    return reader.discovery()


def _post(entry: Any) -> Post:
    """Title and summary, and the full body when the feed carries it (``content:encoded``)."""
    bodies = [str(content.get("value") or "") for content in entry.get("content", ())]
    return Post(entry.get("title"), html_text(entry.get("summary")), "".join(bodies) or None)
