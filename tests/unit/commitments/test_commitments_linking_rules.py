"""The linking rules one by one, on sentences written for these tests: each test fails when
its rule is taken out (names read per document, founding as fulfilment, links inside one
document, a kept promise closed, a summary not taken for its report)."""

from __future__ import annotations

from monitor.commitments import extract_items
from monitor.commitments.linking import DatedDocument, link_documents, relate
from monitor.commitments.names import document_aliases, named_things, normal_name
from monitor.commitments.periods import plan_years


def one(text: str):  # type: ignore[no-untyped-def]
    (item,) = extract_items(text)
    return item


def dated(name: str, date: str, *sentences: str) -> DatedDocument:
    return DatedDocument(name, date, [one(sentence) for sentence in sentences])


def links(*documents: DatedDocument) -> set[tuple[str, int, str, int, str]]:
    return {
        (k.from_doc, k.from_index, k.to_doc, k.to_index, k.relation)
        for k in link_documents(documents)
    }


def test_names_are_compared_with_every_word_singular() -> None:
    assert normal_name("the Small Farms Grants Program") == "small farm grant program"
    promise = one("The two agencies intend to create a Small Farms Grants Program for Oaxaca.")
    done = one("The two agencies established the Small Farm Grant Program in Oaxaca in 2022.")
    assert relate(promise, done) == "fulfilled"


def test_an_acronym_the_promise_defines_names_the_body_a_later_report_founds() -> None:
    plan = dated("plan", "2020-02-01",
                 "The two governments intend to establish a Northern Ports Logistics Council "
                 "(NPLC) in Monterrey.")  # fmt: skip
    report = dated("report", "2020-09-01", "The NPLC was formally launched on June 3.")
    assert links(plan, report) == {("plan", 0, "report", 0, "fulfilled")}


def test_the_kind_alone_names_the_one_body_of_that_kind_in_the_document() -> None:
    aliases = document_aliases([
        "The two governments agreed to create the Gulf Fisheries Council (GFC).",
        "The Council was formalized at a signing ceremony in Veracruz.",
    ])  # fmt: skip
    assert aliases.resolve(named_things("The Council met.")) >= {"gulf fishery council"}
    two_councils = document_aliases(["The Gulf Fisheries Council and the Port Safety Council met."])
    assert two_councils.resolve(["council"]) == set()


def test_a_bare_kind_is_not_part_of_every_body_of_that_kind() -> None:
    first = one("The Council was formalized at a signing ceremony in Veracruz.")
    other = one("The Energy Business Council has been formalized to support grid investment.")
    assert relate(first, other) is None


def test_a_release_that_reports_its_own_promise_done_links_inside_itself() -> None:
    release = dated(
        "release", "2013-05-21",
        "The two governments agreed to create the Gulf Fisheries Council (GFC).",
        "The Council was formalized at a signing ceremony in Veracruz on May 4.",
    )  # fmt: skip
    assert links(release) == {("release", 0, "release", 1, "fulfilled")}


def test_a_report_that_only_mentions_the_promised_body_does_not_fulfil_it() -> None:
    plan = dated("plan", "2020-02-01",
                 "The two governments agreed to create the Gulf Fisheries Council (GFC).")  # fmt: skip
    report = dated("report", "2021-02-01",
                   "The shrimp quota forum was hosted by the Port Authority and the Gulf "
                   "Fisheries Council (GFC).")  # fmt: skip
    assert links(plan, report) == set()


def test_a_kept_promise_is_closed_and_later_news_of_the_body_is_not_progress() -> None:
    plan = dated("plan", "2020-02-01",
                 "Both governments intend to create the Gulf Fisheries Council to manage "
                 "shrimp quotas, fleet licences and coastal patrols in the Gulf.")  # fmt: skip
    done = dated("done", "2020-09-01",
                 "Both governments established the Gulf Fisheries Council in Veracruz.")  # fmt: skip
    later = dated("later", "2022-03-01",
                  "Both governments trained 300 inspectors to check shrimp quotas, fleet "
                  "licences and coastal patrols in the Gulf.")  # fmt: skip
    assert links(plan, done, later) == {("plan", 0, "done", 0, "fulfilled")}


def test_a_later_retelling_links_to_the_releases_telling_it_shares_not_to_an_inner_root() -> None:
    release = dated(
        "release", "2013-05-21",
        "The Council was formalized at a signing ceremony in Veracruz.",
        "The Gulf Fisheries Council (GFC) was formally launched in Veracruz on May 4.",
    )  # fmt: skip
    blog = dated("blog", "2014-02-05",
                 "Founded in May 2013, the GFC has funded shrimp quota studies in four states.")  # fmt: skip
    found = links(release, blog)
    assert ("release", 0, "release", 1, "restated") in found
    assert ("release", 1, "blog", 0, "restated") in found
    assert ("release", 0, "blog", 0, "restated") not in found


