"""What a ``Batch`` holds until it writes: its buffered versions, seen marks and states."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from monitor.models import Routed, Validators
from store import _bulk
from store._documents import NewVersion, VersionWrite, new_document_row, write_versions
from store._values import DocumentUpdate
from store.tables import Document


@dataclass(frozen=True)
class BufferedVersion:
    """A buffered ``save_version``."""

    new: NewVersion  # its raw body is dropped: ``body`` compresses it meanwhile
    now: datetime
    events: tuple[Routed, ...]
    update: DocumentUpdate | None
    document_id: int  # a new document's is reserved (``store._ids``)
    body: Future[bytes]
    first: bool = False  # a new document's first version: its row is written with it


@dataclass
class Buffer:
    versions: list[BufferedVersion] = field(default_factory=list)
    # (document id, canonical location) -> (location status, last URL, when): mark_seen's writes
    seen: dict[tuple[int, str], tuple[str | None, str | None, datetime]] = field(
        default_factory=dict
    )
    http: dict[str, tuple[Validators, datetime]] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    # What the buffered versions touch, to keep the order of two writes to one row.
    documents: set[int] = field(default_factory=set)
    locations: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    seen_documents: set[int] = field(default_factory=set)

    @property
    def size(self) -> int:
        parts = (self.versions, self.seen, self.http, self.checked)
        return sum(map(len, parts))

    @property
    def empty(self) -> bool:
        return self.size == 0

    def touches(
        self, document_id: int | None, new: NewVersion, update: DocumentUpdate | None
    ) -> bool:
        """Whether a version would write rows an earlier buffered write writes too."""
        urls = (new.location, *(update.new_locations if update else ()))
        asked = new.requested_url or new.fetched_url
        # Versions of one document may share a flush (its copies: write_versions numbers them
        # in order); a seen mark of it may not, for it is written after the versions.
        return (
            (document_id is not None and document_id in self.seen_documents)
            or any(url in self.locations for url in urls)
            or asked in self.urls
            or asked in self.http
        )

    def add(self, version: BufferedVersion, asked: str) -> None:
        self.versions.append(version)
        self.documents.add(version.document_id)
        self.locations.add(version.new.location)
        self.locations.update(version.update.new_locations if version.update else ())
        self.urls.add(asked)


def write_buffered(session: Session, versions: list[BufferedVersion]) -> list[Document]:
    """The buffered versions, through ``write_versions``: their documents' rows read at once,
    a new document's made here (under its reserved id) and shared by its copies' versions."""
    ids = [version.document_id for version in versions if not version.first]
    known = {row.id: row for row in _bulk.load(session, Document, "id", ids)}
    for version in versions:
        if version.first:
            known[version.document_id] = new_document_row(version.new, version.now)
            known[version.document_id].id = version.document_id
    writes = [
        VersionWrite(known[v.document_id], v.new, v.now, v.events, v.update, v.body.result())
        for v in versions
    ]
    return write_versions(session, writes)
