"""Commitments through the check pass: new documents list them, edits diff them, reports link."""

from __future__ import annotations

import re
from pathlib import Path

from store.repo import Store
from tests.conftest import Clock, make_settings
from tests.fakesite import FakeSite, article
from tests.unit.discover.test_discovery import check

AGENCY = Path(__file__).resolve().parents[2] / "fixtures" / "agency"
FACT_SHEET = (AGENCY / "commerce_fact_sheet.html").read_text(encoding="utf-8")
CBPR = re.search(r"<li>[^<]*Global Cross-Border[^<]*</li>", FACT_SHEET)
assert CBPR is not None
ADDED = ("<li>The United States and Mexico will convene a bilateral workshop on critical "
         "minerals by March 2023.</li>")  # fmt: skip
FIRST_BULLET = "<li>The United States and Mexico established a Supply Chain Working Group"
EDITED = (
    FACT_SHEET.replace("$474 million", "$520 million").replace(CBPR.group(), "")
    .replace(FIRST_BULLET, ADDED + FIRST_BULLET, 1)
)  # fmt: skip


def settings(*urls: str):  # type: ignore[no-untyped-def]
    return make_settings({"name": "commerce", "agency": "Commerce",
                          "urls": [f"https://www.commerce.gov{u}" for u in urls]})  # fmt: skip


def test_an_edited_fact_sheet_gives_one_commitment_event_of_each_kind(
    store: Store, clock: Clock
) -> None:
    site = FakeSite({"/fs": FACT_SHEET})
    check(settings("/fs"), store, site, clock)
    site.pages["/fs"] = EDITED
    result = check(settings("/fs"), store, site, clock)
    types = sorted(event.type for event in result.events)
    assert types == ["commitment_added", "commitment_changed", "commitment_removed",
                     "document_changed"]  # fmt: skip
    by_type = {event.type: event for event in result.events}
    assert by_type["commitment_changed"].payload["changes"] == {
        "amounts": {"before": ["$474 million"], "after": ["$520 million"]}
    }
    assert "Cross-Border Privacy" in by_type["commitment_removed"].payload["commitment"]["sentence"]
    assert by_type["commitment_added"].payload["commitment"]["deadline"] == "by March 2023"
    summary = by_type["document_changed"].payload["commitment_changes"]
    assert len(summary) == 3


def test_a_new_document_lists_its_commitments_and_reports_on_earlier_ones(
    store: Store, clock: Clock
) -> None:
    promise = (
        "The United States and Mexico intend to create a Bilateral Supply Chain Working "
        "Group to identify semiconductor sectors of promise and supply chain action areas."
    )
    done = ("The United States and Mexico established a Supply Chain Working Group, with an "
            "initial focus on the semiconductor supply chain and action areas.")  # fmt: skip
    site = FakeSite({"/2021": article("HLED Readout", promise)})
    check(settings("/2021"), store, site, clock)
    site.pages["/2022"] = article("HLED Fact Sheet 2022", done, "Mexico will host the forum.")
    result = check(settings("/2021", "/2022"), store, site, clock)
    by_type = {event.type: event for event in result.events}
    assert set(by_type) == {"new_document", "commitment_fulfilled"}
    commitments = by_type["new_document"].payload["commitments"]
    assert [c["kind"] for c in commitments] == ["accomplishment", "commitment"]
    fulfilled = by_type["commitment_fulfilled"].payload
    assert fulfilled["commitment"] == promise
    assert fulfilled["committed_in"] == "https://www.commerce.gov/2021"
    (row,) = [row for row, _doc in store.ledger(status="fulfilled")]
    assert row.sentence == promise


def dated(html: str, published: str) -> str:
    meta = f'<meta property="article:published_time" content="{published}">'
    return html.replace("<head>", f"<head>{meta}", 1)


def test_an_older_document_found_later_is_linked_by_publication_date(
    store: Store, clock: Clock
) -> None:
    promise = (
        "The United States and Mexico intend to create a Bilateral Supply Chain Working "
        "Group to identify semiconductor sectors of promise and supply chain action areas."
    )
    done = ("The United States and Mexico established a Supply Chain Working Group, with an "
            "initial focus on the semiconductor supply chain and action areas.")  # fmt: skip
    site = FakeSite({"/2022": dated(article("HLED Fact Sheet 2022", done), "2022-09-12")})
    check(settings("/2022"), store, site, clock)
    check(settings("/2022"), store, site, clock)  # the 2022 page is known and in the ledger
    site.pages["/2021"] = dated(article("HLED Readout 2021", promise), "2021-09-09")
    check(settings("/2022", "/2021"), store, site, clock)
    (row,) = [row for row, _doc in store.ledger(status="fulfilled")]
    assert row.sentence == promise
    assert row.links == [{"document": "https://www.commerce.gov/2022", "sentence": done,
                          "relation": "fulfilled"}]  # fmt: skip
    (report,) = [row for row, _doc in store.ledger() if row.kind == "accomplishment"]
    assert report.links == []  # the 2022 report is not taken as a promise the 2021 page keeps
