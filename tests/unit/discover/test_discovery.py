"""Source kinds over a fake site: listings, feeds, wp-json, sitemaps; matching and link safety."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from monitor.config import Settings
from monitor.pipeline.check import PassResult, run_check
from store.repo import Store
from tests.conftest import Clock, make_settings
from tests.fakesite import FakeSite, article

STATE = "https://www.state.gov"
HLED_TEXT = (
    "Senior officials met for the U.S.-Mexico High-Level Economic Dialogue and will meet "
    "again next year to review the supply chain work plan."
)
OTHER_TEXT = "The Secretary met the Foreign Minister of Norway to discuss Arctic cooperation."


async def no_wait(seconds: float) -> None:
    pass


def check(settings: Settings, store: Store, site: FakeSite, clock: Clock) -> PassResult:
    def channels(event: object) -> list[str]:
        return ["memory"]

    return asyncio.run(run_check(settings, store, now=clock, transport=site.transport,
                                 channels=channels, sleep=no_wait))  # fmt: skip


def listing_page(*items: tuple[str, str]) -> str:
    lis = "".join(f'<li class="item"><a href="{href}">{text}</a></li>' for href, text in items)
    nav = '<nav><a href="/">Home</a><a href="/hled-about/">About the HLED</a></nav>'
    return f"<html><body>{nav}<main><ul>{lis}</ul></main></body></html>"


def listing_source(**extra: object) -> dict[str, object]:
    return {"name": "state-press", "agency": "State", "kind": "listing",
            "url": f"{STATE}/press-releases/", "item_selector": "li.item",
            "paginate": "page/{n}/", **extra}  # fmt: skip


class TestListing:
    def site(self) -> FakeSite:
        return FakeSite({
            "/press-releases/": listing_page(
                ("/hled-2023/", "Joint Statement on the U.S.-Mexico High-Level Economic Dialogue"),
                ("/norway/", "Readout of the Secretary's Meeting with Norway"),
                ("https://evil.example/hled/", "HLED news elsewhere"),
                ("http://169.254.169.254/latest/hled", "HLED metadata"),
            ),
            "/press-releases/page/2/": listing_page(
                ("/dialogo/", "Diálogo Económico de Alto Nivel México-Estados Unidos"),
            ),
            "/hled-2023/": article("Joint Statement on the HLED", HLED_TEXT),
            "/norway/": article("Norway", OTHER_TEXT),
            "/dialogo/": article("Diálogo Económico", HLED_TEXT),
        })  # fmt: skip

    def test_pages_are_read_and_only_matching_links_followed(
        self, store: Store, clock: Clock
    ) -> None:
        site = self.site()
        result = check(make_settings(listing_source()), store, site, clock)
        assert result.events == []  # the baseline is silent
        assert sorted(d.url for d in store.documents()) == [
            f"{STATE}/dialogo",
            f"{STATE}/hled-2023",
        ]
        assert "/norway/" not in site.requests
        assert not [url for url in site.urls if "evil.example" in url or "169.254" in url]
        assert result.reports[0].status == "baseline"

    def test_a_new_item_is_one_new_document_and_an_unrelated_one_nothing(
        self, store: Store, clock: Clock
    ) -> None:
        site = self.site()
        settings = make_settings(listing_source())
        check(settings, store, site, clock)
        site.pages["/press-releases/"] = listing_page(
            ("/hled-2024/", "Fact Sheet: 2024 HLED Mid-Year Review"),
            ("/peru/", "Readout of a call with Peru"),
            ("/hled-2023/", "Joint Statement on the U.S.-Mexico High-Level Economic Dialogue"),
        )
        site.pages["/hled-2024/"] = article(
            "Fact Sheet: 2024 HLED Mid-Year Review", HLED_TEXT + " 2024."
        )
        site.pages["/peru/"] = article("Peru", OTHER_TEXT)
        result = check(settings, store, site, clock)
        assert [(e.type, e.url) for e in result.events] == [("new_document", f"{STATE}/hled-2024/")]
        assert "/peru/" not in site.requests

    def test_leaving_the_listing_is_not_removal_and_the_document_is_still_watched(
        self, store: Store, clock: Clock
    ) -> None:
        site = self.site()
        settings = make_settings(listing_source())
        check(settings, store, site, clock)
        site.pages["/press-releases/"] = listing_page(("/norway/", "Norway"))
        site.pages["/hled-2023/"] = article("Joint Statement on the HLED", HLED_TEXT + " Edited.")
        result = check(settings, store, site, clock)
        assert [e.type for e in result.events] == ["document_changed"]

    def test_query_pagination_from_page_zero(self, store: Store, clock: Clock) -> None:
        site = FakeSite({
            "/news/fact-sheets": listing_page(),
            "/news/fact-sheets?page=1": listing_page(("/fs/hled", "HLED fact sheet")),
            "/fs/hled": article("HLED fact sheet", HLED_TEXT),
        })  # fmt: skip
        source = {"name": "doc", "agency": "Commerce", "kind": "listing", "paginate": "?page={n}",
                  "first_page": 0, "url": "https://www.commerce.gov/news/fact-sheets"}  # fmt: skip
        check(make_settings(source), store, site, clock)
        assert "/news/fact-sheets?page=1" in site.requests
        assert [d.url for d in store.documents()] == ["https://www.commerce.gov/fs/hled"]

    def test_vague_links_are_read_once_and_matched_on_their_title(
        self, store: Store, clock: Clock
    ) -> None:
        site = FakeSite({
            "/press-releases/": listing_page(("/a/", "Read more"), ("/b/", "Read more")),
            "/a/": article("Readout: U.S.-Mexico High-Level Economic Dialogue", HLED_TEXT),
            "/b/": article("Readout: Norway", OTHER_TEXT),
        })  # fmt: skip
        settings = make_settings(listing_source(paginate=None))
        check(settings, store, site, clock)
        check(settings, store, site, clock)
        assert [d.url for d in store.documents()] == [f"{STATE}/a"]
        assert site.count("/b/") == 1  # its verdict is remembered

    def test_a_redirect_hop_to_the_metadata_address_is_never_requested(
        self, store: Store, clock: Clock, caplog: pytest.LogCaptureFixture
    ) -> None:
        site = FakeSite({
            "/press-releases/": listing_page(("/hled-trap/", "HLED: the trap")),
        })  # fmt: skip
        site.redirects["/hled-trap/"] = (302, "http://169.254.169.254/latest/meta-data/")
        settings = make_settings(listing_source(paginate=None))
        with caplog.at_level(logging.WARNING):
            first = check(settings, store, site, clock)
            check(settings, store, site, clock)
        assert not [url for url in site.urls if "169.254" in url]
        assert first.reports[0].errors == []  # a refused link on a listing is not a failure
        assert store.documents() == []
        refusals = [r for r in caplog.records if "169.254.169.254" in r.getMessage()]
        assert len(refusals) == 1  # logged once

    def test_a_listed_page_not_there_yet_is_found_once_it_is(
        self, store: Store, clock: Clock
    ) -> None:
        site = self.site()
        hled = site.pages.pop("/hled-2023/")  # listed, but answers 404 for now
        settings = make_settings(listing_source(paginate=None))
        assert check(settings, store, site, clock).reports[0].errors == []
        site.pages["/hled-2023/"] = hled  # the listing itself has not changed (no 304 for it)
        result = check(settings, store, site, clock)
        assert [(e.type, e.url) for e in result.events] == [("new_document", f"{STATE}/hled-2023/")]

    def test_listing_answers_304_once_the_check_went_well(self, store: Store, clock: Clock) -> None:
        site = self.site()
        settings = make_settings(listing_source())
        check(settings, store, site, clock)
        assert store.validators(f"{STATE}/press-releases/").etag is not None


RSS = """<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>White House</title>
<item><title>FACT SHEET: U.S.-Mexico High-Level Economic Dialogue</title><link>https://www.whitehouse.gov/fs-hled/?utm_source=rss</link>
<description>The HLED met today.</description></item>
<item><title>Statement on Canada</title><link>https://www.whitehouse.gov/canada/</link><description>Trade.</description></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>USTR</title>
<entry><title>USTR statement</title><link href="https://ustr.gov/hled-statement"/>
<summary>On the HLED with Mexico.</summary></entry>
<entry><title>Other</title><link href="https://ustr.gov/other"/><summary>Nothing.</summary></entry></feed>"""
XXE = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>HLED &x;</title><link>https://www.whitehouse.gov/x/</link></item></channel></rss>"""


