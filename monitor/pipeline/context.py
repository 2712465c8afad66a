"""What every stage of a check pass is handed: configuration, store, HTTP, clock, outbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from monitor.config import Settings
from monitor.fetch.client import Fetches, Sleep
from monitor.identity.twin_index import TwinIndex
from store.repo import ChannelSelector, Store

if TYPE_CHECKING:
    from monitor.fetch.browser import PassBrowser

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CheckContext:
    """Injected I/O and time, so tests control all of it."""

    settings: Settings
    store: Store
    fetcher: Fetches
    now: Clock
    channels: ChannelSelector
    sleep: Sleep
    # The documents this pass announced (``new_document``): a copy of one found in the same
    # pass is news even from a source in its baseline.
    announced: set[int] = field(default_factory=set)
    twins: TwinIndex = field(default_factory=TwinIndex)  # openings of known documents
    # The pass's headless Chromium (started on first use) for sources with fetch = auto|browser.
    browser: PassBrowser | None = None
