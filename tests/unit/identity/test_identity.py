"""Identity over time: canonical URLs, moves, aliases, removals, twins, source health."""

from __future__ import annotations

import pytest

from monitor.config import AliasConfig
from monitor.identity.urls import LinkPolicy, canonical_url, is_internal_address
from store.repo import Store
from tests.conftest import FIXTURES, Clock, make_settings
from tests.fakesite import FakeSite, article
from tests.unit.discover.test_discovery import HLED_TEXT, check
from tests.unit.identity.test_locations import alert

WH_ALIAS = AliasConfig(host="bidenwhitehouse.archives.gov", canonical="www.whitehouse.gov")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.State.gov/hled/", "https://www.state.gov/hled"),
        ("https://www.state.gov/hled/?utm_source=x&id=3#top", "https://www.state.gov/hled?id=3"),
        ("https://www.state.gov:443/", "https://www.state.gov/"),
        ("https://bidenwhitehouse.archives.gov/briefing-room/x/", "https://www.whitehouse.gov/briefing-room/x"),
        ("http://127.0.0.1:8000/a/?fbclid=1", "http://127.0.0.1:8000/a"),
    ],
)  # fmt: skip
def test_canonical_urls(url: str, expected: str) -> None:
    assert canonical_url(url, [WH_ALIAS]) == expected


def test_link_policy() -> None:
    policy = LinkPolicy.for_source(
        ["https://www.state.gov/press/"], ["ustr.gov", "169.254.169.254"]
    )
    assert policy.refusal("https://www.state.gov/x") is None
    assert policy.refusal("https://ustr.gov/x") is None
    assert "neither" in (policy.refusal("https://evil.example/") or "")
    assert "internal address" in (policy.refusal("http://169.254.169.254/latest") or "")
    assert "http(s)" in (policy.refusal("javascript:alert(1)") or "")
    local = LinkPolicy.for_source(["http://127.0.0.1:8080/"])
    assert local.refusal("http://127.0.0.1:8080/doc") is None  # the configured host itself
    assert is_internal_address("10.0.0.1")
    assert is_internal_address("[::1]")
    assert not is_internal_address("www.state.gov")


def page(name: str, url: str) -> dict[str, object]:
    return {"name": name, "agency": "State", "url": url}


class TestMoves:
    def test_a_permanent_redirect_is_a_move_with_history_kept(
        self, store: Store, clock: Clock
    ) -> None:
        site = FakeSite({"/old/": article("Joint Statement on the HLED", HLED_TEXT)})
        settings = make_settings(page("s", "https://www.state.gov/old/"))
        check(settings, store, site, clock)
        site.pages["/new/"] = site.pages.pop("/old/")
        site.redirects["/old/"] = (301, "https://www.state.gov/new/")
        first = check(settings, store, site, clock)
        again = check(settings, store, site, clock)
        assert [e.type for e in first.events] == ["document_moved"]
        assert first.events[0].payload["previous_url"] == "https://www.state.gov/old/"
        assert first.events[0].url == "https://www.state.gov/new/"
        assert again.events == []
        (document,) = store.documents()
        assert (document.version_count, document.status) == (1, "active")
        assert document.current_url == "https://www.state.gov/new/"
        assert store.find("https://www.state.gov/new") is not None

    def test_an_alias_host_is_the_same_document(self, store: Store, clock: Clock) -> None:
        site = FakeSite({"/briefing-room/hled/": article("HLED Vision", HLED_TEXT)})
        aliases = [{"host": "bidenwhitehouse.archives.gov", "canonical": "www.whitehouse.gov"}]
        before = make_settings(page("wh", "https://www.whitehouse.gov/briefing-room/hled/"),
                               alias=aliases)  # fmt: skip
        after = make_settings(page("wh", "https://bidenwhitehouse.archives.gov/briefing-room/hled/"),
                              alias=aliases)  # fmt: skip
        check(before, store, site, clock)
        result = check(after, store, site, clock)
        assert [e.type for e in result.events] == ["document_moved"]
        assert len(store.documents()) == 1
        assert check(after, store, site, clock).events == []


