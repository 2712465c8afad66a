"""One test per clause class the classifier decides from (sentences written for these tests)."""

from __future__ import annotations

import pytest

from monitor.commitments import extract_items
from monitor.commitments.parties import joint_bodies


def kinds(text: str) -> list[str]:
    return [item.kind for item in extract_items(text)]


def test_it_in_a_reported_clause_is_the_reporting_body_only_when_it_acts() -> None:
    def said(sentence: str) -> list[tuple[str, tuple[str, ...]]]:
        return [(i.kind, i.actors) for i in extract_items(f"Peru Statement\n\n{sentence}\n")]

    body = "PROMPERU said that it will open 3 labs."
    assert said(body) == [("commitment", ("PROMPERU",))]
    assert said("After the signing, the Minister announced that it will enter into force.") == []
    assert said("PROMPERU said that it will be audited in May.") == []


def test_it_after_and_may_be_the_object_so_it_takes_no_subject_before() -> None:
    text = "Peru ratified the fisheries accord in May, and it will enter into force in 2027."
    assert kinds(text) == ["accomplishment"]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        # a body, plan or document described, not acting
        ("The new forum will offer a venue for regular exchanges among regulators.", None),
        ("The roadmap will highlight the shared values of both ministries.", None),
        ("This study will identify gaps in cold-chain capacity.", None),
        ("The Observatory will offer a venue for regular exchanges among regulators.", None),
        ("This joint guide will be a useful tool for exporters.", None),
        # outcomes for the relationship or for minds are no acts
        ("Both sides improved their understanding of customs rules.", None),
        ("The ministries signed a Memorandum of Understanding on ports.", "accomplishment"),
        ("The ministries signed a memorandum of understanding on ports.", "accomplishment"),
        ("The ministers signed a letter of cooperation on fisheries.", "accomplishment"),
        # a condition before the subject is an opener, not the clause
        ("If the budget allows, the two ministries will open a second lab.", "commitment"),
        # a body that acts
        ("The Task Force will publish a joint report on port congestion by March.", "commitment"),
        # an office, named or not, acts
        ("The ministry will fund a new laboratory in Sonora.", "commitment"),
        # a stance, not an act; an act of committing is one
        ("The two governments remain committed to a deeper friendship.", None),
        ("Chile and Canada committed to open a joint trade office in Santiago.", "commitment"),
        # what a program did is a description, unless it is a measured result
        ("The customs pilot has reduced clearance times at the bridge.", None),
        ("The customs pilot, begun in 2024, has reduced clearance times by 40 percent.",
         "accomplishment"),
        ("The shipping boom has reduced freight costs by 20 percent.", None),  # no program's
        # ongoing work towards a broad aim is no deliverable; towards a named one it is
        ("The ministries are working to strengthen regional cold chains.", None),
        ("The ministries are working to strengthen cold chains through a pilot in Puebla.",
         "commitment"),
        ("The ministries are working to improve port safety by 2027.", "commitment"),
        ("The ministries are working to improve ports under a Memorandum of Understanding.",
         "commitment"),
        ("The ministries are working to build regional cold chains.", "commitment"),
        # exchanging views is talk; exchanging staff is an act
        ("The delegations exchanged views on freight rail rules.", None),
        ("The delegations exchanged customs inspectors for a month.", "accomplishment"),
        # welcoming progress is a stance; welcoming visitors tells they came
        ("The ministers welcomed the progress of the customs pilots.", None),
        ("The governor warmly welcomed the efforts of both port authorities.", None),
        ("The Secretary welcomed a delegation of Peruvian mayors to Lima.", "accomplishment"),
        ("The ministers appreciated Chile's steps to modernize customs.", None),
        ("We welcome the achievements of the Ports Council in 2019, which include dredging the "
         "Callao channel.", "accomplishment"),
        # attendance and agenda previews
        ("Three ministers will travel to Ottawa for the plenary.", None),
        ("We will discuss freight rail issues at the next session.", None),
        # completed acts with any verb, and intentions with "expect to"
        ("The Ministry of Finance earmarked $12 million for rural broadband.", "accomplishment"),
        ("In 2026 both ministries expect to harmonize their labelling rules.", "commitment"),
        # a counted subject's future is a target; a share of them is no act
        ("Under the new exchange, 300 nurses will receive training in Lima.", "commitment"),
        ("More than 40 percent of the nurses will be women.", None),
        # a tasking is a commitment to what is tasked
        ("The two leaders directed their teams to draft a joint ports plan.", "commitment"),
        # a concrete act in a participial opener; a purpose clause does not make a promise
        ("Created in 2019, the Innovation Council now hosts quarterly pitch events.",
         "accomplishment"),
        ("The regulators approved a roadmap to streamline permits next year.", "accomplishment"),
        # a stance on results that lists them as acts reports them; a stance alone does not
        ("We applaud the achievements of the Ports Council in 2019, which include dredging the "
         "Veracruz channel and opening two cargo terminals.", "accomplishment"),
        ("We applaud the achievements of the Ports Council, which include many years of "
         "service to the Gulf ports.", None),
        ("We discussed the achievements of the Ports Council in 2019, which include dredging "
         "the Veracruz channel and opening two cargo terminals.", None),
        ("We applaud the expected results of the Ports Council, which include dredging the "
         "Veracruz channel and opening two cargo terminals.", None),
        ("We recognize the need to dredge the Veracruz channel and open two cargo terminals.",
         None),
        # a dated founding between commas; an undated or non-founding participle describes
        ("The Harbour Compact, signed by both ministers in Lima in March 2019, still guides "
         "port cooperation.", "accomplishment"),
        ("The Harbour Compact, signed by both ministers in Lima, still guides port "
         "cooperation.", None),
        ("The Paris Agreement, signed in December 2015, guides our climate work.", None),
        ("The Harbour Compact, adopted at the first meeting of the Ports Dialogue in May 2019, "
         "still guides port cooperation.", "accomplishment"),
        # in progress: a count served is a status, a count of places is not
        ("The two agencies are assisting 2,400 farmers in Oaxaca.", "accomplishment"),
        ("The customs agencies are running a cargo pilot at three ports.", "commitment"),
        # "helped" followed by the act; a noun before the verb is no verb
        ("The campaign helped establish 40 clinics in Yucatan.", "accomplishment"),
        ("Stakeholder input remains essential to the agenda.", None),
        ("To that end, a joint methods plan is being drafted.", "commitment"),
        # a topic raised is talk
        ("During the talks, the topic of port security was raised twice.", None),
        # who took part is no act
        ("Participants included senior officials from both ministries.", None),
        # principles, hypotheticals and context figures
        ("The ministers agreed on the importance of open markets.", None),
        ("Closer ties would help both economies grow.", None),
        ("Bilateral trade in services grew to $40 billion last year.", None),
    ],
)  # fmt: skip
def test_clause_classes(sentence: str, kind: str | None) -> None:
    assert kinds(sentence) == ([kind] if kind else [])


