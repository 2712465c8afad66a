"""Listings: page addresses, and pages that answer 200 but list nothing we can trust."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from monitor.config import SourceConfig
from monitor.discover.listing import page_urls
from monitor.pipeline.check import PassResult, run_check
from store.repo import Store
from tests.conftest import FIXTURES, Clock, make_settings
from tests.fakesite import FakeSite, article
from tests.unit.discover.test_discovery import HLED_TEXT, check, listing_page, listing_source

STATE = "https://www.state.gov"
CHALLENGE = (FIXTURES / "agency" / "challenge_validation.html").read_text(encoding="utf-8")


def source(url: str, **keys: object) -> SourceConfig:
    return SourceConfig.model_validate(
        {"name": "s", "agency": "A", "kind": "listing", "url": url, **keys}
    )


@pytest.mark.parametrize(
    ("url", "keys", "expected"),
    [
        (f"{STATE}/press-releases/", {"paginate": "page/{n}/", "pages": 3},
         ["/press-releases/", "/press-releases/page/2/", "/press-releases/page/3/"]),
        (f"{STATE}/press-releases", {"paginate": "page/{n}/"},
         ["/press-releases", "/press-releases/page/2/"]),
        (f"{STATE}/news/fact-sheets", {"paginate": "?page={n}", "first_page": 0},
         ["/news/fact-sheets", "/news/fact-sheets?page=1"]),
        (f"{STATE}/news?type=fact_sheet", {"paginate": "?page={n}", "first_page": 0},
         ["/news?type=fact_sheet", "/news?type=fact_sheet&page=1"]),
        (f"{STATE}/press-releases/", {"paginate": "page/{n}/", "pages": 1}, ["/press-releases/"]),
        (f"{STATE}/press-releases/", {"pages": 3}, ["/press-releases/"]),
    ],
)  # fmt: skip
def test_page_urls(url: str, keys: dict[str, object], expected: list[str]) -> None:
    assert page_urls(url, source(url, **keys)) == [STATE + path for path in expected]


class TestUntrustworthyPages:
    def test_a_challenge_page_is_a_failure_and_later_pages_are_not_read(
        self, store: Store, clock: Clock
    ) -> None:
        site = FakeSite({"/press-releases/": CHALLENGE})
        result = check(make_settings(listing_source()), store, site, clock)
        (error,) = result.reports[0].errors
        assert "soft failure" in error
        assert "Challenge Validation".lower() in error.lower()
        assert site.requests == ["/press-releases/"]

    def test_a_challenge_counts_toward_source_error(self, store: Store, clock: Clock) -> None:
        site = FakeSite({"/press-releases/": CHALLENGE})
        settings = make_settings(listing_source(paginate=None), defaults={"error_after": 2})
        types = [[e.type for e in check(settings, store, site, clock).events] for _ in range(3)]
        assert types == [[], ["source_error"], []]

    def test_a_selector_matching_nothing_on_the_first_page_is_a_failure(
        self, store: Store, clock: Clock
    ) -> None:
        site = FakeSite({"/press-releases/": "<html><body><div class='new-layout'>"
                         "<a href='/hled/'>HLED joint statement</a></div></body></html>"})  # fmt: skip
        result = check(make_settings(listing_source()), store, site, clock)
        (error,) = result.reports[0].errors
        assert 'item_selector "li.item" matched nothing' in error
        assert store.documents() == []

    def test_an_empty_later_page_is_the_end_of_the_listing(
        self, store: Store, clock: Clock
    ) -> None:
        site = FakeSite({
            "/press-releases/": listing_page(("/hled/", "HLED joint statement on supply chains")),
            "/press-releases/page/2/": listing_page(),
            "/hled/": article("HLED joint statement", HLED_TEXT),
        })  # fmt: skip
        result = check(make_settings(listing_source(pages=3)), store, site, clock)
        assert result.reports[0].errors == []
        assert [d.url for d in store.documents()] == [f"{STATE}/hled"]
        assert "/press-releases/page/3/" not in site.requests

    def test_a_failing_first_page_stops_the_listing(self, store: Store, clock: Clock) -> None:
        site = FakeSite({"/press-releases/page/2/": listing_page(("/hled/", "HLED statement"))})
        site.failures["/press-releases/"] = [403]
        result = check(make_settings(listing_source()), store, site, clock)
        assert result.reports[0].errors == [f"{STATE}/press-releases/: HTTP 403"]
        assert site.requests == ["/press-releases/"]


def test_an_unchanged_listing_answers_304_and_its_documents_are_still_checked(
    store: Store, clock: Clock
) -> None:
    site = FakeSite({
        "/press-releases/": listing_page(("/hled/", "HLED joint statement on supply chains")),
        "/hled/": article("HLED joint statement", HLED_TEXT),
    })  # fmt: skip
    answers: list[tuple[str, int]] = []
    inner = site.transport

    def handle(request: httpx.Request) -> httpx.Response:
        response = inner.handle_request(request)
        answers.append((request.url.path, response.status_code))
        return response

    def run() -> PassResult:
        transport = httpx.MockTransport(handle)
        return asyncio.run(run_check(settings, store, now=clock, transport=transport))

    settings = make_settings(listing_source(paginate=None))
    run()
    site.pages["/hled/"] = article("HLED joint statement", HLED_TEXT + " Edited.")
    result = run()
    assert answers[2:] == [("/press-releases/", 304), ("/hled/", 200)]
    assert [e.type for e in result.events] == ["document_changed"]
