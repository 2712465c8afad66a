"""The check pass end to end over a fake site: baseline, edits, noise, failures, idempotence."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from monitor.config import Settings
from monitor.pipeline import check as pipeline_check
from monitor.pipeline.check import PassResult, run_check
from store.repo import Store
from tests.conftest import Clock, make_settings
from tests.fakesite import FakeSite, article

BASE = "https://www.state.gov"
PARAGRAPHS = (
    "Senior officials of the United States and Mexico met today for the High-Level Economic "
    "Dialogue to review their joint work on supply chains.",
    "EPA and CONAGUA committed to invest a combined $474 million in border water projects.",
    "The two governments will meet again in 2024.",
)


def page_source(name: str, *paths: str) -> dict[str, object]:
    return {"name": name, "agency": "State", "urls": [BASE + path for path in paths]}


async def no_wait(seconds: float) -> None:
    pass


def check(settings: Settings, store: Store, site: FakeSite, clock: Clock) -> PassResult:
    def channels(event: object) -> list[str]:
        return ["memory"]

    return asyncio.run(
        run_check(
            settings, store, now=clock, transport=site.transport, channels=channels, sleep=no_wait
        )
    )


def test_first_check_records_a_silent_baseline(any_store: Store, clock: Clock) -> None:
    site = FakeSite({"/a": article("Joint Statement", *PARAGRAPHS)})
    result = check(make_settings(page_source("state", "/a")), any_store, site, clock)
    assert result.events == []
    (report,) = result.reports
    assert (report.status, report.documents, report.new) == ("baseline", 1, 0)
    (document,) = any_store.documents()
    assert (document.title, document.doc_type) == ("Joint Statement", "joint statement")
    assert any_store.deliveries() == []


def test_an_amount_edit_gives_exactly_one_document_changed(any_store: Store, clock: Clock) -> None:
    site = FakeSite({"/a": article("Fact Sheet", *PARAGRAPHS)})
    settings = make_settings(page_source("state", "/a"))
    check(settings, any_store, site, clock)
    site.pages["/a"] = article("Fact Sheet", *(p.replace("$474", "$520") for p in PARAGRAPHS))
    clock.advance(hours=1)
    result = check(settings, any_store, site, clock)
    assert sorted(e.type for e in result.events) == ["commitment_changed", "document_changed"]
    (event,) = [e for e in result.events if e.type == "document_changed"]
    assert (event.payload["from_version"], event.payload["to_version"]) == (1, 2)
    (change,) = event.payload["changes"]
    assert "[-$474-] {+$520+}" in change["compact"]
    assert "-EPA and CONAGUA committed to invest a combined $474 million" in event.payload["diff"]
    (commitment,) = event.payload["commitment_changes"]
    assert commitment["changes"] == {
        "amounts": {"before": ["$474 million"], "after": ["$520 million"]}
    }
    assert len(any_store.deliveries()) == 2  # one per event, one channel
    assert result.reports[0].changed == 1


def test_chrome_churn_and_whitespace_are_not_changes(any_store: Store, clock: Clock) -> None:
    site = FakeSite({"/a": article("Readout", *PARAGRAPHS, chrome="<a>Related one</a>")})
    settings = make_settings(page_source("state", "/a"))
    check(settings, any_store, site, clock)
    spaced = [p.replace(" ", "  \n ") for p in PARAGRAPHS]
    site.pages["/a"] = article(
        "Readout", *spaced, chrome="<a>Another related story</a>", updated="June 2, 2025"
    )
    result = check(settings, any_store, site, clock)
    assert result.events == []
    assert result.reports[0].status == "ok"
    (document,) = any_store.documents()
    assert document.version_count == 1


def test_unchanged_page_is_revalidated_with_304(any_store: Store, clock: Clock) -> None:
    site = FakeSite({"/a": article("Readout", *PARAGRAPHS)})
    settings = make_settings(page_source("state", "/a"))
    check(settings, any_store, site, clock)
    check(settings, any_store, site, clock)
    assert site.count("/a") == 2
    assert any_store.validators(BASE + "/a").etag is not None
    assert len(any_store.versions(any_store.documents()[0].id or 0)) == 1


def test_a_new_url_after_the_baseline_is_a_new_document(any_store: Store, clock: Clock) -> None:
    site = FakeSite({"/a": article("One", *PARAGRAPHS), "/b": article("Two", *PARAGRAPHS[:2])})
    check(make_settings(page_source("state", "/a")), any_store, site, clock)
    result = check(make_settings(page_source("state", "/a", "/b")), any_store, site, clock)
    (event,) = result.events
    assert (event.type, event.title, event.url) == ("new_document", "Two", BASE + "/b")
    assert [c["kind"] for c in event.payload["commitments"]] == ["accomplishment", "commitment"]
    assert event.payload["opening"].startswith("Senior officials")


def test_rerunning_never_duplicates_events(any_store: Store, clock: Clock) -> None:
    site = FakeSite({"/a": article("One", *PARAGRAPHS)})
    settings = make_settings(page_source("state", "/a"))
    check(settings, any_store, site, clock)
    site.pages["/a"] = article("One", *PARAGRAPHS[:2])
    first = check(settings, any_store, site, clock)
    second = check(settings, any_store, site, clock)
    assert sorted(e.type for e in first.events) == ["commitment_removed", "document_changed"]
    assert second.events == []
    assert len(any_store.events()) == 2


def test_one_failing_source_does_not_stop_the_others(any_store: Store, clock: Clock) -> None:
    site = FakeSite({"/ok": article("Fine", *PARAGRAPHS)}, failures={"/bad": [500] * 10})
    settings = make_settings(page_source("good", "/ok"), page_source("bad", "/bad"))
    result = check(settings, any_store, site, clock)
    reports = {report.name: report for report in result.reports}
    assert reports["good"].status == "baseline"
    assert reports["bad"].status == "error"
    assert "HTTP 500" in reports["bad"].errors[0]
    assert result.failed
    assert any_store.source_state("bad").consecutive_failures == 1
    assert not any_store.source_state("bad").baseline_done


def test_a_challenge_page_is_a_failure_not_an_edit(any_store: Store, clock: Clock) -> None:
    site = FakeSite({"/a": article("Readout", *PARAGRAPHS)})
    settings = make_settings(page_source("state", "/a"))
    check(settings, any_store, site, clock)
    site.pages["/a"] = "<html><head><title>Just a moment...</title></head><body>Checking</body>"
    result = check(settings, any_store, site, clock)
    assert result.events == []
    assert "soft failure" in result.reports[0].errors[0]
    assert any_store.documents()[0].version_count == 1


def test_a_selector_that_matches_nothing_is_a_failure(any_store: Store, clock: Clock) -> None:
    site = FakeSite({"/a": article("Readout", *PARAGRAPHS)})
    source = {**page_source("state", "/a"), "content_selector": "#nothing-here"}
    result = check(make_settings(source), any_store, site, clock)
    assert "matches nothing" in result.reports[0].errors[0]
    assert any_store.documents() == []


def test_disabled_sources_are_skipped_unless_named(any_store: Store, clock: Clock) -> None:
    site = FakeSite({"/a": article("One", *PARAGRAPHS)})
    settings = make_settings({**page_source("state", "/a"), "enabled": False})
    assert check(settings, any_store, site, clock).reports == []
    named = asyncio.run(
        run_check(settings, any_store, source_names=["state"], now=clock, transport=site.transport)
    )
    assert [report.name for report in named.reports] == ["state"]


def test_agency_pages_noise_is_silent_and_an_edit_is_one_event(
    any_store: Store, clock: Clock
) -> None:
    from pathlib import Path

    pages = Path(__file__).resolve().parents[2] / "fixtures" / "pages"

    def load(name: str) -> str:
        return (pages / name).read_text(encoding="utf-8")

    site = FakeSite({"/fs": load("commerce_fact_sheet.html")})
    settings = make_settings({"name": "doc", "agency": "Commerce", "url": BASE + "/fs"})
    check(settings, any_store, site, clock)
    site.pages["/fs"] = load("commerce_fact_sheet.noise.html")
    assert check(settings, any_store, site, clock).events == []
    site.pages["/fs"] = load("commerce_fact_sheet.edited.html")
    found = check(settings, any_store, site, clock).events
    (event,) = [e for e in found if e.type == "document_changed"]
    assert [e.type for e in found if e is not event] == ["commitment_changed"]
    assert event.payload["doc_type"] == "fact sheet"
    assert any("[-$474-] {+$520+}" in change["compact"] for change in event.payload["changes"])


def test_a_document_whose_check_breaks_costs_only_itself(
    any_store: Store, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = FakeSite({path: article(f"Fact Sheet {path}", *PARAGRAPHS) for path in ("/a", "/b")})
    settings = make_settings(page_source("state", "/a", "/b"))
    check(settings, any_store, site, clock)
    for path in ("/a", "/b"):
        site.pages[path] = article(
            f"Fact Sheet {path}", *(p.replace("$474", "$520") for p in PARAGRAPHS)
        )
    decide = pipeline_check.decide

    async def breaks_on_b(source: Any, candidate: Any, *rest: Any) -> Any:
        if candidate.url.endswith("/b"):
            raise RuntimeError("a bug that only this page meets")
        return await decide(source, candidate, *rest)

    monkeypatch.setattr(pipeline_check, "decide", breaks_on_b)
    clock.advance(hours=1)
    result = check(settings, any_store, site, clock)
    changed = [e.url for e in result.events if e.type == "document_changed"]
    assert changed == [BASE + "/a"]  # the other document's change is still reported
    (report,) = result.reports
    assert [error for error in report.errors if "internal error" in error] == [
        f"{BASE}/b: internal error: RuntimeError('a bug that only this page meets')"
    ]
