"""One pass over the configured sources, its stages in order.

Per source: discover its candidates (``monitor.discover``), quote its mentions (``mentions``),
then per document: fetch and decide what the answer means (``document``, which returns a
``DocumentOutcome``) and record that outcome (``record``); then save the index's validators
and record the source's health (``health``). After the pass the outbox sends the recorded
events as alerts, one message per document (``deliver``). This module only runs the stages and
keeps one source's failure from touching any other.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx

from monitor.config import Settings, SourceConfig
from monitor.discover import Candidate, DiscoverContext, Discovery, get_kind
from monitor.fetch.browser import PassBrowser, for_source, pass_browser
from monitor.fetch.challenges import challenged_hosts
from monitor.fetch.client import Fetcher, Fetches, Sleep, UrlGuard
from monitor.identity.urls import LinkPolicy, canonical_url
from monitor.models import Event
from monitor.pipeline.context import ChannelSelector, CheckContext, Clock, utc_now
from monitor.pipeline.document import decide
from monitor.pipeline.health import record_health
from monitor.pipeline.mentions import record_mentions
from monitor.pipeline.outcome import DocumentOutcome
from monitor.pipeline.record import record_outcome
from store.batch import Batch
from store.repo import Store

__all__ = ["CheckContext", "Clock", "PassResult", "SourceReport", "run_check", "utc_now"]

log = logging.getLogger(__name__)


@dataclass
class SourceReport:
    """What one source's check came to (one row of the summary table)."""

    name: str
    agency: str
    baseline: bool
    documents: int = 0
    new: int = 0
    changed: int = 0
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    challenges: dict[str, int] = field(default_factory=dict)  # host -> bot checks / 403s
    deferred: int = 0  # new candidates left for later checks (new_per_check)

    @property
    def status(self) -> str:
        if self.errors:
            return "error"
        return "baseline" if self.baseline else "ok"


@dataclass
class PassResult:
    reports: list[SourceReport]
    events: list[Event]

    @property
    def failed(self) -> bool:
        return any(report.errors for report in self.reports)


async def run_check(
    settings: Settings,
    store: Store,
    *,
    source_names: Sequence[str] = (),
    now: Clock = utc_now,
    channels: ChannelSelector = lambda event: (),
    transport: httpx.AsyncBaseTransport | None = None,
    sleep: Sleep = asyncio.sleep,
    url_guard: UrlGuard | None = None,
) -> PassResult:
    """Check every enabled source (or the named ones) once, concurrently."""
    chosen = [settings.source(name) for name in source_names] or [
        source for source in settings.sources if source.enabled
    ]
    fetcher = Fetcher(settings.fetch, transport=transport, sleep=sleep, url_guard=url_guard)
    # The pass reads and writes its rows in bulk through a Batch (store/batch.py).
    locations = {url: canonical_url(url, settings.aliases) for s in chosen for url in s.targets}
    batch = Batch(store, locations, [source.name for source in chosen])
    browser = pass_browser(settings, store, chosen)  # started only when a page needs it
    context = CheckContext(settings, batch, fetcher, now, channels, sleep, browser=browser)
    try:
        results = await asyncio.gather(*(check_source(source, context) for source in chosen))
    finally:
        await _end_pass(browser, fetcher, batch)
    reports = [report for report, _ in results]
    found = [event for _, events in results for event in events]
    return PassResult(reports, found)


async def _end_pass(browser: PassBrowser | None, fetcher: Fetches, batch: Batch) -> None:
    """Close what the pass opened; one that fails to close keeps none of the others open."""
    try:
        if browser is not None:
            await browser.aclose()
    finally:
        try:
            await fetcher.aclose()
        finally:
            batch.close()


