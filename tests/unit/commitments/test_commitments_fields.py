"""The extractor, field by field, on hand-written sentences (the labelling guide's hard cases)."""

from __future__ import annotations

import pytest

from monitor.commitments import extract_items
from monitor.commitments.actors import DefiniteBodies, definite_bodies
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
        ("Mexico's Ministry of Economy said that it will fund 9 labs.", {"Secretariat of Economy"}),
        ("The Mexican Foreign Secretary will host 3 roundtables.", {"Mexico"}),
        ("Mexico and the US will map 5 ports.", {"Mexico", "United States"}),
        ("The US and Mexico will map 5 ports.", {"Mexico", "United States"}),
        ("The U.S. Government will fund 3 clinics.", {"United States"}),
        ("USAID will work with Mexico City to open 3 clinics.", {"USAID"}),  # a place
        ("President Obama will host 3 forums.", {"United States"}),
        ("President Peña Nieto will host 3 forums.", {"Mexico"}),
        # one country's body named with an acronym is that acronym; a binational body's doers
        # are the parties
        (
            "The Bureau of Land Management (BLM) and Chile's National Forest Corporation (CONAF) "
            "will map 12 fire zones.",
            {"BLM", "CONAF"},
        ),
        (
            "The U.S.-Mexico Border Water Board (BWB) will fund 3 wells.",
            {"United States", "Mexico"},
        ),
    ],
)
def test_actors(sentence: str, actors: set[str]) -> None:
    (item,) = extract_items(f"U.S.-Mexico Statement\n\n{sentence}\n")
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
        ("The agencies will report back within six months.", "within six months"),
        ("Peru will finish the survey by year-end.", "by year-end"),
        ("Both will sign the accord no later than June 30, 2027.", "no later than June 30, 2027"),
        ("They will open the lab in fiscal year 2027.", "in fiscal year 2027"),
        ("They will decide within a year.", "within a year"),
        ("Peru will finish the survey by year-end 2027.", "by year-end 2027"),
        ("Chile will restore fish stocks to levels seen before 2020.", None),
        ("They will report within 30 days and meet in 2027.", "within 30 days"),  # first written
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
        ("The bank will lend $12.5M to ports and EUR 2bn to rail.", [("$12.5M", 12.5e6, "USD"), ("EUR 2bn", 2e9, "EUR")]),
        ("The fund will add $50m and $250k.", [("$50m", 50e6, "USD"), ("$250k", 250e3, "USD")]),
        ("The two countries will hold 4 clinics within 90 days.", [("4 clinics", 4, "clinics")]),
        ("The plan covers 14 ministries and 3 agencies.", [("14 ministries", 14, "ministries"), ("3 agencies", 3, "agencies")]),
        ("USAID trained 300 nurses over two years.", [("300 nurses", 300, "nurses")]),
    ],
)  # fmt: skip
def test_amounts(sentence: str, expected: list[tuple[str, float, str]]) -> None:
    assert [(a.text, a.value, a.unit) for a in find_amounts(sentence)] == expected


def test_a_subject_named_by_its_acronym_is_no_anaphor_for_the_sentence_before() -> None:
    text = (
        "U.S.-Canada Joint Statement on the HLED\n\n"
        "The EPA and the Ontario ministry will map 40 wetlands by 2027. "
        "The HLED will meet twice a year to review the mapping."
    )
    items = extract_items(text)
    assert set(items[-1].actors) == {"United States", "Canada"}  # not EPA's
    modifier = text.replace("The HLED will meet", "The HLED-funded team will meet")
    assert extract_items(modifier)[-1].actors == ("EPA",)  # an acronym as a modifier: "the team"


def test_this_council_is_the_one_council_the_document_names() -> None:
    text = (
        "The two ministries agreed to create the Andean Water Innovation Council (AWIC).\n\n"
        "This Council will publish a regional irrigation atlas by 2027.\n\n"
        "For example, the Council is funding 14 drip irrigation pilots in Sonora."
    )
    items = extract_items(text)
    assert [set(item.actors) for item in items[1:]] == [{"AWIC"}, {"AWIC"}]


def test_the_bodies_found_when_first_asked_are_the_documents_bodies() -> None:
    text = (
        "Peru and Chile launched the Andean Water Innovation Council (AWIC) and the Pacific "
        "Ports Council (PPC). The Office of Rural Water Policy (ORWP) funds the wells."
    )
    assert definite_bodies(text) == {"office": "ORWP"}
    assert DefiniteBodies(text) == definite_bodies(text)
    assert DefiniteBodies(text).get("office") == "ORWP"
    assert DefiniteBodies(text).get("council") is None


def test_the_council_is_nobody_in_particular_when_two_councils_are_named() -> None:
    text = (
        "Peru and Chile launched the Andean Water Innovation Council (AWIC) and the Pacific "
        "Ports Council (PPC).\n\nThis Council will publish a regional irrigation atlas by 2027."
    )
    assert "AWIC" not in extract_items(text)[-1].actors
    assert "PPC" not in extract_items(text)[-1].actors


def test_a_name_that_begins_with_the_kind_is_a_name_not_a_reference() -> None:
    text = (
        "The ministries created the Andean Water Innovation Council (AWIC).\n\n"
        "The Office of Rural Water Policy (ORWP) awarded $3 million for 40 village wells."
    )
    assert extract_items(text)[-1].actors == ("Office of Rural Water Policy",)


def test_bullets_under_a_lead_in_about_one_bodys_work_are_its_work() -> None:
    text = (
        "The Department of State welcomed the progress.\n\n"
        "Among the results presented at the second meeting of AWIC this year are:\n\n"
        "- The publication of four studies on drip irrigation costs for small farms.\n"
        "- The training of 300 water inspectors in Sonora and Chihuahua."
    )
    items = extract_items(text)
    assert [item.actors for item in items[-2:]] == [("AWIC",), ("AWIC",)]


def test_a_trilateral_text_naming_two_north_american_parties_is_among_all_three() -> None:
    text = (
        "Today the Prime Minister met the Presidents of Mexico and the United States. "
        "The three countries will deepen cooperation by:\n\n"
        "- Organizing a trilateral forum on battery supply chains in 2026."
    )
    assert set(extract_items(text)[-1].actors) == {"United States", "Mexico", "Canada"}
