"""The fetch helper's protocol and the split between it and this process.

The helper's loop (``serve``) runs here in the test's own event loop, over a real socket pair,
so the requests and results really are pickled and sent; only the fork is left out (the CLI
tests run ``check`` as a process, helper and all).
"""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest

from monitor.config import FetchConfig
from monitor.errors import ExtractError
from monitor.fetch import helper as helper_module
from monitor.fetch.client import Fetcher
from monitor.fetch.helper import HelperGone, RemoteFetcher, half, helps, serve
from monitor.fetch.split_fetcher import BACKLOG, SplitFetcher
from monitor.identity.urls import LinkPolicy
from monitor.models import ExtractHint, FetchResult, FetchStatus, Validators
from monitor.pipeline.check import run_check
from monitor.text.article import extract_page, page_of
from store.repo import Store
from tests.conftest import make_settings
from tests.fakesite import FakeSite, article

BASE = "https://www.state.gov"
CONFIG = FetchConfig(per_host_delay=0, concurrency=4, per_host_concurrency=4)
HINT = ExtractHint(".entry-content")
ARTICLE = article("Joint Statement on the HLED", "EPA committed $474 million to water projects.")

Handler = Callable[[httpx.Request], Awaitable[httpx.Response]]


@asynccontextmanager
async def running_helper(transport: httpx.AsyncBaseTransport) -> AsyncIterator[RemoteFetcher]:
    """The helper's loop on one end of a socket pair, our RemoteFetcher on the other."""
    ours, theirs = socket.socketpair()
    fetcher = Fetcher(half(CONFIG, 1), transport=transport)
    serving = asyncio.create_task(serve(theirs, half(CONFIG, 1), fetcher))
    remote = RemoteFetcher(ours)
    try:
        yield remote
    finally:
        await remote.aclose()
        await serving


def test_the_helper_answers_as_this_process_would_with_the_page_extracted() -> None:
    site = FakeSite({"/hled": ARTICLE})

    async def go() -> None:
        async with running_helper(site.transport) as remote:
            fresh = await remote.fetch(f"{BASE}/hled", extract=HINT)
            again = await remote.fetch(f"{BASE}/hled", fresh.validators, extract=HINT)
            gone = await remote.fetch(f"{BASE}/nothing", extract=HINT)
        assert fresh.status is FetchStatus.OK
        assert fresh.validators.etag
        assert fresh.page == extract_page(ARTICLE, f"{BASE}/hled", ".entry-content")
        # The helper did the rest of a page's work too: fingerprint and the stored body.
        assert "fingerprint" in vars(fresh.page)
        assert fresh.body == b""
        assert fresh.compressed_body is not None
        assert zlib.decompress(fresh.compressed_body) == ARTICLE.encode()
        assert again.status is FetchStatus.NOT_MODIFIED
        assert again.page is None
        assert gone.status is FetchStatus.GONE
        assert gone.status_code == 404

    asyncio.run(go())


def test_without_a_hint_the_page_is_extracted_where_it_is_used() -> None:
    site = FakeSite({"/hled": ARTICLE})

    async def go() -> None:
        async with running_helper(site.transport) as remote:
            result = await remote.fetch(f"{BASE}/hled")
        assert result.page is None
        assert page_of(result).title == "Joint Statement on the HLED"

    asyncio.run(go())


def test_a_page_that_cannot_be_trusted_comes_back_as_an_extraction_error() -> None:
    site = FakeSite({"/hled": "<html><title>Just a moment...</title><body>wait</body></html>"})

    async def go() -> None:
        async with running_helper(site.transport) as remote:
            result = await remote.fetch(f"{BASE}/hled", extract=HINT)
        assert result.status is FetchStatus.OK
        assert result.page is None
        assert result.extract_error
        with pytest.raises(ExtractError, match=re.escape(result.extract_error)):
            page_of(result)

    asyncio.run(go())


def test_the_link_policy_goes_with_the_request_to_the_helper() -> None:
    site = FakeSite(redirects={"/hled": (302, "http://169.254.169.254/latest/meta-data/")})
    policy = LinkPolicy.for_source([f"{BASE}/hled"])

    async def go() -> None:
        async with running_helper(site.transport) as remote:
            result = await remote.fetch(f"{BASE}/hled", guard=policy.check)
        assert result.status is FetchStatus.REFUSED
        assert site.urls == [f"{BASE}/hled"]  # the hop was never requested

    asyncio.run(go())


