"""Turn what a check found into Events with stable ids (the same change always gets one id)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from monitor.config import SourceConfig
from monitor.diff import diff_blocks
from monitor.models import Event, EventType, Page

OPENING_BLOCKS = 3
OPENING_CHARS = 600


def event_id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:32]


def _document_fields(page: Page) -> dict[str, Any]:
    return {"doc_type": page.doc_type, "published": page.published}


def new_document(source: SourceConfig, url: str, page: Page, now: datetime) -> Event:
    """A document we had never seen, found after the source's baseline."""
    opening = "\n\n".join(page.blocks[:OPENING_BLOCKS])[:OPENING_CHARS]
    return Event(
        id=event_id(EventType.NEW_DOCUMENT, url),
        type=EventType.NEW_DOCUMENT,
        source=source.name,
        agency=source.agency,
        url=url,
        title=page.title,
        detected_at=now,
        payload={**_document_fields(page), "opening": opening, "locations": [url]},
    )


def document_changed(
    source: SourceConfig,
    url: str,
    page: Page,
    old_blocks: Sequence[str],
    versions: tuple[int, int],
    fingerprints: tuple[str, str],
    now: datetime,
) -> Event:
    """The article text changed: carries a line diff and the changed passages word by word."""
    before, after = versions
    diff = diff_blocks(old_blocks, page.blocks, f"version {before}", f"version {after}")
    return Event(
        id=event_id(EventType.DOCUMENT_CHANGED, url, after, *fingerprints),
        type=EventType.DOCUMENT_CHANGED,
        source=source.name,
        agency=source.agency,
        url=url,
        title=page.title,
        detected_at=now,
        payload={
            **_document_fields(page),
            "from_version": before,
            "to_version": after,
            **diff.as_json(),
        },
    )
