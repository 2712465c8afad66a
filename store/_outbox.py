"""The outbox half of the store: delivery rows, claimed, sent, retried or failed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from store.db import Part
from store.tables import Delivery, EventRecord


class OutboxStore(Part):
    def due_deliveries(self, now: datetime, channels: Sequence[str]) -> list[Delivery]:
        with self.session() as session:
            return list(session.exec(_due(now, channels)))

    def claim_deliveries(
        self,
        now: datetime,
        channels: Sequence[str],
        lease: timedelta,
        horizon: timedelta | None = None,
    ) -> list[Delivery]:
        """Take the due deliveries of ``channels`` for ``lease``; other replicas skip them.

        On PostgreSQL the rows are locked with SKIP LOCKED while the lease is written, so two
        replicas never claim the same row. A process that dies mid-send loses its lease, and the
        row becomes due again when the lease ends. A row waiting longer than ``horizon`` from
        now (the longest wait the retry policy sets, e.g. an uncapped Retry-After written by an
        older version) is due too.
        """
        with self.session() as session, session.begin():
            query = _due(now, channels, horizon).with_for_update(skip_locked=True)
            rows = list(session.exec(query))
            for row in rows:
                row.next_attempt_at = now + lease
                session.add(row)
        return rows

    def pending_count(self) -> int:
        with self.session() as session:
            query = (
                select(sa.func.count()).select_from(Delivery).where(Delivery.status == "pending")
            )
            return int(session.exec(query).one())

    def event_records(self, ids: Sequence[str]) -> dict[str, EventRecord]:
        with self.session() as session:
            rows = session.exec(select(EventRecord).where(col(EventRecord.id).in_(ids)))
            return {row.id: row for row in rows}

    def mark_sent(self, delivery_ids: Sequence[int], now: datetime) -> None:
        with self.session() as session, session.begin():
            session.execute(
                sa.update(Delivery)
                .where(col(Delivery.id).in_(delivery_ids))
                .values(status="sent", sent_at=now, attempts=Delivery.attempts + 1, last_error=None)
            )

    def mark_failed(
        self, delivery_ids: Sequence[int], now: datetime, error: str, retry_in: timedelta | None
    ) -> None:
        """Record a failed attempt; ``retry_in=None`` means the failure is permanent."""
        values: dict[str, object] = {"attempts": Delivery.attempts + 1, "last_error": error[:500]}
        if retry_in is None:
            values["status"] = "failed"
        else:
            values["next_attempt_at"] = now + retry_in
        with self.session() as session, session.begin():
            session.execute(
                sa.update(Delivery).where(col(Delivery.id).in_(delivery_ids)).values(**values)
            )

    def postpone_deliveries(self, delivery_ids: Sequence[int], until: datetime) -> None:
        """Give claimed but unattempted deliveries a later turn, without counting an attempt."""
        with self.session() as session, session.begin():
            session.execute(
                sa.update(Delivery)
                .where(col(Delivery.id).in_(delivery_ids), col(Delivery.status) == "pending")
                .values(next_attempt_at=until)
            )

    def deliveries(self, status: str | None = None) -> list[Delivery]:
        with self.session() as session:
            query = select(Delivery).order_by(col(Delivery.id))
            if status is not None:
                query = query.where(Delivery.status == status)
            return list(session.exec(query))


def _due(now: datetime, channels: Sequence[str], horizon: timedelta | None = None):  # type: ignore[no-untyped-def]
    when = col(Delivery.next_attempt_at) <= now
    if horizon is not None:
        when = sa.or_(when, col(Delivery.next_attempt_at) > now + horizon)
    return (
        select(Delivery)
        .where(Delivery.status == "pending", when, col(Delivery.channel).in_(channels))
        .order_by(col(Delivery.id))
    )
