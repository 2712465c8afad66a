"""One document in one check: fetch it, confirm removals, resolve its identity, record it.

Identity is the canonical URL of a *location*; a document has one or more locations (moves,
aliases, other publishers' copies). A change is a location's text changing, so two publishers'
slightly different copies never look like edits of each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitor import events, ledger
from monitor.commitments import Item, extract_items
from monitor.config import SourceConfig
from monitor.context import CheckContext
from monitor.errors import ExtractError
from monitor.extract import decode_html, extract_page
from monitor.identity import LinkPolicy, canonical_url
from monitor.matching import matches
from monitor.models import Event, FetchResult, FetchStatus, Page, Validators
from monitor.normalize import fingerprint
from monitor.sources import Candidate
from monitor.twins import find_twin
from store.models import Document, Location
from store.repo import DocumentUpdate, NewVersion


@dataclass(frozen=True)
class Outcome:
    new: bool = False
    changed: bool = False
    error: str | None = None
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class Target:
    """What one document check is about."""

    source: SourceConfig
    candidate: Candidate
    location: str  # canonical URL of the candidate
    policy: LinkPolicy
    baseline: bool  # the source's first check: record silently


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
    result = await context.fetcher.fetch(candidate.url, validators, guard=policy.check)
    if result.status is FetchStatus.GONE:
        return await _gone(target, found, result, context)
    if result.status is FetchStatus.NOT_MODIFIED and found is not None:
        return _seen(target, found, result, context, validators)
    if not result.has_body:
        return Outcome(error=f"{candidate.url}: {result.reason}")
    try:
        page = extract_page(
            decode_html(result.body, result.encoding),
            result.final_url or candidate.url,
            source.content_selector,
        )
    except ExtractError as exc:
        return Outcome(error=f"{candidate.url}: {exc}")
    if found is None and candidate.verify and not _verify(target, page, context):
        return Outcome()
    return _record(target, found, result, page, context)


def _verify(target: Target, page: Page, context: CheckContext) -> bool:
    keywords = target.source.keywords(context.settings.defaults.match)
    matched = matches([page.title, *page.blocks[:3]], keywords)
    context.store.save_link_verdict(target.candidate.url, matched, context.now())
    return matched


async def _gone(
    target: Target,
    found: tuple[Document, Location] | None,
    result: FetchResult,
    context: CheckContext,
) -> Outcome:
    """410 is removal; a 404 must answer 404 again after a pause (a glitch is not removal)."""
    if found is None:
        # A configured page that is missing is an error; a dead link on a listing is not ours.
        error = f"{target.candidate.url}: {result.reason}" if target.source.kind == "page" else None
        return Outcome(error=error)
    if result.status_code != 410:
        await context.sleep(context.settings.defaults.removal_pause)
        again = await context.fetcher.fetch(target.candidate.url, guard=target.policy.check)
        if again.status is not FetchStatus.GONE:
            return await check_again(target, found, again, context)
    document, _location = found
    if document.status == "removed" or document.id is None:
        return Outcome()
    now = context.now()
    event = events.document_removed(
        target.source,
        document.url,
        document.title,
        result.status_code,
        now,
        document.last_seen_at.isoformat(),
    )
    context.store.update_document(
        document.id, now, DocumentUpdate(status="removed"), [event], context.channels
    )
    return Outcome(events=(event,))


async def check_again(
    target: Target, found: tuple[Document, Location], result: FetchResult, context: CheckContext
) -> Outcome:
    """The second answer after a 404: use it as if it had come first."""
    if not result.has_body:
        return Outcome(error=f"{target.candidate.url}: {result.reason}")
    try:
        page = extract_page(
            decode_html(result.body, result.encoding),
            result.final_url or target.candidate.url,
            target.source.content_selector,
        )
    except ExtractError as exc:
        return Outcome(error=f"{target.candidate.url}: {exc}")
    return _record(target, found, result, page, context)


def _seen(
    target: Target,
    found: tuple[Document, Location],
    result: FetchResult,
    context: CheckContext,
    validators: Validators,
) -> Outcome:
    document, location = found
    notes, update = _notes(target, document, location, result, context)
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
    target: Target,
    document: Document,
    location: Location,
    result: FetchResult,
    context: CheckContext,
) -> tuple[list[Event], DocumentUpdate]:
    """Moves and restorations that come with any answer from a known document."""
    now, source = context.now(), target.source
    fetched = result.final_url or target.candidate.url
    notes: list[Event] = []
    status: str | None = None
    current: str | None = None
    new_locations: tuple[str, ...] = ()
    if document.status == "removed":
        status = "active"
        notes.append(events.document_restored(source, document.url, document.title, now))
    # A move: a permanent redirect, or this location now asked for on another (alias) host.
    previous = location.last_url or target.candidate.url
    final_location = canonical_url(fetched, context.settings.aliases)
    redirected = result.moved and fetched != (document.current_url or document.url)
    if redirected or _host(previous) != _host(target.candidate.url):
        current = fetched
        if final_location != target.location:
            new_locations = (final_location,)
        notes.append(
            events.document_moved(source, document.url, document.title, previous, fetched, now)
        )
    return _fresh(context, notes), DocumentUpdate(status, current, new_locations)


def _fresh(context: CheckContext, found: list[Event]) -> list[Event]:
    """Drop events recorded before: a stable id seen again is not news (and not output)."""
    known = context.store.known_events(event.id for event in found) if found else set()
    return [event for event in found if event.id not in known]


def _host(url: str) -> str:
    return url.split("/")[2].lower() if "//" in url else url


def _record(
    target: Target,
    found: tuple[Document, Location] | None,
    result: FetchResult,
    page: Page,
    context: CheckContext,
) -> Outcome:
    new_fingerprint = fingerprint(page.blocks)
    fetched = result.final_url or target.candidate.url
    new = NewVersion(
        target.source.name,
        target.source.agency,
        target.location,
        page,
        new_fingerprint,
        result.body,
        fetched,
        result.validators,
        target.candidate.url,
    )
    if found is None:
        twin = find_twin(context.store, page, context.settings.defaults.same_document)
        if twin is None:
            return _new_document(target, new, context)
        return _join_twin(target, twin, new, context)
    document, location = found
    assert document.id is not None
    notes, update = _notes(target, document, location, result, context)
    if location.fingerprint == new_fingerprint:
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
    old_blocks = (context.store.version_text(location.version_id) or "").split("\n\n")
    commitments = ledger.version_changes(old_blocks, page.blocks)
    changed = events.document_changed(
        target.source,
        document.url,
        page,
        old_blocks,
        (document.version_count, document.version_count + 1),
        (location.fingerprint or "", new_fingerprint),
        context.now(),
        [change.as_json() for change in commitments],
    )
    about = ledger.change_events(target.source, document, commitments, context.now())
    found_events = (*notes, changed, *about)
    context.store.save_version(
        new, context.now(), found_events, context.channels, update, document_id=document.id
    )
    if commitments and context.store.ledger(document.id):  # else filled when first needed
        context.store.apply_changes(document.id, commitments, context.now())
    return Outcome(changed=True, events=found_events)


def _new_document(target: Target, new: NewVersion, context: CheckContext) -> Outcome:
    now = context.now()
    found: tuple[Event, ...] = ()
    items: list[Item] = []
    links: list[tuple[int, dict[str, Any], str]] = []
    if not target.baseline:  # news: what it commits to, and what it reports on
        items = extract_items(new.page.text)
        reports, links = ledger.link_events(
            context.store, target.source, new.fetched_url, new.page.title, items, now
        )
        payload = ledger.commitments_payload(items)
        announcement = events.new_document(
            target.source, target.location, new.page, now, new.fetched_url, payload
        )
        found = (announcement, *reports)
    final_location = canonical_url(new.fetched_url, context.settings.aliases)
    extra = (final_location,) if final_location != target.location else ()
    document = context.store.save_version(
        new, now, found, context.channels, DocumentUpdate(new_locations=extra)
    )
    if items and document.id is not None:
        context.store.put_ledger(document.id, items, now)
        for commitment_id, link, relation in links:
            context.store.add_link(commitment_id, link, relation)
    return Outcome(new=not target.baseline, events=found)


def _join_twin(target: Target, twin: Document, new: NewVersion, context: CheckContext) -> Outcome:
    """Another publisher's copy of a known document: a location, not a new document."""
    assert twin.id is not None
    now, store = context.now(), context.store
    locations = [loc.url for loc in store.locations(twin.id)] + [target.location]
    found: tuple[Event, ...] = ()
    pending = store.unsent_event(twin.id, "new_document")
    if pending is not None:  # its alert has not gone out yet: name this copy in it too
        known = list(pending.payload.get("locations", []))
        store.update_event_payload(pending.id, locations=[*known, new.fetched_url])
    elif not target.baseline:
        found = (
            events.document_also_published(
                target.source, twin.url, twin.title, new.fetched_url, locations, now
            ),
        )
    store.save_version(new, now, found, context.channels, document_id=twin.id)
    return Outcome(events=found)
