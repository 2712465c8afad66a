"""A second, independently built set of full-size agency pages (tests/fixtures/pages), table-driven
by its expected.json: metadata, first and last blocks, chrome, noise, and the edited fact sheet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.commitments import extract_items
from monitor.commitments.diff import diff_items
from monitor.errors import ExtractError
from monitor.text.article import extract_page
from monitor.text.normalize import fingerprint, normalize_text

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
ARTICLES = sorted(name for name, entry in EXPECTED.items() if "title" in entry)
SOFT_FAILURES = sorted(name for name, entry in EXPECTED.items() if entry.get("soft_failure"))


def page(name: str):  # type: ignore[no-untyped-def]
    return extract_page((PAGES / name).read_text(encoding="utf-8"), f"https://example.gov/{name}")


@pytest.mark.parametrize("name", ARTICLES)
def test_metadata_and_body(name: str) -> None:
    expected, found = EXPECTED[name], page(name)
    assert (found.title, found.published, found.doc_type) == (
        normalize_text(expected["title"]),
        expected["published"],
        expected["doc_type"],
    )
    assert found.blocks[0].removeprefix("• ") == normalize_text(expected["first_block"])
    assert found.blocks[-1].removeprefix("• ") == normalize_text(expected["last_block"])
    for phrase in expected["must_contain"]:
        assert normalize_text(phrase) in found.text
    for phrase in expected["must_not_contain"]:
        assert normalize_text(phrase) not in found.text, phrase


@pytest.mark.parametrize("name", [n for n in ARTICLES if n.endswith(".noise.html")])
def test_noise_keeps_the_fingerprint(name: str) -> None:
    original = name.replace(".noise.html", ".html")
    assert fingerprint(page(name).blocks) == fingerprint(page(original).blocks)


@pytest.mark.parametrize("name", SOFT_FAILURES)
def test_soft_failures(name: str) -> None:
    with pytest.raises(ExtractError, match="soft failure"):
        page(name)


def test_the_edited_fact_sheet_gives_one_commitment_change_of_each_kind() -> None:
    expected = EXPECTED["commerce_fact_sheet.edited2.html"]
    before = extract_items(page("commerce_fact_sheet.html").text)
    after = extract_items(page("commerce_fact_sheet.edited2.html").text)
    changes = {change.type: change for change in diff_items(before, after)}
    assert sorted(changes) == ["commitment_added", "commitment_changed"]
    changed = changes["commitment_changed"].changes
    assert changed == {"amounts": {"before": ["$474 million"], "after": ["$520 million"]}}
    added = changes["commitment_added"].after
    assert added is not None
    assert normalize_text(expected["added"]) in added.sentence
