"""A page at a location we never recorded: a new document, or another address of a known one.

A vague link (``Candidate.verify``) is read once first: its page must name the HLED in its
title or opening, and the verdict is kept so it is never read again.

Identity is the canonical URL of a *location*; a document has one or more locations (moves,
aliases, other publishers' copies: ``monitor.identity.twins`` finds them). A copy is one
``document_also_published``; found in the same pass as the document's ``new_document``, the
alert names it there (``notifiers.grouping``): the announcement, once recorded, is never
rewritten.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from monitor.identity.twins import find_twin
from monitor.models import Event, FetchResult, Page, Routed
from monitor.pipeline import events
from monitor.pipeline.context import CheckContext
from monitor.pipeline.outcome import DocumentOutcome, Links, LinkVerdict, NewLedger, SaveVersion
from monitor.pipeline.resolution import located
from monitor.pipeline.target import Target, commitment_step
from monitor.text.keywords import opening_matches
from store.repo import DocumentUpdate, NewVersion
from store.tables import Document

if TYPE_CHECKING:
    from monitor.commitments import Item


def arrive(
    target: Target, new: NewVersion, result: FetchResult, context: CheckContext
) -> DocumentOutcome:
    if not target.candidate.verify:
        return _identify(target, new, result, context)
    verdict = LinkVerdict(target.candidate.url, _about_hled(target, new.page, context))
    if not verdict.matched:
        return DocumentOutcome(context.now(), marks=(verdict,))
    outcome = _identify(target, new, result, context)
    return replace(outcome, marks=(verdict, *outcome.marks))


def _about_hled(target: Target, page: Page, context: CheckContext) -> bool:
    """A vague link's page: does its opening name the HLED (the source's keywords)?"""
    keywords = target.source.keywords(context.settings.defaults.match)
    return opening_matches(page.title, page.blocks, keywords)


def _identify(
    target: Target, new: NewVersion, result: FetchResult, context: CheckContext
) -> DocumentOutcome:
    """A copy of a known document, or a new one."""
    similarity = context.settings.defaults.same_document
    twin = find_twin(context.store, new.page, similarity, context.twins)
    if twin is None:
        return _new_document(target, new, result, context)
    return _copy(target, twin, new, context)


def _copy(
    target: Target, twin: Document, new: NewVersion, context: CheckContext
) -> DocumentOutcome:
    """Another address of a known document: a location of it, not a new document.

    A removed document found again at a new address has moved there.
    """
    assert twin.id is not None
    now = context.now()
    update = DocumentUpdate(last_url=new.fetched_url, copy=True)
    found: tuple[Event, ...] = ()
    channels = context.announced.get(twin.id)
    if twin.status == "removed":
        # Its new home: the document's own title and date come from here now.
        update = replace(update, status="active", current_url=new.fetched_url, copy=False)
        previous = twin.current_url or twin.url
        moved = events.document_moved(
            target.source, twin.url, twin.title, previous, new.fetched_url, now
        )
        found = () if target.baseline else (moved,)
    elif channels is not None or not target.baseline:
        locations = [loc.last_url or loc.url for loc in context.store.locations(twin.id)]
        found = (
            events.document_also_published(
                target.source, twin.url, twin.title, new.fetched_url, [*locations, new.fetched_url],
                now,
            ),
        )  # fmt: skip
    # Announced in this pass: the copy goes where the announcement went, and only there.
    routed = (
        context.routed(found) if channels is None else tuple(Routed(e, channels) for e in found)
    )
    return DocumentOutcome(now, SaveVersion(new, update, twin.id), routed)


def _new_document(
    target: Target, new: NewVersion, result: FetchResult, context: CheckContext
) -> DocumentOutcome:
    now = context.now()
    where = located(target, None, result, context)
    update = DocumentUpdate(
        new_locations=(where.moved_to,) if where.moved_to else (),
        location_status="moved" if where.moved_to else "active",
        last_url=where.ask_next,
    )
    if target.baseline:  # recorded silently; its commitments are read when first needed
        return DocumentOutcome(now, SaveVersion(new, update))
    ledger, reports = _commitments(target, new, context)
    payload = [item.as_json() for item in ledger.items]
    announcement = events.new_document(
        target.source, target.location, new.page, now, new.fetched_url, payload
    )
    return DocumentOutcome(
        now,
        SaveVersion(new, update),
        context.routed((announcement, *reports)),
        commitments=ledger if ledger.items else None,
        new=True,
    )


def _commitments(
    target: Target, new: NewVersion, context: CheckContext
) -> tuple[NewLedger, list[Event]]:
    """What a new document commits to, and what it reports on (events and ledger links)."""
    from monitor.commitments import extract_items  # imported only when there is news
    from monitor.pipeline import commitment_news as ledger

    now, page = context.now(), new.page
    title_and_text = f"{page.title or ''}\n{page.text}"
    nothing: list[Item] = []
    items = commitment_step(
        target.where, "read", lambda: extract_items(page.text, title_and_text), nothing
    )
    no_links: tuple[list[Event], Links, Links] = ([], [], [])
    reports, links, later = commitment_step(
        target.where,
        "linked",
        lambda: ledger.link_news(
            context.store, target.source, new.fetched_url, page.title, items, now, page.published
        ),
        no_links,
    )
    return NewLedger(items, links, later), reports
