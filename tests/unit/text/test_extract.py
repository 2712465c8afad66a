"""Main-text extraction on agency-style pages: body, title, date, type; noise immunity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.errors import ExtractError
from monitor.text.article import extract_page, strip_site_suffix
from monitor.text.normalize import fingerprint, normalize_text
from monitor.text.textdiff import diff_blocks

AGENCY = Path(__file__).resolve().parents[2] / "fixtures" / "agency"
EXPECTED = json.loads((AGENCY / "expected.json").read_text(encoding="utf-8"))
CHROME = (
    "Scroll to Top",
    "Stay Connected",
    "Related Articles",
    "Related news",
    "Related Fact Sheets",
    "Sign Up",
    "An official website",
    "frozen in time",
    "Skip to content",
    "Last updated",
    "Policy Offices",
    "Facebook",
    "Privacy Policy",
    "Featured:",
    "wpData",
)


def load(name: str) -> str:
    return (AGENCY / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_title_date_and_type(name: str) -> None:
    page = extract_page(load(f"{name}.html"), f"https://example.gov/{name}")
    expected = EXPECTED[name]
    assert page.title == normalize_text(expected["title"])
    assert page.published == expected["published"]
    assert page.doc_type == expected["doc_type"]
    assert page.extractor.startswith("structure/")  # the fast path, no trafilatura


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_body_has_the_article_and_none_of_the_chrome(name: str) -> None:
    page = extract_page(load(f"{name}.html"))
    text = page.text
    assert len(text) > 2000
    for phrase in CHROME:
        assert phrase not in text, phrase
    assert page.blocks[0] != page.title


def test_structure_is_kept_as_blocks() -> None:
    page = extract_page(load("ustr_fact_sheet.html"))
    assert "PILLAR I: BUILDING BACK TOGETHER" in page.blocks
    assert any(block.startswith("• ") for block in page.blocks)
    assert not any("\n" in block or "  " in block for block in page.blocks)


def test_quotes_and_dollar_escapes_are_normalised() -> None:
    text = extract_page(load("commerce_fact_sheet.html")).text
    assert "$474 million" in text
    assert "\\$" not in text
    assert "\u2019" not in text
    assert "\u201c" not in text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_chrome_churn_keeps_the_fingerprint(name: str) -> None:
    plain = extract_page(load(f"{name}.html"))
    noisy = extract_page(load(f"{name}.noise.html"))
    assert fingerprint(noisy.blocks) == fingerprint(plain.blocks)


def test_a_real_edit_changes_the_fingerprint_and_shows_in_the_diff() -> None:
    before = extract_page(load("commerce_fact_sheet.html"))
    after = extract_page(load("commerce_fact_sheet.edited.html"))
    assert fingerprint(before.blocks) != fingerprint(after.blocks)
    (change,) = diff_blocks(before.blocks, after.blocks, "1", "2").changes
    assert "[-$474-] {+$520+}" in change.compact()


@pytest.mark.parametrize(
    "name",
    [
        "challenge_cloudflare.html",
        "challenge_validation.html",
        "technical_difficulties.html",
        "verify_human.html",
    ],
)
def test_placeholder_pages_are_soft_failures(name: str) -> None:
    with pytest.raises(ExtractError, match="soft failure"):
        extract_page(load(name))


def test_a_long_article_that_mentions_technical_difficulties_is_not_a_failure() -> None:
    html = load("state_joint_statement.html").replace(
        "<div class=\"entry-content\">", "<div class=\"entry-content\"><p>Technical difficulties "
        "at the border were discussed.</p>", 1,
    )  # fmt: skip
    assert "Technical difficulties" in extract_page(html).text


def test_content_selector_wins_and_must_match() -> None:
    html = load("ustr_fact_sheet.html")
    page = extract_page(html, content_selector=".field--name-body")
    assert page.extractor.startswith("selector/")
    with pytest.raises(ExtractError, match="matches nothing"):
        extract_page(html, content_selector=".no-such-thing")


def test_pages_without_a_known_container_fall_back_to_trafilatura() -> None:
    paragraphs = "".join(
        f"<p>The United States and Mexico will cooperate on item {i} of the HLED work plan, "
        f"with officials meeting regularly to review progress on supply chains.</p>"
        for i in range(12)
    )
    html = (
        "<html><head><title>HLED Update | Embassy</title></head><body>"
        "<div class='nav'><a href='/'>Home</a> <a href='/x'>Visas</a></div>"
        f"<div class='wrapper'><div class='col'>{paragraphs}</div></div></body></html>"
    )
    page = extract_page(html)
    assert page.extractor.startswith("trafilatura/")
    assert "item 11 of the HLED work plan" in page.text
    assert page.title == "HLED Update"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("FACT SHEET: HLED | The White House", "FACT SHEET: HLED"),
        ("Joint Statement - United States Department of State", "Joint Statement"),
        ("U.S.-Mexico HLED | United States Trade Representative", "U.S.-Mexico HLED"),
        (
            "Mexico - United States - Economic Dialogue",
            "Mexico - United States - Economic Dialogue",
        ),
    ],
)
def test_site_suffixes_are_removed(raw: str, expected: str) -> None:
    assert strip_site_suffix(raw) == expected


@pytest.mark.parametrize(
    "block",
    [
        "Home » About Us » Policy Offices » Press Office » Fact Sheets",
        "Home / Briefing Room / Statements and Releases / Readouts",
        "About Us » Press Office » Fact Sheets » 2023 » FACT SHEET - 2023 U.S.-Mexico Dialogue",
    ],
)
def test_leaked_breadcrumb_trails_are_dropped(block: str) -> None:
    from monitor.text.normalize import clean_blocks

    assert clean_blocks([block, "The two governments will meet in 2024."]) == [
        "The two governments will meet in 2024."
    ]


def test_a_sentence_with_slashes_is_not_a_breadcrumb() -> None:
    from monitor.text.normalize import is_breadcrumb

    assert not is_breadcrumb("Trade in goods / services rose. Exports / imports / tariffs fell.")
    assert not is_breadcrumb("Pillar I / Pillar II")