def test_coordinated_clauses_of_different_kinds_are_split() -> None:
    items = extract_items(
        "The agency opened two border laboratories, and the Ministry of Health will fund a third "
        "laboratory in Sonora next spring."
    )
    assert [item.kind for item in items] == ["accomplishment", "commitment"]
    assert items[1].sentence.startswith("the Ministry of Health will fund")


def test_the_last_item_of_a_series_is_no_clause_of_its_own() -> None:
    (item,) = extract_items(
        "The two ministries will train a workforce that is healthier, more productive, and "
        "better paid than any generation before it."
    )
    assert item.kind == "commitment"
    assert item.sentence.endswith("before it.")
    # after a series, a date or a place, a clause or a second predicate is still one of its own
    for sentence in (
        "The program has run at Laredo, at Otay Mesa, and a second program will open in "
        "Juarez next year.",
        "The ministers met on May 4, 2023, and agreed to launch a ports working group by 2024.",
        "The ministers met in Lima, Peru, and officials will draft a work plan by June.",
    ):
        assert [item.kind for item in extract_items(sentence)] == [
            "accomplishment",
            "commitment",
        ], sentence


def test_a_commitment_inside_a_quotation_is_found() -> None:
    (item,) = extract_items(
        "The minister told reporters, \u201cThe talks were long, and we agreed today to "
        "create a joint fund for coastal towns.\u201d"
    )
    assert item.kind == "commitment"
    assert item.why is not None
    assert "quotation" in item.why.rule


