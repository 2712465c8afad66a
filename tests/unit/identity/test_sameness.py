"""When two pages are one document: the identity rules, on the seed documents and in a table."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.identity.sameness import same_date, same_title, substantive_difference, title_key
from monitor.identity.twin_index import TwinIndex
from monitor.identity.twins import find_twin
from monitor.models import Page, Validators
from monitor.text.article import extract_page
from store.repo import NewVersion, Store
from tests import seedsite

NOW = datetime(2026, 11, 24, tzinfo=UTC)
STATE = "https://www.state.gov/joint-statement-2023"


def page(html: str, url: str = STATE) -> Page:
    return extract_page(html, url)


def save(store: Store, url: str, found: Page) -> None:
    new = NewVersion("s", "State", url, found, found.fingerprint, b"", url, Validators())
    store.save_version(new, NOW)


@pytest.mark.parametrize(
    ("title", "other", "same"),
    [
        # publisher prefixes, site suffixes, punctuation and the U.S. spelled out
        (seedsite.TITLE_2023, f"Media Note: {seedsite.TITLE_2023}", True),
        (
            "The U.S.-Mexico High-Level Economic Dialogue",
            "FACT SHEET: The U.S.-Mexico High-Level Economic Dialogue | The White House",
            True,
        ),
        (f"FACT SHEET: {seedsite.TITLE_2023}", f"FACT SHEET: {seedsite.TITLE_2024}", False),
        (
            seedsite.TITLE_2023,
            f"{seedsite.TITLE_2023} | United States Trade Representative",
            True,
        ),
        (seedsite.TITLE_2023, seedsite.TITLE_2023.replace("U.S.", "United States"), True),
        (seedsite.TITLE_2023, seedsite.TITLE_2023.replace("High-Level", "High Level"), True),
        (
            "Joint Statement Following the 2023 US-Mexico HLED",
            "Joint Statement Following 2023 US-Mexico HLED",
            True,
        ),
        # a new year, date or meeting is a new document, however alike the words
        (seedsite.TITLE_2023, seedsite.TITLE_2024, False),
        ("Readout of the Third U.S.-Mexico HLED", "Readout of the Fourth U.S.-Mexico HLED", False),
        ("HLED statement of September 9", "HLED statement of October 9", False),
        # a different title is another document; an empty one proves nothing
        (seedsite.TITLE_2023, "USTR on Investing in Our People", False),
        ("", "", False),
    ],
)
def test_titles(title: str, other: str, same: bool) -> None:
    assert same_title(title, other) is same
    assert same_title(other, title) is same


def test_a_title_key_drops_prefixes_suffixes_and_punctuation() -> None:
    key = title_key(
        "Media Note: Joint Statement on the U.S.-Mexico HLED - U.S. Department of State"
    )
    assert key == "joint statement on the us mexico hled"


@pytest.mark.parametrize(
    ("published", "other", "same"),
    [
        ("2023-09-29", "2023-09-29", True),
        ("2023-09-29", "2023-10-02", True),  # a copy posted a few days later
        ("2023-09-29", "2023-10-09", False),
        ("2023-09-29", "2024-09-26", False),
        (None, "2023-09-29", True),  # unknown on one side: the other rules decide
    ],
)
def test_publication_dates(published: str | None, other: str | None, same: bool) -> None:
    assert same_date(published, other) is same


TEXT = (
    "Senior officials met today, September 29, 2023, for the third meeting of the HLED. "
    "The two governments reviewed supply chains, border infrastructure and workforce programs, "
    "and agreed to continue the work of every pillar over the coming year with stakeholders."
)


@pytest.mark.parametrize(
    ("other", "different"),
    [
        (TEXT, False),
        ("WASHINGTON - The following joint statement was released. " + TEXT + " ###", False),
        (TEXT.replace("U.S.", "United States").replace("two governments", "governments"), False),
        (TEXT.replace("2023", "2024"), True),
        (TEXT.replace("third", "fourth"), True),
        (TEXT.replace("September", "October"), True),
        (TEXT.replace("supply chains,", "supply chains, $250 million of investment,"), True),
        (
            TEXT.replace(
                "programs,",
                "programs, and the United States will fund new training "
                "centers across the border region,",
            ),
            True,
        ),
        (
            TEXT + " Both governments will also launch a new working group on critical minerals "
            "next spring, with a first report to the leaders before the end of the following "
            "year, covering exploration, processing, recycling, standards, investment screening, "
            "workforce, environmental safeguards, community consultation, financing, and the "
            "participation of small and medium-sized enterprises in the whole value chain of "
            "electric vehicle batteries across North America.",
            True,
        ),
    ],
)
def test_substantive_differences(other: str, different: bool) -> None:
    assert (substantive_difference(TEXT, other) is not None) is different


UNDATED = TEXT.replace(" today, September 29, 2023,", " today")


@pytest.mark.parametrize(
    ("other", "different"),
    [
        # a copy's own dateline, in any common form, is the publisher's, not the statement's
        ("WASHINGTON, September 29, 2023 \u2014 " + UNDATED, False),
        ("Mexico City, Sept. 29th, 2023. " + UNDATED, False),
        ("The following joint statement was released on 29 September 2023. " + UNDATED, False),
        # a passage of facts at the opening is not a dateline
        ("In March 2025, both governments will open 12 ports. " + UNDATED, True),
        ("WASHINGTON, September 29, 2023 \u2014 " + UNDATED + " Contact: 202-555-0100.", True),
    ],
)
def test_a_dateline_only_one_copy_has(other: str, different: bool) -> None:
    assert (substantive_difference(UNDATED, other) is not None) is different
    assert (substantive_difference(other, UNDATED) is not None) is different


def test_the_2023_statement_and_its_ustr_copy_are_one_document(any_store: Store) -> None:
    save(any_store, STATE, page(seedsite.state_2023()))
    copy = page(seedsite.ustr_copy_2023(), "https://ustr.gov/joint-statement")
    twin = find_twin(any_store, copy, 0.92, TwinIndex())
    assert twin is not None
    assert twin.url == STATE


def test_next_years_statement_written_from_this_years_is_a_new_document(
    any_store: Store,
) -> None:
    save(any_store, STATE, page(seedsite.state_2023()))
    next_year = page(seedsite.state_2024(), "https://www.state.gov/joint-statement-2024")
    assert find_twin(any_store, next_year, 0.92, TwinIndex()) is None


def test_next_years_statement_is_new_even_under_last_years_title(any_store: Store) -> None:
    """The body alone decides when a site kept the old title and no date: years changed."""
    save(any_store, STATE, page(seedsite.state_2023()))
    next_year = page(seedsite.state_2024(), "https://www.state.gov/joint-statement-2024")
    undated = Page(seedsite.TITLE_2023, next_year.blocks, published=None)
    assert find_twin(any_store, undated, 0.92, TwinIndex()) is None


def test_the_2022_and_2023_fact_sheets_are_different_documents(any_store: Store) -> None:
    save(any_store, "https://www.commerce.gov/2022", page(seedsite.commerce_fact_sheet_2022()))
    fact_sheet = page(seedsite.ustr_fact_sheet_2023(), "https://ustr.gov/2023")
    assert find_twin(any_store, fact_sheet, 0.92, TwinIndex()) is None
