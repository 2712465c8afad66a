"""The Notifier protocol and the destination filters every channel shares."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from monitor.config import Destination
from monitor.models import Event

D = TypeVar("D", bound=Destination)


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


def accepts_any(destinations: Sequence[Destination], event: Event) -> bool:
    """Several destinations sharing one channel: the event goes there if any of them wants it."""
    return any(accepts(destination, event) for destination in destinations)


def group_destinations(
    destinations: Sequence[D], channel_of: Callable[[D, int], str]
) -> dict[str, list[D]]:
    """Destinations by channel name, in configuration order.

    A channel name is what a delivery row records, so two destinations that post to the same
    place must share it: otherwise one event would be sent there twice.
    """
    groups: dict[str, list[D]] = {}
    for index, destination in enumerate(destinations):
        groups.setdefault(channel_of(destination, index), []).append(destination)
    return groups
