"""store.batch: the rows the Store's own methods write, written together, later."""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from monitor.models import Event, Page, Routed, Validators
from store.batch import Batch
from store.repo import DocumentUpdate, NewVersion, Store
from store.tables import HttpCache, Location

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
A, B, C, D, E = (f"https://www.state.gov/{name}" for name in "abcde")
LISTING = "https://www.state.gov/press/"
SEEN = DocumentUpdate(location_status="active", last_url=A + "?asked")  # what a 304 records


def version(url: str, text: str, source: str = "s") -> NewVersion:
    page = Page(title=f"Title {text}", blocks=(text,), published="2023-09-29")
    return NewVersion(source, "State", url, page, f"fp-{text}", f"<html>{text}</html>".encode(),
                      url, Validators(f'"{text}"'), url)  # fmt: skip


def event(name: str, url: str) -> Event:
    return Event(name, "document_changed", "s", "State", url, "Title", LATER)


def first_pass(store: Store) -> dict[str, int]:
    ids = {url: store.save_version(version(url, f"{url[-1]}1"), NOW).id or 0 for url in (A, B)}
    store.update_source("s", NOW, None)
    return ids


def second_pass(target: Store | Batch, ids: dict[str, int]) -> list[Any]:
    """A pass's writes: a 304, an edit with its alert, new documents, a twin, sources."""
    target.mark_seen(ids[A], (A, A), Validators('"a1"'), LATER, SEEN)
    target.save_version(version(B, "b2"), LATER, [Routed(event("e-b", B), ("console",))],
                        document_id=ids[B])  # fmt: skip
    target.save_version(version(C, "c1"), LATER)
    twin = target.save_version(version(D, "d1", source="t"), LATER)
    target.save_version(version(E, "d1", source="t"), LATER, document_id=twin.id)
    target.remember_validators(LISTING, Validators('"list"'), LATER)
    before = [
        target.update_source("s", LATER, "HTTP 500").model_dump(),
        target.update_source("t", LATER, None).model_dump(),
    ]
    target.set_error_reported("s", [Routed(event("e-s", LISTING), ("console",))], LATER)
    return before


def dump(store: Store) -> dict[str, Any]:
    documents = store.documents()
    with store.session() as session:
        cache = [r.model_dump() for r in session.exec(select(HttpCache).order_by(HttpCache.url))]
        places = [r.model_dump() for r in session.exec(select(Location).order_by(Location.url))]
    return {
        "documents": [d.model_dump() for d in documents],
        "versions": [
            (d.url, v.number, v.fingerprint, v.text, v.fetched_at, zlib.decompress(v.raw_body))
            for d in documents
            for v in store.versions(d.id or 0)
        ],
        "locations": places,
        "http_cache": cache,
        "sources": [store.source_state(name).model_dump() for name in ("s", "t")],
        "events": [(e.id, e.type, e.url, e.document_id) for e in store.events()],
        "deliveries": [(d.event_id, d.channel, d.status) for d in store.deliveries()],
    }


def make_batch(store: Store, **limits: int) -> Batch:
    return Batch(store, {url: url for url in (A, B, C, D, E, LISTING)}, ["s", "t"], **limits)


def test_a_batch_writes_what_the_store_methods_write(any_store: Store, tmp_path: Path) -> None:
    reference = Store(f"sqlite:///{tmp_path / 'reference.db'}")
    expected_before = second_pass(reference, first_pass(reference))
    ids = first_pass(any_store)
    batch = make_batch(any_store)
    assert second_pass(batch, ids) == expected_before
    batch.close()
    assert dump(any_store) == dump(reference)
    assert [len(store.locations(4)) for store in (any_store, reference)] == [2, 2]  # the twin
    reference.close()


def test_nothing_is_written_before_the_flush_but_reads_see_it(store: Store) -> None:
    ids = first_pass(store)
    batch = make_batch(store)
    batch.update_source("s", LATER, "HTTP 500")
    batch.mark_seen(ids[A], (A, A), Validators('"a2"'), LATER, SEEN)
    batch.save_version(version(B, "b2"), LATER, document_id=ids[B])
    assert store.source_state("s").consecutive_failures == 0
    assert store.validators(A) == Validators('"a1"')
    assert len(store.versions(ids[B])) == 1
    assert batch.source_state("s").consecutive_failures == 1
    assert batch.validators(A) == Validators('"a2"')
    assert batch.validators(B) == Validators('"b2"')
    batch.close()
    assert store.source_state("s").consecutive_failures == 1
    assert store.validators(A) == Validators('"a2"')
    assert [v.text for v in store.versions(ids[B])] == ["b1", "b2"]


def test_a_new_document_is_buffered_under_the_id_it_is_written_with(store: Store) -> None:
    first_pass(store)
    batch = make_batch(store)
    batch.update_source("s", LATER, "HTTP 500")
    batch.openings(100)  # read once; later versions add to it
    new = batch.save_version(version(C, "c1"), LATER)
    other = batch.save_version(version(D, "d1"), LATER)
    assert new.id is not None
    assert other.id is not None
    assert store.find(C) is None  # not written yet
    assert batch.openings(100)[new.id] == ("Title c1", "c1")
    latest = batch.latest_text(new.id)  # read from the store: the buffer is written first
    assert latest is not None
    assert latest[1] == "c1"
    assert [store.find(url)[0].id for url in (C, D)] == [new.id, other.id]  # type: ignore[index]
    assert store.source_state("s").consecutive_failures == 1  # the buffer went with it