def test_a_short_summary_whose_words_recur_in_a_long_report_is_not_that_report() -> None:
    summary = one("The two governments advanced port security training.")
    report = one(
        "The Treasury sponsored a port security training course for 40 customs officers in "
        "Laredo in May, with instructors from both customs services."
    )
    assert relate(summary, report) is None


def test_a_promised_event_reported_held_under_its_own_name_is_fulfilled() -> None:
    promise = one(
        "The two ministries committed to hold a first virtual workshop on coastal fisheries "
        "data in November."
    )
    done = one("The two ministries hosted a Virtual Coastal Fisheries Data Workshop in May 2024.")
    assert relate(promise, done) == "fulfilled"


def test_an_event_of_the_promised_kind_on_part_of_its_subject_is_progress() -> None:
    promise = one(
        "A bilateral virtual Forum on Lithium and Beyond is scheduled to take place in March."
    )
    report = one(
        "The two ministries organized a forum on lithium, cobalt and grid storage in April."
    )
    assert relate(promise, report) == "progressed"


def test_a_deliverable_told_apart_by_one_plain_word_links_nothing() -> None:
    promise = one("The two governments will update their 2015 action plans by June.")
    report = one("The delegations adopted Action Plans to guide investment in rail crossings.")
    assert relate(promise, report) is None


def test_progress_reported_again_links_to_where_it_was_first_told() -> None:
    plan = dated("plan", "2021-01-10",
                 "A bilateral virtual Forum on Lithium and Beyond is scheduled to take place "
                 "in March.")  # fmt: skip
    told = ("hosted 21 lithium supply meetings with mining firms, universities and regional "
            "chambers of commerce in Sonora.")  # fmt: skip
    first = dated("first", "2022-01-10", f"The two ministries {told}")
    again = dated("again", "2023-01-10",
                  f"The two ministries organized a forum on lithium and {told}")  # fmt: skip
    assert links(plan, first, again) == {
        ("plan", 0, "first", 0, "progressed"),
        ("first", 0, "again", 0, "restated"),
    }


def test_one_effort_named_with_two_kinds_is_progress() -> None:
    promise = one(
        "The two agencies will hold joint inspections of ports and harbours, with shared "
        "stewardship of inland waters, via the Gulf Coast Cargo Safety Initiative."
    )
    told = ("resumed in-person meetings of the Gulf Coast {} Process, holding its steering "
            "committee in Veracruz in December 2022 and technical working groups in Houston.")  # fmt: skip
    report = one("Additionally, the two agencies " + told.format("Cargo Safety"))
    other = one("Additionally, the two agencies " + told.format("Fisheries"))
    assert relate(promise, report) == "progressed"
    assert relate(promise, other) is None


def test_a_named_projects_later_work_is_progress_but_a_councils_is_not() -> None:
    project = one("USAID worked with port authorities through the Green Ports Project in 2021.")
    again = one("Between 2021 and 2023, the Green Ports Project trained 600 harbour pilots.")
    council = one("USAID worked with port authorities through the Green Ports Council in 2021.")
    acted = one("Between 2021 and 2023, the Green Ports Council trained 600 harbour pilots.")
    assert relate(project, again) == "progressed"
    assert relate(council, acted) is None


def test_a_document_does_not_report_progress_on_itself() -> None:
    release = dated(
        "release", "2023-09-01",
        "USAID worked with port authorities through the Green Ports Project in 2021.",
        "Between 2021 and 2023, the Green Ports Project trained 600 harbour pilots.",
    )  # fmt: skip
    later = dated("later", "2024-09-01",
                  "In 2024 the Green Ports Project certified 40 harbour inspectors.")  # fmt: skip
    assert links(release, later) == {
        ("release", 0, "later", 0, "progressed"),
        ("release", 1, "later", 0, "progressed"),
    }


def test_a_promised_program_reported_postponed_is_not_fulfilled() -> None:
    promise = one("The two ministries intend to create a Desert Water Reuse Program in Sonora.")
    put_off = one("The two ministries postponed the Desert Water Reuse Program to 2024.")
    assert relate(promise, put_off) != "fulfilled"


def test_the_parties_meeting_as_they_promised_is_progress() -> None:
    promise = one("Canada and Mexico committed to meeting annually at the ministerial level.")
    met = one("Ministers from Canada and Mexico met today in Ottawa for the second meeting.")
    others = one("Ministers from Chile and Peru met today in Lima for the second meeting.")
    assert relate(promise, met) == "progressed"
    assert relate(promise, others) is None