def split(remote: RemoteFetcher, transport: httpx.AsyncBaseTransport) -> SplitFetcher:
    local = Fetcher(half(CONFIG, 0), transport=transport)
    return SplitFetcher(local, remote, half(CONFIG, 1))


def test_a_request_that_cannot_travel_is_made_in_this_process() -> None:
    site = FakeSite({"/hled": ARTICLE})

    async def go() -> None:
        async with running_helper(site.transport) as remote:
            fetcher = split(remote, site.transport)
            with pytest.raises(HelperGone):
                await remote.fetch(f"{BASE}/hled", guard=lambda url: None)
            result = await fetcher.fetch(f"{BASE}/hled", guard=lambda url: None)
            await fetcher.local.aclose()
        assert result.status is FetchStatus.OK
        assert fetcher.shares == (1, 0)

    asyncio.run(go())


def test_requests_the_helper_had_when_it_stopped_are_made_here() -> None:
    site = FakeSite({f"/doc{i}": ARTICLE for i in range(6)})

    async def go() -> None:
        reached = asyncio.Event()

        async def never(request: httpx.Request) -> httpx.Response:
            reached.set()
            await asyncio.Event().wait()  # a helper that hangs, then dies
            raise AssertionError("unreachable")

        ours, theirs = socket.socketpair()
        helper_side = Fetcher(half(CONFIG, 1), transport=httpx.MockTransport(never))
        serving = asyncio.create_task(serve(theirs, half(CONFIG, 1), helper_side))
        remote = RemoteFetcher(ours)
        fetcher = split(remote, site.transport)
        fetches = [asyncio.create_task(fetcher.fetch(f"{BASE}/doc{i}")) for i in range(6)]
        await reached.wait()
        serving.cancel()  # the helper's end closes: as when its process dies
        results = await asyncio.gather(*fetches)
        await fetcher.aclose()
        assert [result.status for result in results] == [FetchStatus.OK] * 6
        assert remote.gone
        assert sorted(site.requests) == sorted(f"/doc{i}" for i in range(6))

    asyncio.run(go())


def test_together_the_two_sides_keep_the_configured_limits_and_both_work() -> None:
    in_flight, most, by_side = 0, 0, {"here": 0, "helper": 0}

    def counting(side: str) -> httpx.MockTransport:
        async def handle(request: httpx.Request) -> httpx.Response:
            nonlocal in_flight, most
            in_flight += 1
            most = max(most, in_flight)
            by_side[side] += 1
            await asyncio.sleep(0.005)
            in_flight -= 1
            return httpx.Response(304, headers={"ETag": '"x"'})

        return httpx.MockTransport(handle)

    async def go() -> None:
        async with running_helper(counting("helper")) as remote:
            fetcher = split(remote, counting("here"))
            results = await asyncio.gather(
                *(fetcher.fetch(f"{BASE}/doc{i}", Validators('"x"')) for i in range(40))
            )
            await fetcher.local.aclose()
        assert {result.status for result in results} == {FetchStatus.NOT_MODIFIED}
        assert fetcher.shares == (by_side["here"], by_side["helper"])
        assert by_side["here"] > 0
        assert by_side["helper"] > 0

    asyncio.run(go())
    assert most <= CONFIG.concurrency


@pytest.mark.parametrize(
    ("config", "halves"),
    [
        (FetchConfig(concurrency=16, per_host_concurrency=2, retry_budget=50), [(8, 1, 25)] * 2),
        (
            FetchConfig(concurrency=5, per_host_concurrency=3, retry_budget=1),
            [(3, 2, 1), (2, 1, 0)],
        ),
    ],
)
def test_each_side_has_half_of_the_limits(
    config: FetchConfig, halves: list[tuple[int, int, int]]
) -> None:
    sides = [half(config, side) for side in (0, 1)]
    got = [(s.concurrency, s.per_host_concurrency, s.retry_budget) for s in sides]
    assert got == halves
    assert sides[0].timeout == config.timeout
    assert sides[1].user_agent == config.user_agent


