"""Connection reuse, against a real keep-alive HTTP/1.1 server on 127.0.0.1."""

from __future__ import annotations

import asyncio

from monitor.config import FetchConfig
from monitor.fetch.client import Fetcher
from monitor.models import FetchStatus, Validators

ETAG = '"v1"'


class KeepAliveSite:
    """Answers every GET with 304 (or 200 without validators), keeping connections open."""

    def __init__(self) -> None:
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        while head := await _request_head(reader):
            if f"if-none-match: {ETAG}".encode() in head.lower():
                writer.write(f"HTTP/1.1 304 Not Modified\r\nETag: {ETAG}\r\n\r\n".encode())
            else:
                body = b"<html><body><p>text</p></body></html>"
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                    + f"ETag: {ETAG}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
            await writer.drain()
        writer.close()


async def _request_head(reader: asyncio.StreamReader) -> bytes:
    try:
        return await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:  # the client closed the connection
        return b""


def fetch_three_times(validators: Validators) -> tuple[list[FetchStatus], int]:
    site = KeepAliveSite()

    async def go() -> list[FetchStatus]:
        server = await asyncio.start_server(site.handle, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/doc"
        fetcher = Fetcher(FetchConfig(per_host_delay=0, concurrency=4))
        try:
            return [(await fetcher.fetch(url, validators)).status for _ in range(3)]
        finally:
            await fetcher.aclose()
            server.close()

    statuses = asyncio.run(asyncio.wait_for(go(), timeout=30))
    return statuses, site.connections


def test_304s_reuse_one_connection() -> None:
    statuses, connections = fetch_three_times(Validators(ETAG))
    assert statuses == [FetchStatus.NOT_MODIFIED] * 3
    assert connections == 1


def test_200s_reuse_one_connection() -> None:
    statuses, connections = fetch_three_times(Validators())
    assert statuses == [FetchStatus.OK] * 3
    assert connections == 1
