"""Alerts printed to a terminal: the default channel when nothing else is configured."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from monitor.models import Event
from notifiers.base import plain_text

RULE = "─" * 72


class ConsoleNotifier:
    channel = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stdout

    def accepts(self, event: Event) -> bool:
        return True

    def send(self, event: Event) -> None:
        print(f"{RULE}\n{plain_text(event)}", file=self.stream)

    def send_digest(self, events: Sequence[Event]) -> None:
        print(f"{RULE}\n{len(events)} HLED alerts", file=self.stream)
        for event in events:
            self.send(event)
