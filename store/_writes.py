"""Row-level helpers shared by the store's operations (each runs inside a caller's transaction)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from sqlmodel import Session

from monitor.models import Event, Validators
from store.models import Delivery, EventRecord, HttpCache

ChannelSelector = Callable[[Event], Sequence[str]]


def put_validators(session: Session, url: str, validators: Validators, now: datetime) -> None:
    row = session.get(HttpCache, url) or HttpCache(url=url, updated_at=now)
    row.etag, row.last_modified, row.updated_at = validators.etag, validators.last_modified, now
    session.add(row)


def add_events(
    session: Session,
    events: Iterable[Event],
    channels: ChannelSelector,
    now: datetime,
    document_id: int | None,
) -> None:
    """Insert events not seen before, each with one pending delivery per selected channel."""
    for event in events:
        if session.get(EventRecord, event.id) is not None:
            continue  # a stable id seen before: re-running never duplicates
        session.add(
            EventRecord(
                id=event.id,
                type=event.type,
                source=event.source,
                agency=event.agency,
                url=event.url,
                title=event.title,
                document_id=document_id,
                payload=event.payload,
                detected_at=event.detected_at,
            )
        )
        session.flush()  # the delivery rows reference the event
        for channel in channels(event):
            session.add(Delivery(event_id=event.id, channel=channel, next_attempt_at=now))
