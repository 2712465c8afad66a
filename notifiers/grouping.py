"""One message per document: a document's events of one delivery run, as one alert.

Events stay one per fact (in the store and in ``check --json``); a person gets one message per
document per check. The message stands on the document's main event (a new document, a
change, ...) and carries the others as its sections (``payload["related"]``): the
commitments a new document reports on (fulfilled / progressed), moves, copies. A change's own
commitment events are left out, because the change already lists its commitment changes.
Commitment events with no document event become one "commitment updates" alert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TypeVar

from monitor.models import Event, EventType

# The event a document's message stands on: the first of these types present.
MAIN_TYPES = (
    "new_document",
    "document_changed",
    "document_mentions",
    "document_also_published",
    "document_moved",
    "document_removed",
    "document_restored",
)
# A change lists these already, in its ``commitment_changes``.
CHANGE_PARTS = frozenset(
    {EventType.COMMITMENT_ADDED, EventType.COMMITMENT_REMOVED, EventType.COMMITMENT_CHANGED}
)
COMMITMENT_UPDATES = "commitment_updates"
T = TypeVar("T")


def in_messages(entries: Sequence[tuple[T, Event, int | None]]) -> list[list[tuple[T, Event]]]:
    """``(delivery, event, document id)`` in order, as messages: one per document per check.

    A document's events join its open message until one of a main type already in it comes
    at the same address (a second change of the same page: another check's, left pending by a
    failure), which opens the next; the original and a copy changed in one check share one.
    Dependent events (commitments) follow their main event, as recorded.
    """
    messages: list[list[tuple[T, Event]]] = []
    open_: dict[tuple[str, object], int] = {}
    for item, event, document_id in entries:
        key = group_key(event, document_id)
        index = open_.get(key)
        if index is None or (
            event.type in MAIN_TYPES and any(_repeats(e, event) for _, e in messages[index])
        ):
            messages.append([])
            index = open_[key] = len(messages) - 1
        messages[index].append((item, event))
    return messages


def _repeats(earlier: Event, event: Event) -> bool:
    """The same kind of news of the same address: another check's, not this one's (copies
    found at different addresses are news of one check)."""
    return earlier.type == event.type and all(
        earlier.payload.get(key) == event.payload.get(key) for key in ("location", "new_location")
    )


def group_key(event: Event, document_id: int | None) -> tuple[str, object]:
    """Events of one document share a message; anything else (a source's health) is alone."""
    if document_id is not None:
        return ("document", document_id)
    if event.type in MAIN_TYPES or event.type.startswith("commitment_"):
        return ("url", event.url)
    return ("event", event.id)


def combine(events: Sequence[Event]) -> Event:
    """One event standing for ``events`` (one document's) in a single message."""
    if len(events) == 1:
        return events[0]
    main = next((e for kind in MAIN_TYPES for e in events if e.type == kind), None)
    if main is None:  # commitment events only: one alert listing them all
        first = events[0]
        return replace(
            first, type=COMMITMENT_UPDATES, payload={"related": [_related(e) for e in events]}
        )
    others = [e for e in events if e is not main]
    if main.type == "new_document":
        main, others = _with_copies(main, others)
    if main.type == "document_changed":
        others = [e for e in others if e.type not in CHANGE_PARTS]
    if not others:
        return main
    return replace(main, payload={**main.payload, "related": [_related(e) for e in others]})


def _with_copies(main: Event, others: list[Event]) -> tuple[Event, list[Event]]:
    """A new document and the copies found in the same check: one announcement naming every
    location (each copy is a ``document_also_published`` of its own in the store)."""
    copies = [e for e in others if e.type == "document_also_published"]
    if not copies:
        return main, others
    named = [*main.payload.get("locations", []), *(e.payload["new_location"] for e in copies)]
    locations = list(dict.fromkeys(named))
    rest = [e for e in others if e.type != "document_also_published"]
    return replace(main, payload={**main.payload, "locations": locations}), rest


def _related(event: Event) -> dict[str, Any]:
    return {"type": event.type, "url": event.url, "title": event.title, **event.payload}
