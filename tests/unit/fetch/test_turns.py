"""Per-host turns, shared by the plain fetcher and the browser."""

from __future__ import annotations

import asyncio
from collections import Counter

from monitor.fetch._turns import HostTurns


def peak_at_once(turns: HostTurns, hosts: list[str]) -> Counter[str]:
    """The most requests each host had out at once, every request holding its turn a moment."""
    out: Counter[str] = Counter()
    peak: Counter[str] = Counter()

    async def request(host: str) -> None:
        async with turns.turn(host):
            out[host] += 1
            peak[host] = max(peak[host], out[host])
            await asyncio.sleep(0.01)
            out[host] -= 1

    async def go() -> None:
        await asyncio.gather(*(request(host) for host in hosts))

    asyncio.run(go())
    return peak


def test_a_host_gets_per_host_requests_at_once_and_another_host_its_own() -> None:
    peak = peak_at_once(HostTurns(2, 0), ["a.gov"] * 6 + ["b.gov"] * 3)
    assert peak == Counter({"a.gov": 2, "b.gov": 2})


def test_starts_to_one_host_are_delay_apart() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    turns = HostTurns(3, 2.0, sleep)
    peak_at_once(turns, ["a.gov"] * 3 + ["b.gov"])
    assert len(waits) == 2  # the second and third start to a.gov; b.gov's first never waits
    assert all(1.5 < wait <= 2.0 for wait in waits)
