"""Feed relevance tiers: a keyword in the title, summary or opening makes an HLED document; only
deeper in the body, a mention (one ``document_mentions`` quoting the sentence, never tracked)."""

from __future__ import annotations

from store.repo import Store
from tests.conftest import Clock, make_settings
from tests.fakesite import FakeSite, article
from tests.unit.discover.test_discovery import HLED_TEXT, check

FEED = "https://www.state.gov/rss-feed/press-releases/feed/"
FILLER = "".join(f"<p>The spokesperson answered question {n} on another topic.</p>"
                 for n in range(6))  # fmt: skip
DEEP = ("Asked about Mexico, the spokesperson said the U.S.-Mexico High-Level Economic Dialogue "
        "will meet in Washington next month.")  # fmt: skip


def item(path: str, title: str, body: str, summary: str = "Remarks to the press.") -> str:
    return (
        f"<item><title>{title}</title><link>https://www.state.gov{path}</link>"
        f"<description>{summary}</description>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
    )


def rss(*items: str) -> tuple[str, str]:
    return (
        "application/rss+xml",
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>State</title>'
        + "".join(items)
        + "</channel></rss>",
    )


def briefing(path: str, day: int) -> str:
    body = FILLER + f"<p>{DEEP}</p>" + FILLER
    return item(path, f"Department Press Briefing - October {day}, 2023", body)


def site_with(*items: str) -> FakeSite:
    pages = {
        "/statement/": article("Joint Statement on the HLED", HLED_TEXT),
        "/summary/": article("Secretary Blinken in Mexico City", HLED_TEXT),
        "/opening/": article("Readout: Secretary's Meeting", HLED_TEXT),
        "/briefing-3/": article("Department Press Briefing", HLED_TEXT),
        "/briefing-4/": article("Department Press Briefing", HLED_TEXT),
    }
    return FakeSite({"/rss-feed/press-releases/feed/": rss(*items), **pages})


BASE_ITEMS = (
    item("/statement/", "Joint Statement on the U.S.-Mexico High-Level Economic Dialogue",
         "<p>Text.</p>"),
    item("/summary/", "Secretary Blinken in Mexico City", "<p>Text.</p>",
         summary="The Secretary will co-chair the High-Level Economic Dialogue."),
    item("/opening/", "Readout: Secretary's Meeting",
         "<p>The Secretary met Mexico's Foreign Secretary.</p><p>They prepared the HLED.</p>"),
    briefing("/briefing-3/", 3),
)  # fmt: skip


def feed_settings(**extra: object) -> object:
    return make_settings({"name": "state-feed", "agency": "State", "kind": "feed", "url": FEED,
                          **extra})  # fmt: skip


def test_a_deep_mention_is_quoted_once_and_never_tracked(store: Store, clock: Clock) -> None:
    site = site_with(*BASE_ITEMS)
    settings = feed_settings()
    assert check(settings, store, site, clock).events == []  # baseline, silent
    documents = sorted(d.url for d in store.documents())
    assert documents == [
        "https://www.state.gov/opening",
        "https://www.state.gov/statement",
        "https://www.state.gov/summary",
    ]
    assert site.count("/briefing-3/") == 0  # a mention is never fetched

    site.pages["/rss-feed/press-releases/feed/"] = rss(*BASE_ITEMS, briefing("/briefing-4/", 4))
    (mention,) = check(settings, store, site, clock).events
    assert (mention.type, mention.url) == ("document_mentions", "https://www.state.gov/briefing-4/")
    assert mention.payload["quote"] == DEEP
    assert mention.title == "Department Press Briefing - October 4, 2023"
    assert check(settings, store, site, clock).events == []  # once per address
    assert len(store.documents()) == 3


def test_match_in_body_makes_a_deep_mention_a_document(store: Store, clock: Clock) -> None:
    site = site_with(*BASE_ITEMS)
    check(feed_settings(match_in=["title", "summary", "opening", "body"]), store, site, clock)
    assert "https://www.state.gov/briefing-3" in {d.url for d in store.documents()}


def test_match_in_title_only_makes_summary_matches_mentions(store: Store, clock: Clock) -> None:
    site = site_with(*BASE_ITEMS)
    check(feed_settings(match_in=["title"]), store, site, clock)
    assert [d.url for d in store.documents()] == ["https://www.state.gov/statement"]


def test_a_mentions_alert_quotes_the_sentence() -> None:
    from datetime import UTC, datetime

    from monitor.models import Event
    from notifiers.format import build_alert, render_text

    mention = Event("m", "document_mentions", "state-feed", "State", "https://www.state.gov/b/",
                    "Department Press Briefing", datetime(2026, 11, 24, tzinfo=UTC),
                    {"quote": DEEP})  # fmt: skip
    text = render_text(build_alert(mention))
    assert text.startswith("HLED mentioned: Department Press Briefing")
    assert f"Mentioned:\n  {DEEP}" in text
