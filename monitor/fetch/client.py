"""Fetch URLs politely and return what happened as data (``FetchResult``), never as exceptions.

One ``Fetcher`` per check: it owns the ``httpx.AsyncClient``, the overall and per-host limits,
the per-host politeness delay and the check's retry budget.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import random
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type

from monitor.config import FetchConfig
from monitor.errors import FetchError, FetchTimeout, RefusedURL, TransientFetchError
from monitor.fetch._lanes import LaneTransport
from monitor.models import ExtractHint, FetchResult, FetchStatus, Validators

HTML_TYPES = ("text/html", "application/xhtml+xml")
PERMANENT_REDIRECTS = (301, 308)
MAX_REDIRECTS = 5
GUARD_EXTENSION = "hled_guard"  # httpx copies request extensions onto every redirect hop

Sleep = Callable[[float], Awaitable[None]]
UrlGuard = Callable[[httpx.URL], None]  # raises FetchError for a URL we must not request


class Fetches(Protocol):
    """What a check's stages fetch through: a ``Fetcher``, or one split with the helper process."""

    async def fetch(
        self,
        url: str,
        validators: Validators | None = None,
        accept: tuple[str, ...] = HTML_TYPES,
        guard: UrlGuard | None = None,
        extract: ExtractHint | None = None,
        source: str = "",
    ) -> FetchResult: ...

    async def aclose(self) -> None: ...


@dataclass
class _Deadlines:
    """Per source: until when its timed-out requests may be retried.

    A source's first timeout starts its window (from that attempt's start), and every retry of
    a timeout of that source, on any of its pages, must end within it: one hanging host costs a
    source about ``timeout_deadline``, not ``timeout`` x attempts x pages.
    """

    window: float
    ends: dict[str, float] = field(default_factory=dict)

    def start(self, source: str, attempt_started: float) -> None:
        self.ends.setdefault(source, attempt_started + self.window)

    def remaining(self, source: str) -> float:
        return self.ends.get(source, float("inf")) - time.monotonic()


@dataclass
class _HostGate:
    """Per-host limits: requests in flight, and a pause between request starts."""

    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


