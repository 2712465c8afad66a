"""Retries of timeouts share a per-source deadline (issue 13, item 4)."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx

from monitor.config import FetchConfig
from monitor.fetch.client import Fetcher
from monitor.models import FetchResult, FetchStatus
from tests.unit.fetch.test_fetch import Recorder


class Silent(httpx.AsyncBaseTransport):
    """Accepts every request and answers none (paths under /hang), or 503 (/busy)."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests[request.url.path] += 1
        if request.url.path.startswith("/busy"):
            return httpx.Response(503)
        await asyncio.sleep(30)
        return httpx.Response(200)


def fetch_all(
    paths: list[str], sources: list[str], **config: object
) -> tuple[Counter[str], list[FetchResult]]:
    settings = FetchConfig.model_validate(
        {"per_host_delay": 0, "timeout": 0.2, "retries": 3, **config}
    )
    transport = Silent()

    async def go() -> list[FetchResult]:
        fetcher = Fetcher(settings, transport=transport, sleep=Recorder())
        try:
            return list(await asyncio.gather(*(
                fetcher.fetch(f"https://www.state.gov{path}", source=source)
                for path, source in zip(paths, sources, strict=True)
            )))  # fmt: skip
        finally:
            await fetcher.aclose()

    return transport.requests, asyncio.run(go())


def test_a_timeout_is_retried_only_within_the_source_deadline() -> None:
    # A deadline shorter than one backoff: no timeout of this source is retried at all.
    requests, results = fetch_all(["/hang-1", "/hang-2"], ["a", "a"], timeout_deadline=0.3)
    assert requests == {"/hang-1": 1, "/hang-2": 1}  # without the deadline: 1 + 3 retries each
    assert all(r.status is FetchStatus.ERROR and "no answer" in r.reason for r in results)


def test_the_deadline_is_per_source_and_only_for_timeouts() -> None:
    requests, _ = fetch_all(["/hang", "/busy"], ["a", "a"], timeout_deadline=0.3)
    assert requests["/busy"] == 4  # a 503 is retried as before, whatever a timeout did
    # The default deadline (2 x timeout) leaves room for a retry, on each source's own clock.
    requests, _ = fetch_all(["/hang-a", "/hang-b"], ["a", "b"], timeout=1)
    assert requests["/hang-a"] == 2
    assert requests["/hang-b"] == 2
