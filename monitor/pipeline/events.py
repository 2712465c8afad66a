"""Turn what a check found into Events with stable ids (the same change always gets one id)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from monitor.config import SourceConfig
from monitor.models import Event, EventType, Page
from monitor.text.textdiff import diff_blocks

OPENING_BLOCKS = 3
OPENING_CHARS = 600


def event_id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:32]


def _document_fields(page: Page) -> dict[str, Any]:
    return {"doc_type": page.doc_type, "published": page.published}


def cut_at_word(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut between words and marked "…", never mid-word."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > limit // 2:  # a very long "word" (a URL) is cut where it must be
        cut = cut[:space]
    return cut.rstrip(" \n,;:") + "…"


def new_document(
    source: SourceConfig,
    url: str,
    page: Page,
    now: datetime,
    shown_url: str | None = None,
    commitments: list[dict[str, Any]] | None = None,
) -> Event:
    """A document we had never seen, found after the source's baseline.

    ``url`` is its identity (canonical); ``shown_url`` the address people should open.
    """
    opening = cut_at_word("\n\n".join(page.blocks[:OPENING_BLOCKS]), OPENING_CHARS)
    return Event(
        id=event_id(EventType.NEW_DOCUMENT, url),
        type=EventType.NEW_DOCUMENT,
        source=source.name,
        agency=source.agency,
        url=shown_url or url,
        title=page.title,
        detected_at=now,
        payload={
            **_document_fields(page),
            "opening": opening,
            "locations": [shown_url or url],
            "commitments": commitments or [],
        },
    )


def document_changed(
    source: SourceConfig,
    url: str,
    page: Page,
    old_blocks: Sequence[str],
    versions: tuple[int, int],
    fingerprints: tuple[str, str],
    now: datetime,
    commitment_changes: list[dict[str, Any]] | None = None,
    location: str | None = None,
) -> Event:
    """The article text changed: carries a line diff and the changed passages word by word.

    ``location``: where the text changed, when that is not the document's own address (a
    publisher's copy)."""
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
            "commitment_changes": commitment_changes or [],
            **({"location": location} if location else {}),
        },
    )


def _about(
    kind: EventType, source: SourceConfig, url: str, title: str, now: datetime, *key: object
) -> Event:
    return Event(event_id(kind, url, *key), kind, source.name, source.agency, url, title, now)


def document_moved(
    source: SourceConfig, url: str, title: str, old_url: str, new_url: str, now: datetime
) -> Event:
    """The document answers at a new address (a 301/308, or an alias host): history is kept."""
    event = _about(EventType.DOCUMENT_MOVED, source, url, title, now, new_url)
    return replace(event, url=new_url, payload={"previous_url": old_url, "document": url})


def document_removed(
    source: SourceConfig, url: str, title: str, status_code: int | None, now: datetime, since: str
) -> Event:
    event = _about(EventType.DOCUMENT_REMOVED, source, url, title, now, since)
    return replace(event, payload={"status_code": status_code, "note": f"HTTP {status_code}"})


def document_restored(source: SourceConfig, url: str, title: str, now: datetime) -> Event:
    return _about(EventType.DOCUMENT_RESTORED, source, url, title, now, now.isoformat())


def document_also_published(
    source: SourceConfig, url: str, title: str, location: str, locations: list[str], now: datetime
) -> Event:
    """A known document appeared on another publisher's site."""
    event = _about(EventType.DOCUMENT_ALSO_PUBLISHED, source, url, title, now, location)
    return replace(event, payload={"new_location": location, "locations": locations})


def document_mentions(
    source: SourceConfig, url: str, title: str, quote: str, now: datetime
) -> Event:
    """A post that names the HLED only deep in its body: once per address, never tracked."""
    event = _about(EventType.DOCUMENT_MENTIONS, source, url, title, now)
    return replace(event, payload={"quote": quote})


def source_error(
    source: SourceConfig, failures: int, error: str, streak: str, now: datetime
) -> Event:
    event = _about(EventType.SOURCE_ERROR, source, source.targets[0], source.name, now, streak)
    return replace(event, payload={"failures": failures, "error": error})


def source_recovered(source: SourceConfig, failures: int, now: datetime) -> Event:
    event = _about(
        EventType.SOURCE_RECOVERED, source, source.targets[0], source.name, now, now.isoformat()
    )
    return replace(event, payload={"failures": failures})
