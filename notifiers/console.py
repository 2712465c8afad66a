"""Alerts printed to a terminal: the default channel when nothing else is configured."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from monitor.models import Event
from notifiers.format import build_alert, render_text

RULE = "─" * 72


class ConsoleNotifier:
    channel = "console"

    def __init__(self, stream: TextIO | None = None, max_commitments: int = 8) -> None:
        self._stream = stream
        self._max_commitments = max_commitments

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stdout

    def accepts(self, event: Event) -> bool:
        return True

    def send(self, event: Event) -> None:
        print(f"{RULE}\n{render_text(build_alert(event, self._max_commitments))}", file=self.stream)

    def send_digest(self, events: Sequence[Event]) -> None:
        print(f"{RULE}\n{len(events)} HLED alerts", file=self.stream)
        for event in events:
            self.send(event)
