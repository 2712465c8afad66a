"""What the discovering kinds share: reading an index page and deciding which links to keep."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from monitor.config import SourceConfig
from monitor.identity import canonical_url, log_refusal_once, resolve
from monitor.matching import matches
from monitor.models import FetchResult, FetchStatus, Validators
from monitor.sources import Candidate, DiscoverContext, Discovery, LinkNote
from monitor.sources.backlog import NewCandidates

log = logging.getLogger(__name__)
_logged_malformed: set[tuple[str, str]] = set()  # (source, message): each logged once


@dataclass
class IndexReader:
    """Reads a source's index pages (conditionally) and collects matching candidates."""

    source: SourceConfig
    context: DiscoverContext
    # Feeds and sitemaps: a listed link that answered 404 does not keep the index's validators
    # from being saved (it is asked again, oldest first, when the index changes).
    keep_validators: bool = False
    candidates: dict[str, Candidate] = field(default_factory=dict)  # known to the source
    validators: list[tuple[str, Validators]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)  # links skipped: each costs only itself
    new: NewCandidates = field(init=False)
    known: set[str] = field(init=False)  # canonical locations the source watches already

    def __post_init__(self) -> None:
        settings, store = self.context.settings, self.context.store
        cap = self.source.new_per_check or settings.defaults.new_per_check
        self.new = NewCandidates(cap, store.asked)
        watched = store.watched(self.source.name)
        self.known = {canonical_url(url, settings.aliases) for url, _ in watched}

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
        texts = list(texts)
        matched = matches(texts, self.keywords)
        if not href or not (matched or vague or self.context.trace):
            return  # decided before the link is parsed: most links on a listing are not ours
        try:
            url, location = resolve(base, href, self.context.settings.aliases)
        except ValueError as exc:
            self.malformed.append(str(exc))
            self._note(href, texts, "malformed")
            return
        reason = self.context.policy.refusal(url)
        if reason:
            log_refusal_once(url, reason)
            self._note(url, (), f"refused: {reason}")
            return
        if not (matched or vague):
            self._note(url, texts, "no match")
            return
        title = next(filter(None, texts), None) if matched else None
        kept = self._keep(Candidate(url, title=title, verify=not matched), location)
        self._note(url, texts, ("match" if matched else "verify") if kept else "no match")

    def _keep(self, candidate: Candidate, location: str) -> bool:
        """Keep a candidate (a new one within the cap); False for a vague repeat of a kept one."""
        if location not in self.known:
            self.new.add(candidate)  # new to the source: within the cap of this check
        elif not candidate.verify or candidate.url not in self.candidates:
            self.candidates[candidate.url] = candidate
        else:
            return False
        return True

    def _note(self, url: str, texts: Iterable[str | None], verdict: str) -> None:
        if self.context.trace is not None:
            self.context.trace(LinkNote(url, tuple(filter(None, texts)), verdict))

    def discovery(self) -> Discovery:
        self._log_malformed()
        chosen = self.new.chosen()
        return Discovery(
            (*self.candidates.values(), *chosen),
            error="; ".join(self.errors) or None,
            validators=tuple(self.validators),
            deferred=self.new.left,
            unasked=self.new.left_fresh,
            keep_validators=self.keep_validators,
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
