"""What a known location's answer says about its document: seen again, moved, restored, unread.

Moves and restorations come with any answer from a known location (a 304 too); a location
that answers nothing is a failure, unless it is a listing's dead or refused link we never
tracked.
"""

from __future__ import annotations

from monitor.identity.moves import Whereabouts, whereabouts
from monitor.models import Event, FetchResult, FetchStatus, Validators
from monitor.pipeline import events
from monitor.pipeline.context import CheckContext
from monitor.pipeline.outcome import DocumentOutcome, MarkSeen, RememberValidators
from monitor.pipeline.target import Target
from store.repo import DocumentUpdate
from store.tables import Document, Location

Found = tuple[Document, Location]


def unread(
    target: Target, found: Found | None, result: FetchResult, context: CheckContext
) -> DocumentOutcome:
    """No body. A dead or refused link on a listing is not ours; anything else is a failure."""
    if found is None and target.source.kind != "page":
        # Asked: the cap of the next checks takes candidates never asked first.
        asked = (RememberValidators(target.candidate.url, Validators()),)
        if result.status is FetchStatus.GONE:
            return DocumentOutcome(context.now(), marks=asked, unread=True)
        if result.status is FetchStatus.REFUSED:
            return DocumentOutcome(context.now(), marks=asked)  # logged by the link policy
    return DocumentOutcome(error=f"{target.candidate.url}: {result.reason}")


def seen(
    target: Target,
    found: Found,
    result: FetchResult,
    context: CheckContext,
    validators: Validators,
) -> DocumentOutcome:
    """The location answered with the text we hold, or 304 (``validators``: what to keep)."""
    document = found[0]
    assert document.id is not None
    notes, update = notes_of(target, found, result, context)
    mark = MarkSeen(document.id, (target.location, target.candidate.url), validators, update)
    return DocumentOutcome(context.now(), mark, context.routed(notes))


def notes_of(
    target: Target, found: Found, result: FetchResult, context: CheckContext
) -> tuple[list[Event], DocumentUpdate]:
    """Moves and restorations that come with any answer from a known location."""
    document, location = found
    now, source = context.now(), target.source
    where = located(target, location, result, context)
    notes: list[Event] = []
    status: str | None = None
    if document.status == "removed":
        status = "active"
        notes.append(events.document_restored(source, document.url, document.title, now))
    if where.moved:
        previous = location.last_url or target.candidate.url
        notes.append(
            events.document_moved(
                source, document.url, document.title, previous, where.answered, now
            )
        )
    update = DocumentUpdate(
        status=status,
        current_url=where.answered if where.moved else None,
        new_locations=(where.moved_to,) if where.moved_to else (),
        location_status="moved" if where.moved_to else "active",
        last_url=where.ask_next,
    )
    return _fresh(context, notes), update


def located(
    target: Target, location: Location | None, result: FetchResult, context: CheckContext
) -> Whereabouts:
    """Where ``target`` answered (``location``: what we know of it, if anything)."""
    previous = location.last_url if location else None
    return whereabouts(
        target.location, target.candidate.url, previous, result, context.settings.aliases
    )


def _fresh(context: CheckContext, found: list[Event]) -> list[Event]:
    """Drop events recorded before: a stable id seen again is not news (and not output)."""
    known = context.store.known_events(event.id for event in found) if found else set()
    return [event for event in found if event.id not in known]