def test_a_helper_only_where_it_helps_and_is_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helper_module.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(helper_module.threading, "active_count", lambda: 1)
    assert helps(CONFIG)
    assert not helps(CONFIG.model_copy(update={"processes": 1}))
    assert not helps(CONFIG.model_copy(update={"per_host_delay": 1.0}))  # politeness: one process
    assert not helps(CONFIG.model_copy(update={"per_host_concurrency": 1}))
    monkeypatch.setattr(helper_module.os, "sched_getaffinity", lambda pid: {0})
    assert not helps(CONFIG)  # one core


def test_no_fork_while_other_threads_run() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not helps(CONFIG)
        assert helper_module.Helper.start(CONFIG) is None
    finally:
        stop.set()
        thread.join()


class StubHelper:
    """A helper that says how far behind it is, and records what it was asked."""

    gone = False

    def __init__(self, backlog: int) -> None:
        self.backlog, self.asked = backlog, []

    async def fetch(self, url: str, *args: object, **kwargs: object) -> FetchResult:
        self.asked.append(url)
        return FetchResult(url, FetchStatus.NOT_MODIFIED)

    async def aclose(self) -> None:
        pass


@pytest.mark.parametrize(
    ("held", "first_time_here", "again_here"),
    [(0, False, False), (1, False, True), (2, True, True)],  # held: in helper capacities x BACKLOG
)
def test_this_process_fetches_when_the_helper_is_behind_a_first_time_page_only_when_far_behind(
    held: int, first_time_here: bool, again_here: bool
) -> None:
    capacity = half(CONFIG, 1).concurrency
    site = FakeSite({"/new": ARTICLE, "/known": ARTICLE})

    async def go() -> tuple[bool, bool]:
        stub = StubHelper(held * BACKLOG * capacity)
        fetcher = SplitFetcher(
            Fetcher(half(CONFIG, 0), transport=site.transport), stub, half(CONFIG, 1)
        )  # type: ignore[arg-type]
        await fetcher.fetch(f"{BASE}/new", extract=HINT)
        await fetcher.fetch(f"{BASE}/known", Validators('"v1"'), extract=HINT)
        await fetcher.local.aclose()
        return f"{BASE}/new" not in stub.asked, f"{BASE}/known" not in stub.asked

    assert asyncio.run(go()) == (first_time_here, again_here)


def test_a_host_gets_its_configured_requests_at_once_though_the_helper_is_not_behind() -> None:
    """per_host_concurrency 4: two at the helper, two here; a slow host is not served serially."""
    site = FakeSite({f"/doc{i}": ARTICLE for i in range(3)})

    async def go() -> None:
        release = asyncio.Event()

        class SlowHost(StubHelper):
            async def fetch(self, url: str, *args: object, **kwargs: object) -> FetchResult:
                self.asked.append(url)
                await release.wait()
                return FetchResult(url, FetchStatus.NOT_MODIFIED)

        stub = SlowHost(0)
        local = Fetcher(half(CONFIG, 0), transport=site.transport)
        fetcher = SplitFetcher(local, stub, half(CONFIG, 1))  # type: ignore[arg-type]
        waiting = [asyncio.create_task(fetcher.fetch(f"{BASE}/doc{i}")) for i in range(2)]
        while len(stub.asked) < 2:
            await asyncio.sleep(0)
        async with asyncio.timeout(5):  # sent to the helper, it would wait for ever
            third = await fetcher.fetch(f"{BASE}/doc2")
        assert stub.asked == [f"{BASE}/doc0", f"{BASE}/doc1"]
        assert third.status is FetchStatus.OK
        assert site.requests == ["/doc2"]  # made here while the helper's two were out
        release.set()
        await asyncio.gather(*waiting)
        await local.aclose()

    asyncio.run(go())


