"""The SQLModel tables. Every table of the monitor lives here, and only here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware UTC datetimes in Python, naive UTC in the database (SQLite keeps no zone)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _when(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class SourceState(SQLModel, table=True):
    __tablename__ = "source_state"

    name: str = Field(primary_key=True)
    baseline_done: bool = False
    last_checked_at: datetime | None = _when(default=None)
    last_ok_at: datetime | None = _when(default=None)
    consecutive_failures: int = 0
    last_error: str | None = None
    error_reported: bool = False  # a source_error was emitted for the current failure streak


class HttpCache(SQLModel, table=True):
    """Conditional-GET validators, per fetched URL (documents and listing pages alike)."""

    __tablename__ = "http_cache"

    url: str = Field(primary_key=True)
    etag: str | None = None
    last_modified: str | None = None
    updated_at: datetime = _when()


class Document(SQLModel, table=True):
    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, index=True)  # canonical URL: the identity
    source: str = Field(index=True)
    agency: str = Field(index=True)  # the web view's filters
    title: str
    doc_type: str = Field(index=True)
    published: str | None = None
    status: str = "active"  # active | removed
    current_url: str | None = None  # where it answers now (after a move); None: at ``url``
    fingerprint: str
    version_count: int = 1
    first_seen_at: datetime = _when()
    last_seen_at: datetime = _when()
    last_changed_at: datetime = _when(index=True)  # the web view: recently changed first


class Location(SQLModel, table=True):
    """Every canonical URL a document is known at: its own, moves, and other publishers' copies."""

    __tablename__ = "location"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    url: str = Field(unique=True, index=True)
    source: str
    agency: str
    # What this location served last: a change is this location's text changing, so two
    # publishers' copies that differ slightly never look like edits of each other.
    fingerprint: str | None = None
    version_id: int | None = Field(default=None, foreign_key="version.id")
    # Where it last answered (after a permanent redirect): asked next time; a new host is a move.
    last_url: str | None = None
    # active | gone (404/410 confirmed) | moved (a permanent redirect to another location).
    # The document is removed when none of its locations is active.
    status: str = Field(default="active", sa_column_kwargs={"server_default": "active"})
    first_seen_at: datetime = _when()


class LinkVerdict(SQLModel, table=True):
    """A candidate whose link text said nothing: fetched once, and whether it was about HLED."""

    __tablename__ = "link_verdict"

    url: str = Field(primary_key=True)
    matched: bool
    checked_at: datetime = _when()


class Commitment(SQLModel, table=True):
    """The ledger: commitments and accomplishments found in documents, and how they fared."""

    __tablename__ = "commitment"
    __table_args__ = (sa.UniqueConstraint("document_id", "fingerprint"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    fingerprint: str
    kind: str  # commitment | accomplishment
    sentence: str = Field(sa_type=sa.Text)
    actors: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    pillar: int | None = Field(default=None, index=True)
    deadline: str | None = None
    amounts: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # open | progressed | fulfilled | removed (commitments); reported (accomplishments)
    status: str = Field(default="open", index=True)
    links: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    first_seen_at: datetime = _when()
    last_seen_at: datetime = _when()


class Version(SQLModel, table=True):
    __tablename__ = "version"
    __table_args__ = (sa.UniqueConstraint("document_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    number: int  # the document's: a location's versions may skip the numbers of another's
    # The canonical URL of the location it was fetched at (after a move: where it moved to).
    # None only for versions recorded before locations kept their own versions.
    location: str | None = Field(default=None, index=True)
    fingerprint: str
    text: str = Field(sa_type=sa.Text)
    raw_body: bytes = Field(sa_type=sa.LargeBinary)  # zlib-compressed response body, for audit
    fetched_url: str
    extractor: str
    fetched_at: datetime = _when()


class EventRecord(SQLModel, table=True):
    __tablename__ = "event"
    # The web view and the feed list events newest first, often of one type or source.
    __table_args__ = (
        sa.Index("ix_event_type_detected_at", "type", "detected_at"),
        sa.Index("ix_event_source_detected_at", "source", "detected_at"),
    )

    id: str = Field(primary_key=True)  # stable: re-running a check never duplicates an event
    type: str = Field(index=True)
    source: str = Field(index=True)
    agency: str
    url: str
    title: str
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    detected_at: datetime = _when(index=True)


class Delivery(SQLModel, table=True):
    """One row per (event, channel): the outbox that makes delivery exactly-once."""

    __tablename__ = "delivery"
    __table_args__ = (sa.UniqueConstraint("event_id", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(foreign_key="event.id", index=True)
    channel: str = Field(index=True)
    status: str = Field(default="pending", index=True)  # pending | sent | failed
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime = _when()
    sent_at: datetime | None = _when(default=None)
