"""Source kinds: how a configured source turns into document URLs to fetch.

Each kind is a small module that registers itself under a name with ``@register("name")`` and
implements the ``SourceKind`` protocol. ``page`` is the simplest: its URLs are the documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from monitor.config import Settings, SourceConfig
    from monitor.fetch import Fetcher


@dataclass(frozen=True)
class Candidate:
    """A document a source points at."""

    url: str
    title: str | None = None
    # A feed that carries the full body lets the first version skip a second request.
    body_html: str | None = None


@dataclass(frozen=True)
class Discovery:
    candidates: tuple[Candidate, ...]
    error: str | None = None  # set when the source itself could not be read


@dataclass(frozen=True)
class DiscoverContext:
    settings: Settings
    fetcher: Fetcher


class SourceKind(Protocol):
    async def __call__(self, source: SourceConfig, context: DiscoverContext) -> Discovery: ...


_KINDS: dict[str, SourceKind] = {}


def register(name: str) -> Callable[[SourceKind], SourceKind]:
    def decorator(kind: SourceKind) -> SourceKind:
        _KINDS[name] = kind
        return kind

    return decorator


def kind_names() -> list[str]:
    _load_builtin_kinds()
    return sorted(_KINDS)


def get_kind(name: str) -> SourceKind:
    _load_builtin_kinds()
    return _KINDS[name]


def _load_builtin_kinds() -> None:
    from monitor.sources import page  # noqa: F401  (registers on import)
