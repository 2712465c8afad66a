"""Where a location answered, and whether that is a move.

A permanent redirect (301/308) to another canonical URL moves the location there; an answer at
another address with the same identity (an ``[[alias]]`` host, or a 301 to the archive of an
administration) is a move in place. A temporary redirect moves nothing: the old address is
asked again next time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from monitor.config import AliasConfig
from monitor.identity.urls import canonical_url, clean_url
from monitor.models import FetchResult


@dataclass(frozen=True)
class Whereabouts:
    answered: str  # where the answer came from, after redirects
    ask_next: str  # the address to ask next time
    moved_to: str | None = None  # the canonical URL of the location it moved to
    moved: bool = False  # the address changed for good: a ``document_moved`` note


def whereabouts(
    location: str,
    asked: str,
    previous: str | None,
    result: FetchResult,
    aliases: Iterable[AliasConfig],
) -> Whereabouts:
    """``location`` (canonical), asked at ``asked``, last answered at ``previous``."""
    answered = clean_url(result.final_url or asked)
    redirected = not _same_address(answered, asked)
    if redirected and not result.moved:  # a temporary redirect: keep asking what we know
        return Whereabouts(answered, previous or asked)
    if redirected:
        destination = canonical_url(answered, aliases)
        if destination != location:
            return Whereabouts(answered, answered, destination, moved=True)
    changed = previous is not None and not _same_address(previous, answered)
    return Whereabouts(answered, answered, moved=changed)


def _same_address(first: str, second: str) -> bool:
    """Equal but for case, fragment, tracking parameters and a trailing slash (no aliases)."""
    return canonical_url(first) == canonical_url(second)
