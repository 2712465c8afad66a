"""One document, several publishers: find a known document whose text a new page repeats.

A joint statement posted by State and by USTR differs only in chrome and small edits. A cheap
first look picks a few look-alikes among all documents by their opening text (an index of word
3-grams: every HLED title looks alike, and a publisher may retitle its copy). Then the full
texts of the look-alikes are compared with rapidfuzz's normalised Indel similarity.

A short page (a media note of two sentences) is recognised by its text alone only when its
title looks alike too: two short notes a year apart can share most of their words.
"""

from __future__ import annotations

from dataclasses import replace

from rapidfuzz import fuzz

from monitor import events
from monitor.context import CheckContext
from monitor.models import Event, Page
from monitor.target import Outcome, Target
from monitor.twin_index import OPENING_CHARS, TwinIndex
from store.models import Document
from store.repo import DocumentUpdate, NewVersion, Store


def find_twin(store: Store, page: Page, similarity: float, index: TwinIndex) -> Document | None:
    """The known document whose latest text is at least ``similarity`` (0-1) like ``page``."""
    index.sync(store.openings(OPENING_CHARS))
    text = page.text
    for document_id in index.lookalikes(page):
        found = store.latest_text(document_id)
        if found and _alike(text, found[1], similarity):
            twin: Document = found[0]
            return twin
    return None


def _alike(text: str, other: str, similarity: float) -> bool:
    """``fuzz.ratio(text, other) >= similarity``, without computing it when lengths rule it out.

    The ratio is 2 * LCS / (len + len), and the LCS is at most the shorter length, so texts of
    very different lengths cannot be alike. The margin leaves float edge cases to rapidfuzz.
    """
    total = len(text) + len(other)
    if 2 * min(len(text), len(other)) < similarity * total * (1 - 1e-9):
        return False
    return bool(fuzz.ratio(text, other, score_cutoff=similarity * 100))


def join_twin(target: Target, twin: Document, new: NewVersion, context: CheckContext) -> Outcome:
    """Another address of a known document: a location of it, not a new document.

    Found in the same pass as the document itself, it is named in that ``new_document``;
    found later, it is one ``document_also_published``. A removed document found again at a
    new address has moved there.
    """
    assert twin.id is not None
    now, store = context.now(), context.store
    update = DocumentUpdate(last_url=new.fetched_url)
    found: tuple[Event, ...] = ()
    announced = context.announced.get(twin.id)
    if twin.status == "removed":
        update = replace(update, status="active", current_url=new.fetched_url)
        previous = twin.current_url or twin.url
        moved = events.document_moved(
            target.source, twin.url, twin.title, previous, new.fetched_url, now
        )
        found = () if target.baseline else (moved,)
    elif announced is not None:
        locations = list(dict.fromkeys([*announced.payload["locations"], new.fetched_url]))
        store.update_event_payload(announced.id, locations=locations)
        context.announced[twin.id] = replace(
            announced, payload={**announced.payload, "locations": locations}
        )
    elif not target.baseline:
        locations = [loc.last_url or loc.url for loc in store.locations(twin.id)]
        found = (
            events.document_also_published(
                target.source, twin.url, twin.title, new.fetched_url, [*locations, new.fetched_url],
                now,
            ),
        )  # fmt: skip
    store.save_version(new, now, found, context.channels, update, document_id=twin.id)
    return Outcome(events=found)
