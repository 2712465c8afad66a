"""``feed``: RSS 2.0 and Atom, parsed by feedparser after a defusedxml safety check."""

from __future__ import annotations

from typing import Any

from monitor.config import SourceConfig
from monitor.discover.index import Post, UnreadableIndex, discover_posts
from monitor.discover.kinds import DiscoverContext, Discovery, register
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
    return await discover_posts(source, context, FEED_TYPES, _posts)


def _posts(body: bytes) -> list[tuple[str | None, Post]]:
    import feedparser  # imported when a feed is read: it is slow to import

    try:
        refuse_entities(body)
    except UnsafeXML as exc:
        raise UnreadableIndex(str(exc)) from None
    parsed = feedparser.parse(body, resolve_relative_uris=False, sanitize_html=False)
    if parsed.bozo and not parsed.entries:
        raise UnreadableIndex(f"not a readable feed ({parsed.bozo_exception})")
    return [(entry.get("link"), _post(entry)) for entry in parsed.entries]


def _post(entry: Any) -> Post:
    """Title and summary, and the full body when the feed carries it (``content:encoded``)."""
    bodies = [str(content.get("value") or "") for content in entry.get("content", ())]
    return Post(entry.get("title"), html_text(entry.get("summary")), "".join(bodies) or None)
