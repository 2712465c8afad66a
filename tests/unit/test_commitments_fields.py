"""The extractor, field by field, on hand-written sentences (the labelling guide's hard cases)."""

from __future__ import annotations

import pytest

from monitor.commitments import extract_items
from monitor.commitments.amounts import find_amounts
from monitor.commitments.deadlines import find_deadline


def kinds(text: str) -> list[str]:
    return [item.kind for item in extract_items(text)]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("The Department of Commerce will host a U.S.-Mexico trade mission in Monterrey.", "commitment"),
        ("Mexico intends to publish new customs rules for border crossings.", "commitment"),
        ("USAID and AMEXCID plan to train 500 extension workers in Chiapas.", "commitment"),
        ("The two governments agreed to launch a joint critical minerals study.", "commitment"),
        ("A bilateral workshop on ports of entry is scheduled to take place in March.", "commitment"),
        ("The EPA signed a memorandum committing to invest $12 million in water projects.", "commitment"),
        ("Both nations are drafting a shared methodology for measuring supply chain risk.", "commitment"),
        ("The United States and Mexico launched a Critical Minerals Working Group in May.", "accomplishment"),
        ("USAID trained 300 customs officers on risk management.", "accomplishment"),
        ("Mexico's Secretariat of Economy hosted a forum on nearshoring in Puebla.", "accomplishment"),
        ("Senior officials met today in Mexico City for the fourth HLED meeting.", "accomplishment"),
    ],
)  # fmt: skip
def test_commitments_and_accomplishments(sentence: str, kind: str) -> None:
    assert kinds(sentence) == [kind]


@pytest.mark.parametrize(
    "sentence",
    [
        "We discussed how to deepen cooperation on semiconductors.",
        "In our meeting today, we reviewed progress on the work plan.",
        "We also considered ways to strengthen regional energy security.",
        "This project aims to benefit farmers in three states.",
        "The mechanism is intended to foster collaboration among the states.",
        "U.S.-Mexico total trade in goods surpassed $800 billion in 2023.",
        "We recognize that all people should benefit from economic growth.",
        "As our countries face new challenges, the HLED will allow us to grow together.",
        "\u201cOur partnership has never been stronger,\u201d the Secretary said.",
        "Both governments acknowledged the need to modernize border infrastructure.",
    ],
)
def test_negatives(sentence: str) -> None:
    assert kinds(sentence) == []


def test_abbreviations_do_not_split_sentences() -> None:
    text = (
        "Dr. Smith of the U.S. Department of State will lead a U.S.-Mexico visit on Jan. 15 to "
        "Washington, D.C. to discuss ports of entry. Mexico launched a new customs portal."
    )
    items = extract_items(text)
    assert [item.kind for item in items] == ["commitment", "accomplishment"]
    assert items[0].sentence.startswith("Dr. Smith")
    assert items[0].sentence.endswith("ports of entry.")


def test_numbered_sub_objectives_stay_in_one_unit() -> None:
    text = (
        "- Mexico intends to work with industry associations to: 1) map suppliers in three "
        "states; 2) publish a directory of firms; and 3) prepare a report on talent needs."
    )
    (item,) = extract_items(text)
    assert item.kind == "commitment"
    assert item.sub_items == (
        "map suppliers in three states",
        "publish a directory of firms",
        "prepare a report on talent needs.",
    )


def test_clauses_of_different_kinds_are_split() -> None:
    text = (
        "- USAID launched a farm program in Oaxaca that reached 2,000 growers; the new Tabasco "
        "Jobs Initiative will create jobs in eco-tourism through 12 partnerships."
    )
    items = extract_items(text)
    assert [item.kind for item in items] == ["accomplishment", "commitment"]
    assert items[1].sentence.startswith("the new Tabasco")


def test_work_plan_bullets_are_commitments_and_headings_are_not() -> None:
    text = (
        "The HLED Work Plan\nPillar III: Securing the Tools for Future Prosperity\n"
        "  \u2022 Digital Trade\n    \u2022 Coordinate on cross-border data flows and privacy rules.\n"
    )
    (item,) = extract_items(text)
    assert (item.kind, item.pillar, item.actors) == ("commitment", 3, ("United States", "Mexico"))


@pytest.mark.parametrize(
    ("sentence", "actors"),
    [
        ("We will hold a trade mission.", {"United States", "Mexico"}),
        ("The two governments will convene a forum on ports.", {"United States", "Mexico"}),
        ("Mexico's Ministry of Economy will publish a guide.", {"Secretariat of Economy"}),
        ("The U.S. Agency for International Development (USAID) will fund 3 clinics.", {"USAID"}),
        ("In March, EPA and CONAGUA signed an agreement on water.", {"EPA", "CONAGUA"}),
        ("USAID worked with COFEPRIS to align medical device rules.", {"USAID", "COFEPRIS"}),
        ("Programs in southern Mexico will be led by AMEXCID.", {"AMEXCID"}),
    ],
)
def test_actors(sentence: str, actors: set[str]) -> None:
    (item,) = extract_items(f"U.S.-Mexico Joint Statement\n\n{sentence}\n")
    assert set(item.actors) == actors


def test_we_is_nobody_in_particular_when_the_text_names_no_parties() -> None:
    (item,) = extract_items("We will hold a trade mission.")
    assert item.actors == ()


@pytest.mark.parametrize(
    ("sentence", "deadline"),
    [
        ("The ministries committed to finish the review by October.", "by October"),
        ("They plan to host a summit during the first quarter of 2024.", "during the first quarter of 2024"),
        ("The forum is scheduled for November.", "scheduled for November"),
        ("Mexico will cut methane flaring by 2030.", "by 2030"),
        ("In May 2023, both governments agreed to expand the program.", None),
        ("The Department of Labor will host an exchange on October 24.", "on October 24"),
    ],
)  # fmt: skip
def test_deadlines(sentence: str, deadline: str | None) -> None:
    assert find_deadline(sentence) == deadline


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("USAID mobilized more than \\$320 million in sales.", [("more than $320 million", 320e6, "USD")]),
        ("Mexico will invest MXN 5 billion in ports.", [("MXN 5 billion", 5e9, "MXN")]),
        ("The program trained more than 1,400 participants.", [("more than 1,400 participants", 1400, "participants")]),
        ("Twelve students were selected.", [("Twelve students", 12, "students")]),
        ("Mexico joined the goal of 50% zero-emission vehicles.", [("50%", 50, "percent")]),
        ("The two governments met in 2023 on September 12.", []),
        ("They hosted a two-day forum under Executive Order 14017.", []),
        ("It will reach an additional 14,000 youth and farmers.", [("an additional 14,000 youth and farmers", 14000, "farmers")]),
    ],
)  # fmt: skip
def test_amounts(sentence: str, expected: list[tuple[str, float, str]]) -> None:
    assert [(a.text, a.value, a.unit) for a in find_amounts(sentence)] == expected
