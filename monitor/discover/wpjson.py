"""``wp-json``: the WordPress REST API (``/wp-json/wp/v2/<type>?per_page=100``)."""

from __future__ import annotations

import json
from typing import Any

from monitor.config import SourceConfig
from monitor.discover.index import Post, UnreadableIndex, discover_posts
from monitor.discover.kinds import DiscoverContext, Discovery, register
from monitor.text.article import html_text

JSON_TYPES = ("application/json",)


@register("wp-json")
async def discover_wp_json(source: SourceConfig, context: DiscoverContext) -> Discovery:
    return await discover_posts(source, context, JSON_TYPES, _posts)


def _posts(body: bytes) -> list[tuple[str | None, Post]]:
    try:
        posts = json.loads(body)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
        raise UnreadableIndex(f"not JSON ({exc})") from None
    if not isinstance(posts, list):
        raise UnreadableIndex(f"expected a list of posts, got {type(posts).__name__}")
    return [(_str(post.get("link")), _post(post)) for post in posts if isinstance(post, dict)]


def _post(post: dict[str, Any]) -> Post:
    content = post.get("content")
    html = content.get("rendered") if isinstance(content, dict) else content
    body = html if isinstance(html, str) and html else None
    return Post(_rendered(post.get("title")), _rendered(post.get("excerpt")), body)


def _rendered(field: Any) -> str | None:
    html = field.get("rendered") if isinstance(field, dict) else field
    return html_text(html) if isinstance(html, str) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
