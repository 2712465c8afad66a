"""A check pass's unit of work: the rows it reads loaded in bulk, the writes it makes batched.

Per document, a pass reads a few rows (its location and document, its validators, its source's
state; for a new document, every title and opening and a few texts to look for twins) and
writes a few (seen, validators, source state, or a version). One small ORM transaction each
cost more than fetching the document. A ``Batch`` holds the ``Store`` (it is not one): it loads
the rows of every configured URL and source with a few IN (...) queries, answers the pass's
questions from memory, and buffers its writes; the buffer is written in one transaction at the
end of the pass, or every ``flush_every`` writes or ``max_versions`` versions, whose bodies take
memory. A new document's first version is buffered too, under an id reserved from the database
(``store._ids``): every id the batch hands out is the database's own.

It offers only the operations a pass uses. What it does not answer from memory it asks the
store once the buffer is written (``_flushed``), so the answer sees what the pass has done so
far. A version and its events are written in one transaction, and a source is marked checked
in the same transaction as the versions its check found. Writes keep their order: a flush
writes versions first, then seen marks, validators and source states, and a version that
touches rows an earlier buffered write touches is preceded by a flush. Raw bodies are
compressed in a worker thread (zlib releases the GIL). When a flush fails, its writes are lost
(and the ids reserved for its new documents unused) and the error propagates: the next pass
finds the same changes again, with the same event ids.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from typing import Any

from monitor.models import LedgerChange, LedgerEntry, Routed, Validators
from store import _bulk
from store._buffer import Buffer, BufferedVersion, write_buffered
from store._documents import compress_body, new_document_row
from store._ids import DocumentIds
from store._values import Openings
from store.repo import DocumentUpdate, NewVersion, Store, check_outcome
from store.tables import Commitment, Document, Location, SourceState

LATEST_KEPT = 256  # latest texts kept for twin searches: a few MB at most


class Batch:
    def __init__(
        self,
        store: Store,
        locations: Mapping[str, str],
        names: Sequence[str],
        *,
        flush_every: int = 1000,
        max_versions: int = 100,
    ) -> None:
        """``locations``: each URL the pass will ask for, and its canonical location."""
        self.store = store
        self.flush_every, self.max_versions = flush_every, max_versions
        self._names, self._urls = set(names), set(locations)
        with store.session() as session:
            self._states = _bulk.load_states(session, names)
            self._found = _bulk.load_found(session, locations.values())
            self._validators = _bulk.load_validators(session, locations)
        self._buffer = Buffer()
        self._openings: Openings | None = None  # id -> (title, opening), kept current
        self._opening_chars = 0
        # Known documents' latest texts, as read for twin searches (kept current by save_version)
        self._latest: OrderedDict[int, tuple[Document, str]] = OrderedDict()
        self._compressor: ThreadPoolExecutor | None = None
        self._ids = DocumentIds(store.engine)

    def close(self) -> None:
        """Write what is buffered (the store stays open: it belongs to the caller)."""
        try:
            self.flush()
        finally:
            if self._compressor is not None:
                self._compressor.shutdown()

    # -- reading: from memory, else from the store (after the buffer, if it may matter) ---------

    def source_state(self, name: str) -> SourceState:
        values = self._state_values(name)
        return self.store.source_state(name) if values is None else _state_copy(values)

    def validators(self, url: str) -> Validators:
        if url in self._validators:  # every buffered validator is here too
            return self._validators[url]
        return Validators() if url in self._urls else self.store.validators(url)

    def asked(self, urls: Sequence[str]) -> dict[str, datetime]:
        return self._flushed().asked(urls)

    def link_verdict(self, url: str) -> bool | None:
        return self.store.link_verdict(url)  # never buffered

    def known_events(self, ids: Iterable[str]) -> set[str]:
        return self._flushed().known_events(ids)

    def find(self, location: str) -> tuple[Document, Location] | None:
        if location not in self._found or location in self._buffer.locations:
            self._found[location] = self._flushed().find(location)
        return self._found[location]

    def watched(self, source: str) -> list[tuple[str, str]]:
        return self._flushed().watched(source)

    def locations(self, document_id: int) -> list[Location]:
        return self._flushed().locations(document_id)

    def openings(self, chars: int) -> Openings:
        if self._openings is None or chars != self._opening_chars:
            self._openings = self._flushed().openings(chars)
            self._opening_chars = chars
        return self._openings  # read-only to callers; kept current by save_version

    def latest_text(self, document_id: int) -> tuple[Document, str] | None:
        """Read once per document per pass (a twin search compares a look-alike many times)."""
        if document_id in self._latest:
            self._latest.move_to_end(document_id)
            return self._latest[document_id]
        found = self._flushed().latest_text(document_id)
        if found is not None:
            self._latest[document_id] = found
            if len(self._latest) > LATEST_KEPT:
                self._latest.popitem(last=False)
        return found

    def numbered_text(self, version_id: int | None) -> tuple[int, str] | None:
        # A version never changes once written, and only written ones have ids: no flush.
        return self.store.numbered_text(version_id)

    def home_location(self, document_id: int) -> str | None:
        # The first version of a document with no buffered version is written: no flush (an
        # edit asks this of every changed document).
        pending = document_id in self._buffer.documents
        return (self._flushed() if pending else self.store).home_location(document_id)

    def ledger(
        self, document_id: int | None = None, pillar: int | None = None, status: str | None = None
    ) -> list[tuple[Commitment, Document]]:
        # The buffer never writes commitments; read without a flush unless a document in the
        # answer has buffered writes (its row would be stale).
        rows = self.store.ledger(document_id, pillar, status)
        pending = self._buffer.documents | self._buffer.seen_documents
        if any(document.id in pending for _, document in rows):
            return self._flushed().ledger(document_id, pillar, status)
        return rows

    def documents_without_ledger(self) -> list[Document]:
        return self._flushed().documents_without_ledger()

    # -- writing: buffered, else written by the store after the buffer (their order kept) -------

    def update_source(self, name: str, now: datetime, error: str | None) -> SourceState:
        values = self._state_values(name)
        if values is None:
            return self._flushed().update_source(name, now, error)
        before = _state_copy(values)
        values.update(check_outcome(now, error, values["consecutive_failures"]))
        self._buffer.checked.add(name)
        self._flush_if_full()
        return before

    def set_error_reported(
        self, name: str, events: Iterable[Routed] = (), now: datetime | None = None
    ) -> None:
        self._flushed().set_error_reported(name, events, now)
        if name in self._states:
            self._states[name]["error_reported"] = True

    def record_events(self, events: Iterable[Routed], now: datetime) -> None:
        self._flushed().record_events(events, now)

    def remember_validators(self, url: str, validators: Validators, now: datetime) -> None:
        self._buffer.http[url] = (validators, now)
        self._validators[url] = validators
        self._flush_if_full()

    def save_link_verdict(self, url: str, matched: bool, now: datetime) -> None:
        self._flushed().save_link_verdict(url, matched, now)

    def mark_seen(
        self,
        document_id: int,
        location: tuple[str, str],
        validators: Validators,
        now: datetime,
        update: DocumentUpdate | None = None,
        events: Sequence[Routed] = (),
    ) -> None:
        update = update or DocumentUpdate()
        if events or update.status or update.current_url or update.new_locations:
            # News (a move, a restoration): written now.
            self._flushed().mark_seen(document_id, location, validators, now, update, events)
            self._validators[location[1]] = validators  # written with it
            self._forget(document_id, update.new_locations)
            return
        canonical, asked = location
        self._buffer.seen[(document_id, canonical)] = (update.location_status, update.last_url, now)
        self._buffer.seen_documents.add(document_id)
        self.remember_validators(asked, validators, now)
        found = self._found.get(canonical)
        if found is not None and found[1].document_id == document_id:
            found[0].last_seen_at = now
            found[1].status = update.location_status or found[1].status
            found[1].last_url = update.last_url or found[1].last_url

    def update_document(
        self,
        document_id: int,
        now: datetime,
        update: DocumentUpdate,
        events: Sequence[Routed] = (),
        location: str | None = None,
    ) -> None:
        self._flushed().update_document(document_id, now, update, events, location)
        self._forget(document_id, update.new_locations)

    def put_ledger(self, document_id: int, items: Sequence[LedgerEntry], now: datetime) -> None:
        self._flushed().put_ledger(document_id, items, now)

    def apply_changes(
        self, document_id: int, changes: Sequence[LedgerChange], now: datetime
    ) -> None:
        self._flushed().apply_changes(document_id, changes, now)

    def add_link(self, commitment_id: int, link: dict[str, Any], status: str) -> None:
        self._flushed().add_link(commitment_id, link, status)

    def add_item_link(
        self, document_id: int, fingerprint: str, link: dict[str, Any], status: str
    ) -> None:
        self._flushed().add_item_link(document_id, fingerprint, link, status)

    def save_version(
        self,
        new: NewVersion,
        now: datetime,
        events: Sequence[Routed] = (),
        update: DocumentUpdate | None = None,
        document_id: int | None = None,
    ) -> Document:
        """Buffered; a new document (no ``document_id``) gets its id now, reserved.

        Returns the document as this version leaves it (a known one: as the batch holds it).
        """
        asked = new.requested_url or new.fetched_url
        if self._buffer.touches(document_id, new, update):
            self.flush()  # an earlier write touches the same rows: keep the order
        self._validators[asked] = new.validators
        first = document_id is None
        if document_id is None:
            document_id = self._ids.reserve()
        body = self._compress(new.raw_body)
        # The compressed copy is the one kept until written.
        slim = replace(new, raw_body=b"")
        version = BufferedVersion(slim, now, tuple(events), update, document_id, body, first)
        self._buffer.add(version, asked)
        self._keep_latest(document_id, new, update)
        self._note(document_id, new, copy=update is not None and update.copy)
        self._flush_if_full()
        found = self._found.get(new.location)
        if found is not None:
            return found[0]
        row = {**new_document_row(new, now).model_dump(), "id": document_id}
        return Document.model_validate({**row, "version_count": 1} if first else row)

    # -- the buffer ----------------------------------------------------------------------------

    def flush(self) -> None:
        """Write everything buffered, in one transaction."""
        self._ids.written()  # a store operation may follow: its documents count too
        buffer, self._buffer = self._buffer, Buffer()
        if buffer.empty:
            return
        with self.store.session() as session, session.begin():
            write_buffered(session, buffer.versions)
            _bulk.touch(session, buffer.seen)
            _bulk.put_all_validators(session, buffer.http)
            states = [self._states[name] for name in buffer.checked]
            _bulk.upsert(session, SourceState, "name", states)
        if buffer.locations:  # read again: versions wrote them
            with self.store.session() as session:
                self._found.update(_bulk.load_found(session, buffer.locations))

    def _flushed(self) -> Store:
        """The store, once the buffer is written: for what the batch does not answer itself."""
        self.flush()
        return self.store

    def _flush_if_full(self) -> None:
        buffer = self._buffer
        if buffer.size >= self.flush_every or len(buffer.versions) >= self.max_versions:
            self.flush()

    def _compress(self, raw_body: bytes) -> Future[bytes]:
        """Compress in a worker thread: zlib releases the GIL, so this overlaps fetching."""
        if self._compressor is None:
            self._compressor = ThreadPoolExecutor(1, thread_name_prefix="compress")
        return self._compressor.submit(compress_body, raw_body)

    # -- helpers -------------------------------------------------------------------------------

    def _state_values(self, name: str) -> dict[str, Any] | None:
        if name not in self._names:
            return None  # a source the batch was not made for: the store answers
        if name not in self._states:
            self._states[name] = {**_new_state(), "name": name}
        return self._states[name]

    def _note(self, document_id: int, new: NewVersion, copy: bool = False) -> None:
        """A new version's title and opening, for the twin searches still to come (a copy's
        version leaves its document's title as it was)."""
        if self._openings is not None:
            held = self._openings.get(document_id, ("", ""))[0]
            title = held if copy else new.page.title or held
            self._openings[document_id] = (title, new.page.text[: self._opening_chars])

    def _keep_latest(
        self, document_id: int, new: NewVersion, update: DocumentUpdate | None
    ) -> None:
        """A known document's new version is its latest text now. A copy's version leaves the
        document's own row as it was, so only its text changes; any other is read again."""
        if document_id not in self._latest:
            return
        if update is not None and update.copy:
            self._latest[document_id] = (self._latest[document_id][0], new.page.text)
        else:
            del self._latest[document_id]

    def _forget(self, document_id: int, added: Sequence[str] = ()) -> None:
        """Another store operation changed this document, and maybe gave it the locations
        ``added`` (held as unknown until then): read them again when asked."""
        self._latest.pop(document_id, None)
        for location, found in list(self._found.items()):
            if found is not None and found[0].id == document_id:
                del self._found[location]
        for location in added:
            self._found.pop(location, None)


def _state_copy(values: dict[str, Any]) -> SourceState:
    """A read-only copy of a source's state. Not validated: the values are our own rows'
    (validating cost ~40 us, twice per source per pass)."""
    return SourceState.model_construct(**values)


@functools.cache
def _new_state() -> dict[str, Any]:
    return SourceState(name="").model_dump()
