"""Record a document's outcome: the one place a document check writes to the store."""

from __future__ import annotations

from datetime import datetime

from monitor.models import EventType
from monitor.pipeline.context import CheckContext
from monitor.pipeline.outcome import (
    CommitmentWrite,
    DocumentOutcome,
    DocumentWrite,
    LedgerChanges,
    LinkVerdict,
    MarkSeen,
    RememberValidators,
    SaveVersion,
)
from monitor.pipeline.target import commitment_step


def record_outcome(outcome: DocumentOutcome, context: CheckContext, where: tuple[str, str]) -> None:
    """Write ``outcome``: marks, then the document with its events, then its commitments.

    ``where`` names the document in the commitment stage's log (source, address).
    """
    if outcome.at is None:
        return  # nothing decided, nothing to write
    store, at = context.store, outcome.at
    for mark in outcome.marks:
        if isinstance(mark, RememberValidators):
            store.remember_validators(mark.url, mark.validators, at)
        elif isinstance(mark, LinkVerdict):
            store.save_link_verdict(mark.url, mark.matched, at)
    if outcome.write is None:
        return
    document_id = _write(outcome.write, outcome, context)
    if outcome.new:  # a copy found later in this pass is news, for the same channels
        (announcement,) = [r for r in outcome.events if r.event.type == EventType.NEW_DOCUMENT]
        context.announced[document_id] = announcement.channels
    if outcome.commitments is not None:
        write = outcome.commitments
        commitment_step(where, "recorded", lambda: _ledger(write, document_id, context, at), None)


def _write(write: DocumentWrite, outcome: DocumentOutcome, context: CheckContext) -> int:
    """The document's write with its events, in one transaction; the document's id."""
    store, events = context.store, outcome.events
    assert outcome.at is not None
    if isinstance(write, SaveVersion):
        document = store.save_version(
            write.new, outcome.at, events, write.update, document_id=write.document_id
        )
        assert document.id is not None
        return document.id
    if isinstance(write, MarkSeen):
        store.mark_seen(write.document_id, write.location, write.validators, outcome.at,
                        write.update, events)  # fmt: skip
        return write.document_id
    store.update_document(write.document_id, outcome.at, write.update, events, write.location)
    return write.document_id


def _ledger(write: CommitmentWrite, document_id: int, context: CheckContext, at: datetime) -> None:
    from monitor.commitments.diff import entry, fingerprint, ledger_change  # loaded: there is news

    store = context.store
    if isinstance(write, LedgerChanges):
        if store.ledger(document_id):  # else filled when first needed
            store.apply_changes(document_id, [ledger_change(c) for c in write.changes], at)
        return
    store.put_ledger(document_id, [entry(item) for item in write.items], at)
    for commitment_id, link, relation in write.links:
        store.add_link(commitment_id, link, relation)
    for index, link, relation in write.later:  # older documents found later, reporting on this
        store.add_item_link(document_id, fingerprint(write.items[index]), link, relation)
