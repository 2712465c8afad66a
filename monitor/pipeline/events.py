"""Every Event is built here, with a stable id (the same change always gets one id).

The pipeline's events, the commitment events of a version and of the documents reporting on
it, the one-off test alert of ``notify-test``, and events read back from the store or from
``--json`` (delivery, the web view's summaries).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from monitor.config import SourceConfig
from monitor.models import Event, EventType, Page
from monitor.text.textdiff import diff_blocks

if TYPE_CHECKING:
    from monitor.commitments import Item
    from monitor.commitments.diff import ItemChange
    from store.queries import Row
    from store.tables import Commitment, Document, EventRecord

# What a new document's report on an earlier commitment is news of, by the link's relation.
LINK_EVENTS = {
    "fulfilled": EventType.COMMITMENT_FULFILLED,
    "progressed": EventType.COMMITMENT_PROGRESSED,
}
NOTIFY_TEST = "notify_test"  # not an EventType: never recorded, never filtered on

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


def commitment_changed(
    source: SourceConfig, document: Document, change: ItemChange, now: datetime
) -> Event:
    """One commitment added, removed or changed by the version that follows ``document``'s
    latest (its id names that version's number)."""
    from monitor.commitments.diff import fingerprint  # only imported when there is such news

    item = change.after or change.before
    assert item is not None
    version = document.version_count + 1
    return Event(
        id=event_id(change.type, document.url, version, fingerprint(item)),
        type=change.type,
        source=source.name,
        agency=source.agency,
        url=document.current_url or document.url,
        title=document.title,
        detected_at=now,
        payload={"commitment": item.as_json(), **change.as_json()},
    )


def commitment_reported(
    source: SourceConfig,
    page: tuple[str, str],
    commitment: tuple[Commitment, Document],
    report: Item,
    relation: str,
    now: datetime,
) -> Event:
    """A new document (``page``: its address and title) reports on an earlier commitment."""
    url, title = page
    row, doc = commitment
    assert row.id is not None
    kind = LINK_EVENTS[relation]
    return Event(
        id=event_id(kind, row.id, url),
        type=kind,
        source=source.name,
        agency=source.agency,
        url=url,
        title=title,
        detected_at=now,
        payload={
            "commitment": row.sentence,
            "committed_in": doc.current_url or doc.url,
            "committed_in_title": doc.title,
            "report": report.sentence,
            "relation": relation,
        },
    )


def notify_test(now: datetime) -> Event:
    """The alert ``notify-test`` sends to every channel (never recorded)."""
    return Event(
        id="notify-test",
        type=NOTIFY_TEST,
        source="notify-test",
        agency="hled-monitor",
        url="https://github.com/hled-monitor/hled-monitor",
        title="hled-monitor can reach this channel",
        detected_at=now,
        payload={"note": "A test message from `python -m monitor notify-test`."},
    )


def from_record(record: EventRecord | Row) -> Event:
    """An event as the store recorded it: a table row (the outbox sends these) or a row of the
    web view's queries, which read the same columns."""
    return Event(
        id=record.id,
        type=record.type,
        source=record.source,
        agency=record.agency,
        url=record.url,
        title=record.title,
        detected_at=record.detected_at,
        payload=dict(record.payload or {}),
    )


RECORD_FIELDS = ("type", "id", "source", "agency", "url", "title", "detected_at", "document_id")


def from_json(record: dict[str, Any]) -> Event:
    """An event from its JSON form (``--json``, the API): every other key is its payload."""
    return Event(
        id=record["id"],
        type=record["type"],
        source=record["source"],
        agency=record["agency"],
        url=record["url"],
        title=record["title"],
        detected_at=datetime.fromisoformat(record["detected_at"]),
        payload={k: v for k, v in record.items() if k not in RECORD_FIELDS},
    )
