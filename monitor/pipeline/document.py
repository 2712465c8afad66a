"""One document in one check: fetch it, confirm removals, resolve its identity, record it.

Identity is the canonical URL of a *location*; a document has one or more locations (moves,
aliases, other publishers' copies). A change is a location's text changing, so two publishers'
slightly different copies never look like edits of each other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from monitor.config import SourceConfig
from monitor.discover import Candidate
from monitor.errors import ExtractError
from monitor.fetch.client import FetchRequest
from monitor.identity.moves import Whereabouts, whereabouts
from monitor.identity.twins import find_twin, join_twin
from monitor.identity.urls import LinkPolicy, canonical_url
from monitor.models import Event, FetchResult, FetchStatus, Page, Validators
from monitor.pipeline import events
from monitor.pipeline.context import CheckContext
from monitor.pipeline.removal import confirm_gone, record_gone
from monitor.pipeline.target import Outcome, Target
from monitor.text.article import page_of
from monitor.text.keywords import opening_matches
from store.repo import DocumentUpdate, NewVersion
from store.tables import Document, Location

if TYPE_CHECKING:
    from monitor.commitments import Item
    from monitor.commitments.diff import ItemChange

__all__ = ["Outcome", "Target", "check_document"]

Found = tuple[Document, Location]
Links = list[tuple[int, dict[str, Any], str]]  # (commitment id, link, relation) to record
T = TypeVar("T")

log = logging.getLogger(__name__)


async def check_document(
    source: SourceConfig,
    candidate: Candidate,
    baseline: bool,
    context: CheckContext,
    policy: LinkPolicy,
) -> Outcome:
    target = Target(
        source, candidate, canonical_url(candidate.url, context.settings.aliases), policy, baseline
    )
    store = context.store
    found = store.find(target.location)
    if found is None and candidate.verify and store.link_verdict(candidate.url) is False:
        return Outcome()  # a vague link we already read: not about the HLED
    validators = store.validators(candidate.url) if found else Validators()
    result = await context.fetcher.fetch(
        FetchRequest(
            candidate.url, validators, guard=policy.check, document=True, source=source.name
        )
    )
    # Another source may have recorded this very location while we waited for the answer.
    found = found or store.find(target.location)
    if result.status is FetchStatus.GONE and found is not None:
        result = await confirm_gone(target, found[1], result, context)
        if result.status is FetchStatus.GONE:
            return record_gone(target, found, result, context)
    if result.status is FetchStatus.NOT_MODIFIED and found is not None:
        return _seen(target, found, result, context, validators)
    if not result.has_body:
        return _unread(target, found, result, context)
    try:
        page = page_of(result, source.content_selector)
    except ExtractError as exc:
        return Outcome(error=f"{candidate.url}: {exc}")
    if found is None and candidate.verify and not _verify(target, page, context):
        return Outcome()
    return _record(target, found, result, page, context)


def _unread(
    target: Target, found: Found | None, result: FetchResult, context: CheckContext
) -> Outcome:
    """No body. A dead or refused link on a listing is not ours; anything else is a failure."""
    if found is None and target.source.kind != "page":
        if result.status in (FetchStatus.GONE, FetchStatus.REFUSED):
            # Asked: the cap of the next checks takes candidates never asked first.
            context.store.remember_validators(target.candidate.url, Validators(), context.now())
        if result.status is FetchStatus.GONE:
            return Outcome(unread=True)
        if result.status is FetchStatus.REFUSED:
            return Outcome()  # logged once by the link policy
    return Outcome(error=f"{target.candidate.url}: {result.reason}")


def _verify(target: Target, page: Page, context: CheckContext) -> bool:
    keywords = target.source.keywords(context.settings.defaults.match)
    matched = opening_matches(page.title, page.blocks, keywords)
    context.store.save_link_verdict(target.candidate.url, matched, context.now())
    return matched


def _seen(
    target: Target,
    found: Found,
    result: FetchResult,
    context: CheckContext,
    validators: Validators,
) -> Outcome:
    document = found[0]
    notes, update = _notes(target, found, result, context)
    assert document.id is not None
    context.store.mark_seen(
        document.id,
        (target.location, target.candidate.url),
        validators,
        context.now(),
        update,
        notes,
        context.channels,
    )
    return Outcome(events=tuple(notes))


def _notes(
    target: Target, found: Found, result: FetchResult, context: CheckContext
) -> tuple[list[Event], DocumentUpdate]:
    """Moves and restorations that come with any answer from a known location."""
    document, location = found
    now, source = context.now(), target.source
    where = _whereabouts(target, location, result, context)
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


def _whereabouts(
    target: Target, location: Location | None, result: FetchResult, context: CheckContext
) -> Whereabouts:
    previous = location.last_url if location else None
    return whereabouts(
        target.location, target.candidate.url, previous, result, context.settings.aliases
    )


def _fresh(context: CheckContext, found: list[Event]) -> list[Event]:
    """Drop events recorded before: a stable id seen again is not news (and not output)."""
    known = context.store.known_events(event.id for event in found) if found else set()
    return [event for event in found if event.id not in known]


def _record(
    target: Target,
    found: Found | None,
    result: FetchResult,
    page: Page,
    context: CheckContext,
) -> Outcome:
    new = NewVersion(
        target.source.name,
        target.source.agency,
        target.location,
        page,
        page.fingerprint,
        result.body,
        result.final_url or target.candidate.url,
        result.validators,
        target.candidate.url,
    )
    if found is not None:
        return _compare(target, found, result, new, context)
    twin = find_twin(context.store, page, context.settings.defaults.same_document, context.twins)
    if twin is None:
        return _new_document(target, new, result, context)
    return join_twin(target, twin, new, context)


def _compare(
    target: Target, found: Found, result: FetchResult, new: NewVersion, context: CheckContext
) -> Outcome:
    """A known location answered with a body: the same text, or a new version of it."""
    document, location = found
    assert document.id is not None
    notes, update = _notes(target, found, result, context)
    if location.fingerprint == new.fingerprint:
        context.store.mark_seen(
            document.id,
            (target.location, target.candidate.url),
            result.validators,
            context.now(),
            update,
            notes,
            context.channels,
        )
        return Outcome(events=tuple(notes))
    home = context.store.home_location(document.id) or document.url
    copy = target.location != home  # another publisher's copy changed, not the document's own
    # The diff is against what this location served before: a version belongs to a location.
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
        context.now(),
        [change.as_json() for change in commitments],
        location=new.fetched_url if copy else None,
    )
    update = replace(update, copy=copy)
    found_events = (*notes, changed, *about)
    context.store.save_version(
        new, context.now(), found_events, context.channels, update, document_id=document.id
    )
    if commitments:
        _commitments(target, "recorded", lambda: _apply(context, document.id, commitments), None)
    return Outcome(changed=True, events=found_events)


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
    return _commitments(target, "compared", work, nothing)


def _apply(context: CheckContext, document_id: int | None, changes: list[ItemChange]) -> None:
    assert document_id is not None
    if context.store.ledger(document_id):  # else filled when first needed
        context.store.apply_changes(document_id, changes, context.now())


def _commitments(target: Target, what: str, work: Callable[[], T], otherwise: T) -> T:
    """One step of the commitment stage: a failure there costs only the commitments, never the
    document's version or its change events (recorded with or without them)."""
    try:
        return work()
    except Exception:  # the commitment stage's boundary: it logs, and the document goes on
        log.exception("source %s: %s: commitments not %s", target.source.name,
                      target.candidate.url, what)  # fmt: skip
        return otherwise


