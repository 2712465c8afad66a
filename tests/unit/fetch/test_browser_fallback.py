"""When a source's page goes to the browser, and what comes back when it cannot."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from monitor.config import BrowserConfig, FetchConfig, SourceConfig
from monitor.errors import BrowserUnavailable, ConfigError
from monitor.fetch import browser as browser_package
from monitor.fetch.browser import (
    BrowserFallback,
    PassBrowser,
    Wanted,
    find_chromium,
    session_dir_for,
    soft_failure,
)
from monitor.fetch.browser._guard import network_allowlist
from monitor.fetch.browser._launch import launch_args
from monitor.fetch.client import Fetcher
from monitor.identity.urls import LinkPolicy
from monitor.models import ExtractHint, FetchResult, FetchStatus, Validators
from tests.browsersite import CHALLENGE, plain_article, script_built
from tests.conftest import make_settings

ARTICLE = plain_article("HLED joint statement")
FEED = ("application/rss+xml", "<rss><channel></channel></rss>")


def ok(html: str) -> FetchResult:
    return FetchResult("https://x.gov/a", FetchStatus.OK, body=html.encode(), encoding="utf-8")


@pytest.mark.parametrize(("html", "document", "expected"), [
    (CHALLENGE, True, 'soft failure: the page is a placeholder ("just a moment")'),
    (CHALLENGE, False, 'soft failure: the page is a placeholder ("just a moment")'),
    (script_built("HLED"), True, "no article text found"),
    (script_built("HLED"), False, "no links on the page (built by scripts?)"),
    ("<html><body><main><a href='/a'>HLED fact sheet</a></main></body></html>", False, None),
    (ARTICLE, True, None),
])  # fmt: skip
def test_soft_failures(html: str, document: bool, expected: str | None) -> None:
    _, why = soft_failure(ok(html), Wanted(document))
    assert why == expected


def test_a_good_article_keeps_its_extracted_page() -> None:
    result, why = soft_failure(ok(ARTICLE), Wanted(True))
    assert why is None
    assert result.page is not None
    assert result.page.title == "HLED joint statement"


def test_a_missing_content_selector_is_a_soft_failure() -> None:
    _, why = soft_failure(ok(ARTICLE), Wanted(True, content_selector=".field--name-body"))
    assert why == "content_selector '.field--name-body' matches nothing"


@dataclass
class FakeBrowser:
    """Stands in for PassBrowser: records what it was asked to render."""

    answer: FetchResult | None = None
    rendered: list[str] = field(default_factory=list)

    async def render(
        self, source: SourceConfig, policy: LinkPolicy, url: str, wanted: Wanted
    ) -> FetchResult:
        self.rendered.append(url)
        if self.answer is None:
            raise BrowserUnavailable("no Chromium found on PATH")
        return self.answer


def fetch_through(
    pages: dict[str, tuple[int, str, str]],
    mode: str,
    browser: FakeBrowser,
    **fetch_args: object,
) -> FetchResult:
    def handle(request: httpx.Request) -> httpx.Response:
        status, content_type, text = pages[request.url.path]
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(status, headers={"Content-Type": content_type, "ETag": '"v1"'},
                              text=text)  # fmt: skip

    settings = make_settings({"name": "mx", "agency": "SE", "url": "https://x.gov/a",
                              "fetch": mode})  # fmt: skip
    source = settings.sources[0]

    async def go() -> FetchResult:
        plain = Fetcher(settings.fetch, transport=httpx.MockTransport(handle))
        fallback = BrowserFallback(plain, browser, source, LinkPolicy.for_source(["https://x.gov"]))  # type: ignore[arg-type]
        try:
            return await fallback.fetch("https://x.gov/a", **fetch_args)  # type: ignore[arg-type]
        finally:
            await plain.aclose()

    return asyncio.run(go())


RENDERED = FetchResult("https://x.gov/a", FetchStatus.OK, status_code=200, body=ARTICLE.encode())
HINT = ExtractHint()


def test_auto_renders_a_challenge_and_returns_the_browser_s_answer() -> None:
    browser = FakeBrowser(RENDERED)
    result = fetch_through({"/a": (200, "text/html", CHALLENGE)}, "auto", browser, extract=HINT)
    assert browser.rendered == ["https://x.gov/a"]
    assert result is RENDERED


def test_auto_leaves_a_good_page_alone() -> None:
    browser = FakeBrowser(RENDERED)
    result = fetch_through({"/a": (200, "text/html", ARTICLE)}, "auto", browser, extract=HINT)
    assert browser.rendered == []
    assert result.page is not None


def test_auto_renders_a_403() -> None:
    browser = FakeBrowser(RENDERED)
    fetch_through({"/a": (403, "text/html", "denied")}, "auto", browser, extract=HINT)
    assert browser.rendered == ["https://x.gov/a"]


def test_browser_mode_renders_a_good_page_but_not_a_304() -> None:
    browser = FakeBrowser(RENDERED)
    pages = {"/a": (200, "text/html", ARTICLE)}
    fetch_through(pages, "browser", browser, extract=HINT)
    assert browser.rendered == ["https://x.gov/a"]
    result = fetch_through(pages, "browser", browser, extract=HINT, validators=Validators('"v1"'))
    assert result.status is FetchStatus.NOT_MODIFIED
    assert browser.rendered == ["https://x.gov/a"]  # the conditional GET answered


def test_feeds_are_never_rendered() -> None:
    browser = FakeBrowser(RENDERED)
    accept = ("application/rss+xml",)
    result = fetch_through({"/a": (200, *FEED)}, "browser", browser, accept=accept)
    assert browser.rendered == []
    assert result.status is FetchStatus.OK


def test_without_a_browser_the_soft_failure_says_why_it_could_not_help() -> None:
    browser = FakeBrowser(None)
    result = fetch_through({"/a": (200, "text/html", CHALLENGE)}, "auto", browser, extract=HINT)
    assert result.status is FetchStatus.ERROR
    assert result.reason == (
        'soft failure: the page is a placeholder ("just a moment"); '
        "the browser could not be used: no Chromium found on PATH"
    )


def test_a_session_needs_the_browser() -> None:
    with pytest.raises(ConfigError, match='source "mx": session: only with fetch'):
        make_settings({"name": "mx", "agency": "SE", "url": "https://x.gov/", "session": True})


def test_an_unknown_fetch_mode_names_the_source_and_field() -> None:
    with pytest.raises(ConfigError, match=r"source \"mx\": fetch: .*'plain', 'auto' or 'browser'"):
        make_settings({"name": "mx", "agency": "SE", "url": "https://x.gov/", "fetch": "chrome"})


def test_sessions_live_beside_the_sqlite_database() -> None:
    assert str(session_dir_for(None, "/data/monitor.db")) == "/data/browser-sessions"
    assert str(session_dir_for("/srv/sessions", "/data/monitor.db")) == "/srv/sessions"
    assert str(session_dir_for(None, None)) == "data/browser-sessions"


def test_the_configured_chromium_or_the_one_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert find_chromium(BrowserConfig(executable=str(fake))) == str(fake)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium(BrowserConfig()) == str(fake)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(BrowserUnavailable, match="install the operating system's chromium"):
        find_chromium(BrowserConfig())


def test_the_package_exports() -> None:
    assert sorted(browser_package.__all__) == [
        "BrowserFallback", "PassBrowser", "Wanted", "find_chromium", "for_source",
        "pass_browser", "session_dir_for", "soft_failure",
    ]  # fmt: skip
    for name in browser_package.__all__:
        assert hasattr(browser_package, name)


def test_a_launch_caps_the_heap_and_keeps_webrtc_off_the_network() -> None:
    args = launch_args(BrowserConfig(max_memory=96, args=("--lang=es-MX",)))
    assert "--js-flags=--max-old-space-size=96" in args
    assert "--force-webrtc-ip-handling-policy=disable_non_proxied_udp" in args
    assert args[-1] == "--lang=es-MX"


def test_the_network_allowlist_lets_only_the_policy_s_hosts_go_direct() -> None:
    own = frozenset({("http", "127.0.0.1", 8080), ("http", "::1", 8080)})
    allowed = frozenset({("https", "www.gob.mx", 443), ("http", "10.0.0.5", 80)})
    proxy = network_allowlist(LinkPolicy(own, allowed), 4321)
    assert proxy["server"] == "http://127.0.0.1:4321"
    # An internal address that is only allowed (not the source's own) never goes direct, and
    # each origin goes direct on its own port only.
    assert proxy.get("bypass") == (
        "<-loopback>,http://127.0.0.1:8080,http://[::1]:8080,https://www.gob.mx:443"
    )


def test_a_browser_that_fails_to_close_leaves_nothing_else_open() -> None:
    from monitor.pipeline.check import _end_pass

    closed: list[str] = []

    class Broken:
        async def aclose(self) -> None:
            raise RuntimeError("driver gone")

    class Closes:
        async def aclose(self) -> None:
            closed.append("fetcher")

        def close(self) -> None:
            closed.append("batch")

    with pytest.raises(RuntimeError, match="driver gone"):
        asyncio.run(_end_pass(Broken(), Closes(), Closes()))  # type: ignore[arg-type]
    assert closed == ["fetcher", "batch"]


def test_session_files_of_two_sources_never_coincide(tmp_path: Path) -> None:
    browser = PassBrowser(BrowserConfig(), FetchConfig(), tmp_path)
    files = {
        browser._session_file(
            SourceConfig(
                name=name, agency="SE", url="https://a.gob.mx/", fetch="auto", session=True
            )
        )
        for name in ("SE/press", "SE_press", "SE press", "mx")
    }
    assert len(files) == 4
    assert tmp_path / "mx.json" in files