def test_actors_are_the_documents_parties_and_no_pillar_outside_the_hled() -> None:
    text = (
        "Joint Statement of the European Union and the United States\n\n"
        "We will launch a joint standards portal for small exporters by 2026.\n"
    )
    (item,) = extract_items(text)
    assert set(item.actors) == {"European Union", "United States"}
    assert item.pillar is None
    hled = "HLED Fact Sheet\nPillar IV: Investing in Our People\n" + text.split("\n\n")[1]
    assert extract_items(hled)[0].pillar == 4


def test_every_item_says_why() -> None:
    (item,) = extract_items("The two ministries intend to create a bilateral seed bank.")
    assert item.why is not None
    assert item.why.marker == "intend to"
    assert item.why.rule == "intended or agreed action"
    assert item.as_json()["why"]["clause"] == item.sentence


@pytest.mark.parametrize(
    ("sentence", "amounts"),
    [
        ("The agencies trained seven customs teams and twenty-five inspectors.",
         [("seven customs teams", 7), ("twenty-five inspectors", 25)]),
        ("The fund will create 1.2 million jobs in the south.", [("1.2 million jobs", 1.2e6)]),
        ("The ministries opened one hundred kiosks.", [("one hundred kiosks", 100)]),
        ("Both governments will invest in 14 road and rail projects.",
         [("14 road and rail projects", 14)]),

    ],
)  # fmt: skip
def test_counts_in_digits_and_words_with_their_unit(
    sentence: str, amounts: list[tuple[str, float]]
) -> None:
    (item,) = extract_items(sentence)
    assert [(a.text, a.value) for a in item.amounts] == amounts


def test_the_2013_hled_had_other_pillars() -> None:
    sentence = "The United States and Mexico will launch a forum on supply chains by {}."
    old = f"HLED Joint Statement, May 2013\n\n{sentence.format(2014)}\n"
    new = f"HLED Joint Statement, May 2023\n\n{sentence.format(2024)}\n"
    assert extract_items(old)[0].pillar is None
    assert extract_items(new)[0].pillar == 1


def test_a_passive_clause_takes_its_doers_from_by_or_between() -> None:
    text = (
        "Mexico and the United States agreed to create a clean grid council.\n"
        "The council was launched through an accord between the U.S. Department of Energy and "
        "Mexico's Secretariat of Energy.\n"
    )
    items = extract_items(text)
    assert set(items[1].actors) == {"Department of Energy", "Secretariat of Energy"}


def test_a_binational_body_acts_for_the_parties_and_a_named_body_for_itself() -> None:
    text = (
        "Canada and Mexico set up the binational Clean Ports Committee (CPC) in 2022.\n\n"
        "The CPC approved a harbour dredging plan.\n"
        "NAFRA approved a grid code.\n"
    )
    items = extract_items(text)
    assert set(items[1].actors) == {"Canada", "Mexico"}
    assert items[2].actors == ("NAFRA",)


def test_binational_bodies_are_those_named_with_an_acronym() -> None:
    assert joint_bodies("the binational Clean Ports Committee (CPC) and a Joint Board") == {"CPC"}
    assert joint_bodies("the binational Clean Ports Committee and a Joint Board (jb)") == set()
    # a title's "Joint Statement" is not the name of the body in the line below it
    assert joint_bodies("Joint Statement\nThe Coastal Fisheries Council (CFC) met.") == set()


@pytest.mark.parametrize(
    ("sentence", "deadline"),
    [
        ("For 2027, the agencies committed to fund three border labs.", "For 2027"),
        ("In May 2024, the ministers decided to open a trade office in Lima.", None),
        ("Also, in April, the Ministry of Energy will host a grid workshop.", "in April"),
        ("A second customs hotline will soon open in Juárez.", "soon"),
        ("The ministries agreed to meet again in 2027.", "in 2027"),
        ("Both ministries will convene the grid council in the spring.", "in the spring"),
        ("The Ministry of Energy will match that amount next year.", "next year"),
    ],
)
def test_a_commitments_deadline_can_stand_before_its_verb(
    sentence: str, deadline: str | None
) -> None:
    (item,) = extract_items(sentence)
    assert item.kind == "commitment"
    assert item.deadline == deadline


