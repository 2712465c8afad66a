"""The JSON records the API returns and the pages show: the same fields as the CLI's ``--json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monitor.text.textdiff import diff_blocks
from store.queries import ReadStore, Row


def event_record(row: Row) -> dict[str, Any]:
    """An event as `check --json` prints it (``Event.as_json``), plus its document's id."""
    return {
        "type": row.type,
        "id": row.id,
        "source": row.source,
        "agency": row.agency,
        "url": row.url,
        "title": row.title,
        "detected_at": row.detected_at.isoformat(),
        **(row.payload or {}),
        "document_id": row.document_id,
    }


def version_record(row: Row) -> dict[str, Any]:
    """A version as `history --json` prints it."""
    return {
        "version": row.number,
        "fetched_at": row.fetched_at.isoformat(),
        "fingerprint": row.fingerprint,
        "characters": row.characters,
        "fetched_url": row.fetched_url,
        "extractor": row.extractor,
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


def commitment_record(row: Row) -> dict[str, Any]:
    """A ledger row as `commitments --format json` prints it, plus the ids the view links by."""
    return {
        "status": row.status,
        "kind": row.kind,
        "sentence": row.sentence,
        "actors": row.actors,
        "pillar": row.pillar,
        "deadline": row.deadline,
        "amounts": row.amounts,
        "document": row.document_current_url or row.document_url,
        "document_title": row.document_title,
        "published": row.document_published,
        "first_seen": row.first_seen_at.isoformat(),
        "last_seen": row.last_seen_at.isoformat(),
        "links": row.links,
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