def feed_source(url: str, name: str = "feed") -> dict[str, object]:
    return {"name": name, "agency": "White House", "kind": "feed", "url": url}


class TestFeeds:
    def test_rss_entries_match_on_title_and_summary(self, store: Store, clock: Clock) -> None:
        site = FakeSite({
            "/feed/": ("application/rss+xml", RSS),
            "/fs-hled/": article("FACT SHEET: HLED", HLED_TEXT),
        })  # fmt: skip
        result = check(
            make_settings(feed_source("https://www.whitehouse.gov/feed/")), store, site, clock
        )
        assert result.reports[0].errors == []
        assert [d.url for d in store.documents()] == ["https://www.whitehouse.gov/fs-hled"]
        assert "/canada/" not in site.requests

    def test_atom(self, store: Store, clock: Clock) -> None:
        site = FakeSite({
            "/rss.xml": ("application/atom+xml", ATOM),
            "/hled-statement": article("USTR statement on the HLED", HLED_TEXT),
        })  # fmt: skip
        check(make_settings(feed_source("https://ustr.gov/rss.xml")), store, site, clock)
        assert [d.url for d in store.documents()] == ["https://ustr.gov/hled-statement"]

    def test_entities_are_refused_and_nothing_is_followed(self, store: Store, clock: Clock) -> None:
        site = FakeSite({"/feed/": ("application/rss+xml", XXE)})
        result = check(
            make_settings(feed_source("https://www.whitehouse.gov/feed/")), store, site, clock
        )
        assert "declares entities" in result.reports[0].errors[0]
        assert site.requests == ["/feed/"]

    def test_the_full_body_of_an_entry_is_matched_too(self, store: Store, clock: Clock) -> None:
        entry = ("<item><title>Fact Sheet: Supply Chains</title><link>https://www.whitehouse.gov/sc/"
                 "</link><description>Trade.</description><content:encoded><![CDATA[<p>Under "
                 "the HLED, both governments...</p>]]></content:encoded></item>")  # fmt: skip
        site = FakeSite({
            "/feed/": ("application/rss+xml", RSS.replace("</channel>", entry + "</channel>")),
            "/fs-hled/": article("FACT SHEET: HLED", HLED_TEXT),
            "/sc/": article("Fact Sheet: Supply Chains", HLED_TEXT),
        })  # fmt: skip
        check(make_settings(feed_source("https://www.whitehouse.gov/feed/")), store, site, clock)
        assert sorted(d.url for d in store.documents()) == [
            "https://www.whitehouse.gov/fs-hled",
            "https://www.whitehouse.gov/sc",
        ]

    def test_a_malformed_feed_is_a_source_error(self, store: Store, clock: Clock) -> None:
        site = FakeSite({"/feed/": ("application/rss+xml", "<html>this is not a feed")})
        result = check(
            make_settings(feed_source("https://www.whitehouse.gov/feed/")), store, site, clock
        )
        assert "not a readable feed" in result.reports[0].errors[0]


