"""What the discovering kinds share: reading an index page and deciding which links to keep."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from monitor.config import SourceConfig
from monitor.identity import log_refusal_once, resolve_link
from monitor.matching import matches
from monitor.models import FetchResult, FetchStatus, Validators
from monitor.sources import Candidate, DiscoverContext, Discovery

log = logging.getLogger(__name__)
_logged_malformed: set[tuple[str, str]] = set()  # (source, message): each logged once


@dataclass
class IndexReader:
    """Reads a source's index pages (conditionally) and collects matching candidates."""

    source: SourceConfig
    context: DiscoverContext
    candidates: dict[str, Candidate] = field(default_factory=dict)
    validators: list[tuple[str, Validators]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)  # links skipped: each costs only itself

    @property
    def keywords(self) -> tuple[str, ...]:
        return self.source.keywords(self.context.settings.defaults.match)

    async def read(self, url: str, accept: tuple[str, ...]) -> FetchResult | None:
        """The page's answer when it has a body; None after a 304 or a failure (recorded)."""
        validators = self.context.store.validators(url)
        result = await self.context.fetcher.fetch(
            url, validators, accept, self.context.policy.check, source=self.source.name
        )
        if result.status is FetchStatus.NOT_MODIFIED:
            return None
        if not result.has_body:
            self.errors.append(f"{url}: {result.reason}")
            return None
        self.validators.append((url, result.validators))
        return result

    def offer(self, base: str, href: str | None, texts: Iterable[str | None], vague: bool) -> None:
        """Keep the link when its texts match; vague links are kept to be verified."""
        if not href:
            return
        try:
            url = resolve_link(base, href)
        except ValueError as exc:
            self.malformed.append(str(exc))
            return
        reason = self.context.policy.refusal(url)
        if reason:
            log_refusal_once(url, reason)
            return
        texts = list(texts)
        if matches(texts, self.keywords):
            self.candidates[url] = Candidate(url, title=next(filter(None, texts), None))
        elif vague and url not in self.candidates:
            self.candidates[url] = Candidate(url, verify=True)

    def discovery(self) -> Discovery:
        self._log_malformed()
        return Discovery(
            tuple(self.candidates.values()),
            error="; ".join(self.errors) or None,
            validators=tuple(self.validators),
        )

    def _log_malformed(self) -> None:
        """One line per source for the malformed links not logged before (in this process)."""
        name = self.source.name
        fresh = [m for m in dict.fromkeys(self.malformed) if (name, m) not in _logged_malformed]
        if not fresh:
            return
        _logged_malformed.update((name, message) for message in fresh)
        more = f"; and {len(fresh) - 3} more" if len(fresh) > 3 else ""
        log.warning("source %s: skipped %d: %s%s", name, len(fresh), "; ".join(fresh[:3]), more)
