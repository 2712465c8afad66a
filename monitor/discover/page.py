"""``page``: the configured URLs are the documents; no keyword filter."""

from __future__ import annotations

from monitor.config import SourceConfig
from monitor.discover import Candidate, DiscoverContext, Discovery, register


@register("page")
async def discover_pages(source: SourceConfig, context: DiscoverContext) -> Discovery:
    return Discovery(candidates=tuple(Candidate(url=url) for url in source.targets))