def test_after_a_flush_the_ids_reserved_follow_what_the_store_wrote(store: Store) -> None:
    batch = make_batch(store)
    first = batch.save_version(version(C, "c1"), LATER)
    batch.flush()
    written = store.save_version(version(D, "d1"), LATER)  # as a store operation would
    last = batch.save_version(version(E, "e1"), LATER)
    batch.close()
    assert [store.find(url)[0].id for url in (C, D, E)] == [first.id, written.id, last.id]  # type: ignore[index]
    assert len({first.id, written.id, last.id}) == 3


def test_reserved_ids_never_meet_another_writers_on_postgres(postgres_url: str) -> None:
    store, other = Store(postgres_url), Store(postgres_url)  # another replica, say
    batch = make_batch(store)
    reserved = batch.save_version(version(C, "c1"), LATER)
    written = other.save_version(version(D, "d1"), LATER)  # before the batch writes
    batch.close()
    assert reserved.id != written.id
    assert [store.find(url)[0].id for url in (C, D)] == [reserved.id, written.id]  # type: ignore[index]
    store.close(), other.close()


def test_another_store_operation_first_writes_the_buffer(store: Store) -> None:
    ids = first_pass(store)
    batch = make_batch(store)
    batch.save_version(version(A, "a2"), LATER, document_id=ids[A])
    assert len(store.versions(ids[A])) == 1  # buffered
    assert [location.url for location in batch.locations(ids[A])] == [A]
    assert [v.text for v in store.versions(ids[A])] == ["a1", "a2"]


def test_reads_answer_like_the_store(store: Store) -> None:
    first_pass(store)
    batch = Batch(store, {A: A, C: C}, ["s", "never-checked"])
    for url in (A, B, C):  # B was not loaded: asked of the store
        assert batch.validators(url) == store.validators(url)
        found, expected = batch.find(url), store.find(url)
        assert str(found) == str(expected)
    for name in ("s", "never-checked", "not-loaded"):
        assert batch.source_state(name) == store.source_state(name)
    assert batch.openings(100) == store.openings(100)


def test_news_with_a_seen_document_is_written_at_once(store: Store) -> None:
    ids = first_pass(store)
    batch = make_batch(store)
    moved = DocumentUpdate(current_url="https://www.state.gov/moved")
    batch.mark_seen(ids[A], (A, A), Validators('"a1"'), LATER, moved)
    found = store.find(A)
    assert found is not None
    assert found[0].current_url == "https://www.state.gov/moved"


def test_a_location_that_news_adds_is_found_where_it_was_not_before(store: Store) -> None:
    """A move written at once (a 301 to a new address) adds the new address to the document:
    the batch, which knew nothing there, answers as the store does from then on."""
    ids = first_pass(store)
    batch = Batch(store, {A: A, E: E}, ["s"])
    assert batch.find(E) is None  # loaded with the pass's locations: nothing there yet
    moved = DocumentUpdate(current_url=E, new_locations=(E,), location_status="moved")
    batch.mark_seen(ids[A], (A, A), Validators('"a1"'), LATER, moved)
    found = batch.find(E)
    assert found is not None
    assert (found[0].id, found[1].url) == (ids[A], E)
    assert str(found) == str(store.find(E))


def test_validators_written_with_news_are_the_ones_the_batch_answers(store: Store) -> None:
    ids = first_pass(store)
    batch = make_batch(store)
    moved = DocumentUpdate(current_url="https://www.state.gov/moved")
    batch.mark_seen(ids[A], (A, A), Validators('"a2"'), LATER, moved)  # written at once
    assert batch.validators(A) == store.validators(A) == Validators('"a2"')


def test_a_full_batch_writes_itself(store: Store) -> None:
    ids = first_pass(store)
    batch = make_batch(store, max_versions=2)
    batch.save_version(version(A, "a2"), LATER, document_id=ids[A])
    assert len(store.versions(ids[A])) == 1
    batch.save_version(version(B, "b2"), LATER, document_id=ids[B])
    assert len(store.versions(ids[A])) == 2
    batch = make_batch(store, flush_every=3)
    batch.mark_seen(ids[A], (A, A), Validators('"a3"'), LATER)  # a seen row and its validators
    assert store.validators(A) == Validators('"a2"')
    batch.update_source("s", LATER, None)
    assert store.validators(A) == Validators('"a3"')


