"""A document's locations over time: moves to an archive, copies gone, copies found later."""

from __future__ import annotations

import asyncio

import httpx

from monitor.config import Settings
from monitor.models import Event
from monitor.pipeline.check import PassResult, run_check
from monitor.pipeline.events import from_record
from notifiers.grouping import combine, in_messages
from store.repo import Store
from tests.conftest import Clock, make_settings
from tests.fakesite import FakeSite, article
from tests.unit.discover.test_discovery import HLED_TEXT, check, no_wait

ALIASES = [{"host": "bidenwhitehouse.archives.gov", "canonical": "www.whitehouse.gov"}]
STATEMENT = ("Joint Statement on the U.S.-Mexico High-Level Economic Dialogue",
             HLED_TEXT, "Both governments will meet again in 2024.")  # fmt: skip


def listing(name: str, agency: str, url: str) -> dict[str, object]:
    return {"name": name, "agency": agency, "kind": "listing", "url": url}


def two_publishers() -> Settings:
    return make_settings(
        listing("state", "State", "https://www.state.gov/state-list/"),
        listing("ustr", "USTR", "https://ustr.gov/ustr-list/"),
    )


def copies_site() -> FakeSite:
    """A State listing and a USTR listing, each linking to its copy of one statement."""
    return FakeSite({
        "/state-list/": f"<a href='/js-state'>{STATEMENT[0]}</a>",
        "/ustr-list/": f"<a href='/js-ustr'>{STATEMENT[0]}</a>",
        "/js-state": article(*STATEMENT),
        "/js-ustr": article(*STATEMENT, chrome="<a>USTR related</a>"),
    })  # fmt: skip


def test_a_redirect_to_the_archive_host_is_one_move_and_followed(
    store: Store, clock: Clock
) -> None:
    path = "/briefing-room/hled/"
    site = FakeSite({path: article("The HLED Vision", HLED_TEXT)})
    settings = make_settings(
        {"name": "wh", "agency": "White House", "url": f"https://www.whitehouse.gov{path}"},
        alias=ALIASES,
    )
    check(settings, store, site, clock)
    site.redirects["www.whitehouse.gov" + path] = (
        301,
        f"https://bidenwhitehouse.archives.gov{path}",
    )
    site.urls.clear()
    moved = check(settings, store, site, clock)
    assert [(e.type, e.url) for e in moved.events] == [
        ("document_moved", f"https://bidenwhitehouse.archives.gov{path}")
    ]
    assert site.urls[-1] == f"https://bidenwhitehouse.archives.gov{path}"
    assert check(settings, store, site, clock).events == []
    (document,) = store.documents()
    assert (document.url, document.version_count) == (
        "https://www.whitehouse.gov/briefing-room/hled",
        1,
    )


def moving_site() -> tuple[FakeSite, Settings]:
    """A State listing linking to one statement at /old/."""
    site = FakeSite({
        "/list/": "<a href='/old/'>HLED statement</a>",
        "/old/": article("HLED statement", HLED_TEXT),
    })  # fmt: skip
    return site, make_settings(listing("state", "State", "https://www.state.gov/list/"))


def test_a_moved_document_is_asked_at_its_new_address(store: Store, clock: Clock) -> None:
    site, settings = moving_site()
    check(settings, store, site, clock)
    site.pages["/new/"] = site.pages.pop("/old/")
    site.redirects["/old/"] = (301, "https://www.state.gov/new/")
    site.pages["/list/"] = "<a href='/other/'>Norway</a>"  # it left the listing, too
    assert [e.type for e in check(settings, store, site, clock).events] == ["document_moved"]
    site.requests.clear()
    site.pages["/new/"] = article("HLED statement", HLED_TEXT + " Edited.")
    assert [e.type for e in check(settings, store, site, clock).events] == ["document_changed"]
    assert "/old/" not in site.requests
    assert len(store.documents()) == 1


def test_copies_in_one_pass_are_one_new_document_naming_both(store: Store, clock: Clock) -> None:
    site = copies_site()
    real = dict(site.pages)
    site.pages = {"/state-list/": "", "/ustr-list/": ""}
    check(two_publishers(), store, site, clock)
    site.pages = real
    result = check(two_publishers(), store, site, clock)
    first, copy = result.events  # one fact each, as --json prints them
    assert (first.type, copy.type) == ("new_document", "document_also_published")
    # Recorded once, never rewritten: the announcement names where it was found first.
    assert {r.id: r.payload for r in store.events()}[first.id] == first.payload
    expected = ["https://ustr.gov/js-ustr", "https://www.state.gov/js-state"]
    assert sorted(alert(store).payload["locations"]) == expected  # one alert naming both


