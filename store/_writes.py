"""Row-level helpers shared by the store's operations (each runs inside a caller's transaction)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from monitor.models import Event, Routed, Validators
from store.tables import Delivery, EventRecord, HttpCache

RecordedListener = Callable[[Sequence[Event]], None]

# Who hears of events once their transaction has committed, per engine (one per store): every
# operation opens its own session, and this reaches all of them, the check's batch included.
_LISTENERS: WeakKeyDictionary[sa.Engine, RecordedListener] = WeakKeyDictionary()
_INSERTED = "hled_inserted_events"


def listen_recorded(engine: sa.Engine, listener: RecordedListener | None) -> None:
    """Call ``listener`` with the events each committed transaction on ``engine`` inserted."""
    if listener is None:
        _LISTENERS.pop(engine, None)
    else:
        _LISTENERS[engine] = listener


@sa.event.listens_for(OrmSession, "after_commit")
def _announce(session: OrmSession) -> None:
    inserted = session.info.pop(_INSERTED, None)
    listener = _LISTENERS.get(session.bind) if isinstance(session.bind, sa.Engine) else None
    if inserted and listener is not None:
        listener(inserted)


@sa.event.listens_for(OrmSession, "after_rollback")
def _forget(session: OrmSession) -> None:
    session.info.pop(_INSERTED, None)  # never written: never announced


def put_validators(session: Session, url: str, validators: Validators, now: datetime) -> None:
    row = session.get(HttpCache, url) or HttpCache(url=url, updated_at=now)
    row.etag, row.last_modified, row.updated_at = validators.etag, validators.last_modified, now
    session.add(row)


def add_events(
    session: Session, events: Iterable[Routed], now: datetime, document_id: int | None
) -> None:
    """Insert events not seen before, each with one pending delivery per channel it names."""
    for routed in events:
        event = routed.event
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
        session.info.setdefault(_INSERTED, []).append(event)
        for channel in routed.channels:
            session.add(Delivery(event_id=event.id, channel=channel, next_attempt_at=now))
