"""What every stage of a check pass is handed: configuration, store, HTTP, clock, outbox."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from monitor.config import Settings
from monitor.fetch.client import Fetches, Sleep
from monitor.identity.twin_index import TwinIndex
from monitor.models import Event, Routed
from store import Batch

if TYPE_CHECKING:
    from monitor.fetch.browser import PassBrowser

Clock = Callable[[], datetime]
# Who is to hear of an event: the channels of the notifiers that accept it.
ChannelSelector = Callable[[Event], Sequence[str]]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CheckContext:
    """Injected I/O and time, so tests control all of it."""

    settings: Settings
    store: Batch  # the pass's reads and writes, in bulk (it holds the Store)
    fetcher: Fetches
    now: Clock
    channels: ChannelSelector
    sleep: Sleep
    # The documents this pass announced (``new_document``), each with the channels its
    # announcement went to: a copy of one found in the same pass is news even from a source in
    # its baseline, and goes to those channels (the alert there names every location).
    announced: dict[int, tuple[str, ...]] = field(default_factory=dict)
    twins: TwinIndex = field(default_factory=TwinIndex)  # openings of known documents
    # The pass's headless Chromium (started on first use) for sources with fetch = auto|browser.
    browser: PassBrowser | None = None

    def routed(self, found: Iterable[Event]) -> tuple[Routed, ...]:
        """``found`` with the channels each goes to: decided here, before the store records it."""
        return route(found, self.channels)


def route(events: Iterable[Event], channels: ChannelSelector) -> tuple[Routed, ...]:
    """Each event with the channels ``channels`` selects for it."""
    return tuple(Routed(event, tuple(channels(event))) for event in events)
