"""What every part of the view reads: the store, the configured sources, the public address."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from starlette.requests import Request

from monitor.config import SourceConfig
from notifiers.format import TITLES
from store.queries import ReadStore

EVENT_TYPES = tuple(sorted(kind for kind in TITLES if kind != "notify_test"))


@dataclass(frozen=True)
class ViewContext:
    """What the view reads: the store, and (when known) the configured sources."""

    store: ReadStore
    sources: Callable[[], Sequence[SourceConfig]] = field(default=lambda: ())
    next_run: Callable[[str], datetime | None] = field(default=lambda name: None)
    public_url: str | None = None  # absolute links (the feed) use it; else the request's own

    @property
    def base_is_https(self) -> bool:
        """Readers come over https: behind a TLS proxy the request itself may say http."""
        return (self.public_url or "").startswith("https:")

    def base_url(self, request: Request) -> str:
        return (self.public_url or str(request.base_url)).rstrip("/")
