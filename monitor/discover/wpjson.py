"""``wp-json``: the WordPress REST API (``/wp-json/wp/v2/<type>?per_page=100``)."""

from __future__ import annotations

import json
from typing import Any

from monitor.config import SourceConfig
from monitor.discover import DiscoverContext, Discovery, register
from monitor.discover.index import IndexReader, Post
from monitor.text.article import html_text

JSON_TYPES = ("application/json",)


@register("wp-json")
async def discover_wp_json(source: SourceConfig, context: DiscoverContext) -> Discovery:
    reader = IndexReader(source, context, keep_validators=True)
    for url in source.targets:
        result = await reader.read(url, JSON_TYPES)
        if result is None:
            continue
        try:
            posts = json.loads(result.body)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
            reader.errors.append(f"{url}: not JSON ({exc})")
            continue
        if not isinstance(posts, list):
            reader.errors.append(f"{url}: expected a list of posts, got {type(posts).__name__}")
            continue
        for post in posts:
            if isinstance(post, dict):
                reader.offer_post(url, _str(post.get("link")), _post(post))
    return reader.discovery()


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
