"""How a text is cut into units and lists: bullets and their lead-ins, headings, run-in labels,
wrapped lines (sentences written for these tests)."""

from __future__ import annotations

import pytest

from monitor.commitments import extract_items
from monitor.commitments.leadins import lead_in_kind


def kinds(text: str) -> list[str]:
    return [item.kind for item in extract_items(text)]


def test_bullets_inherit_the_lead_in_marker() -> None:
    text = (
        "The agencies will strengthen rural water systems by:\n"
        "- Funding three pilot treatment plants in Sonora.\n"
        "- Training operators for the new plants.\n"
        "Key results of the past year include:\n"
        "- Ongoing inspections of the northern aqueduct by both agencies.\n"
    )
    assert kinds(text) == ["commitment", "commitment", "accomplishment"]


def test_a_bare_will_lead_in_carries_into_list_items_that_end_in_semicolons() -> None:
    text = (
        "Joint Statement on Rail Safety\n\n"
        "In the coming year, the two ministries will:\n"
        "\u2022 Draft common rules for freight car inspections;\n"
        "\u2022 Host a rail safety week in Monterrey; and\n"
        "\u2022 Publish a list of priority crossings.\n"
    )
    items = extract_items(text)
    assert [item.kind for item in items] == ["commitment"] * 3
    assert items[1].sentence == "Host a rail safety week in Monterrey;"  # no list "and"


@pytest.mark.parametrize(
    ("lead_in", "kind"),
    [
        ("Next steps to build on this progress include:", "commitment"),
        ("In the months ahead, the two ministries will:", "commitment"),
        ("Going forward, both ministries recognize the following challenges:", None),
        ("Among the agreements reached at the meeting are:", "commitment"),
        ("Regional agreements are important because:", None),
        ("Results of the past year include:", "accomplishment"),
    ],
)
def test_what_a_lead_in_carries(lead_in: str, kind: str | None) -> None:
    assert lead_in_kind(lead_in) == kind


def test_a_next_steps_lead_in_carries_a_commitment_into_verbless_items() -> None:
    text = (
        "Joint Statement on Rail Safety\n\nNext steps include:\n"
        "- A common register of freight car inspections;\n- A rail safety week in Monterrey.\n"
    )
    assert kinds(text) == ["commitment", "commitment"]


def test_only_a_bullets_opening_words_complete_its_lead_in() -> None:
    (item,) = extract_items(
        "Among this year\u2019s accomplishments:\n\n  \u2022 The two governments intend to "
        "protect labor rights, combat forced labor, and consult on trade, climate, and "
        "environment issues with unions.\n"
    )
    assert item.kind == "commitment"
    assert item.sentence.endswith("with unions.")


def test_a_timestamp_line_is_not_a_section_heading() -> None:
    (item,) = extract_items("2:50 P.M. CET\nThe agencies will open a customs hotline by May.")
    assert item.section is None


def test_a_sentence_cut_short_is_no_heading_and_middle_dots_are_bullets() -> None:
    text = (
        "Highlights of the year include:\n"
        "\u00b7   The opening of a binational trade desk in Laredo.\n"
        "Today the committee adopted the 2026 plan that sets specific targets for the"
    )
    assert kinds(text) == ["accomplishment", "accomplishment"]


def test_a_pillars_name_as_a_heading_gives_its_items_that_pillar() -> None:
    listed = (
        "HLED Fact Sheet, 2023\n\nThe dialogue has four pillars:\n"
        "- Building Back Together\n- Investing in Our People\n\n"
        "Both governments will publish a guide for exporters by June.\n"
    )
    headed = listed.replace("\n\nBoth", "\n\nSecuring the Tools for Future Prosperity\n\nBoth")
    assert [item.pillar for item in extract_items(listed)] == [None]  # names listed: no heading
    unmarked = listed.replace("- ", "")  # a page that lost the list's bullet marks
    assert [item.pillar for item in extract_items(unmarked)] == [None]
    assert [item.pillar for item in extract_items(headed)] == [3]


def test_a_sentence_wrapped_over_lines_is_one_unit_with_its_line_breaks() -> None:
    text = (
        "U.S.-Mexico Joint Statement\n\n"
        "The two governments will open a joint customs\n"
        "laboratory in Nogales by June 2026.\n"
    )
    (item,) = extract_items(text)
    assert (
        item.sentence
        == "The two governments will open a joint customs\nlaboratory in Nogales by June 2026."
    )
    assert item.deadline == "by June 2026"
    assert text[item.span[0] : item.span[1]] == item.sentence


def test_a_bold_run_in_label_is_the_section_not_part_of_the_unit() -> None:
    text = "Fact Sheet\n\n**Supply Chains:** The agencies will fund a chip pilot in Jalisco.\n"
    (item,) = extract_items(text)
    assert (item.section, item.sentence) == (
        "Supply Chains",
        "The agencies will fund a chip pilot in Jalisco.",
    )


def test_bullets_that_start_with_a_past_verb_are_completed_acts() -> None:
    text = (
        "In 2022, the two governments:\n- Launched a binational program on cold chains.\n"
        "- Hosted 12 trade missions in Texas.\n"
        "Work plan\n- Increased technical cooperation between customs agencies.\n"
    )
    assert kinds(text) == ["accomplishment", "accomplishment", "commitment"]
