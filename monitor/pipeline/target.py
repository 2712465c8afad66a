"""What one document check is about, and what it came to."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.config import SourceConfig
from monitor.discover import Candidate
from monitor.identity.urls import LinkPolicy
from monitor.models import Event


@dataclass(frozen=True)
class Target:
    source: SourceConfig
    candidate: Candidate
    location: str  # canonical URL of the candidate
    policy: LinkPolicy
    baseline: bool  # the source's first check: record silently


@dataclass(frozen=True)
class Outcome:
    new: bool = False
    changed: bool = False
    error: str | None = None
    events: tuple[Event, ...] = ()
    # A listed link that is not there yet (404): read the index again next time, not a 304.
    unread: bool = False