def test_two_writes_to_one_document_keep_their_order(store: Store, tmp_path: Path) -> None:
    reference = Store(f"sqlite:///{tmp_path / 'reference.db'}")
    for target_store in (store, reference):
        ids = first_pass(target_store)
        target = make_batch(target_store) if target_store is store else target_store
        target.save_version(version(A, "a2"), LATER, document_id=ids[A])
        target.mark_seen(ids[A], (A, A), Validators('"again"'), LATER + timedelta(minutes=5))
        target.save_version(version(A, "a3"), LATER + timedelta(minutes=9), document_id=ids[A])
        target.close() if target is not reference else None
    assert dump(store) == dump(reference)


def test_reading_a_written_version_does_not_write_the_buffer(store: Store) -> None:
    ids = first_pass(store)
    batch = make_batch(store)
    batch.mark_seen(ids[A], (A, A), Validators('"a2"'), LATER)
    found = batch.find(A)
    assert found is not None
    assert batch.numbered_text(found[1].version_id) == (1, "a1")
    assert store.validators(A) == Validators('"a1"')  # still buffered


def test_a_new_documents_events_are_written_with_it_under_its_real_id(store: Store) -> None:
    first_pass(store)
    batch = make_batch(store)
    document = batch.save_version(version(C, "c1"), LATER, [Routed(event("e-c", C))])
    assert document.id is not None
    assert document.id > 0
    assert store.events() == []  # buffered with its version
    batch.close()
    found = store.find(C)
    assert found is not None
    assert found[0].id == document.id
    assert [(e.id, e.document_id) for e in store.events()] == [("e-c", document.id)]


def test_the_ledger_is_read_without_a_flush_unless_its_documents_have_buffered_writes(
    store: Store,
) -> None:
    from monitor.commitments import extract_items
    from monitor.commitments.diff import entry

    ids = first_pass(store)
    items = extract_items("The United States will invest $5 million.")
    store.put_ledger(ids[B], [entry(item) for item in items], NOW)
    batch = make_batch(store)
    batch.mark_seen(ids[A], (A, A), Validators('"a2"'), LATER, SEEN)
    assert [c.sentence for c, _ in batch.ledger(ids[B])] == [
        "The United States will invest $5 million."
    ]
    assert store.validators(A) == Validators('"a1"')  # A's buffered write was not needed
    batch.mark_seen(ids[B], (B, B), Validators('"b2"'), LATER, SEEN)
    ((_, document),) = batch.ledger(ids[B])
    assert document.last_seen_at == LATER  # B's row had a buffered write: read after it


def test_copies_of_one_document_share_a_flush_numbered_in_order(store: Store) -> None:
    batch = make_batch(store)
    original = batch.save_version(version(C, "c1"), LATER)
    copy = DocumentUpdate(copy=True)
    for url in (D, E):
        batch.save_version(
            replace(version(url, "c1"), page=Page("Title of a copy", ("c1",))),
            LATER,
            update=copy,
            document_id=original.id,
        )
    assert original.id is not None
    assert store.versions(original.id) == []  # the original and its copies: one flush
    batch.close()
    (document,) = store.documents()
    assert document.id is not None
    assert [(v.number, v.location) for v in store.versions(document.id)] == [
        (1, C),
        (2, D),
        (3, E),
    ]
    assert document.title == "Title c1"  # the copies' titles never replace it


def test_a_look_alikes_latest_text_is_read_once_per_pass(store: Store) -> None:
    ids = first_pass(store)
    batch = make_batch(store)
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for _ in range(3):
        assert batch.latest_text(ids[A]) is not None
    batch.save_version(version(D, "a1-copy"), LATER, update=DocumentUpdate(copy=True),
                       document_id=ids[A])  # fmt: skip
    found = batch.latest_text(ids[A])
    assert found is not None
    assert found[1] == "a1-copy"  # the copy's text is the document's latest now
    assert sum("FROM version" in s for s in statements) == 1
    batch.close()
    assert store.latest_text(ids[A]) == (store.documents()[0], "a1-copy")


def test_a_copys_version_leaves_the_documents_title_in_the_openings(store: Store) -> None:
    """Twin searches later in the pass see what the store would: a copy's text under the
    document's own title (a copy never retitles its document)."""
    ids = first_pass(store)
    batch = make_batch(store)
    batch.openings(100)  # read once; later versions add to it
    copy = replace(version(D, "a1-copy"), page=Page("Another publisher's title", ("a1-copy",)))
    batch.save_version(copy, LATER, update=DocumentUpdate(copy=True), document_id=ids[A])
    held = batch.openings(100)[ids[A]]
    batch.close()
    assert held == store.openings(100)[ids[A]] == ("Title a1", "a1-copy")


def test_asking_a_written_documents_home_does_not_write_the_buffer(store: Store) -> None:
    ids = first_pass(store)
    batch = make_batch(store)
    batch.mark_seen(ids[A], (A, A), Validators('"a2"'), LATER)
    assert batch.home_location(ids[A]) == A
    assert store.validators(A) == Validators('"a1"')  # still buffered
    copy = replace(version(D, "b1"), page=Page("Title of a copy", ("b1",)))
    batch.save_version(copy, LATER, update=DocumentUpdate(copy=True), document_id=ids[B])
    assert batch.home_location(ids[B]) == B  # a buffered version of it: written first
    assert store.validators(A) == Validators('"a2"')
