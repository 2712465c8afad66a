from __future__ import annotations

import asyncio
import gzip
from collections.abc import Callable

import httpx
import pytest

from monitor.config import FetchConfig
from monitor.errors import FetchError
from monitor.fetch.client import Fetcher, parse_retry_after
from monitor.models import FetchResult, FetchStatus, Validators

HTML = {"Content-Type": "text/html; charset=utf-8"}
URL = "https://www.state.gov/doc/"


class Recorder:
    """Fake sleep: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def fetch(
    handler: Callable[[httpx.Request], httpx.Response],
    url: str = URL,
    validators: Validators | None = None,
    sleep: Recorder | None = None,
    **config: object,
) -> FetchResult:
    settings = FetchConfig.model_validate({"per_host_delay": 0, **config})

    async def go() -> FetchResult:
        fetcher = Fetcher(
            settings, transport=httpx.MockTransport(handler), sleep=sleep or Recorder()
        )
        try:
            return await fetcher.fetch(url, validators)
        finally:
            await fetcher.aclose()

    return asyncio.run(go())


async def _chunks(*chunks: bytes):  # a body streamed like a network response's
    for chunk in chunks:
        yield chunk


def sequence(*responses: httpx.Response) -> tuple[Callable[[httpx.Request], httpx.Response], list]:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return responses[min(len(requests), len(responses)) - 1]

    return handler, requests


def test_ok_keeps_body_and_validators() -> None:
    handler, requests = sequence(
        httpx.Response(200, headers={**HTML, "ETag": '"v1"', "Last-Modified": "Mon"}, text="<p>hi")
    )
    result = fetch(handler)
    assert result.status is FetchStatus.OK
    assert result.body == b"<p>hi"
    assert result.validators == Validators('"v1"', "Mon")
    assert "hled-monitor" in requests[0].headers["User-Agent"]


def test_conditional_get_sends_validators_and_304_is_not_modified() -> None:
    handler, requests = sequence(httpx.Response(304))
    result = fetch(handler, validators=Validators('"v1"', "Mon, 01 Jan 2024 00:00:00 GMT"))
    assert result.status is FetchStatus.NOT_MODIFIED
    assert requests[0].headers["If-None-Match"] == '"v1"'
    assert requests[0].headers["If-Modified-Since"] == "Mon, 01 Jan 2024 00:00:00 GMT"


@pytest.mark.parametrize("code", [404, 410])
def test_404_and_410_are_gone_without_retry(code: int) -> None:
    handler, requests = sequence(httpx.Response(code))
    result = fetch(handler)
    assert (result.status, result.status_code, len(requests)) == (FetchStatus.GONE, code, 1)


def test_403_is_an_error_without_retry() -> None:
    handler, requests = sequence(httpx.Response(403))
    result = fetch(handler)
    assert (result.status, result.reason, len(requests)) == (FetchStatus.ERROR, "HTTP 403", 1)


def test_5xx_then_success_is_retried_with_backoff() -> None:
    sleep = Recorder()
    handler, requests = sequence(
        httpx.Response(503), httpx.Response(502), httpx.Response(200, headers=HTML, text="ok")
    )
    result = fetch(handler, sleep=sleep)
    assert result.status is FetchStatus.OK
    assert len(requests) == 3
    assert len(sleep.waits) == 2
    assert sleep.waits[1] > sleep.waits[0] > 0  # exponential


def test_persistent_5xx_gives_up_after_retries() -> None:
    handler, requests = sequence(httpx.Response(500))
    result = fetch(handler, retries=2)
    assert (result.status, result.status_code, len(requests)) == (FetchStatus.ERROR, 500, 3)


def test_429_honours_a_short_retry_after() -> None:
    sleep = Recorder()
    handler, _requests = sequence(
        httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, headers=HTML)
    )
    result = fetch(handler, sleep=sleep)
    assert result.status is FetchStatus.OK
    assert sleep.waits == [7.0]


def test_429_with_a_long_retry_after_gives_up_for_this_check() -> None:
    sleep = Recorder()
    handler, requests = sequence(httpx.Response(429, headers={"Retry-After": "300"}))
    result = fetch(handler, sleep=sleep)
    assert (result.status, result.status_code) == (FetchStatus.ERROR, 429)
    assert len(requests) == 1
    assert sleep.waits == []


def test_retry_budget_is_shared_by_the_whole_check() -> None:
    handler, requests = sequence(httpx.Response(500))
    settings = FetchConfig(per_host_delay=0, retries=5, retry_budget=3)

    async def go() -> list[FetchResult]:
        fetcher = Fetcher(settings, transport=httpx.MockTransport(handler), sleep=Recorder())
        try:
            return [await fetcher.fetch(URL), await fetcher.fetch(URL)]
        finally:
            await fetcher.aclose()

    results = asyncio.run(go())
    assert all(r.status is FetchStatus.ERROR for r in results)
    assert len(requests) == 3 + 1 + 1  # 3 retries spent on the first, none left for the second


def test_connection_errors_are_retried() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, headers=HTML)

    assert fetch(handler).status is FetchStatus.OK
    assert len(calls) == 2


def test_a_server_that_never_answers_hits_the_total_deadline() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        return httpx.Response(200)

    result = fetch(handler, timeout=0.2, retries=0)  # type: ignore[arg-type]
    assert result.status is FetchStatus.ERROR
    assert "no answer within 0.2s" in result.reason
    assert result.elapsed < 5


def test_permanent_redirect_is_a_move_with_the_final_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old/":
            return httpx.Response(301, headers={"Location": "https://www.state.gov/new/"})
        return httpx.Response(200, headers=HTML, text="moved")

    result = fetch(handler, url="https://www.state.gov/old/")
    assert result.status is FetchStatus.MOVED
    assert result.final_url == "https://www.state.gov/new/"
    assert result.body == b"moved"


def test_temporary_redirect_is_ok() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old/":
            return httpx.Response(302, headers={"Location": "/new/"})
        return httpx.Response(200, headers=HTML)

    result = fetch(handler, url="https://www.state.gov/old/")
    assert (result.status, result.final_url) == (FetchStatus.OK, "https://www.state.gov/new/")


def test_more_than_five_redirects_is_an_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        hop = int(request.url.params.get("n", "0"))
        return httpx.Response(302, headers={"Location": f"/loop?n={hop + 1}"})

    result = fetch(handler)
    assert result.status is FetchStatus.ERROR
    assert "more than 5 redirects" in result.reason


def test_wrong_content_type_is_a_failure() -> None:
    handler, _ = sequence(httpx.Response(200, headers={"Content-Type": "application/pdf"}))
    result = fetch(handler)
    assert result.status is FetchStatus.ERROR
    assert "application/pdf" in result.reason


def test_declared_oversize_body_is_refused_unread() -> None:
    handler, _ = sequence(httpx.Response(200, headers={**HTML, "Content-Length": "5000"}))
    result = fetch(handler, max_bytes=1000)
    assert result.status is FetchStatus.ERROR
    assert "over max_bytes" in result.reason


def test_streamed_oversize_body_is_cut_off() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=HTML, content=_chunks(b"x" * 600, b"x" * 600))

    result = fetch(handler, max_bytes=1000)
    assert result.status is FetchStatus.ERROR
    assert "cut off" in result.reason


def test_gzip_bomb_is_cut_off_by_decompressed_size() -> None:
    bomb = gzip.compress(b"a" * 5_000_000)
    assert len(bomb) < 10_000

    def handler(request: httpx.Request) -> httpx.Response:
        chunks = [bomb[i : i + 1024] for i in range(0, len(bomb), 1024)]
        headers = {**HTML, "Content-Encoding": "gzip"}
        return httpx.Response(200, headers=headers, content=_chunks(*chunks))

    result = fetch(handler, max_bytes=100_000)
    assert result.status is FetchStatus.ERROR
    assert "cut off" in result.reason


def test_gzip_body_is_decompressed() -> None:
    body = gzip.compress(b"<p>compressed</p>")

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {**HTML, "Content-Encoding": "gzip"}
        return httpx.Response(200, headers=headers, content=_chunks(body[:5], body[5:]))

    assert fetch(handler).body == b"<p>compressed</p>"


def test_url_guard_refuses_a_redirect_hop() -> None:
    def guard(url: httpx.URL) -> None:
        if url.host == "169.254.169.254":
            raise FetchError(f"refused {url.host}")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/"})

    async def go() -> FetchResult:
        fetcher = Fetcher(
            FetchConfig(per_host_delay=0), transport=httpx.MockTransport(handler), url_guard=guard
        )
        try:
            return await fetcher.fetch(URL)
        finally:
            await fetcher.aclose()

    result = asyncio.run(go())
    assert (result.status, result.reason) == (FetchStatus.ERROR, "refused 169.254.169.254")


def test_per_host_delay_spaces_requests_to_one_host() -> None:
    sleep = Recorder()
    handler, _ = sequence(httpx.Response(200, headers=HTML))
    settings = FetchConfig(per_host_delay=2)

    async def go() -> None:
        fetcher = Fetcher(settings, transport=httpx.MockTransport(handler), sleep=sleep)
        try:
            await asyncio.gather(fetcher.fetch(URL), fetcher.fetch(URL), fetcher.fetch(URL))
            await fetcher.fetch("https://ustr.gov/other")  # another host: no wait
        finally:
            await fetcher.aclose()

    asyncio.run(go())
    assert len(sleep.waits) == 2
    assert all(1.5 < wait <= 2 for wait in sleep.waits)


def test_retry_after_parses_seconds_and_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2024, 1, 1, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Mon, 01 Jan 2024 00:01:00 GMT", now) == 60
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
