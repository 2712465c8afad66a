"""The link policy inside the real headless Chromium: nothing leaves for another host."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.config import BrowserConfig, FetchConfig, SourceConfig
from monitor.fetch.browser import PassBrowser
from monitor.identity.urls import LinkPolicy
from tests.browsersite import (
    BrowserSite,
    Recorder,
    exfiltrating,
    plain_article,
    script_built,
)
from tests.browserworkspace import Workspace, browser_workspace, source


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with browser_workspace(tmp_path) as opened:
        yield opened


def test_requests_to_other_hosts_and_the_metadata_address_never_leave_the_browser(
    workspace: Workspace,
) -> None:
    other = Recorder()
    with other.serve("127.0.0.2") as other_base:
        page = exfiltrating("HLED joint statement", "http://169.254.169.254", other_base)
        workspace.site.pages["/statement"] = page
        workspace.site.redirects["/bounce"] = "http://169.254.169.254/latest/user-data"
        workspace.configure(source("mx", workspace.base + "/statement", fetch="browser"))
        run = workspace.run()
    assert run.code == 0, run.stdout + run.stderr
    assert len(workspace.versions("/statement")) == 1
    assert workspace.site.count("/bounce") == 1  # the page did try
    assert workspace.metadata.hits == []
    assert other.hits == []
    assert "not following http://169.254.169.254/latest/meta-data/" in run.stderr
    # The redirect hop and the popup are refused by the interceptions (the page's CDP Fetch,
    # the context's route()), not only by the proxy settings beneath them.
    assert "not following http://169.254.169.254/latest/user-data" in run.stderr
    assert f"not following {other_base}/popup" in run.stderr


def test_frames_are_not_loaded_not_even_from_an_allowed_host(
    workspace: Workspace,
) -> None:
    other, embed = Recorder(), BrowserSite()
    with other.serve("127.0.0.2") as other_base, embed.serve() as embed_base:
        embed.pages["/frame"] = (
            "<html><body><p>Embedded video player</p><script>"
            f"fetch('{other_base}/from-frame').catch(() => {{}});"
            "fetch('http://169.254.169.254/from-frame').catch(() => {});"
            "</script></body></html>"
        )
        page = script_built("HLED joint statement").replace(
            "</body>", "<iframe src='http://embed.test/frame'></iframe></body>"
        )
        workspace.site.pages["/statement"] = page
        port = embed_base.rsplit(":", 1)[1]
        workspace.configure(
            source("mx", workspace.base + "/statement", fetch="browser",
                   allow_hosts='["embed.test"]'),
            rules=f", MAP embed.test 127.0.0.1:{port}",
        )  # fmt: skip
        run = workspace.run()
    assert run.code == 0, run.stdout + run.stderr
    # A cross-site frame runs in a process of its own, outside the page's interception: its
    # requests to other hosts would leave. The article is the main document's: no frame loads.
    assert embed.count("/frame") == 0
    assert "embed.test/frame" not in run.stderr  # not a policy refusal: its host is allowed
    assert other.hits == []
    assert workspace.metadata.hits == []


def test_popups_redirects_and_speculative_loads_reach_no_other_host(
    workspace: Workspace,
) -> None:
    # Neither interception sees a popup's redirect hops or a speculation rule's prefetch: the
    # context's proxy settings send every host outside the policy to a refused port.
    other = Recorder()
    with other.serve("127.0.0.2") as other_base:
        rules = json.dumps({
            "prefetch": [{"source": "list", "urls": [f"{other_base}/prefetch"]}],
            "prerender": [{"source": "list", "urls": [f"{other_base}/prerender"]}],
        })  # fmt: skip
        workspace.site.pages["/statement"] = script_built("HLED joint statement").replace(
            "</body>",
            f"<script type='speculationrules'>{rules}</script>"
            "<script>window.open('/bounce');"
            "const w = window.open('about:blank'); w && w.fetch('/bounce').catch(() => {});"
            "</script></body>",
        )
        workspace.site.redirects["/bounce"] = f"{other_base}/bounced"
        workspace.configure(source("mx", workspace.base + "/statement", fetch="browser"))
        run = workspace.run()
    assert run.code == 0, run.stdout + run.stderr
    assert workspace.site.count("/bounce") >= 1  # the popups did ask
    assert other.hits == []


def test_downloads_are_refused(workspace: Workspace) -> None:
    workspace.site.pages["/links"] = (
        "<html><body><a href='/report' download='report.html'>Report</a></body></html>"
    )
    workspace.site.pages["/report"] = plain_article("HLED report")
    url = workspace.base + "/links"
    src = SourceConfig(name="mx", agency="SE", url=url, fetch="browser")

    async def download() -> str | None:
        browser = PassBrowser(BrowserConfig(), FetchConfig())
        try:
            context = await browser._context(src, LinkPolicy.for_source([url]))
            page = await context.new_page()
            await page.goto(url)
            async with page.expect_download() as started:
                await page.click("a")
            return await (await started.value).failure()  # None: saved
        finally:
            await browser.aclose()

    # Chromium is told to deny downloads: the link is followed, but nothing is saved.
    assert asyncio.run(download()) is not None
    assert not list(workspace.path.rglob("report*"))
