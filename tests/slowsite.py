"""A local site whose pages may answer late: for shutdowns, locks and streaming under a slow pass."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler


@dataclass
class SlowSite:
    """Pages by path; a path in ``delays`` answers after that many seconds (or when released)."""

    pages: dict[str, str]
    delays: dict[str, float] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def asked_for(self, path: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while path not in self.asked:
            assert time.monotonic() < deadline, f"{path} was never asked for"
            time.sleep(0.02)

    @property
    def handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.asked.append(self.path)
                if self.path in site.delays:
                    site.release.wait(site.delays[self.path])
                body = site.pages.get(self.path, "").encode()
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
