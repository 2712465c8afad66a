"""notifiers.grouping: a document's events as one message, and how that message reads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from monitor.models import Event
from notifiers.format import build_alert, render_text
from notifiers.grouping import combine, in_messages

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
URL = "https://ustr.gov/fact-sheet-2023/"


def event(kind: str, name: str, url: str = URL, **payload: Any) -> Event:
    return Event(name, kind, "ustr", "USTR", url, "FACT SHEET: 2023 HLED", NOW, payload)


def report(name: str) -> Event:
    return event("commitment_progressed", name, commitment=f"Earlier commitment {name}",
                 committed_in_title="2022 fact sheet", report=f"Progress {name}",
                 relation="progressed")  # fmt: skip


def test_a_document_and_its_reports_are_one_message_and_sources_are_alone() -> None:
    entries = [
        (1, event("new_document", "new"), 7),
        (2, report("r1"), 7),
        (3, event("source_error", "err", url="https://www.state.gov/list/"), None),
        (4, report("r2"), 7),
        (5, event("new_document", "other", url="https://www.state.gov/x"), 8),
    ]
    assert [[item for item, _ in message] for message in in_messages(entries)] == [
        [1, 2, 4],
        [3],
        [5],
    ]


def test_a_second_change_of_a_document_is_another_message() -> None:
    """Two checks' changes left pending by a failure are two messages, each with its parts."""
    entries = [
        (1, event("document_changed", "c1"), 7),
        (2, event("commitment_changed", "p1"), 7),
        (3, event("document_changed", "c2"), 7),
        (4, event("commitment_changed", "p2"), 7),
    ]
    assert [[item for item, _ in m] for m in in_messages(entries)] == [[1, 2], [3, 4]]


def test_the_original_and_its_copy_changed_in_one_check_are_one_message() -> None:
    """A correction made on State and on the USTR copy: one document, one message."""
    copy = "https://ustr.gov/copy-of-fact-sheet-2023/"
    entries = [
        (1, event("document_changed", "c1"), 7),
        (2, event("document_changed", "c2", location=copy), 7),
    ]
    assert [[item for item, _ in m] for m in in_messages(entries)] == [[1, 2]]
    combined = combine([e for _, e, _ in entries])
    assert combined.id == "c1"
    assert copy in render_text(build_alert(combined))


def test_a_change_carries_its_commitment_changes_once() -> None:
    changed = event("document_changed", "c", commitment_changes=[{"type": "changed"}])
    combined = combine([changed, event("commitment_changed", "p"), event("document_moved", "m",
                        previous_url="https://ustr.gov/old")])  # fmt: skip
    assert combined.id == "c"
    assert [r["type"] for r in combined.payload["related"]] == ["document_moved"]
    assert "Also in this check" in render_text(build_alert(combined))


def test_commitment_events_alone_are_one_commitment_update() -> None:
    combined = combine([report("r1"), report("r2")])
    alert = build_alert(combined)
    assert alert.headline == "HLED commitment updates: FACT SHEET: 2023 HLED"
    (section,) = alert.sections
    assert section.heading == "Reports on earlier commitments"
    assert len(section.lines) == 2


def test_long_lists_are_trimmed_with_n_more_and_the_full_record() -> None:
    reports = [report(f"r{n}") for n in range(12)]
    combined = combine([event("new_document", "new"), *reports])
    text = render_text(build_alert(combined, max_commitments=8))
    assert "… 4 more" in text
    assert "Full record:" in text
    assert "python -m monitor commitments --document https://ustr.gov/fact-sheet-2023" in text
    assert text.count("Progress r") == 8


def test_copies_found_with_a_new_document_are_named_in_its_one_message() -> None:
    state, ustr, wh = (
        "https://www.state.gov/js",
        "https://ustr.gov/js",
        "https://www.whitehouse.gov/js",
    )
    entries = [
        (1, event("new_document", "new", url=state, locations=[state], opening="Text."), 7),
        (2, event("document_also_published", "c1", new_location=ustr, locations=[state, ustr]), 7),
        (3, event("document_also_published", "c2", new_location=wh, locations=[state, wh]), 7),
    ]
    (message,) = in_messages(entries)
    alert = combine([e for _, e in message])
    assert (alert.type, alert.payload["locations"]) == ("new_document", [state, ustr, wh])
    assert "related" not in alert.payload  # the copies are locations, not sections
