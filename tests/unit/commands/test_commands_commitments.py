from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.pipeline.check import run_check
from tests.conftest import Clock, make_settings
from tests.fakesite import FakeSite, article

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
URL = "https://www.state.gov/hled"


def test_extract_json_on_a_saved_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["extract", str(FIXTURES / "agency" / "commerce_fact_sheet.html"), "--json"], {}) == 0
    )
    items = json.loads(capsys.readouterr().out)
    epa = next(item for item in items if "$474 million" in item["sentence"])
    assert epa["kind"] == "commitment"
    assert set(epa["actors"]) == {"EPA", "CONAGUA"}
    assert epa["amounts"] == [{"text": "$474 million", "value": 474e6, "unit": "USD"}]
    assert {"sentence", "kind", "actors", "pillar", "deadline", "amounts", "span"} <= set(epa)


def test_extract_plain_text_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(FIXTURES / "seeds" / "001_e66f9fff8edf42f0.txt")], {}) == 0
    out = capsys.readouterr().out
    assert "[commitment] To Build Back Together, the United States and Mexico intend" in out


def test_extract_of_a_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "/no/such/file.txt"], {}) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.fixture
def env(sqlite_url: str, clock: Clock) -> dict[str, str]:
    from store.repo import Store

    text = ("The United States and Mexico will host a workforce training summit by June 2025.",
            "USAID trained 300 customs officers at ports of entry.")  # fmt: skip
    site = FakeSite({"/hled": article("HLED Fact Sheet", *text)})
    settings = make_settings({"name": "s", "agency": "State", "url": URL})
    store = Store(sqlite_url)
    asyncio.run(run_check(settings, store, now=clock, transport=site.transport))
    site.pages["/hled"] = article("HLED Fact Sheet", text[0].replace("June", "July"), text[1])
    asyncio.run(run_check(settings, store, now=clock, transport=site.transport))
    store.close()
    return {"MONITOR_DATABASE_URL": sqlite_url}


def test_the_ledger_fills_itself_and_filters(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["commitments", "--format", "json"], env) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["kind"], r["status"]) for r in rows] == [
        ("commitment", "open"),
        ("accomplishment", "reported"),
    ]
    assert rows[0]["deadline"] == "by July 2025"
    assert main(["commitments", "--status", "open", "--pillar", "4", "--format", "csv"], env) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert row["document"] == URL
    assert main(["commitments", "--document", URL], env) == 0
    assert "summit" in capsys.readouterr().out


def test_diff_puts_commitment_changes_on_top(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", URL], env) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[1].startswith("  commitment_changed: The United States and Mexico will host")
    assert "deadline: by June 2025 -> by July 2025" in " ".join(out.split())  # wrapped, not cut
    summary = lines[: lines.index("--- version 1")]
    assert all(len(line) <= 100 for line in summary)
