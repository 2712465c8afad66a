"""The Notifier protocol and the destination filters every channel shares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from monitor.config import Destination
from monitor.models import Event


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
