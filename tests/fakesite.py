"""A fake government website for tests: pages by path, ETags, 304s, and scripted failures.

The same site serves through ``httpx.MockTransport`` (unit tests) or a real HTTP server on
127.0.0.1 (integration tests and the CLI as a subprocess).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

import httpx

from tests.localserver import serve


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


Page = str | tuple[str, str]  # HTML, or (content type, body)


@dataclass
class FakeSite:
    """Pages by path (with the query string, if any), on whatever host is asked."""

    pages: dict[str, Page] = field(default_factory=dict)
    failures: dict[str, list[int]] = field(default_factory=dict)  # path -> statuses to answer first
    # path (or host + path, for one host only) -> (code, Location)
    redirects: dict[str, tuple[int, str]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)  # paths asked for
    urls: list[str] = field(default_factory=list)  # full URLs asked for (mock transport only)

    def answer(self, path: str, if_none_match: str | None, host: str = "") -> Answer:
        self.requests.append(path)
        scripted = self.failures.get(path)
        if scripted:
            return Answer(scripted.pop(0), {"Content-Type": "text/html"}, b"error")
        redirect = self.redirects.get(host + path) or self.redirects.get(path)
        if redirect:
            code, location = redirect
            return Answer(code, {"Location": location}, b"")
        if path not in self.pages:
            return Answer(404, {"Content-Type": "text/html"}, b"not found")
        page = self.pages[path]
        content_type, text = page if isinstance(page, tuple) else ("text/html; charset=utf-8", page)
        body = text.encode("utf-8")
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if if_none_match == etag:
            return Answer(304, {"ETag": etag}, b"")
        return Answer(200, {"Content-Type": content_type, "ETag": etag}, body)

    def count(self, path: str) -> int:
        return self.requests.count(path)

    @property
    def transport(self) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            self.urls.append(str(request.url))
            path = request.url.raw_path.decode("ascii")
            answer = self.answer(path, request.headers.get("If-None-Match"), request.url.host)
            return httpx.Response(answer.status, headers=answer.headers, content=answer.body)

        return httpx.MockTransport(handle)

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Serve on 127.0.0.1 in a thread; yields the base URL."""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                answer = site.answer(self.path, self.headers.get("If-None-Match"))
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        with serve(Handler) as base:
            yield base


def article(title: str, *paragraphs: str, chrome: str = "", updated: str = "May 1, 2024") -> str:
    """A small WordPress-style page: chrome around an `.entry-content` article."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title} - United States Department of State</title>"
        f'<link rel="stylesheet" href="/style.css?ver={hash(chrome) % 1000}"></head><body>'
        f"<header><nav><a href='/'>Home</a><a href='/policy'>Policy Issues</a></nav></header>"
        f"<main><article><h1>{title}</h1><div class='entry-content'>{body}"
        f"<div class='share-buttons'>Share on X</div></div>"
        f"<aside class='related'>{chrome}</aside></article></main>"
        f"<footer>Last updated {updated}. Scroll to Top</footer></body></html>"
    )
