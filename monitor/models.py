"""Domain values that flow between the pipeline stages (tables live in ``store.tables``)."""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class FetchStatus(enum.StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not_modified"
    MOVED = "moved"  # answered after a permanent redirect (301/308): the body is there
    GONE = "gone"  # 404 or 410
    REFUSED = "refused"  # the link policy forbade the URL or a redirect hop: nothing was sent
    ERROR = "error"


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back: remembered per URL."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    url: str
    status: FetchStatus
    final_url: str | None = None
    status_code: int | None = None
    body: bytes = b""
    content_type: str = ""
    encoding: str | None = None
    validators: Validators = Validators()
    reason: str = ""
    elapsed: float = 0.0
    moved: bool = False  # a 301/308 led here (the status may still be 304)
    # The main text, when the fetcher was asked to extract it and could (the helper process
    # does, so parsing runs beside this process's work); else extraction happens on use.
    page: Page | None = None
    extract_error: str = ""  # why that extraction failed (ExtractError's message)
    # The body as the store keeps it (zlib), when the fetcher did that too; ``body`` is then
    # empty: with the page extracted, nothing else reads it.
    compressed_body: bytes | None = None

    @property
    def has_body(self) -> bool:
        return self.status in (FetchStatus.OK, FetchStatus.MOVED)

    def text(self) -> str:
        return self.body.decode(self.encoding or "utf-8", errors="replace")


@dataclass(frozen=True)
class ExtractHint:
    """Asks a fetcher that can (the helper process) to extract the page's main text too."""

    content_selector: str | None = None


@dataclass(frozen=True)
class Page:
    """The main text of one document, normalised, with what we could learn about it."""

    title: str
    blocks: tuple[str, ...]
    published: str | None = None  # ISO date, when the page says
    doc_type: str = "press release"
    extractor: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(self.blocks)

    @functools.cached_property
    def fingerprint(self) -> str:
        """Decides "changed" (``normalize.fingerprint``). Cached, and pickled with the page: the
        helper process computes it with the extraction."""
        from monitor.text.normalize import fingerprint  # models stay free of pipeline imports

        return fingerprint(self.blocks)


class EventType(enum.StrEnum):
    """Every event the monitor records: what `[notify.*] events` may name (checked at load)."""

    NEW_DOCUMENT = "new_document"
    DOCUMENT_CHANGED = "document_changed"
    DOCUMENT_MOVED = "document_moved"
    DOCUMENT_REMOVED = "document_removed"
    DOCUMENT_RESTORED = "document_restored"
    DOCUMENT_ALSO_PUBLISHED = "document_also_published"
    DOCUMENT_MENTIONS = "document_mentions"
    SOURCE_ERROR = "source_error"
    SOURCE_RECOVERED = "source_recovered"
    # From the commitments of a version (monitor.commitments.diff) and their links across
    # documents (monitor.pipeline.commitment_news); tests/unit/pipeline/test_event_types.py
    # keeps these in step.
    COMMITMENT_ADDED = "commitment_added"
    COMMITMENT_REMOVED = "commitment_removed"
    COMMITMENT_CHANGED = "commitment_changed"
    COMMITMENT_FULFILLED = "commitment_fulfilled"
    COMMITMENT_PROGRESSED = "commitment_progressed"


@dataclass(frozen=True)
class Event:
    """Something worth telling people. ``id`` is stable: the same change always gets the same id."""

    id: str
    type: str
    source: str
    agency: str
    url: str
    title: str
    detected_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "id": self.id,
            "source": self.source,
            "agency": self.agency,
            "url": self.url,
            "title": self.title,
            "detected_at": self.detected_at.isoformat(),
            **self.payload,
        }


@dataclass(frozen=True)
class Routed:
    """An event and the channels that are to be sent it, decided before it is recorded.

    The store writes one pending delivery per channel and never chooses them itself.
    """

    event: Event
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class LedgerEntry:
    """A commitment or report as the ledger keeps it (monitor.commitments.diff.entry makes it).

    ``fingerprint`` is its identity within its document: the same sentence, reworded only in
    punctuation or case, keeps its row.
    """

    fingerprint: str
    kind: str  # "commitment" | "accomplishment"
    sentence: str
    actors: tuple[str, ...] = ()
    pillar: int | None = None
    deadline: str | None = None
    amounts: tuple[str, ...] = ()  # as written


# A ledger change: the entry before and after (None: added, or removed).
LedgerChange = tuple[LedgerEntry | None, LedgerEntry | None]