class Fetcher:
    def __init__(
        self,
        config: FetchConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        url_guard: UrlGuard | None = None,
    ) -> None:
        self.config = config
        self._sleep = sleep
        self._overall = asyncio.Semaphore(config.concurrency)
        self._hosts: dict[str, _HostGate] = {}
        self.retries_left = config.retry_budget
        self._deadlines = _Deadlines(config.timeout_deadline or 2 * config.timeout)
        # The hook runs for every request, redirect hops included: each hop is checked against
        # the fetcher's guard and the one the request carries in its extensions.
        hooks: dict[str, list[Callable[..., Any]]] = {"request": [_guard_hook(url_guard)]}
        self.client = httpx.AsyncClient(
            transport=transport or LaneTransport(config.concurrency),
            headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(config.timeout, connect=config.connect_timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            limits=httpx.Limits(max_connections=config.concurrency),
            event_hooks=hooks,
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def fetch(
        self,
        url: str,
        validators: Validators | None = None,
        accept: tuple[str, ...] = HTML_TYPES,
        guard: UrlGuard | None = None,
        extract: ExtractHint | None = None,
        source: str = "",
    ) -> FetchResult:
        """GET ``url`` (conditionally), retrying transient failures within the budget.

        ``extract`` is not acted on here: in this process a page is extracted where it is used.
        ``source`` names whose deadline a timeout's retries share (see ``_Deadlines``).
        """
        started = time.monotonic()
        validators = validators or Validators()
        try:
            try:  # most requests succeed at once: no retry machinery for them
                result = await self._once(url, validators, accept, guard, source)
            except TransientFetchError as first:
                result = await self._retried(url, validators, accept, guard, (first, source))
        except TransientFetchError as exc:
            result = FetchResult(
                url, FetchStatus.ERROR, status_code=exc.status_code, reason=str(exc)
            )
        except RefusedURL as exc:
            result = FetchResult(url, FetchStatus.REFUSED, reason=str(exc))
        except FetchError as exc:
            result = FetchResult(url, FetchStatus.ERROR, reason=str(exc))
        return _with_elapsed(result, time.monotonic() - started)

    async def _retried(
        self,
        url: str,
        validators: Validators,
        accept: tuple[str, ...],
        guard: UrlGuard | None,
        failed: tuple[TransientFetchError, str],
    ) -> FetchResult:
        """The retries after a first failure, as if tenacity had made the first attempt too."""
        first, source = failed
        replay, last = [first], [first]

        async def attempt() -> FetchResult:
            if replay:
                raise replay.pop()
            try:  # a timeout's retry ends within the source's deadline
                timed_out = isinstance(last[-1], FetchTimeout)
                return await self._once(url, validators, accept, guard, source, timed_out)
            except TransientFetchError as exc:
                last.append(exc)
                raise

        retrying = AsyncRetrying(
            retry=retry_if_exception_type(TransientFetchError),
            stop=functools.partial(self._should_stop, source),
            wait=self._wait,
            sleep=self._sleep,
            before_sleep=self._spend_budget,
            reraise=True,
        )
        result: FetchResult = await retrying(attempt)
        return result

    # -- retry policy ---------------------------------------------------------------------------

    def _should_stop(self, source: str, state: RetryCallState) -> bool:
        if state.attempt_number > self.config.retries or self.retries_left <= 0:
            return True
        failure = state.outcome.exception() if state.outcome else None
        if isinstance(failure, FetchTimeout):  # no time left in the source's deadline
            return self._deadlines.remaining(source) <= state.upcoming_sleep
        # A server asking us to come back in 5 minutes: give up now, come back next check.
        retry_after = _retry_after_of(state)
        return retry_after is not None and retry_after > self.config.max_retry_after

    def _wait(self, state: RetryCallState) -> float:
        retry_after = _retry_after_of(state)
        backoff: float = min(0.5 * 2.0 ** (state.attempt_number - 1), 8.0)
        jitter = backoff * 0.25 * random.random()
        return max(retry_after or 0.0, backoff + jitter)

    def _spend_budget(self, state: RetryCallState) -> None:
        self.retries_left -= 1

    # -- one request ----------------------------------------------------------------------------

    async def _once(
        self,
        url: str,
        validators: Validators,
        accept: tuple[str, ...],
        guard: UrlGuard | None,
        source: str = "",
        after_timeout: bool = False,
    ) -> FetchResult:
        try:
            host = httpx.URL(url).host
        except (httpx.InvalidURL, ValueError) as exc:  # ValueError: a bad IDNA label
            raise FetchError(f"bad URL: {exc}") from None
        gate = self._gate(host)
        async with self._overall, gate.slots:
            await self._politeness_pause(gate)
            limit = self.config.timeout
            if after_timeout:
                limit = min(limit, self._deadlines.remaining(source))
            started = time.monotonic()
            try:
                if limit <= 0:
                    raise TimeoutError
                async with asyncio.timeout(limit):
                    return await self._request(url, validators, accept, guard)
            except (TimeoutError, httpx.TimeoutException):
                self._deadlines.start(source, started)
                raise FetchTimeout(f"no answer within {max(limit, 0):g}s") from None
            except httpx.TooManyRedirects:
                raise FetchError(f"more than {MAX_REDIRECTS} redirects") from None
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                raise FetchError(f"bad URL: {exc}") from None
            except httpx.TransportError as exc:
                raise TransientFetchError(f"connection failed: {_describe(exc)}") from None

    def _gate(self, host: str) -> _HostGate:
        if host not in self._hosts:
            self._hosts[host] = _HostGate(asyncio.Semaphore(self.config.per_host_concurrency))
        return self._hosts[host]

    async def _politeness_pause(self, gate: _HostGate) -> None:
        if self.config.per_host_delay <= 0:
            return
        async with gate.lock:
            wait = gate.next_start - time.monotonic()
            if wait > 0:
                await self._sleep(wait)
            gate.next_start = time.monotonic() + self.config.per_host_delay

    async def _request(
        self, url: str, validators: Validators, accept: tuple[str, ...], guard: UrlGuard | None
    ) -> FetchResult:
        headers = {}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        extensions = {GUARD_EXTENSION: guard} if guard else None
        async with self.client.stream(
            "GET", url, headers=headers, extensions=extensions
        ) as response:
            return await self._read(url, response, validators, accept)

    async def _read(
        self,
        url: str,
        response: httpx.Response,
        validators: Validators,
        accept: tuple[str, ...],
    ) -> FetchResult:
        code = response.status_code
        final_url = str(response.url)
        moved = any(hop.status_code in PERMANENT_REDIRECTS for hop in response.history)
        if code == 304:
            # A 304 has no body, but the connection goes back to the pool only once its end
            # has been read: without this every 304 cost a new connection.
            await response.aread()
            return FetchResult(
                url, FetchStatus.NOT_MODIFIED, final_url, code, validators=validators, moved=moved
            )
        if code in (404, 410):
            return FetchResult(url, FetchStatus.GONE, final_url, code, reason=f"HTTP {code}")
        if code == 429 or code >= 500:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise TransientFetchError(f"HTTP {code}", status_code=code, retry_after=retry_after)
        if code >= 300:
            return FetchResult(url, FetchStatus.ERROR, final_url, code, reason=f"HTTP {code}")
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if accept and content_type not in accept:
            reason = f"unexpected content type {content_type or '(none)'!r}"
            return FetchResult(url, FetchStatus.ERROR, final_url, code, reason=reason)
        body = await read_bounded(response, self.config.max_bytes)
        return FetchResult(
            url,
            FetchStatus.MOVED if moved else FetchStatus.OK,
            final_url,
            code,
            body=body,
            content_type=content_type,
            encoding=response.charset_encoding,
            validators=Validators(
                response.headers.get("ETag"), response.headers.get("Last-Modified")
            ),
            moved=moved,
        )


async def read_bounded(response: httpx.Response, max_bytes: int) -> bytes:
    """Read and decompress at most ``max_bytes``, counting both the wire and the result."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"body of {int(declared)} bytes is over max_bytes ({max_bytes})")
    if response.is_stream_consumed:  # built in memory (mock transports): already decoded
        if len(response.content) > max_bytes:
            raise FetchError(f"body cut off: over max_bytes ({max_bytes})")
        return response.content
    decoder = _decoder(response.headers.get("Content-Encoding", "identity"))
    parts: list[bytes] = []
    size = received = 0
    async for chunk in response.aiter_raw():
        received += len(chunk)
        data = decoder(chunk, max_bytes - size + 1)
        size += len(data)
        if received > max_bytes or size > max_bytes:
            raise FetchError(f"body cut off: over max_bytes ({max_bytes})")
        parts.append(data)
    return b"".join(parts)


def _decoder(encoding: str) -> Callable[[bytes, int], bytes]:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return lambda chunk, _limit: chunk
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"unsupported Content-Encoding {encoding!r}")
    # wbits 47 = zlib or gzip header, autodetected. max_length stops a decompression bomb from
    # ever expanding past the limit in memory.
    inflater = zlib.decompressobj(47)

    def decode(chunk: bytes, limit: int) -> bytes:
        try:
            return inflater.decompress(chunk, max(limit, 1))
        except zlib.error as exc:
            raise FetchError(f"corrupt {encoding} body: {exc}") from None

    return decode


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _retry_after_of(state: RetryCallState) -> float | None:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, TransientFetchError) and exc.retry_after is not None:
        return float(exc.retry_after)
    return None


def _guard_hook(guard: UrlGuard | None) -> Callable[[httpx.Request], Awaitable[None]]:
    async def hook(request: httpx.Request) -> None:
        if guard is not None:
            guard(request.url)
        per_request = request.extensions.get(GUARD_EXTENSION)
        if per_request is not None:
            per_request(request.url)

    return hook


def _with_elapsed(result: FetchResult, elapsed: float) -> FetchResult:
    return replace(result, elapsed=elapsed)


def _describe(exc: httpx.TransportError) -> str:
    return str(exc) or type(exc).__name__
