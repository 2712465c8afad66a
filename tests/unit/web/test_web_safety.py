"""The view with hostile document text: escaped everywhere, no script, no foreign live link."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser
import pytest
from lxml import etree

from monitor.web.access import COOKIE, is_loopback, warn_if_exposed
from monitor.web.app import ViewContext, build_app
from store.queries import ReadStore
from store.repo import Store
from store.tables import Commitment, Document, EventRecord, Location, Version
from tests.asgi import get

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
# The notifier tests' hostile titles, and a 1 MB one.
HOSTILE = (
    "<script>alert(1)</script>",
    "<!channel> see <https://evil.example|click> & more",
    "Readout\r\nBcc: victim@evil.example\r\n\r\n<script>alert(1)</script>",
    "A" * 1_000_000 + "<img src=x onerror=alert(1)>",
)
EVIL_TEXT = (
    'Visit <a href="https://evil.example/x">here</a> or https://evil.example/y '
    "javascript:alert(1) \x01\x0b<script>alert(2)</script>"
)
PAGES = ("/", "/documents", "/documents/1", "/documents/2/diff", "/commitments", "/sources")


def fill(store: Store) -> None:
    with store.session() as session, session.begin():
        for number, title in enumerate(HOSTILE, start=1):
            url = f"https://www.state.gov/hostile-{number}"
            session.add(
                Document(
                    id=number, url=url, source="state<script>", agency="State<b>",
                    title=title, doc_type="readout", fingerprint="f", version_count=2,
                    first_seen_at=NOW, last_seen_at=NOW, last_changed_at=NOW,
                )
            )  # fmt: skip
            session.flush()
            session.add(Location(document_id=number, url=url, source="s", agency="State",
                                 first_seen_at=NOW))  # fmt: skip
            session.add(Location(document_id=number, url=f"javascript:alert({number})", source="s",
                                 agency="State", first_seen_at=NOW))  # fmt: skip
            for version, text in ((1, "Before."), (2, f"Before. {EVIL_TEXT}")):
                session.add(Version(document_id=number, number=version, fingerprint="f",
                                    text=text, raw_body=b"", fetched_url=url, extractor="x",
                                    fetched_at=NOW))  # fmt: skip
            session.add(
                EventRecord(
                    id=f"{number:032x}", type="document_changed", source="s", agency="State",
                    url=url, title=title, document_id=number, detected_at=NOW,
                    payload={"from_version": 1, "to_version": 2, "diff": EVIL_TEXT,
                             "changes": [{"before": "", "after": EVIL_TEXT,
                                          "words": [["+", EVIL_TEXT]], "compact": EVIL_TEXT}]},
                )
            )  # fmt: skip
            session.add(
                Commitment(
                    document_id=number, fingerprint="c", kind="commitment", sentence=EVIL_TEXT,
                    status="open", first_seen_at=NOW, last_seen_at=NOW,
                    links=[{"document": "javascript:alert(4)", "sentence": EVIL_TEXT,
                            "relation": "<b>fulfilled</b>"}],
                )
            )  # fmt: skip


@pytest.fixture
def view(sqlite_url: str) -> Iterator[Any]:
    writer = Store(sqlite_url)
    fill(writer)
    writer.close()
    store = ReadStore(sqlite_url)
    yield build_app(ViewContext(store), token=None)
    store.close()


def assert_inert(body: str) -> None:
    assert "<script>" not in body
    assert "<img" not in body
    assert "<!channel>" not in body
    assert "<b>" not in body
    assert 'href="https://evil.example' not in body
    assert 'href="javascript:' not in body
    assert "<https://evil.example|click>" not in body


@pytest.mark.parametrize("path", PAGES)
def test_hostile_text_is_escaped_on_every_page(view: Any, path: str) -> None:
    response = get(view, path)
    assert response.status_code == 200
    assert_inert(response.text)
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/documents/1", "/feed.atom", "/api/events"])
def test_a_failure_is_a_short_500_with_the_same_headers(
    view: Any, sqlite_url: str, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = ReadStore(sqlite_url)

    def broken(*args: object) -> None:
        raise RuntimeError("database file at /srv/secret/monitor.db is malformed")

    store.events = store.document = broken  # type: ignore[method-assign,assignment]
    try:
        response = get(build_app(ViewContext(store), None), path, crashes=False)
    finally:
        store.close()
    assert response.status_code == 500
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert "something went wrong" in response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert f"view: GET {path} failed" in caplog.text  # the cause is in the log, not the page


def test_the_hostile_titles_appear_as_text(view: Any) -> None:
    page = get(view, "/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;!channel&gt; see &lt;https://evil.example|click&gt; &amp; more" in page
    assert "A" * 299 + "…<" in page  # a 1 MB title is clipped: the list stays light
    assert "A" * 300 not in page
    served = get(view, "/api/events").json()["events"]
    assert max(len(event["title"]) for event in served) > 1_000_000  # the API has it whole
    document = get(view, "/documents/1").text
    assert 'href="https://www.state.gov/hostile-1"' in document  # its own URL stays a link
    assert "javascript:alert(1)" in document  # shown, not linked
    assert 'href="/?source=state%3Cscript%3E"' in document  # a source name is quoted in links


def test_the_feed_stays_well_formed_atom(view: Any) -> None:
    response = get(view, "/feed.atom")
    root = etree.fromstring(response.content)  # raises on anything ill-formed
    titles = [t.text for t in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert any(t and "<script>alert(1)</script>" in t for t in titles)  # text, once parsed
    assert not feedparser.parse(response.content).bozo
    assert b"<script>" not in response.content


def test_the_api_returns_the_text_as_json_strings(view: Any) -> None:
    response = get(view, "/api/events")
    assert response.headers["content-type"] == "application/json"
    titles = {event["title"] for event in response.json()["events"]}
    assert set(HOSTILE) <= titles


@pytest.fixture
def guarded(sqlite_url: str) -> Iterator[Any]:
    Store(sqlite_url).close()
    store = ReadStore(sqlite_url)
    yield build_app(ViewContext(store), token="s3cret-token")
    store.close()


def test_a_token_is_needed_when_one_is_set(guarded: Any) -> None:
    assert get(guarded, "/").status_code == 401
    assert get(guarded, "/api/events").status_code == 401
    assert get(guarded, "/feed.atom").status_code == 401
    assert get(guarded, "/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert get(guarded, "/?token=wrong").status_code == 401
    assert get(guarded, "/", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200


def test_a_token_in_the_address_sets_a_cookie_and_leaves_the_address(guarded: Any) -> None:
    response = get(guarded, "/documents?agency=State&token=s3cret-token")
    assert response.status_code == 303
    assert response.headers["location"] == "/documents?agency=State"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=s3cret-token")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie  # Strict: an alert's link from Slack arrives without it
    later = get(guarded, "/documents", headers={"Cookie": f"{COOKIE}=s3cret-token"})
    assert later.status_code == 200
    again = get(  # a bookmarked ?token= address, with the cookie already set
        guarded, "/documents?token=s3cret-token", headers={"Cookie": f"{COOKIE}=s3cret-token"}
    )
    assert (again.status_code, again.headers["location"]) == (303, "/documents")


def test_the_cookie_is_secure_when_readers_come_over_https(sqlite_url: str) -> None:
    Store(sqlite_url).close()
    store = ReadStore(sqlite_url)
    try:
        for public, secure in ((None, False), ("https://hled.example.org", True)):
            app = build_app(ViewContext(store, public_url=public), token="s3cret-token")
            cookie = get(app, "/?token=s3cret-token").headers["set-cookie"]  # a proxy's http
            assert ("; Secure" in cookie) is secure
    finally:
        store.close()


def test_the_feed_and_the_api_take_the_token_in_their_address(guarded: Any) -> None:
    feed = get(guarded, "/feed.atom?type=new_document&token=s3cret-token")
    assert feed.status_code == 200  # a feed reader keeps no cookie: no redirect
    assert b"s3cret-token" not in feed.content  # not even in the feed's own link
    assert get(guarded, "/api/events?token=s3cret-token").status_code == 200
    assert get(guarded, "/api/events?token=wrong").status_code == 401


def test_health_routes_stay_open_with_a_token(sqlite_url: str) -> None:
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    Store(sqlite_url).close()
    store = ReadStore(sqlite_url)
    probe = Route("/healthz", lambda request: PlainTextResponse("ok"))
    app = build_app(ViewContext(store), token="t", extra=[probe])
    assert get(app, "/healthz").status_code == 200
    assert get(app, "/").status_code == 401
    store.close()


def test_binding_beyond_loopback_without_a_token_warns(caplog: pytest.LogCaptureFixture) -> None:
    assert is_loopback("127.0.0.1")
    assert is_loopback("::1")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    assert not is_loopback("192.0.2.1")
    with caplog.at_level(logging.WARNING):
        warn_if_exposed("127.0.0.1", None)
        warn_if_exposed("0.0.0.0", "a-token")
        assert caplog.records == []
        warn_if_exposed("0.0.0.0", None)
    assert "without MONITOR_VIEW_TOKEN" in caplog.text


@pytest.mark.parametrize(
    "path",
    ["/events/a%00b", "/api/events/a%00b", "/documents/99999999999", "/api/documents/2147483648"],
)
def test_ids_no_row_can_have_are_404_on_either_backend(any_store: Store, path: str) -> None:
    # PostgreSQL refuses NUL in text and ids beyond its integer: those were 500s there.
    store = ReadStore(any_store.engine.url.render_as_string(hide_password=False))
    try:
        response = get(build_app(ViewContext(store), None), path, crashes=False)
    finally:
        store.close()
    assert response.status_code == 404