def test_a_trailing_reason_is_not_what_was_promised() -> None:
    first = one("The two agencies will map groundwater wells along the Rio Grande basin.")
    second = one(
        "The two agencies agreed to train customs brokers in Laredo, recognizing the "
        "importance of mapping groundwater wells along the Rio Grande basin."
    )
    assert relate(first, second) is None


def test_where_a_body_was_adopted_is_not_what_was_founded() -> None:
    first = one("The Ports Dialogue (PD) was launched by both ministries in Veracruz in 2019.")
    again = one(
        "The Harbour Framework, adopted at the first meeting of the Ports Dialogue in 2019, "
        "has funded 40 dredging studies since then."
    )
    assert relate(first, again) is None


def test_one_next_meeting_is_not_a_series_progressing() -> None:
    promise = one("Canada and Mexico will meet again in 2025 at the ministerial level.")
    met = one("Ministers from Canada and Mexico met today in Ottawa for the second meeting.")
    assert relate(promise, met) is None


def test_a_report_on_the_year_a_plan_was_adopted_for_is_progress() -> None:
    adopted = one("Today the Ports Council adopted the 2019 Work Plan for the Gulf ports.")
    report = one(
        "The Ports Council approved a report on the actions completed during 2019, and agreed "
        "on new dredging targets."
    )
    other_year = one(
        "The Ports Council approved a report on the actions completed during 2018, and agreed "
        "on new dredging targets."
    )
    other_body = one(
        "The Rail Council approved a report on the actions completed during 2019, and agreed "
        "on new track targets."
    )
    assert relate(adopted, report) == "progressed"
    assert relate(adopted, other_year) is None
    assert relate(adopted, other_body) is None


def test_the_actions_agreed_for_a_year_then_reported_on_are_progress() -> None:
    agreed = one("The Gulf Ports Council (GPC) agreed on the actions for 2020 with its members.")
    report = one("The Ports Council completed nine of the 2020 action items in March 2021.")
    only_named = one("The Ports Council adopted the 2020 action items in Veracruz in March.")
    assert relate(agreed, report) == "progressed"  # "GPC" ends with the Ports Council's initials
    assert relate(agreed, only_named) is None  # naming the year's plan is no report on it


def test_a_verb_plan_or_a_year_nearby_is_no_plan_for_that_year() -> None:
    assert plan_years("Mexico and Peru will meet in 2024 to review plans on energy.") == set()
    assert plan_years("The Ports Council plans to meet in 2024 in Lima.") == set()
    assert plan_years("The ESC adopted its 2015 bilateral action plans.") == {"2015"}


def test_a_retelling_in_other_words_links_to_its_source_a_verbatim_one_to_the_first_telling() -> (
    None
):
    launch = dated("launch", "2019-06-01",
                   "During the May 2019 Ports Summit (PS) launch, Canada and Chile opened a new "
                   "era in maritime cooperation based on shared responsibility.")  # fmt: skip
    compact = dated("compact", "2020-06-01",
                    "The Harbour Compact, launched by our governments at the 2019 Ports Summit, "
                    "established a long-term approach to guide our maritime cooperation.")  # fmt: skip
    retold = dated("retold", "2021-06-01",
                   "The Harbour Compact, adopted at the first meeting of the Ports Summit in May "
                   "2019, continues to guide our maritime cooperation.")  # fmt: skip
    assert links(launch, compact, retold) == {
        ("launch", 0, "compact", 0, "restated"),
        ("compact", 0, "retold", 0, "restated"),  # the Compact's founding, not the Summit's
    }
    # a copy in the same words (by its acronym, which only its source's document defines)
    # links to where its source was first told
    relaunched = dated("relaunched", "2021-09-09",
                       "To deliver on a promise made in March, today Minister Ana Ruiz "
                       "relaunched the annual cabinet-level Andean Ports Dialogue.")  # fmt: skip
    fact_sheet = dated("fact_sheet", "2022-09-12",
                       "President Lee and President Soto relaunched the Andean Ports Dialogue "
                       "(APD) in 2021 to advance shared strategic maritime and commercial "
                       "priorities.")  # fmt: skip
    statement = dated("statement", "2023-09-29",
                      "President Lee and President Soto relaunched the APD in 2021 to advance "
                      "our many shared strategic maritime and commercial priorities.")  # fmt: skip
    assert relate(relaunched.items[0], statement.items[0]) is None
    assert links(relaunched, fact_sheet, statement) == {
        ("relaunched", 0, "fact_sheet", 0, "restated"),
        ("relaunched", 0, "statement", 0, "restated"),
    }