class TestRemoval:
    def settings(self):  # type: ignore[no-untyped-def]
        return make_settings(page("s", "https://www.state.gov/hled/"))

    def test_a_single_404_is_a_glitch(self, store: Store, clock: Clock) -> None:
        site = FakeSite({"/hled/": article("HLED", HLED_TEXT)})
        check(self.settings(), store, site, clock)
        site.failures["/hled/"] = [404]
        result = check(self.settings(), store, site, clock)
        assert result.events == []
        assert store.documents()[0].status == "active"

    @pytest.mark.parametrize("codes", [[404, 404], [410]])
    def test_lasting_404_or_410_is_one_removal_then_restored(
        self, store: Store, clock: Clock, codes: list[int]
    ) -> None:
        site = FakeSite({"/hled/": article("HLED", HLED_TEXT)})
        check(self.settings(), store, site, clock)
        body = site.pages.pop("/hled/")
        site.failures["/hled/"] = [codes[0]] if codes == [410] else []
        if codes == [410]:
            site.pages["/hled/"] = body
        removed = check(self.settings(), store, site, clock)
        assert [e.type for e in removed.events] == ["document_removed"]
        assert removed.reports[0].errors == []  # the site answered: not a failing source
        if codes != [410]:
            assert check(self.settings(), store, site, clock).events == []  # once
        site.pages["/hled/"] = body
        restored = check(self.settings(), store, site, clock)
        assert [e.type for e in restored.events] == ["document_restored"]
        assert store.documents()[0].status == "active"


def test_two_publishers_copies_are_one_document_and_one_alert(store: Store, clock: Clock) -> None:
    statement = ("Joint Statement on the U.S.-Mexico High-Level Economic Dialogue",
                 HLED_TEXT, "Both governments will meet again in 2024.")  # fmt: skip
    site = FakeSite(
        {"/state-list/": "<a href='/x'>nothing</a>", "/ustr-list/": "<a href='/y'>-</a>"}
    )
    settings = make_settings(
        {"name": "state", "agency": "State", "kind": "listing", "url": "https://www.state.gov/state-list/"},
        {"name": "ustr", "agency": "USTR", "kind": "listing", "url": "https://ustr.gov/ustr-list/"},
    )  # fmt: skip
    check(settings, store, site, clock)
    site.pages["/state-list/"] = f"<a href='/js-state'>{statement[0]}</a>"
    site.pages["/ustr-list/"] = f"<a href='/js-ustr'>{statement[0]}</a>"
    site.pages["/js-state"] = article(*statement)
    site.pages["/js-ustr"] = article(*statement, chrome="<a>USTR related</a>").replace(
        "United States Department of State", "United States Trade Representative"
    )
    result = check(settings, store, site, clock)
    kinds = sorted(event.type for event in result.events)
    assert kinds == ["document_also_published", "new_document"]  # one fact each
    assert sorted(alert(store).payload["locations"]) == [  # one alert
        "https://ustr.gov/js-ustr",
        "https://www.state.gov/js-state",
    ]
    assert len(store.documents()) == 1
    site.pages["/js-ustr"] = site.pages["/js-ustr"].replace("USTR related", "USTR related, again")
    assert check(settings, store, site, clock).events == []  # the copies never diff each other


def test_failures_then_recovery_give_one_error_and_one_recovery(store: Store, clock: Clock) -> None:
    site = FakeSite({"/hled/": article("HLED", HLED_TEXT)})
    settings = make_settings(page("s", "https://www.state.gov/hled/"), defaults={"error_after": 3})
    check(settings, store, site, clock)
    site.failures["/hled/"] = [503] * 40
    types = [[e.type for e in check(settings, store, site, clock).events] for _ in range(4)]
    assert types == [[], [], ["source_error"], []]
    site.failures["/hled/"] = []
    assert [e.type for e in check(settings, store, site, clock).events] == ["source_recovered"]
    assert [e.type for e in check(settings, store, site, clock).events] == []


def test_challenge_pages_count_as_failures_and_are_never_edits(store: Store, clock: Clock) -> None:
    challenge = (FIXTURES / "pages" / "challenge_cloudflare.html").read_text(encoding="utf-8")
    site = FakeSite({"/hled/": article("HLED", HLED_TEXT)})
    settings = make_settings(page("s", "https://www.state.gov/hled/"), defaults={"error_after": 2})
    check(settings, store, site, clock)
    real, site.pages["/hled/"] = site.pages["/hled/"], challenge  # 200 OK, but a bot challenge
    first, second, third = (check(settings, store, site, clock) for _ in range(3))
    assert first.reports[0].errors  # a soft failure is a failure of the source
    assert [e.type for e in (*first.events, *second.events, *third.events)] == ["source_error"]
    site.pages["/hled/"] = real
    assert [e.type for e in check(settings, store, site, clock).events] == ["source_recovered"]
    assert store.documents()[0].version_count == 1
