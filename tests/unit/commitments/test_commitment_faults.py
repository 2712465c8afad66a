"""The commitment stage's faults cost only the commitments (issue 13, item 2)."""

from __future__ import annotations

import pytest

from monitor.commitments.diff import ItemChange, entry, ledger_change
from monitor.commitments.model import Item
from monitor.models import EventType
from store.repo import Store
from tests.conftest import Clock, make_settings
from tests.fakesite import FakeSite, article
from tests.unit.discover.test_discovery import check

OPENING = "The United States and Mexico held the High-Level Economic Dialogue in Washington today."
PROMISE = "EPA and CONAGUA committed to invest a combined $474 million in border water projects."
OTHER = "USAID will fund a workforce training program in Monterrey by 2025."


def item(sentence: str) -> Item:
    return Item(sentence, "commitment", ("EPA",), "", None, None, (), True, None, (0, 1))


def settings():  # type: ignore[no-untyped-def]
    return make_settings({"name": "state", "agency": "State", "url": "https://www.state.gov/hled"})


def test_a_failing_commitment_stage_never_stops_the_version_or_its_change_event(
    store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    site = FakeSite({"/hled": article("Joint Statement on the HLED", OPENING, PROMISE)})
    check(settings(), store, site, clock)

    def broken(*args: object) -> object:
        raise RuntimeError("the extractor broke")

    monkeypatch.setattr("monitor.pipeline.commitment_news.version_changes", broken)
    site.pages["/hled"] = article("Joint Statement on the HLED", OPENING, PROMISE.replace("4", "5"))
    result = check(settings(), store, site, clock)
    assert result.reports[0].errors == []
    assert [event.type for event in result.events] == ["document_changed"]
    (document,) = store.documents()
    assert document.version_count == 2
    assert "commitments not compared" in caplog.text
    assert "the extractor broke" in caplog.text


def test_the_ledger_merges_a_change_onto_a_commitment_the_document_states_already(
    store: Store, clock: Clock
) -> None:
    check(settings(), store, FakeSite({"/hled": article("HLED", OPENING)}), clock)
    (document,) = store.documents()
    assert document.id is not None
    items = [item(PROMISE), item(OTHER), item(PROMISE)]
    store.put_ledger(document.id, [entry(i) for i in items], clock())
    # OTHER is reworded into PROMISE, and PROMISE is added again: one row, never a second one.
    changes = [
        ItemChange(
            EventType.COMMITMENT_CHANGED, item(OTHER), item(PROMISE.replace("474", "520")), {}
        ),
        ItemChange(EventType.COMMITMENT_ADDED, None, item(PROMISE), {}),
    ]
    store.apply_changes(document.id, [ledger_change(c) for c in changes], clock())
    rows = sorted((row.sentence, row.status) for row, _ in store.ledger(document.id))
    assert rows == [(PROMISE, "open"), (OTHER, "removed")]
