"""Per-host politeness, one implementation for the plain fetcher and the browser.

A host gets ``per_host`` requests at once, and their starts are ``delay`` seconds apart; the
requests themselves overlap. The pass's browser keeps turns of its own with the same limits.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class _Host:
    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


class HostTurns:
    """Whose turn it is, per host: ``per_host`` at once, starting ``delay`` seconds apart."""

    def __init__(self, per_host: int, delay: float, sleep: Sleep = asyncio.sleep) -> None:
        self._per_host, self._delay, self._sleep = per_host, delay, sleep
        self._hosts: dict[str, _Host] = {}

    @asynccontextmanager
    async def turn(self, host: str) -> AsyncIterator[None]:
        """Held for one request to ``host``: entered when it may start."""
        if host not in self._hosts:
            self._hosts[host] = _Host(asyncio.Semaphore(self._per_host))
        gate = self._hosts[host]
        async with gate.slots:
            await self._pause(gate)
            yield

    async def _pause(self, gate: _Host) -> None:
        if self._delay <= 0:
            return
        async with gate.lock:  # starts are spaced one by one
            wait = gate.next_start - time.monotonic()
            if wait > 0:
                await self._sleep(wait)
            gate.next_start = time.monotonic() + self._delay
