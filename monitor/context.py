"""What every stage of a check pass is handed: configuration, store, HTTP, clock, outbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from monitor.config import Settings
from monitor.fetch import Fetcher, Sleep
from store.repo import ChannelSelector, Store

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CheckContext:
    """Injected I/O and time, so tests control all of it."""

    settings: Settings
    store: Store
    fetcher: Fetcher
    now: Clock
    channels: ChannelSelector
    sleep: Sleep
