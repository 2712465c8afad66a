"""`check` on a local copy of State and USTR built from the seeds: which page is which document.

A baseline with State's 2023 joint statement; USTR's copy of it appears (the same document, at
another address); then State's 2024 statement, written from the 2023 one, appears (a new
document, with its new commitment). ``history`` shows one location's versions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import seedsite
from tests.fakesite import FakeSite
from tests.monitorrun import Run, run_monitor

STATE_2023 = "/state/joint-statement-2023/"
STATE_2024 = "/state/joint-statement-2024/"
USTR_COPY = "/ustr/joint-statement-2023"
USTR_FACT_SHEET = "/ustr/fact-sheet-2023"


@dataclass
class Desk:
    """A workspace: the site, sources.toml and the store, and the CLI run against them."""

    path: Path
    site: FakeSite
    base: str

    def monitor(self, *args: str) -> Run:
        return run_monitor(self.path, *args)

    def list_on(self, listing: str, *paths: str) -> None:
        titles = {STATE_2023: seedsite.TITLE_2023, STATE_2024: seedsite.TITLE_2024}
        links = "".join(
            f"<li><a href='{path}'>{titles.get(path, seedsite.TITLE_2023)}</a></li>"
            for path in paths
        )
        self.site.pages[listing] = f"<html><body><main><ul>{links}</ul></main></body></html>"


def listing_source(name: str, agency: str, url: str) -> str:
    return f'[[source]]\nname = "{name}"\nagency = "{agency}"\nkind = "listing"\nurl = "{url}"\n'


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    site = FakeSite({
        STATE_2023: seedsite.state_2023(),
        STATE_2024: seedsite.state_2024(),
        USTR_COPY: seedsite.ustr_copy_2023(),
        USTR_FACT_SHEET: seedsite.ustr_fact_sheet_2023(),
    })  # fmt: skip
    with site.serve() as base:
        desk = Desk(tmp_path, site, base)
        (tmp_path / "sources.toml").write_text(
            '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n'
            + listing_source("state", "State", f"{base}/state/")
            + listing_source("ustr", "USTR", f"{base}/ustr/"),
            encoding="utf-8",
        )
        yield desk


def test_a_copy_joins_its_document_and_next_years_statement_is_new(desk: Desk) -> None:
    desk.list_on("/state/", STATE_2023)
    desk.site.pages["/ustr/"] = (
        f"<a href='{USTR_FACT_SHEET}'>FACT SHEET: 2023 U.S.-Mexico High-Level Economic Dialogue</a>"
    )
    baseline = desk.monitor("check", "--json")
    assert (baseline.code, baseline.events) == (0, [])

    desk.site.pages["/ustr/"] += f"<a href='{USTR_COPY}'>{seedsite.TITLE_2023}</a>"
    copy = desk.monitor("check", "--json")
    assert copy.code == 0, copy.stderr
    assert [(e["type"], e["new_location"]) for e in copy.events] == [
        ("document_also_published", desk.base + USTR_COPY)
    ]
    assert copy.events[0]["url"] == desk.base + STATE_2023.rstrip("/")

    desk.list_on("/state/", STATE_2024, STATE_2023)
    next_year = desk.monitor("check", "--json")
    assert next_year.code == 0, next_year.stderr
    (new,) = [e for e in next_year.events if e["type"] == "new_document"]
    assert new["url"] == desk.base + STATE_2024
    assert new["title"] == seedsite.TITLE_2024
    assert new["published"] == "2024-09-26"
    amounts = [a["text"] for item in new["commitments"] for a in item["amounts"]]
    assert "$250 million" in amounts
    assert {e["type"] for e in next_year.events} <= {
        "new_document",
        "commitment_fulfilled",
        "commitment_progressed",
    }

    history = desk.monitor("history", desk.base + STATE_2023, "--json")
    assert history.code == 0, history.stderr
    rows = [json.loads(line) for line in history.stdout.splitlines()]
    assert [row["fetched_url"] for row in rows] == [desk.base + STATE_2023]
    copy_history = desk.monitor(
        "history", desk.base + STATE_2023, "--location", desk.base + USTR_COPY, "--json"
    )
    assert copy_history.code == 0, copy_history.stderr
    rows = [json.loads(line) for line in copy_history.stdout.splitlines()]
    assert [row["fetched_url"] for row in rows] == [desk.base + USTR_COPY]
    title = desk.monitor("history", desk.base + STATE_2023)
    assert seedsite.TITLE_2023 in title.stdout  # the 2024 page never renamed it


def test_the_2022_and_2023_fact_sheets_are_two_documents(desk: Desk) -> None:
    desk.site.pages["/ustr/"] = "<a href='/ustr/fact-sheet-2022'>2022 HLED fact sheet</a>"
    desk.site.pages["/ustr/fact-sheet-2022"] = seedsite.commerce_fact_sheet_2022()
    desk.list_on("/state/", STATE_2023)
    assert desk.monitor("check", "--json").events == []
    desk.site.pages["/ustr/"] += f"<a href='{USTR_FACT_SHEET}'>2023 HLED fact sheet</a>"
    run = desk.monitor("check", "--json")
    assert [(e["type"], e["url"]) for e in run.events if "document" in e["type"]] == [
        ("new_document", desk.base + USTR_FACT_SHEET)
    ]
