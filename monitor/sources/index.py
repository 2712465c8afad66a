"""What the discovering kinds share: reading an index page and deciding which links to keep."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from monitor.config import SourceConfig
from monitor.identity import clean_url, log_refusal_once
from monitor.matching import matches
from monitor.models import FetchResult, FetchStatus, Validators
from monitor.sources import Candidate, DiscoverContext, Discovery, LinkNote


@dataclass
class IndexReader:
    """Reads a source's index pages (conditionally) and collects matching candidates."""

    source: SourceConfig
    context: DiscoverContext
    candidates: dict[str, Candidate] = field(default_factory=dict)
    validators: list[tuple[str, Validators]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def keywords(self) -> tuple[str, ...]:
        return self.source.keywords(self.context.settings.defaults.match)

    async def read(self, url: str, accept: tuple[str, ...]) -> FetchResult | None:
        """The page's answer when it has a body; None after a 304 or a failure (recorded)."""
        validators = self.context.store.validators(url)
        result = await self.context.fetcher.fetch(
            url, validators, accept, self.context.policy.check
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
        url = clean_url(urljoin(base, href.strip()))
        reason = self.context.policy.refusal(url)
        if reason:
            log_refusal_once(url, reason)
            self._note(url, (), f"refused: {reason}")
            return
        texts = list(texts)
        if matches(texts, self.keywords):
            self.candidates[url] = Candidate(url, title=next(filter(None, texts), None))
            self._note(url, texts, "match")
        elif vague and url not in self.candidates:
            self.candidates[url] = Candidate(url, verify=True)
            self._note(url, texts, "verify")
        else:
            self._note(url, texts, "no match")

    def _note(self, url: str, texts: Iterable[str | None], verdict: str) -> None:
        if self.context.trace is not None:
            self.context.trace(LinkNote(url, tuple(filter(None, texts)), verdict))

    def discovery(self) -> Discovery:
        return Discovery(
            tuple(self.candidates.values()),
            error="; ".join(self.errors) or None,
            validators=tuple(self.validators),
        )