def test_a_channel_that_hears_only_of_new_documents_is_told_of_a_copy_found_with_one(
    store: Store, clock: Clock
) -> None:
    """A copy found in the pass that announced its document goes where the announcement goes:
    the alert there names every location, as it did when the announcement was rewritten."""
    site = copies_site()
    real = dict(site.pages)
    site.pages = {"/state-list/": "", "/ustr-list/": ""}
    settings = two_publishers()
    check(settings, store, site, clock)
    site.pages = real

    def new_documents_only(event: Event) -> list[str]:  # [notify.x] events = ["new_document"]
        return ["news"] if event.type == "new_document" else []

    asyncio.run(run_check(settings, store, now=clock, transport=site.transport,
                          channels=new_documents_only, sleep=no_wait))  # fmt: skip
    due = store.deliveries()
    records = store.event_records([delivery.event_id for delivery in due])
    entries = [(d.id, from_record(records[d.event_id]), records[d.event_id].document_id)
               for d in due if d.channel == "news"]  # fmt: skip
    (message,) = in_messages(entries)
    told = combine([event for _, event in message])
    expected = ["https://ustr.gov/js-ustr", "https://www.state.gov/js-state"]
    assert (told.type, sorted(told.payload["locations"])) == ("new_document", expected)


def alert(store: Store) -> Event:
    """The one message the check's events make (as the outbox would send it)."""
    records = store.events()
    (message,) = in_messages([(r.id, from_record(r), r.document_id) for r in records])
    return combine([event for _, event in message])


def test_a_copy_found_later_is_one_also_published(store: Store, clock: Clock) -> None:
    site = copies_site()
    site.pages["/ustr-list/"] = ""
    settings = two_publishers()
    check(settings, store, site, clock)  # baseline: State's copy
    site.pages["/ustr-list/"] = f"<a href='/js-ustr'>{STATEMENT[0]}</a>"
    (event,) = check(settings, store, site, clock).events
    assert (event.type, event.payload["new_location"]) == (
        "document_also_published",
        "https://ustr.gov/js-ustr",
    )
    assert sorted(event.payload["locations"]) == [
        "https://ustr.gov/js-ustr",
        "https://www.state.gov/js-state",
    ]
    assert check(settings, store, site, clock).events == []
    assert len(store.documents()) == 1


def test_a_copy_taken_down_is_not_removal_until_the_last_one_goes(
    store: Store, clock: Clock
) -> None:
    site = copies_site()
    settings = two_publishers()
    check(settings, store, site, clock)
    site.pages["/ustr-list/"] = site.pages["/state-list/"] = ""  # both left their listings
    del site.pages["/js-ustr"]
    assert check(settings, store, site, clock).events == []  # USTR's copy is gone: State's lives
    assert check(settings, store, site, clock).events == []
    assert [loc.status for loc in store.locations(store.documents()[0].id or 0)] == [
        "active",
        "gone",
    ]
    del site.pages["/js-state"]
    assert [e.type for e in check(settings, store, site, clock).events] == ["document_removed"]
    assert check(settings, store, site, clock).events == []
    site.pages["/js-state"] = article(*STATEMENT)
    assert [e.type for e in check(settings, store, site, clock).events] == ["document_restored"]


def test_a_copy_no_source_watches_any_more_does_not_keep_a_document_alive(
    store: Store, clock: Clock
) -> None:
    site = copies_site()
    check(two_publishers(), store, site, clock)
    state_only = make_settings(listing("state", "State", "https://www.state.gov/state-list/"))
    site.pages["/state-list/"] = ""
    del site.pages["/js-state"]
    assert [e.type for e in check(state_only, store, site, clock).events] == ["document_removed"]


def test_a_removed_document_republished_at_a_new_address_has_moved(
    store: Store, clock: Clock
) -> None:
    site = FakeSite({
        "/list/": f"<a href='/js-2023/'>{STATEMENT[0]}</a>",
        "/js-2023/": article(*STATEMENT),
    })  # fmt: skip
    settings = make_settings(listing("state", "State", "https://www.state.gov/list/"))
    check(settings, store, site, clock)
    site.pages["/js-2023-2/"] = site.pages.pop("/js-2023/")
    assert [e.type for e in check(settings, store, site, clock).events] == ["document_removed"]
    site.pages["/list/"] = f"<a href='/js-2023-2/'>{STATEMENT[0]}</a>"
    (event,) = check(settings, store, site, clock).events
    assert (event.type, event.url) == ("document_moved", "https://www.state.gov/js-2023-2/")
    assert [d.status for d in store.documents()] == ["active"]