async def check_source(
    source: SourceConfig, context: CheckContext
) -> tuple[SourceReport, list[Event]]:
    started = time.monotonic()
    store = context.store
    report = SourceReport(
        source.name, source.agency, not store.source_state(source.name).baseline_done
    )
    policy = LinkPolicy.for_source(source.targets, source.allow_hosts, context.settings.aliases)
    context = for_source(context, source, policy)  # fetch = "auto"|"browser": the browser too
    outcomes: list[DocumentOutcome] = []
    mentioned: list[Event] = []
    discovery = Discovery(())
    try:
        discovery = await get_kind(source.kind)(
            source, DiscoverContext(context.settings, context.fetcher, store, policy)
        )
        if discovery.error:
            report.errors.append(discovery.error)
        candidates = _with_known_documents(source, discovery, store)
        report.documents = len(candidates)
        mentioned = record_mentions(source, discovery.mentions, report.baseline, context)
        # Every document's check runs to its end: one that breaks costs only itself.
        answers = await asyncio.gather(
            *(
                _document(source, candidate, report.baseline, context, policy)
                for candidate in candidates
            ),
            return_exceptions=True,
        )
        outcomes = _kept(source, candidates, answers, report)
    except Exception as exc:  # the per-source boundary: one broken source never stops the pass
        log.exception("source %s: check failed", source.name)
        report.errors.append(f"internal error: {exc!r}")
    _tally(report, outcomes)
    _close_index(discovery, report, outcomes, context)
    health = record_health(source, "; ".join(report.errors) or None, context)
    report.elapsed = time.monotonic() - started
    found = [event for outcome in outcomes for event in outcome.found]
    return report, mentioned + found + health


def _kept(
    source: SourceConfig,
    candidates: Sequence[Candidate],
    answers: Sequence[DocumentOutcome | BaseException],
    report: SourceReport,
) -> list[DocumentOutcome]:
    """The documents' outcomes; a document whose check raised is reported by its address."""
    outcomes = []
    for candidate, answer in zip(candidates, answers, strict=True):
        if isinstance(answer, DocumentOutcome):
            outcomes.append(answer)
            continue
        if not isinstance(answer, Exception):
            raise answer  # a cancellation or an interrupt: the whole pass stops
        log.error("source %s: %s: check failed", source.name, candidate.url, exc_info=answer)
        report.errors.append(f"{candidate.url}: internal error: {answer!r}")
    return outcomes


async def _document(
    source: SourceConfig,
    candidate: Candidate,
    baseline: bool,
    context: CheckContext,
    policy: LinkPolicy,
) -> DocumentOutcome:
    """Decide what one document's answer means, then record it (with no await between: what
    the decision read is still true when it is written)."""
    target, outcome = await decide(source, candidate, baseline, context, policy)
    record_outcome(outcome, context, target.where)
    return outcome


def _close_index(
    discovery: Discovery,
    report: SourceReport,
    outcomes: list[DocumentOutcome],
    context: CheckContext,
) -> None:
    """Say what the cap left for later checks; save the index's validators when it may 304."""
    report.deferred = discovery.deferred
    if discovery.deferred:
        log.warning("source %s: %d new candidates past new_per_check (%d never asked yet) are "
                    "left for later checks", report.name, discovery.deferred,
                    discovery.unasked)  # fmt: skip
    if _index_read(discovery, report, outcomes):
        for url, validators in discovery.validators:
            context.store.remember_validators(url, validators, context.now())


def _index_read(
    discovery: Discovery, report: SourceReport, outcomes: list[DocumentOutcome]
) -> bool:
    """Whether the index pages may answer 304 next time: nothing they list is left behind.

    A failed fetch, or a candidate never asked because of the cap, needs the index read in
    full again; a listed link that answered 404 too, except in a feed or sitemap, whose
    validators are saved once read (that link is asked again when the index changes).
    """
    if report.errors or discovery.unasked:
        return False
    return discovery.keep_validators or not any(outcome.unread for outcome in outcomes)


def _with_known_documents(
    source: SourceConfig, discovery: Discovery, store: Batch
) -> list[Candidate]:
    """What the source points at now, plus every location it found before.

    Documents that fell off a listing are still checked (a silent edit to an old fact sheet
    is news), and leaving a listing is never removal.
    """
    candidates = {candidate.url: candidate for candidate in discovery.candidates}
    if source.kind != "page":
        for url, title in store.watched(source.name):
            candidates.setdefault(url, Candidate(url, title=title))
    return list(candidates.values())


def _tally(report: SourceReport, outcomes: list[DocumentOutcome]) -> None:
    report.new = sum(outcome.new for outcome in outcomes)
    report.changed = sum(outcome.changed for outcome in outcomes)
    report.errors += [outcome.error for outcome in outcomes if outcome.error]
    report.challenges = challenged_hosts(report.errors)
    for error in report.errors:
        log.info("source %s: %s", report.name, error)
    for host, count in report.challenges.items():
        log.warning("source %s: %s answered %d time(s) with a bot check or 403: blocked?",
                    report.name, host, count)  # fmt: skip
