from __future__ import annotations

import asyncio
import json

import pytest

from monitor.cli import main
from monitor.pipeline.check import run_check
from tests.conftest import Clock, make_settings
from tests.fakesite import FakeSite, article

URL = "https://www.state.gov/a"


@pytest.fixture
def env(sqlite_url: str, clock: Clock) -> dict[str, str]:
    """A store holding two versions of one document."""
    from store.repo import Store

    site = FakeSite({"/a": article("Fact Sheet", "They will invest $474 million.", "Second.")})
    settings = make_settings({"name": "s", "agency": "State", "url": URL})
    store = Store(sqlite_url)
    asyncio.run(run_check(settings, store, now=clock, transport=site.transport))
    site.pages["/a"] = article("Fact Sheet", "They will invest $520 million.", "Second.")
    clock.advance(hours=1)
    asyncio.run(run_check(settings, store, now=clock, transport=site.transport))
    store.close()
    return {"MONITOR_DATABASE_URL": sqlite_url}


def test_history_lists_versions(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", URL, "--json"], env) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["version"] for row in rows] == [1, 2]
    assert rows[0]["fingerprint"] != rows[1]["fingerprint"]


def test_diff_shows_the_change(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", URL], env) == 0
    out = capsys.readouterr().out
    assert "version 1 -> 2" in out
    assert "[-$474-] {+$520+}" in out


def test_diff_of_an_unknown_version_or_url_is_a_usage_error(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", URL, "--from", "7"], env) == 2
    assert "no version 7 (versions: 1, 2)" in capsys.readouterr().err
    assert main(["history", "https://nowhere.gov/"], env) == 2


COPY = "https://www.state.gov/copy"


@pytest.fixture
def copies_env(sqlite_url: str, clock: Clock) -> dict[str, str]:
    """One document at two addresses; the copy changed once, the original never."""
    from store.repo import Store

    text = ("They will invest $474 million in border water projects next year.", "Second.")
    site = FakeSite({"/a": article("Fact Sheet", *text), "/copy": article("Fact Sheet", *text)})
    settings = make_settings({"name": "s", "agency": "State", "urls": [URL, COPY]})
    store = Store(sqlite_url)
    asyncio.run(run_check(settings, store, now=clock, transport=site.transport))
    site.pages["/copy"] = article("Fact Sheet", text[0].replace("$474", "$520"), "Second.")
    clock.advance(hours=1)
    asyncio.run(run_check(settings, store, now=clock, transport=site.transport))
    store.close()
    return {"MONITOR_DATABASE_URL": sqlite_url}


def test_history_and_diff_show_one_location(
    copies_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", COPY, "--json"], copies_env) == 0  # any address: its own location
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(row["version"], row["fetched_url"]) for row in rows] == [(1, URL)]
    assert main(["history", URL, "--location", COPY, "--json"], copies_env) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(row["version"], row["fetched_url"]) for row in rows] == [(2, COPY), (3, COPY)]
    assert main(["diff", URL, "--location", COPY], copies_env) == 0
    out = capsys.readouterr().out
    assert f"version 2 -> 3 at {COPY}" in out
    assert "[-$474-] {+$520+}" in out
    assert main(["diff", URL, "--location", "https://ustr.gov/elsewhere"], copies_env) == 2
    assert "not a location of" in capsys.readouterr().err
