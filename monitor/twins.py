"""One document, several publishers: find a known document whose text a new page repeats.

A joint statement posted by State and by USTR differs only in chrome and small edits. Titles
narrow the search cheaply (rapidfuzz ``token_set_ratio`` over all titles), then the texts of the
few look-alikes are compared with rapidfuzz's normalised Indel similarity (``fuzz.ratio``).
"""

from __future__ import annotations

from dataclasses import replace

from rapidfuzz import fuzz, process

from monitor import events
from monitor.context import CheckContext
from monitor.models import Event, Page
from monitor.target import Outcome, Target
from store.models import Document
from store.repo import DocumentUpdate, NewVersion, Store

TITLE_CUTOFF = 80
LOOKALIKES = 5


def find_twin(store: Store, page: Page, similarity: float) -> Document | None:
    """The known document whose latest text is at least ``similarity`` (0-1) like ``page``."""
    titles = store.titles()
    if not titles or not page.title:
        return None
    choices = {id_: title for id_, title in titles}
    lookalikes = process.extract(
        page.title,
        choices,
        scorer=fuzz.token_set_ratio,
        score_cutoff=TITLE_CUTOFF,
        limit=LOOKALIKES,
    )
    text = page.text
    for _title, _score, document_id in lookalikes:
        found = store.latest_text(int(document_id))
        if found and fuzz.ratio(text, found[1], score_cutoff=similarity * 100):
            twin: Document = found[0]
            return twin
    return None


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
        locations = [*announced.payload["locations"], new.fetched_url]
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
