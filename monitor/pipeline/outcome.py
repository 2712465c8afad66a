"""What one document's check came to, as data: its writes and events, recorded in one place.

The decision modules (``resolution``, ``removal``, ``compare``, ``arrival``) only read the store;
each returns a ``DocumentOutcome``, and ``record`` writes it. A document has at most one
document write (a version, a seen mark, or a status change); its events are recorded with it,
in the same transaction. Marks about addresses (validators, link verdicts) come first, and the
commitments last and apart: a failure there costs only the commitments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from monitor.models import Event, Routed, Validators
from store.repo import DocumentUpdate, NewVersion

if TYPE_CHECKING:
    from monitor.commitments import Item
    from monitor.commitments.diff import ItemChange

Links = list[tuple[int, dict[str, Any], str]]  # (commitment or item index, link, relation)


@dataclass(frozen=True)
class SaveVersion:
    """A new version: of ``document_id``, or of a new document when it is None."""

    new: NewVersion
    update: DocumentUpdate
    document_id: int | None = None


@dataclass(frozen=True)
class MarkSeen:
    """A known location answered with the text we hold (or 304)."""

    document_id: int
    location: tuple[str, str]  # canonical, asked-for URL
    validators: Validators
    update: DocumentUpdate


@dataclass(frozen=True)
class UpdateDocument:
    """A document's or one of its locations' status changed, with no version (a removal)."""

    document_id: int
    update: DocumentUpdate
    location: str


DocumentWrite = SaveVersion | MarkSeen | UpdateDocument


@dataclass(frozen=True)
class RememberValidators:
    """An address was asked (a dead or refused link): the cap asks new ones first."""

    url: str
    validators: Validators


@dataclass(frozen=True)
class LinkVerdict:
    """Whether a vague link's page turned out to be about the HLED."""

    url: str
    matched: bool


Mark = RememberValidators | LinkVerdict


@dataclass(frozen=True)
class NewLedger:
    """A new document's commitments, and their links to and from earlier documents."""

    items: list[Item]
    links: Links  # earlier commitments this document reports on
    later: Links  # later documents reporting on this one's (by item index)


@dataclass(frozen=True)
class LedgerChanges:
    """A new version's commitment changes, applied to the document's ledger."""

    changes: list[ItemChange]


CommitmentWrite = NewLedger | LedgerChanges


@dataclass(frozen=True)
class DocumentOutcome:
    """One document in one check: what it came to, what to write and what to tell."""

    at: datetime | None = None  # when it was decided: the time its writes carry
    write: DocumentWrite | None = None
    # Recorded with ``write``, in one transaction, each with the channels it goes to.
    events: tuple[Routed, ...] = ()
    marks: tuple[Mark, ...] = ()
    commitments: CommitmentWrite | None = None
    new: bool = False  # a new document announced (after the source's baseline)
    changed: bool = False
    error: str | None = None
    # A listed link that is not there yet (404): read the index again next time, not a 304.
    unread: bool = False

    @property
    def found(self) -> tuple[Event, ...]:
        """The events alone: what the pass reports."""
        return tuple(routed.event for routed in self.events)

    @property
    def versions(self) -> tuple[NewVersion, ...]:
        return (self.write.new,) if isinstance(self.write, SaveVersion) else ()
