"""The site's own facts (type label, dates), our User-Agent, and hosts that keep us out."""

from __future__ import annotations

import asyncio
import re
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from prometheus_client import generate_latest

from monitor import __version__
from monitor.config import DEFAULT_USER_AGENT
from monitor.pipeline.check import run_check
from monitor.service.metrics import Health, Metrics
from monitor.text.article import extract_page
from store.repo import Store
from tests import seedsite
from tests.conftest import Clock, make_settings, page_html
from tests.fakesite import FakeSite
from tests.unit.discover.test_discovery import check

STATE_LIST = "https://www.state.gov/press/"


def state_readout() -> str:
    """State's page of the 2023 statement, relabelled and retitled as a readout is: the type
    is only in the hero block's label, which chrome removal drops."""
    html = seedsite.state_2023().replace(
        '<p class="article-meta__content-type">Media Note</p>',
        '<p class="article-meta doctype-meta">Readout</p>',
    )
    return html.replace(seedsite.TITLE_2023, "Secretary Blinken's Meeting on the U.S.-Mexico HLED")


def test_the_hero_label_decides_the_type_before_chrome_is_stripped(
    store: Store, clock: Clock
) -> None:
    site = FakeSite({"/press/": "<a href='/other/'>Norway</a>", "/other/": page_html(
        "unrelated_press_release.html")})  # fmt: skip
    settings = make_settings({"name": "state", "agency": "State", "kind": "listing",
                              "url": STATE_LIST})  # fmt: skip
    check(settings, store, site, clock)
    site.pages["/press/"] += "<a href='/meeting/'>Meeting on the HLED</a>"
    site.pages["/meeting/"] = state_readout()
    (new,) = [e for e in check(settings, store, site, clock).events if e.type == "new_document"]
    assert (new.payload["doc_type"], new.payload["published"]) == ("readout", "2023-09-29")


def test_a_specific_title_beats_a_container_label() -> None:
    """State publishes joint statements as "Media Note"s: the title says more."""
    page = extract_page(seedsite.state_2023(), "https://www.state.gov/js/")
    assert page.doc_type == "joint statement"
    breadcrumbs = extract_page(seedsite.ustr_fact_sheet_2023().replace(
        "FACT SHEET: 2023", "2023"), "https://ustr.gov/x")  # fmt: skip
    assert breadcrumbs.doc_type == "fact sheet"  # "Fact Sheets" label and breadcrumb


def test_without_labels_the_title_decides() -> None:
    html = "<html><head><title>Readout of the HLED</title></head><body><main><p>" + (
        "Officials met for the High-Level Economic Dialogue. " * 10) + "</p></main></body></html>"  # fmt: skip
    assert extract_page(html).doc_type == "readout"


def test_the_default_user_agent_is_the_widely_accepted_form() -> None:
    assert re.fullmatch(
        r"Mozilla/5\.0 \(compatible; hled-monitor/[\d.]+; \+https://\S+\)", DEFAULT_USER_AGENT
    )
    pyproject = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text())
    assert __version__ == pyproject["project"]["version"]
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["User-Agent"])
        return httpx.Response(200, headers={"Content-Type": "text/html"},
                              text=seedsite.state_2023())  # fmt: skip

    settings = make_settings({"name": "p", "agency": "State", "url": "https://www.state.gov/a"})
    custom = make_settings({"name": "p", "agency": "State", "url": "https://www.state.gov/a"},
                           fetch={"user_agent": "desk-bot/1 (+mailto:desk@example.org)"})  # fmt: skip
    for chosen in (settings, custom):
        with_store = Store("sqlite://")
        asyncio.run(run_check(chosen, with_store, transport=httpx.MockTransport(handle)))
        with_store.close()
    assert seen == [DEFAULT_USER_AGENT, "desk-bot/1 (+mailto:desk@example.org)"]


def test_challenge_answers_are_counted_per_host_in_health_and_metrics(
    store: Store, clock: Clock
) -> None:
    site = FakeSite({
        "/a": seedsite.state_2023(),
        "/b": page_html("challenge_cloudflare.html"),
        "/c": page_html("technical_difficulties.html"),  # an outage, not a block
    })  # fmt: skip
    site.failures["/d"] = [403]
    urls = [f"https://www.state.gov/{p}" for p in "abcd"]
    settings = make_settings({"name": "state", "agency": "State", "urls": urls})
    result = check(settings, store, site, clock)
    (report,) = result.reports
    assert report.challenges == {"www.state.gov": 2}
    metrics, health = Metrics(), Health(timedelta(hours=1))
    metrics.record_pass(result)
    health.record_pass(result, datetime(2026, 11, 24, tzinfo=UTC))
    exposition = generate_latest(metrics.registry).decode()
    assert 'hled_challenges_total{host="www.state.gov"} 2.0' in exposition
    _, body = health.snapshot(datetime(2026, 11, 24, tzinfo=UTC))
    assert body["challenged_hosts"] == {"www.state.gov": 2}