def test_with_both_halves_of_a_host_out_a_request_waits_for_the_first_side_with_room() -> None:
    async def go() -> None:
        helper_release, here_release = asyncio.Event(), asyncio.Event()
        here_asked: list[str] = []

        class SlowHost(StubHelper):
            async def fetch(self, url: str, *args: object, **kwargs: object) -> FetchResult:
                self.asked.append(url)
                await helper_release.wait()
                return FetchResult(url, FetchStatus.NOT_MODIFIED)

        async def slow_here(request: httpx.Request) -> httpx.Response:
            here_asked.append(str(request.url))
            await here_release.wait()
            return httpx.Response(304)

        stub = SlowHost(0)
        local = Fetcher(half(CONFIG, 0), transport=httpx.MockTransport(slow_here))
        fetcher = SplitFetcher(local, stub, half(CONFIG, 1))  # type: ignore[arg-type]
        urls = [f"{BASE}/doc{i}" for i in range(5)]
        tasks = [asyncio.create_task(fetcher.fetch(url, Validators('"v"'))) for url in urls]
        async with asyncio.timeout(5):
            while len(stub.asked) + len(here_asked) < 4:
                await asyncio.sleep(0)
            for _ in range(20):
                await asyncio.sleep(0)
            assert (len(stub.asked), len(here_asked)) == (2, 2)  # the fifth waits: 4 per host
            here_release.set()
            while len(here_asked) < 3:
                await asyncio.sleep(0)
            helper_release.set()
            results = await asyncio.gather(*tasks)
        assert len(stub.asked) == 2  # never queued behind the helper's two
        assert {result.status for result in results} == {FetchStatus.NOT_MODIFIED}
        await local.aclose()

    asyncio.run(go())


def test_without_an_affinity_call_the_cores_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(helper_module.os, "sched_getaffinity", raising=False)  # macOS
    monkeypatch.setattr(helper_module.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(helper_module.threading, "active_count", lambda: 1)
    assert helps(CONFIG)
    monkeypatch.setattr(helper_module.os, "cpu_count", lambda: 1)
    assert not helps(CONFIG)


def test_an_answer_that_cannot_travel_comes_back_as_an_error() -> None:
    class Odd(Fetcher):
        async def fetch(self, url: str, *args: object, **kwargs: object) -> FetchResult:
            return FetchResult(url, FetchStatus.OK, reason=lambda: "no pickle")  # type: ignore[arg-type]

    async def go() -> FetchResult:
        ours, theirs = socket.socketpair()
        serving = asyncio.create_task(serve(theirs, CONFIG, Odd(CONFIG)))
        remote = RemoteFetcher(ours)
        async with asyncio.timeout(5):  # never left waiting
            result = await remote.fetch(f"{BASE}/hled")
        await remote.aclose()
        await serving
        return result

    result = asyncio.run(go())
    assert result.status is FetchStatus.ERROR
    assert "internal error" in result.reason


def test_a_helper_that_does_not_leave_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helper_module, "STOP_DEADLINE", 0.2)
    stubborn = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    ours, theirs = socket.socketpair()
    started = time.monotonic()
    helper_module.Helper(stubborn.pid, ours).stop()
    assert time.monotonic() - started < 5
    assert stubborn.poll() is not None  # gone, and reaped
    theirs.close()


def test_a_silent_helper_is_given_up_and_its_requests_are_made_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(helper_module, "HEARTBEAT", 0.02)
    monkeypatch.setattr(helper_module, "SILENCE", 0.2)
    site = FakeSite({"/hled": ARTICLE})

    async def go() -> None:
        ours, stuck = socket.socketpair()  # a helper that takes requests and never speaks
        fetcher = split(RemoteFetcher(ours), site.transport)
        async with asyncio.timeout(5):
            result = await fetcher.fetch(f"{BASE}/hled")
        assert result.status is FetchStatus.OK
        assert fetcher.remote.gone
        assert site.requests == ["/hled"]  # made here
        await fetcher.aclose()
        stuck.close()

    asyncio.run(go())


def test_a_slow_helper_that_says_it_is_working_is_waited_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(helper_module, "HEARTBEAT", 0.02)
    monkeypatch.setattr(helper_module, "SILENCE", 0.2)

    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.6)  # three times the silence allowed
        return httpx.Response(304)

    async def go() -> None:
        async with running_helper(httpx.MockTransport(slow)) as remote:
            result = await remote.fetch(f"{BASE}/hled", Validators('"v"'))
            assert result.status is FetchStatus.NOT_MODIFIED
            assert not remote.gone

    asyncio.run(go())


def test_a_helper_is_not_combined_with_what_a_test_injects(store: Store) -> None:
    """The helper fetches with its own client: an injected transport would not reach it."""
    ours, theirs = socket.socketpair()
    settings = make_settings({"name": "s", "agency": "State", "url": f"{BASE}/hled"})
    with pytest.raises(ValueError, match="fetch helper"):
        asyncio.run(
            run_check(
                settings,
                store,
                transport=FakeSite().transport,
                helper=helper_module.Helper(0, ours),
            )
        )
    ours.close()
    theirs.close()