def test_a_gone_location_is_not_asked_twice_per_check(store: Store, clock: Clock) -> None:
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    def run() -> PassResult:
        return asyncio.run(
            run_check(settings, store, now=clock, transport=site.transport, sleep=sleep)
        )

    site = FakeSite({"/hled/": article("HLED", HLED_TEXT)})
    settings = make_settings({"name": "s", "agency": "State", "url": "https://www.state.gov/hled/"},
                             defaults={"removal_pause": "7s"})  # fmt: skip
    run()
    del site.pages["/hled/"]
    assert [e.type for e in run().events] == ["document_removed"]
    assert (pauses, site.count("/hled/")) == ([7.0], 3)
    run()
    assert (pauses, site.count("/hled/")) == ([7.0], 4)  # already gone: one request, no pause


class Rendezvous(httpx.AsyncBaseTransport):
    """Holds requests for ``path`` until ``parties`` of them are in flight at once."""

    def __init__(self, inner: httpx.AsyncBaseTransport, path: str, parties: int) -> None:
        self.inner, self.path, self.barrier = inner, path, asyncio.Barrier(parties)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == self.path:
            await asyncio.wait_for(self.barrier.wait(), timeout=10)
        return await self.inner.handle_async_request(request)


def test_two_sources_finding_one_address_in_one_pass_make_one_version(
    store: Store, clock: Clock
) -> None:
    site = FakeSite({
        "/list/": f"<a href='/js/'>{STATEMENT[0]}</a>",
        "/feed/": ("application/rss+xml", f"<rss version='2.0'><channel><item><title>{STATEMENT[0]}"
                   "</title><link>https://www.state.gov/js/</link></item></channel></rss>"),
    })  # fmt: skip
    settings = make_settings(
        listing("state-list", "State", "https://www.state.gov/list/"),
        {
            "name": "state-feed",
            "agency": "State",
            "kind": "feed",
            "url": "https://www.state.gov/feed/",
        },
    )
    check(settings, store, site, clock)
    site.pages["/js/"] = article(*STATEMENT)
    # A feed is read again when it changes (its validators are saved even after a 404 entry).
    site.pages["/feed/"] = ("application/rss+xml", site.pages["/feed/"][1].replace(
        "</channel>", "<item><title>Other</title><link>https://www.state.gov/x/</link></item>"
        "</channel>"))  # fmt: skip
    both = Rendezvous(site.transport, "/js/", 2)  # both sources ask for it at the same time
    result = asyncio.run(
        run_check(settings, store, now=clock, transport=both, channels=lambda e: ["memory"])
    )
    (event,) = result.events
    assert event.payload["locations"] == ["https://www.state.gov/js/"]
    (document,) = store.documents()
    assert document.version_count == 1


def test_a_copys_edit_is_a_change_of_that_location_only(store: Store, clock: Clock) -> None:
    """Versions belong to a location: the copy's edit is diffed against the copy, and the
    document keeps its own title and history."""
    site = copies_site()
    site.pages["/js-ustr"] = article(f"USTR | {STATEMENT[0]}", *STATEMENT[1:])
    settings = two_publishers()
    check(settings, store, site, clock)  # baseline: one document at two locations
    site.pages["/js-ustr"] = article(
        f"USTR | {STATEMENT[0]}", STATEMENT[1], STATEMENT[2].replace("2024", "2025")
    )
    events = check(settings, store, site, clock).events
    (changed,) = [e for e in events if e.type == "document_changed"]
    assert (changed.payload["from_version"], changed.payload["to_version"]) == (2, 3)
    assert changed.payload["location"] == "https://ustr.gov/js-ustr"
    assert "2024" in changed.payload["diff"]
    (document,) = store.documents()
    assert document.title == STATEMENT[0]  # the copy's title never replaces the document's
    assert document.id is not None
    state = [
        v.number for v in store.location_versions(document.id, "https://www.state.gov/js-state")
    ]
    ustr = [v.number for v in store.location_versions(document.id, "https://ustr.gov/js-ustr")]
    assert (state, ustr) == ([1], [2, 3])
    assert store.home_location(document.id) == "https://www.state.gov/js-state"


def test_a_moved_locations_versions_move_with_it(store: Store, clock: Clock) -> None:
    site, settings = moving_site()
    check(settings, store, site, clock)
    site.pages["/new/"] = article("HLED statement", HLED_TEXT, "A sentence added at the move.")
    del site.pages["/old/"]
    site.redirects["/old/"] = (301, "https://www.state.gov/new/")
    check(settings, store, site, clock)
    (document,) = store.documents()
    assert document.id is not None
    moved = store.location_versions(document.id, "https://www.state.gov/new")
    assert [v.number for v in moved] == [1, 2]
    assert store.location_versions(document.id, "https://www.state.gov/old") == []
    assert store.home_location(document.id) == "https://www.state.gov/new"
