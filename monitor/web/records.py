"""The JSON records the API returns and the pages show; the CLI's ``--json`` prints the same
records with these functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitor.pipeline.events import from_record
from monitor.text.textdiff import diff_blocks
from store.queries import ReadStore, Row


def event_record(row: Row) -> dict[str, Any]:
    """An event as `check --json` prints it (``Event.as_json``), plus its document's id."""
    return {**from_record(row).as_json(), "document_id": row.document_id}


def version_record(version: Any, characters: int) -> dict[str, Any]:
    """A stored version (a store row, or a row of the view's queries) as `history --json`
    prints it and the API returns it."""
    return {
        "version": version.number,
        "fetched_at": version.fetched_at.isoformat(),
        "fingerprint": version.fingerprint,
        "characters": characters,
        "fetched_url": version.fetched_url,
        "extractor": version.extractor,
    }


def document_record(row: Row) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "current_url": row.current_url or row.url,
        "source": row.source,
        "agency": row.agency,
        "title": row.title,
        "doc_type": row.doc_type,
        "published": row.published,
        "status": row.status,
        "versions": row.version_count,
        "first_seen": row.first_seen_at.isoformat(),
        "last_seen": row.last_seen_at.isoformat(),
        "last_changed": row.last_changed_at.isoformat(),
    }


def location_record(row: Row) -> dict[str, Any]:
    return {"url": row.url, "agency": row.agency, "source": row.source, "status": row.status}


def ledger_record(
    commitment: Any, document_url: str, document_title: str | None, published: str | None
) -> dict[str, Any]:
    """A ledger row as `commitments --format json` prints it."""
    return {
        "status": commitment.status,
        "kind": commitment.kind,
        "sentence": commitment.sentence,
        "actors": commitment.actors,
        "pillar": commitment.pillar,
        "deadline": commitment.deadline,
        "amounts": commitment.amounts,
        "document": document_url,
        "document_title": document_title,
        "published": published,
        "first_seen": commitment.first_seen_at.isoformat(),
        "last_seen": commitment.last_seen_at.isoformat(),
        "links": commitment.links,
    }


def commitment_record(row: Row) -> dict[str, Any]:
    """A ledger row as the CLI prints it, plus the ids the view links by."""
    document_url = row.document_current_url or row.document_url
    return {
        **ledger_record(row, document_url, row.document_title, row.document_published),
        "id": row.id,
        "document_id": row.document_id,
    }


@dataclass(frozen=True)
class VersionPair:
    old: int
    new: int


class NoSuchVersion(LookupError):
    """A version number the document does not have (the view answers 400)."""


def version_pair(versions: list[Row], old: int | None, new: int | None) -> VersionPair | None:
    """The versions to compare: the given ones; by default ``new`` is the last and ``old`` the
    one before ``new``. None when there is nothing before ``new`` to compare it with."""
    numbers = [row.number for row in versions]
    if not numbers:
        return None
    new = numbers[-1] if new is None else _known(new, numbers)
    if old is None:
        if new == numbers[0]:
            return None
        old = new - 1
    return VersionPair(_known(old, numbers), new)


def _known(number: int, numbers: list[int]) -> int:
    if number not in numbers:
        known = ", ".join(map(str, numbers))
        raise NoSuchVersion(f"no version {number} (versions: {known})")
    return number


def diff_record(store: ReadStore, document_id: int, pair: VersionPair) -> dict[str, Any]:
    """What `diff` shows, as data: the changed passages, the line diff, the commitment changes."""
    from monitor.pipeline.commitment_news import (
        version_changes,
    )  # the extractor: imported for diffs only

    texts = store.version_texts(document_id, (pair.old, pair.new))
    old, new = texts[pair.old].split("\n\n"), texts[pair.new].split("\n\n")
    diff = diff_blocks(old, new, f"version {pair.old}", f"version {pair.new}")
    return {
        "from_version": pair.old,
        "to_version": pair.new,
        **diff.as_json(),
        "commitment_changes": [change.as_json() for change in version_changes(old, new)],
    }
