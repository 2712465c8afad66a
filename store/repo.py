"""The store's API: a few intent-named operations over the tables in ``store.tables``.

``Store`` joins themed parts: source state and HTTP validators (here), documents with their
locations and versions (``store._documents``), the commitment ledger (``store._ledger``), and
the alert outbox (``store._outbox``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from monitor.errors import StoreMissing
from monitor.models import Routed, Validators
from store._documents import DocumentStore, NewVersion
from store._ledger import LedgerStore
from store._outbox import OutboxStore
from store._values import DocumentUpdate, Openings
from store._writes import RecordedListener, add_events, listen_recorded, put_validators
from store.db import create_engine, holds_store, migrate, safe_url
from store.tables import EventRecord, HttpCache, LinkVerdict, SourceState

__all__ = ["DocumentUpdate", "NewVersion", "Openings", "Store"]


class Store(DocumentStore, LedgerStore, OutboxStore):
    def __init__(self, url: str, *, create: bool = True) -> None:
        """Open (and migrate) the store; with ``create=False`` a missing one raises StoreMissing
        and nothing is created: read-only commands never leave an empty database behind."""
        if not create and not holds_store(url):
            raise StoreMissing(safe_url(url))
        self.engine = create_engine(url)
        migrate(self.engine)

    def close(self) -> None:
        listen_recorded(self.engine, None)
        self.engine.dispose()

    def on_recorded(self, listener: RecordedListener | None) -> None:
        """Hear of new events as soon as they are committed (``check --json`` streams them)."""
        listen_recorded(self.engine, listener)

    # -- sources and HTTP validators ------------------------------------------------------------

    def source_state(self, name: str) -> SourceState:
        with self.session() as session:
            return session.get(SourceState, name) or SourceState(name=name)

    def update_source(self, name: str, now: datetime, error: str | None) -> SourceState:
        """Record one check's outcome for a source; return the state before it."""
        with self.session() as session, session.begin():
            state = session.get(SourceState, name) or SourceState(name=name)
            before = SourceState.model_validate(state.model_dump())
            for column, value in check_outcome(now, error, state.consecutive_failures).items():
                setattr(state, column, value)
            session.add(state)
        return before

    def set_error_reported(
        self,
        name: str,
        events: Iterable[Routed] = (),
        now: datetime | None = None,
    ) -> None:
        """Mark the failure streak as alerted, together with the alert, atomically."""
        with self.session() as session, session.begin():
            state = session.get(SourceState, name)
            if state is not None:
                state.error_reported = True
                session.add(state)
            if now is not None:
                add_events(session, events, now, None)

    def validators(self, url: str) -> Validators:
        with self.session() as session:
            row = session.get(HttpCache, url)
        return Validators(row.etag, row.last_modified) if row else Validators()

    def asked(self, urls: Sequence[str]) -> dict[str, datetime]:
        """When each of ``urls`` was last asked and remembered (validators, or a 404 tried)."""
        with self.session() as session:
            query = select(HttpCache.url, HttpCache.updated_at).where(col(HttpCache.url).in_(urls))
            return dict(session.exec(query).all())

    def remember_validators(self, url: str, validators: Validators, now: datetime) -> None:
        with self.session() as session, session.begin():
            put_validators(session, url, validators, now)

    def link_verdict(self, url: str) -> bool | None:
        with self.session() as session:
            row = session.get(LinkVerdict, url)
        return row.matched if row else None

    def save_link_verdict(self, url: str, matched: bool, now: datetime) -> None:
        with self.session() as session, session.begin():
            row = session.get(LinkVerdict, url) or LinkVerdict(
                url=url, matched=matched, checked_at=now
            )
            row.matched, row.checked_at = matched, now
            session.add(row)

    # -- events ----------------------------------------------------------------------------------

    def events(self) -> list[EventRecord]:
        with self.session() as session:
            return list(session.exec(select(EventRecord).order_by(col(EventRecord.detected_at))))

    def known_events(self, ids: Iterable[str]) -> set[str]:
        with self.session() as session:
            query = select(EventRecord.id).where(col(EventRecord.id).in_(list(ids)))
            return set(session.exec(query))

    def record_events(self, events: Iterable[Routed], now: datetime) -> None:
        with self.session() as session, session.begin():
            add_events(session, events, now, None)


def check_outcome(now: datetime, error: str | None, failures: int) -> dict[str, Any]:
    """The source_state columns one check's outcome sets (``failures``: the streak so far)."""
    if error is None:
        return {
            "last_checked_at": now,
            "baseline_done": True,
            "last_ok_at": now,
            "consecutive_failures": 0,
            "last_error": None,
            "error_reported": False,
        }
    return {"last_checked_at": now, "consecutive_failures": failures + 1, "last_error": error}
