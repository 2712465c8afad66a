"""Removal: a location is gone on 410, or on a 404 that a second request confirms.

A single 404 is often a glitch (a deploy, a cache), so it is asked again after
``[defaults] removal_pause``, within the same check. A document is removed only when none of
its locations is left: one publisher taking down its copy of a joint statement that another
still serves is recorded on that location, without an alert.
"""

from __future__ import annotations

import logging

from monitor.fetch.client import FetchRequest
from monitor.models import FetchResult
from monitor.pipeline import events
from monitor.pipeline.context import CheckContext
from monitor.pipeline.outcome import DocumentOutcome, UpdateDocument
from monitor.pipeline.target import Target
from store.repo import DocumentUpdate
from store.tables import Document, Location

log = logging.getLogger(__name__)


async def confirm_gone(
    target: Target, location: Location, result: FetchResult, context: CheckContext
) -> FetchResult:
    """The answer that counts: a 410, or the second answer to a 404 after the pause."""
    if result.status_code == 410 or location.status != "active":
        return result  # final, or nothing left to confirm
    await context.sleep(context.settings.defaults.removal_pause)
    return await context.fetcher.fetch(
        FetchRequest(target.candidate.url, guard=target.policy.check, source=target.source.name)
    )


def gone(
    target: Target, found: tuple[Document, Location], result: FetchResult, context: CheckContext
) -> DocumentOutcome:
    """The location is gone; when it was the document's last, the document is removed."""
    document, location = found
    assert document.id is not None
    if location.status != "active":
        return DocumentOutcome()  # recorded before (or it moved on): not news again
    now = context.now()
    # Only a location some enabled source still asks can keep the document alive.
    watched = {source.name for source in context.settings.sources if source.enabled}
    elsewhere = [
        other.url
        for other in context.store.locations(document.id)
        if other.id != location.id and other.status == "active" and other.source in watched
    ]
    if elsewhere or document.status == "removed":
        log.info("%s is gone (HTTP %s); still at %s", location.url, result.status_code, elsewhere)
        update = DocumentUpdate(location_status="gone")
        return DocumentOutcome(now, UpdateDocument(document.id, update, location.url))
    event = events.document_removed(
        target.source,
        document.url,
        document.title,
        result.status_code,
        now,
        document.last_seen_at.isoformat(),
    )
    update = DocumentUpdate(status="removed", location_status="gone")
    write = UpdateDocument(document.id, update, location.url)
    return DocumentOutcome(now, write, context.routed([event]))
