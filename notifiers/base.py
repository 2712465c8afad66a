"""The Notifier protocol, and message text shared by every channel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from monitor.config import Destination
from monitor.models import Event

TITLES = {
    "new_document": "New HLED document",
    "document_changed": "HLED document changed",
    "document_moved": "HLED document moved",
    "document_removed": "HLED document removed",
    "document_restored": "HLED document restored",
    "source_error": "Source failing",
    "source_recovered": "Source recovered",
}


class Notifier(Protocol):
    """A delivery channel. ``channel`` names it on delivery rows, so it must be stable."""

    channel: str

    def accepts(self, event: Event) -> bool: ...

    def send(self, event: Event) -> None:
        """Deliver one alert; raise NotifyError (retry later) or PermanentNotifyError."""

    def send_digest(self, events: Sequence[Event]) -> None:
        """Deliver many alerts as one message."""


def accepts(destination: Destination | None, event: Event) -> bool:
    """A destination's ``events`` and ``agencies`` filters."""
    if destination is None:
        return True
    if destination.events is not None and event.type not in destination.events:
        return False
    return destination.agencies is None or event.agency in destination.agencies


def headline(event: Event) -> str:
    return f"{TITLES.get(event.type, event.type)}: {event.title or event.url}"


def plain_text(event: Event) -> str:
    """A readable plain-text alert: who, what, where, and what changed."""
    payload = event.payload
    lines = [headline(event), f"{event.agency} · {payload.get('doc_type', '')}".rstrip(" ·")]
    if payload.get("published"):
        lines.append(f"Published: {payload['published']}")
    lines.append(str(event.url))
    if event.type == "new_document" and payload.get("opening"):
        lines += ["", str(payload["opening"])]
    for change in payload.get("changes", [])[:10]:
        lines += ["", str(change.get("compact", ""))]
    if payload.get("error"):
        lines += ["", str(payload["error"])]
    return "\n".join(lines)