def test_a_concrete_promise_quoted_is_a_commitment_and_rhetoric_is_not() -> None:
    promise = "\u201cWe will open three new border crossings this year,\u201d the minister said."
    rhetoric = "\u201cI am sure our nations will keep working together,\u201d the minister said."
    (item,) = extract_items(promise)
    assert item.kind == "commitment"
    assert extract_items(rhetoric) == []


def test_a_welcomed_commitment_is_its_owners_and_a_span_of_years_is_a_deadline() -> None:
    text = (
        "U.S.-Mexico Joint Statement\n\n"
        "The United States welcomed Mexico's commitment to open two trade offices in Asia.\n"
        "Over the next two years, the agencies plan to train 800 customs officers.\n"
    )
    welcomed, planned = extract_items(text)
    assert (welcomed.kind, welcomed.actors) == ("commitment", ("Mexico",))
    assert planned.deadline == "Over the next two years"


def test_visions_praise_and_summaries_are_no_items() -> None:
    assert kinds("Through the charter, we will advance our shared vision of open trade.") == []
    praise = 'The minister highlighted the work of the task force as "a model for the region".'
    assert kinds(praise) == []
    assert kinds("The delegation highlighted a new decree on customs fees.") == ["accomplishment"]
    summary = (
        "Since the 2024 summit, the two countries have made steady progress under the Clean "
        "Energy Plan.\n- The agencies opened three solar laboratories.\n"
    )
    assert kinds(summary) == ["accomplishment"]


def test_a_place_and_date_line_is_no_heading_and_a_mexican_official_is_mexico() -> None:
    text = (
        "Joint Statement\n\nWashington, D.C. \u2013 March 3, 2015\n\n"
        "The U.S. Secretary of Commerce and the Mexican Secretary of Finance signed a customs "
        "accord.\nThe dialogue will advance shared priorities.\n"
        "The council will meet twice a year in Tijuana.\n"
    )
    signed, meets = extract_items(text)
    assert signed.section == "Joint Statement"  # the title, not the dateline under it
    assert set(signed.actors) == {"Department of Commerce", "Mexico"}
    assert meets.deadline == "twice a year"


def test_goals_of_a_framework_are_not_counted() -> None:
    (item,) = extract_items("Both agencies will work across all three goals to cut emissions.")
    assert item.amounts == ()


def test_money_in_any_common_currency_by_sign_code_or_name() -> None:
    (item,) = extract_items(
        "The partners will invest \u20ac5 million, CAD 40 million and five million dollars."
    )
    assert [(a.text, a.value, a.unit) for a in item.amounts] == [
        ("\u20ac5 million", 5e6, "EUR"),
        ("CAD 40 million", 4e7, "CAD"),
        ("five million dollars", 5e6, "USD"),
    ]


def test_an_attendance_line_is_the_report_of_a_meeting_no_other_item_reports() -> None:
    attended = (
        "Ministers Ana Ruiz and Tom Lee attended the Third Meeting of the Andean Ports Council "
        "held in Lima on May 4."
    )
    reported = "During the meeting, the Council's subcommittees submitted a report on dredging."
    items = extract_items(f"{attended}\n\n{reported}\n")
    assert [item.kind for item in items] == ["accomplishment", "accomplishment"]
    assert items[0].sentence == attended
    assert items[0].why is not None
    assert items[0].why.rule == "the page's only report of its meeting"
    met = "The Andean Ports Council met in Lima on May 4 for its third meeting."
    assert [item.sentence for item in extract_items(f"{met}\n\n{attended}\n")] == [met]
    # not a meeting, not yet held, or not what the main verb attended
    for line in (
        "Ministers Ana Ruiz and Tom Lee attended a dinner in Lima on May 4.",
        "Ministers Ana Ruiz and Tom Lee will attend the Fourth Meeting of the Council in May.",
        "Minister Ruiz, who attended the first meeting of the Council in 2019, spoke at the "
        "opening.",
    ):
        assert extract_items(f"{line}\n\n{reported}\n")[0].sentence == reported, line
