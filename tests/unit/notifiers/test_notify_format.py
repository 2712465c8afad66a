"""What an alert says: the facts, the opening, the diff, commitments, and odd payloads."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.models import Event
from notifiers.format import build_alert, render_text

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
COMMITMENT = {
    "sentence": "EPA and CONAGUA will invest $474 million in border water projects.",
    "kind": "investment",
    "actors": ["EPA", "CONAGUA"],
    "deadline": "by December 31, 2025",
    "amounts": [{"text": "$474 million", "value": 474_000_000, "currency": "USD"}],
}


def event(kind: str = "new_document", **payload: object) -> Event:
    fields = {"doc_type": "fact sheet", "published": "2023-09-29", **payload}
    return Event("e1", kind, "ustr", "USTR", "https://ustr.gov/fs", "FACT SHEET: HLED", NOW, fields)


def test_every_alert_says_who_published_what_and_when() -> None:
    text = render_text(build_alert(event(opening="The United States and Mexico met.")))
    lines = text.splitlines()
    assert lines[0] == "New HLED document: FACT SHEET: HLED"
    assert lines[1] == "USTR · fact sheet · 2023-09-29 · ustr"
    assert lines[2] == "https://ustr.gov/fs"
    assert "Opening:\n  The United States and Mexico met." in text


def test_new_document_lists_commitments_up_to_the_limit() -> None:
    commitments = [COMMITMENT, *({**COMMITMENT, "sentence": f"Item {i}."} for i in range(4))]
    text = render_text(build_alert(event(commitments=commitments), max_commitments=2))
    assert (
        "[investment] EPA and CONAGUA will invest $474 million in border water projects. "
        "(EPA, CONAGUA; by December 31, 2025; $474 million)" in text
    )
    assert "Item 0." in text
    assert "Item 1." not in text
    assert "… 3 more" in text


def test_no_commitments_section_when_there_are_none_or_the_limit_is_zero() -> None:
    assert "Commitments" not in render_text(build_alert(event()))
    assert "Commitments" not in render_text(build_alert(event(commitments=[COMMITMENT]), 0))


def test_document_changed_shows_the_word_diff() -> None:
    change = {
        "words": [["=", "EPA and CONAGUA committed to invest a combined"], ["-", "$474"],
                  ["+", "$520"], ["=", "million in border water projects."]],
        "compact": "unused when words are there",
    }  # fmt: skip
    text = render_text(build_alert(event("document_changed", changes=[change])))
    assert text.startswith("HLED document changed: FACT SHEET: HLED")
    assert "[-$474-] {+$520+} million" in text
    assert "unused" not in text


@pytest.mark.parametrize(
    "changes",
    [
        {"amounts": {"before": ["$474 million"], "after": ["$520 million"]}},
        {"amounts": [["$474 million"], ["$520 million"]]},
        [{"field": "amounts", "before": ["$474 million"], "after": ["$520 million"]}],
        None,  # no "changes": the two sides are compared
    ],
)
def test_commitment_changes_show_before_and_after(changes: object) -> None:
    change = {
        "type": "commitment_changed",
        "before": {**COMMITMENT, "amounts": ["$474 million"]},
        "after": {**COMMITMENT, "amounts": ["$520 million"]},
        **({"changes": changes} if changes is not None else {}),
    }
    text = render_text(build_alert(event("document_changed", commitment_changes=[change])))
    assert "Commitments changed:" in text
    assert "changed: EPA and CONAGUA will invest" in text
    assert "amounts: [-$474 million-] -> {+$520 million+}" in text


def test_added_and_removed_commitments() -> None:
    changes = [
        {"type": "commitment_added", "before": None, "after": COMMITMENT},
        {"type": "commitment_removed", "before": {"sentence": "Old pledge."}, "after": None},
    ]
    text = render_text(build_alert(event("document_changed", commitment_changes=changes)))
    assert "added: {+EPA and CONAGUA will invest" in text
    assert "removed: [-Old pledge.-]" in text


@pytest.mark.parametrize(
    "payload",
    [
        {"commitments": "not a list"},
        {"commitments": ["a bare sentence", 7, {}]},
        {"commitment_changes": [None, "text", {"type": "commitment_changed", "changes": 3}]},
        {"changes": [None, {"words": [["?", "x"], "bad"]}, {"compact": "… [-a-] {+b+} …"}]},
        {"locations": "https://a.example"},
    ],
)
def test_odd_payloads_from_other_stages_never_break_an_alert(payload: dict[str, object]) -> None:
    assert render_text(build_alert(event("document_changed", **payload)))


def test_source_error_says_how_often_and_why() -> None:
    error = Event("e2", "source_error", "state", "State", "https://state.gov/hled", "state", NOW,
                  {"failures": 3, "error": "HTTP 503"})  # fmt: skip
    text = render_text(build_alert(error))
    assert text.startswith("Source failing: state")
    assert "State · state · 3 checks in a row" in text
    assert "Error:\n  HTTP 503" in text
