"""One pass over the configured sources: discover → fetch → extract → compare → record.

Each stage is its own module; this one only runs them in order and keeps one source's failure
from touching any other source.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from monitor import events
from monitor.config import Settings, SourceConfig
from monitor.errors import ExtractError
from monitor.extract import decode_html, extract_page
from monitor.fetch import Fetcher, Sleep, UrlGuard
from monitor.models import Event, FetchResult, FetchStatus, Page, Validators
from monitor.normalize import fingerprint
from monitor.sources import Candidate, DiscoverContext, get_kind
from store.models import Document
from store.repo import ChannelSelector, NewVersion, Store

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


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


@dataclass(frozen=True)
class CheckContext:
    """Everything a pass needs, injected: the store, the HTTP fetcher, the clock, the outbox."""

    settings: Settings
    store: Store
    fetcher: Fetcher
    now: Clock
    channels: ChannelSelector


@dataclass(frozen=True)
class _Outcome:
    new: bool = False
    changed: bool = False
    error: str | None = None
    events: tuple[Event, ...] = ()


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
    context = CheckContext(settings, store, fetcher, now, channels)
    try:
        results = await asyncio.gather(*(check_source(source, context) for source in chosen))
    finally:
        await fetcher.aclose()
    reports = [report for report, _ in results]
    return PassResult(reports, [event for _, found in results for event in found])


async def check_source(
    source: SourceConfig, context: CheckContext
) -> tuple[SourceReport, list[Event]]:
    started = time.monotonic()
    baseline = not context.store.source_state(source.name).baseline_done
    report = SourceReport(source.name, source.agency, baseline)
    outcomes: list[_Outcome] = []
    try:
        discovery = await get_kind(source.kind)(
            source, DiscoverContext(context.settings, context.fetcher)
        )
        if discovery.error:
            report.errors.append(discovery.error)
        report.documents = len(discovery.candidates)
        outcomes = list(
            await asyncio.gather(
                *(check_document(source, c, baseline, context) for c in discovery.candidates)
            )
        )
    except Exception as exc:  # the per-source boundary: one broken source never stops the pass
        log.exception("source %s: check failed", source.name)
        report.errors.append(f"internal error: {exc!r}")
    report.new = sum(outcome.new for outcome in outcomes)
    report.changed = sum(outcome.changed for outcome in outcomes)
    report.errors += [outcome.error for outcome in outcomes if outcome.error]
    for error in report.errors:
        log.info("source %s: %s", source.name, error)
    context.store.update_source(source.name, context.now(), "; ".join(report.errors) or None)
    report.elapsed = time.monotonic() - started
    return report, [event for outcome in outcomes for event in outcome.events]


async def check_document(
    source: SourceConfig, candidate: Candidate, baseline: bool, context: CheckContext
) -> _Outcome:
    url, store = candidate.url, context.store
    known = store.document(url)
    validators = store.validators(url) if known else Validators()
    result = await context.fetcher.fetch(url, validators)
    if result.status is FetchStatus.NOT_MODIFIED:
        store.mark_seen(url, validators, context.now())
        return _Outcome()
    if not result.has_body:
        return _Outcome(error=f"{url}: {result.reason}")
    try:
        page = extract_page(
            decode_html(result.body, result.encoding),
            result.final_url or url,
            source.content_selector,
        )
    except ExtractError as exc:
        return _Outcome(error=f"{url}: {exc}")
    return _record(source, url, result, page, known, baseline, context)


def _record(
    source: SourceConfig,
    url: str,
    result: FetchResult,
    page: Page,
    known: Document | None,
    baseline: bool,
    context: CheckContext,
) -> _Outcome:
    """Compare with what we hold; store a new version and its events in one transaction."""
    store, now = context.store, context.now()
    new_fingerprint = fingerprint(page.blocks)
    if known is not None and known.fingerprint == new_fingerprint:
        store.mark_seen(url, result.validators, now)  # chrome churn, or a server without 304
        return _Outcome()
    found: list[Event] = []
    if known is None and not baseline:
        found.append(events.new_document(source, url, page, now))
    elif known is not None and known.id is not None:
        previous = store.latest_version(known.id)
        old_blocks = previous.text.split("\n\n") if previous else []
        found.append(
            events.document_changed(
                source,
                url,
                page,
                old_blocks,
                (known.version_count, known.version_count + 1),
                (known.fingerprint, new_fingerprint),
                now,
            )
        )
    new = NewVersion(
        source.name,
        source.agency,
        url,
        page,
        new_fingerprint,
        result.body,
        result.final_url or url,
        result.validators,
    )
    store.save_version(new, now, found, context.channels)
    return _Outcome(
        new=known is None and not baseline, changed=known is not None, events=tuple(found)
    )