class TestWpJsonAndSitemaps:
    def test_wp_json_matches_title_and_content(self, store: Store, clock: Clock) -> None:
        posts = [
            {"link": f"{STATE}/hled/", "title": {"rendered": "Joint Statement"},
             "content": {"rendered": "<p>The High&#8209;Level Economic Dialogue met.</p>"}},
            {"link": f"{STATE}/other/", "title": {"rendered": "Norway"},
             "content": {"rendered": "<p>Arctic.</p>"}},
        ]  # fmt: skip
        site = FakeSite({
            "/wp-json/wp/v2/state_press_release?per_page=100": (
                "application/json",
                json.dumps(posts),
            ),
            "/hled/": article("Joint Statement", HLED_TEXT),
        })  # fmt: skip
        source = {"name": "wp", "agency": "State", "kind": "wp-json",
                  "url": f"{STATE}/wp-json/wp/v2/state_press_release?per_page=100"}  # fmt: skip
        result = check(make_settings(source), store, site, clock)
        assert result.reports[0].errors == []
        assert [d.url for d in store.documents()] == [f"{STATE}/hled"]

    @pytest.mark.parametrize(
        ("body", "message"),
        [("<html>Service Unavailable</html>", "not JSON"), ("[1, 2", "not JSON"),
         ('{"code": "rest_no_route"}', "expected a list")],
    )  # fmt: skip
    def test_wp_json_that_is_not_a_list_of_posts_is_an_error(
        self, store: Store, clock: Clock, body: str, message: str
    ) -> None:
        site = FakeSite({"/wp-json/x": ("application/json", body)})
        source = {"name": "wp", "agency": "State", "kind": "wp-json", "url": f"{STATE}/wp-json/x"}
        result = check(make_settings(source), store, site, clock)
        assert message in result.reports[0].errors[0]

    def test_sitemap_index_leads_to_slugs_that_match(self, store: Store, clock: Clock) -> None:
        ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        index = (f"<sitemapindex {ns}><sitemap><loc>{STATE}/post-sitemap2.xml</loc>"
                 f"<lastmod>2024-05-01</lastmod></sitemap><sitemap><loc>{STATE}/post-sitemap1.xml"
                 f"</loc><lastmod>2020-01-01</lastmod></sitemap></sitemapindex>")  # fmt: skip
        child = (f"<urlset {ns}><url><loc>{STATE}/u-s-mexico-high-level-economic-dialogue-2024/"
                 f"</loc></url><url><loc>{STATE}/norway-meeting/</loc></url></urlset>")  # fmt: skip
        site = FakeSite({
            "/sitemap_index.xml": ("application/xml", index),
            "/post-sitemap2.xml": ("application/xml", child),
            "/u-s-mexico-high-level-economic-dialogue-2024/": article("HLED 2024", HLED_TEXT),
        })  # fmt: skip
        source = {"name": "map", "agency": "State", "kind": "sitemap", "pages": 1,
                  "url": f"{STATE}/sitemap_index.xml"}  # fmt: skip
        check(make_settings(source), store, site, clock)
        assert [d.url for d in store.documents()] == [
            f"{STATE}/u-s-mexico-high-level-economic-dialogue-2024"
        ]
        assert "/post-sitemap1.xml" not in site.requests
        assert "/norway-meeting/" not in site.requests
