"""A notifier that keeps alerts in memory: for tests, and for ``check --no-notify``."""

from __future__ import annotations

from collections.abc import Sequence

from monitor.errors import NotifyError
from monitor.models import Event


class MemoryNotifier:
    def __init__(self, channel: str = "memory", fail_with: NotifyError | None = None) -> None:
        self.channel = channel
        self.sent: list[Event] = []
        self.digests: list[list[Event]] = []
        self.fail_with = fail_with  # set to make every send fail, e.g. to test retries

    def accepts(self, event: Event) -> bool:
        return True

    def send(self, event: Event) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append(event)

    def send_digest(self, events: Sequence[Event]) -> None:
        if self.fail_with is not None:
            raise self.fail_with
        self.digests.append(list(events))
        self.sent.extend(events)
