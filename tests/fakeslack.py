"""A local fake of the Slack Web API and of an incoming webhook, for the real slack-sdk client.

It records every chat.postMessage call and answers from a script: 429 with Retry-After, 500,
or an API error such as invalid_auth, before answering ok again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.localserver import serve


@dataclass
class Scripted:
    status: int = 200
    body: dict[str, Any] | str = field(default_factory=lambda: {"ok": True})
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the answer
    posted: bool = False  # the post was accepted (whatever the answer says, or however late)


@dataclass
class FakeSlack:
    script: list[Scripted] = field(default_factory=list)  # answers before the default "ok"
    posts: list[dict[str, Any]] = field(default_factory=list)  # successful posts only
    attempts: list[dict[str, Any]] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)

    def fail_next(self, *answers: Scripted) -> None:
        self.script.extend(answers)

    def handle(self, path: str, authorization: str, payload: dict[str, Any]) -> Scripted:
        self.attempts.append(payload)
        self.tokens.append(authorization)
        answer = self.script.pop(0) if self.script else None
        if answer is None or answer.posted:
            self.posts.append({"path": path, **payload})
        if answer is None:
            return Scripted(body="ok") if path.startswith("/webhook") else Scripted()
        return answer

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Yields the base URL; the Web API lives under /api/, the webhook at /webhook."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length).decode("utf-8")
                payload = json.loads(raw) if raw.startswith("{") else {"raw": raw}
                answer = fake.handle(self.path, self.headers.get("Authorization", ""), payload)
                time.sleep(answer.delay)
                body = answer.body if isinstance(answer.body, str) else json.dumps(answer.body)
                self.send_response(answer.status)
                for name, value in {"Content-Type": "application/json", **answer.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body.encode())))
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, format: str, *args: object) -> None:
                pass

        with serve(Handler) as base:
            yield base
