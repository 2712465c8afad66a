"""The document stage decides and writes nothing; ``record_outcome`` writes what it decided."""

from __future__ import annotations

import asyncio

from monitor.discover import Candidate
from monitor.fetch.client import Fetcher
from monitor.identity.urls import LinkPolicy
from monitor.pipeline.context import CheckContext
from monitor.pipeline.document import decide
from monitor.pipeline.outcome import DocumentOutcome, MarkSeen, SaveVersion
from monitor.pipeline.record import record_outcome
from monitor.pipeline.target import Target
from store.repo import Store
from tests.conftest import Clock, make_settings
from tests.fakesite import FakeSite, article
from tests.unit.discover.test_discovery import HLED_TEXT, no_wait

URL = "https://www.state.gov/hled"


def decided(
    store: Store, clock: Clock, site: FakeSite, baseline: bool = False
) -> tuple[Target, DocumentOutcome, CheckContext]:
    settings = make_settings({"name": "s", "agency": "State", "url": URL})
    source = settings.sources[0]
    fetcher = Fetcher(settings.fetch, transport=site.transport, sleep=no_wait)
    context = CheckContext(settings, store, fetcher, clock, lambda event: ["memory"], no_wait)
    policy = LinkPolicy.for_source(source.targets, source.allow_hosts, settings.aliases)

    async def run() -> tuple[Target, DocumentOutcome]:
        try:
            return await decide(source, Candidate(URL), baseline, context, policy)
        finally:
            await fetcher.aclose()

    target, outcome = asyncio.run(run())
    return target, outcome, context


def test_a_new_document_is_decided_without_a_write_then_recorded_with_its_alert(
    store: Store, clock: Clock
) -> None:
    site = FakeSite({"/hled": article("Joint Statement on the HLED", HLED_TEXT)})
    target, outcome, context = decided(store, clock, site)
    assert (store.documents(), store.events()) == ([], [])  # decided: nothing written yet
    assert isinstance(outcome.write, SaveVersion)
    assert outcome.write.document_id is None
    assert [event.type for event in outcome.found] == ["new_document"]
    assert [routed.channels for routed in outcome.events] == [("memory",)]
    record_outcome(outcome, context, target.where)
    (document,) = store.documents()
    assert (document.url, document.version_count) == (URL, 1)
    assert [record.id for record in store.events()] == [outcome.found[0].id]
    assert [d.channel for d in store.deliveries()] == ["memory"]
    assert context.announced == {document.id: ("memory",)}  # a copy found later: its channels


def test_the_same_text_again_is_one_seen_mark_and_no_event(store: Store, clock: Clock) -> None:
    site = FakeSite({"/hled": article("Joint Statement on the HLED", HLED_TEXT)})
    target, first, context = decided(store, clock, site, baseline=True)
    assert first.found == ()  # the baseline: recorded silently
    record_outcome(first, context, target.where)
    clock.advance(hours=1)
    target, again, context = decided(store, clock, site)
    assert isinstance(again.write, MarkSeen)
    assert again.events == ()
    assert store.documents()[0].last_seen_at < clock()  # decided: not yet seen
    record_outcome(again, context, target.where)
    assert store.documents()[0].last_seen_at == clock()
