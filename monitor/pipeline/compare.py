"""A known location answered with a body: the same text, or a new version of it.

A change is a location's text changing: the diff is against what this location served before
(a version belongs to a location), so two publishers' slightly different copies never look
like edits of each other, and a copy's edit names where it changed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from monitor.models import Event, FetchResult
from monitor.pipeline import events
from monitor.pipeline.context import CheckContext
from monitor.pipeline.outcome import DocumentOutcome, LedgerChanges, MarkSeen, SaveVersion
from monitor.pipeline.resolution import Found, notes_of
from monitor.pipeline.target import Target, commitment_step
from store.repo import NewVersion
from store.tables import Document

if TYPE_CHECKING:
    from monitor.commitments.diff import ItemChange


def compare(
    target: Target, found: Found, result: FetchResult, new: NewVersion, context: CheckContext
) -> DocumentOutcome:
    document, location = found
    assert document.id is not None
    notes, update = notes_of(target, found, result, context)
    now = context.now()
    if location.fingerprint == new.fingerprint:
        where = (target.location, target.candidate.url)
        seen = MarkSeen(document.id, where, result.validators, update)
        return DocumentOutcome(now, seen, context.routed(notes))
    home = context.store.home_location(document.id) or document.url
    copy = target.location != home  # another publisher's copy changed, not the document's own
    before = context.store.numbered_text(location.version_id)
    old_number, old_text = before or (document.version_count, "")
    old_blocks = old_text.split("\n\n")
    commitments, about = _commitment_news(target, document, old_blocks, new, context)
    changed = events.document_changed(
        target.source,
        document.url,
        new.page,
        old_blocks,
        (old_number, document.version_count + 1),
        (location.fingerprint or "", new.fingerprint),
        now,
        [change.as_json() for change in commitments],
        location=new.fetched_url if copy else None,
    )
    return DocumentOutcome(
        now,
        SaveVersion(new, replace(update, copy=copy), document.id),
        context.routed((*notes, changed, *about)),
        commitments=LedgerChanges(commitments) if commitments else None,
        changed=True,
    )


def _commitment_news(
    target: Target, document: Document, old: list[str], new: NewVersion, context: CheckContext
) -> tuple[list[ItemChange], list[Event]]:
    """The version's commitment changes and their events; none when reading them fails."""
    from monitor.pipeline import (
        commitment_news as ledger,
    )  # commitments and deepdiff: imported only when there is news

    def work() -> tuple[list[ItemChange], list[Event]]:
        changes = ledger.version_changes(old, new.page.blocks, new.page.title or "")
        return changes, ledger.change_events(target.source, document, changes, context.now())

    nothing: tuple[list[ItemChange], list[Event]] = ([], [])
    return commitment_step(target.where, "compared", work, nothing)