def _new_document(
    target: Target, new: NewVersion, result: FetchResult, context: CheckContext
) -> Outcome:
    now = context.now()
    found: tuple[Event, ...] = ()
    items: list[Item] = []
    links: Links = []
    reported_later: Links = []
    if not target.baseline:  # news: what it commits to, and what it reports on
        from monitor.commitments import extract_items
        from monitor.pipeline import commitment_news as ledger

        title_and_text = f"{new.page.title or ''}\n{new.page.text}"
        items = _commitments(
            target, "read", lambda: extract_items(new.page.text, title_and_text), []
        )
        no_links: tuple[list[Event], Links, Links] = ([], [], [])
        reports, links, reported_later = _commitments(
            target,
            "linked",
            lambda: ledger.link_news(
                context.store,
                target.source,
                new.fetched_url,
                new.page.title,
                items,
                now,
                new.page.published,
            ),
            no_links,
        )
        payload = ledger.commitments_payload(items)
        announcement = events.new_document(
            target.source, target.location, new.page, now, new.fetched_url, payload
        )
        found = (announcement, *reports)
    where = _whereabouts(target, None, result, context)
    update = DocumentUpdate(
        new_locations=(where.moved_to,) if where.moved_to else (),
        location_status="moved" if where.moved_to else "active",
        last_url=where.ask_next,
    )
    document = context.store.save_version(new, now, found, context.channels, update)
    if document.id is not None and found:
        context.announced[document.id] = found[0]
    if items and document.id is not None:
        _commitments(
            target,
            "recorded",
            lambda: _ledger(context, document, items, links, reported_later),
            None,
        )
    return Outcome(new=not target.baseline, events=found)


def _ledger(
    context: CheckContext, document: Document, items: list[Item], links: Links, later: Links
) -> None:
    assert document.id is not None
    context.store.put_ledger(document.id, items, context.now())
    for commitment_id, link, relation in links:
        context.store.add_link(commitment_id, link, relation)
    for index, link, relation in later:  # older documents found later, reporting on this one
        context.store.add_item_link(document.id, items[index], link, relation)
