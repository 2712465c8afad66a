"""What one document check is about, and the commitment stage's boundary within it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from monitor.config import SourceConfig
from monitor.discover import Candidate
from monitor.identity.urls import LinkPolicy

T = TypeVar("T")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    source: SourceConfig
    candidate: Candidate
    location: str  # canonical URL of the candidate
    policy: LinkPolicy
    baseline: bool  # the source's first check: record silently

    @property
    def where(self) -> tuple[str, str]:
        """The source and the address asked, as logs name a document."""
        return self.source.name, self.candidate.url


def commitment_step(where: tuple[str, str], what: str, work: Callable[[], T], otherwise: T) -> T:
    """One step of the commitment stage: a failure there costs only the commitments, never the
    document's version or its change events (recorded with or without them)."""
    try:
        return work()
    except Exception:  # the commitment stage's boundary: it logs, and the document goes on
        log.exception("source %s: %s: commitments not %s", *where, what)
        return otherwise
