"""The ledger half of the store: commitments per document, their status and links."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from monitor.models import LedgerChange, LedgerEntry
from store.db import Part
from store.tables import Commitment, Document


class LedgerStore(Part):
    def ledger(
        self, document_id: int | None = None, pillar: int | None = None, status: str | None = None
    ) -> list[tuple[Commitment, Document]]:
        with self.session() as session:
            query = select(Commitment, Document).join(
                Document, col(Document.id) == col(Commitment.document_id)
            )
            if document_id is not None:
                query = query.where(Commitment.document_id == document_id)
            if pillar is not None:
                query = query.where(Commitment.pillar == pillar)
            if status is not None:
                query = query.where(Commitment.status == status)
            rows = session.exec(query.order_by(col(Commitment.document_id), col(Commitment.id)))
            return [(commitment, document) for commitment, document in rows]

    def documents_without_ledger(self) -> list[Document]:
        with self.session() as session:
            known = select(Commitment.document_id).distinct()
            query = select(Document).where(col(Document.id).not_in(known))
            return list(session.exec(query.order_by(col(Document.id))))

    def put_ledger(self, document_id: int, items: Sequence[LedgerEntry], now: datetime) -> None:
        """Record what a document says now (inserting new items, refreshing known ones)."""
        with self.session() as session, session.begin():
            for item in items:
                row = _row(session, document_id, item.fingerprint)
                row = row or Commitment(document_id=document_id, fingerprint=item.fingerprint,
                                        kind=item.kind, sentence=item.sentence, first_seen_at=now,
                                        last_seen_at=now, status=_status(item))  # fmt: skip
                _fill(row, item, now)
                session.add(row)

    def apply_changes(
        self, document_id: int, changes: Sequence[LedgerChange], now: datetime
    ) -> None:
        """A new version added, removed or changed commitments: keep the ledger in step.

        The fingerprint is a commitment's identity within a document, so a change that lands on
        a fingerprint the document holds already (the same commitment stated twice, in the
        summary and the body) updates that row: one commitment, never a second row.
        """
        with self.session() as session, session.begin():
            for before, after in changes:
                old = _row(session, document_id, before.fingerprint) if before else None
                if after is None:
                    if old is not None:
                        old.status, old.last_seen_at = "removed", now
                        session.add(old)
                    continue
                row = _row(session, document_id, after.fingerprint)
                if row is not None and old is not None and old.id != row.id:
                    old.status, old.last_seen_at = "removed", now  # merged into ``row``
                    session.add(old)
                row = row or old or _new_row(document_id, after, now)
                row.fingerprint = after.fingerprint
                _fill(row, after, now)
                session.add(row)

    def add_item_link(
        self, document_id: int, fingerprint: str, link: dict[str, Any], status: str
    ) -> None:
        """A link on the row of the item ``fingerprint`` in ``document_id`` (once put)."""
        with self.session() as session:
            row = _row(session, document_id, fingerprint)
        if row is not None and row.id is not None:
            self.add_link(row.id, link, status)

    def add_link(self, commitment_id: int, link: dict[str, Any], status: str) -> None:
        with self.session() as session, session.begin():
            row = session.get(Commitment, commitment_id)
            if row is None:
                return
            if link not in row.links:
                row.links = [*row.links, link]
            if status == "fulfilled" or row.status == "open":
                row.status = status
            session.add(row)


def _row(session: Session, document_id: int, print_: str) -> Commitment | None:
    query = select(Commitment).where(
        Commitment.document_id == document_id, Commitment.fingerprint == print_
    )
    return session.exec(query).first()


def _new_row(document_id: int, item: LedgerEntry, now: datetime) -> Commitment:
    return Commitment(document_id=document_id, kind=item.kind, fingerprint="", sentence="",
                      first_seen_at=now, last_seen_at=now, status=_status(item))  # fmt: skip


def _status(item: LedgerEntry) -> str:
    return "open" if item.kind == "commitment" else "reported"


def _fill(row: Commitment, item: LedgerEntry, now: datetime) -> None:
    row.kind, row.sentence = item.kind, item.sentence
    row.actors, row.pillar, row.deadline = list(item.actors), item.pillar, item.deadline
    row.amounts = list(item.amounts)
    row.last_seen_at = now
    if row.status == "removed":
        row.status = _status(item)
