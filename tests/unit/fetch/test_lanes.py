from __future__ import annotations

import asyncio

import httpx

from monitor.fetch._lanes import LaneTransport


class Body(httpx.AsyncByteStream):
    """A body read from the network: the lane stays busy until the response is closed."""

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        yield b"body"


class Lanes:
    """A LaneTransport over mock lanes that remember which hosts they served."""

    def __init__(self, count: int, streaming: bool = True) -> None:
        self.served: list[list[str]] = []  # per lane created, the hosts it answered
        self.streaming = streaming
        self.transport = LaneTransport(count, factory=self._lane)

    def _lane(self) -> httpx.AsyncBaseTransport:
        hosts: list[str] = []
        self.served.append(hosts)

        def handle(request: httpx.Request) -> httpx.Response:
            hosts.append(request.url.host)
            if self.streaming:
                return httpx.Response(200, stream=Body())
            return httpx.Response(200, content=b"body")  # already read and closed

        return httpx.MockTransport(handle)


def run(count: int, scenario, streaming: bool = True) -> Lanes:  # type: ignore[no-untyped-def]
    lanes = Lanes(count, streaming)

    async def go() -> None:
        async with httpx.AsyncClient(transport=lanes.transport) as client:
            await scenario(client)

    asyncio.run(asyncio.wait_for(go(), timeout=10))  # a lost lane would hang: fail instead
    return lanes


def test_requests_one_after_another_reuse_one_lane() -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        for _ in range(5):
            assert (await client.get("https://a.gov/x")).content == b"body"

    assert run(4, scenario).served == [["a.gov"] * 5]


def test_an_answer_built_in_memory_frees_its_lane_at_once() -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        for _ in range(3):
            await client.get("https://a.gov/x")

    assert run(1, scenario, streaming=False).served == [["a.gov"] * 3]


def test_a_lane_already_on_the_host_is_preferred() -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        async with client.stream("GET", "https://a.gov/1"), client.stream("GET", "https://b.gov/1"):
            pass  # two lanes busy at once: one on a.gov, one on b.gov
        for host in ("b.gov", "a.gov", "b.gov"):
            await client.get(f"https://{host}/2")

    assert run(4, scenario).served == [["a.gov", "a.gov"], ["b.gov", "b.gov", "b.gov"]]


def test_never_more_lanes_than_count_and_a_request_waits_for_a_free_one() -> None:
    async def scenario(client: httpx.AsyncClient) -> None:
        first = await client.send(client.build_request("GET", "https://a.gov/1"), stream=True)
        second = await client.send(client.build_request("GET", "https://b.gov/1"), stream=True)
        third = asyncio.create_task(client.get("https://c.gov/1"))
        await asyncio.sleep(0)  # the third request runs until it must wait for a lane
        assert not third.done()
        await first.aclose()
        await third
        await second.aclose()

    assert run(2, scenario).served == [["a.gov", "c.gov"], ["b.gov"]]


def test_a_failed_request_gives_its_lane_back() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    transport = LaneTransport(1, factory=lambda: httpx.MockTransport(refuse))

    async def go() -> int:
        failures = 0
        async with httpx.AsyncClient(transport=transport) as client:
            for _ in range(3):  # with the lane lost, the second attempt would wait forever
                try:
                    await client.get("https://a.gov/")
                except httpx.ConnectError:
                    failures += 1
        return failures

    assert asyncio.run(asyncio.wait_for(go(), timeout=10)) == 3
