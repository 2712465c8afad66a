"""Source kinds: how a configured source turns into document URLs to fetch.

Each kind is a small module that registers itself under a name with ``@register("name")`` and
implements the ``SourceKind`` protocol:

- ``page``: the configured URLs are the documents (no keyword filter);
- ``listing``: an HTML index of links, paginated;
- ``feed``: RSS 2.0 or Atom;
- ``wp-json``: the WordPress REST API;
- ``sitemap``: XML sitemaps and sitemap indexes.

Every kind but ``page`` keeps only candidates that match the source's keywords.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from monitor.models import Validators

if TYPE_CHECKING:
    from monitor.config import Settings, SourceConfig
    from monitor.fetch.client import Fetches
    from monitor.identity.urls import LinkPolicy


@dataclass(frozen=True)
class Candidate:
    """A document a source points at."""

    url: str
    title: str | None = None
    # The link said too little to match on: fetch it once and match its title and opening.
    verify: bool = False


@dataclass(frozen=True)
class Mention:
    """A post that names the HLED only deep in its body: quoted once, never tracked."""

    url: str
    title: str | None
    quote: str  # the sentence that names it


@dataclass(frozen=True)
class Discovery:
    candidates: tuple[Candidate, ...]
    error: str | None = None  # set when the source itself could not be read
    # Validators of the index pages read, saved only when the whole check went well, so a
    # candidate whose fetch failed is found again instead of hiding behind a 304.
    validators: tuple[tuple[str, Validators], ...] = field(default=())
    mentions: tuple[Mention, ...] = field(default=())
    deferred: int = 0  # new candidates past the source's new_per_check: for later checks
    unasked: int = 0  # of those, never asked yet: the index is read in full next time (no 304)
    keep_validators: bool = False  # a listed link's 404 does not keep validators from saving


@dataclass(frozen=True)
class LinkNote:
    """One link an index offered and what discovery made of it (shown by `monitor test`)."""

    url: str
    texts: tuple[str, ...]  # what it was matched on: link text, title, summary, slug
    verdict: str  # "match", "verify" (vague: its page decides), "no match", "refused: why"


class Known(Protocol):
    """What discovery asks of the store (or of a check pass's batch)."""

    def asked(self, urls: Sequence[str]) -> dict[str, datetime]: ...
    def watched(self, source: str) -> list[tuple[str, str]]: ...
    def validators(self, url: str) -> Validators: ...


@dataclass(frozen=True)
class DiscoverContext:
    settings: Settings
    fetcher: Fetches
    store: Known
    policy: LinkPolicy
    trace: Callable[[LinkNote], None] | None = None  # the dry run watches every verdict


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
    from monitor.discover import feed, listing, page, sitemap, wpjson  # noqa: F401
