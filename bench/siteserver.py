"""The benchmark's fake agency site: a small asyncio HTTP/1.1 server in its own process.

``python bench/siteserver.py N [KIND]`` builds N pages of one kind (``agency``, the default, or
``policy``: sitegen.KINDS), listens on 127.0.0.1 (a free port, printed on the first line of
stdout) and serves them with ETag / If-None-Match -> 304 and gzip when the client accepts it,
over keep-alive connections. Bodies, gzip bodies and ETags are built before a
round starts, so answering costs a dictionary lookup: the server must never be the bottleneck
(the benchmark reports its CPU time per round to show it is not).

Control paths: ``/__round/R`` moves the site to round R's content (1-2: as first built, 3: 5% of
articles edited, 4: that plus new chrome on every page) and ``/__stats`` returns the server's CPU
seconds and request counts as JSON.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import sys
import time
from dataclasses import dataclass, field

import sitegen


@dataclass(frozen=True)
class Entry:
    etag: bytes
    plain: bytes
    gzipped: bytes


@dataclass
class Site:
    size: int
    kind: str = "agency"
    entries: dict[bytes, Entry] = field(default_factory=dict)
    versions: dict[bytes, tuple[int, int]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def set_round(self, number: int) -> None:
        """Rebuild only the pages whose content differs in round ``number``."""
        for index in range(self.size):
            path = sitegen.page_url_path(index).encode()
            article = int(number >= 3 and sitegen.article_changed(index))
            wanted = (article, int(number >= 4))
            if self.versions.get(path) != wanted:
                self.entries[path] = _entry(sitegen.build_page(index, *wanted, self.kind))
                self.versions[path] = wanted

    def count(self, what: int | str) -> None:
        key = str(what)
        self.counts[key] = self.counts.get(key, 0) + 1


def _entry(html: str) -> Entry:
    plain = html.encode("utf-8")
    etag = b'"' + hashlib.sha256(plain).hexdigest()[:20].encode() + b'"'
    return Entry(etag, plain, gzip.compress(plain, 6, mtime=0))


class HttpProtocol(asyncio.Protocol):
    """Just enough HTTP/1.1 for GETs: keep-alive, pipelining-safe buffering, no bodies."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.site.count("connections")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer and self.transport is not None:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            lines = head.split(b"\r\n")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            parts = lines[0].split()
            close = headers.get(b"connection", b"").lower() == b"close" or parts[-1] != b"HTTP/1.1"
            self.transport.write(self.answer(parts[1], headers))
            if close:
                self.transport.close()

    def answer(self, target: bytes, headers: dict[bytes, bytes]) -> bytes:
        path = target.split(b"?", 1)[0]
        if path.startswith(b"/__"):
            return _control(self.site, path)
        entry = self.site.entries.get(path)
        if entry is None:
            self.site.count(404)
            return _response(b"404 Not Found", [(b"Content-Type", b"text/plain")], b"not found")
        if entry.etag in headers.get(b"if-none-match", b""):
            self.site.count(304)
            return _response(b"304 Not Modified", [(b"ETag", entry.etag)], b"")
        self.site.count(200)
        fields = [(b"Content-Type", b"text/html; charset=utf-8"), (b"ETag", entry.etag)]
        fields.append((b"Vary", b"Accept-Encoding"))
        if b"gzip" in headers.get(b"accept-encoding", b""):
            fields.append((b"Content-Encoding", b"gzip"))
            return _response(b"200 OK", fields, entry.gzipped)
        return _response(b"200 OK", fields, entry.plain)


def _control(site: Site, path: bytes) -> bytes:
    if path.startswith(b"/__round/"):
        site.set_round(int(path.rsplit(b"/", 1)[1]))
        site.counts.clear()
        return _response(b"200 OK", [(b"Content-Type", b"text/plain")], b"ok")
    stats = {"cpu": time.process_time(), "counts": site.counts}
    return _response(
        b"200 OK", [(b"Content-Type", b"application/json")], json.dumps(stats).encode()
    )


def _response(status: bytes, fields: list[tuple[bytes, bytes]], body: bytes) -> bytes:
    lines = [b"HTTP/1.1 " + status, *(name + b": " + value for name, value in fields)]
    lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


async def serve(size: int, kind: str) -> None:
    site = Site(size, kind)
    site.set_round(1)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: HttpProtocol(site), "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "agency"))
