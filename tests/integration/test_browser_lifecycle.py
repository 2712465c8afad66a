"""The browser's life: one context per source, closed with the pass and on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.config import BrowserConfig, FetchConfig, SourceConfig
from monitor.fetch.browser import PassBrowser, Wanted
from monitor.identity.urls import LinkPolicy
from tests.browsersite import (
    NEVER_SETTLES,
    script_built,
)
from tests.browserworkspace import Workspace, browser_workspace, source
from tests.service_process import ServiceProcess


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with browser_workspace(tmp_path) as opened:
        yield opened


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` now (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _chromium_below(pid: int) -> set[int]:
    found = set()
    for child in _descendants(pid):
        try:
            if "chrom" in Path(f"/proc/{child}/comm").read_text():
                found.add(child)
        except OSError:
            continue
    return found


def test_sigterm_during_a_render_leaves_no_browser_behind(workspace: Workspace) -> None:
    workspace.site.pages["/live"] = NEVER_SETTLES
    workspace.configure(source("live", workspace.base + "/live"), timeout="60s")
    env = {
        **os.environ,
        "MONITOR_CONFIG": str(workspace.path / "sources.toml"),
        "MONITOR_DATABASE_URL": f"sqlite:///{workspace.path / 'data' / 'monitor.db'}",
    }
    check = subprocess.Popen(
        [sys.executable, "-m", "monitor", "check"], cwd=workspace.path, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        browsers: set[int] = set()
        while not browsers and time.monotonic() < deadline:
            time.sleep(0.2)
            browsers = _chromium_below(check.pid)
        assert browsers, "the browser never started"
        check.send_signal(signal.SIGTERM)
        check.wait(timeout=15)
        deadline = time.monotonic() + 15
        while any(map(_alive, browsers)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(map(_alive, browsers))
    finally:
        check.kill()
        check.wait()


def test_the_service_closes_its_browser_on_sigterm(workspace: Workspace) -> None:
    workspace.site.pages["/live"] = NEVER_SETTLES
    workspace.configure(
        source("live", workspace.base + "/live") + '\n[service]\nshutdown_grace = "1s"\n',
        timeout="60s",
    )
    env = {"MONITOR_DATABASE_URL": f"sqlite:///{workspace.path / 'data' / 'monitor.db'}"}
    service = ServiceProcess(workspace.path / "sources.toml", env)
    try:
        service.wait_for(lambda line: "browser started" in str(line.get("message")))
        browsers = _chromium_below(service.process.pid)
        assert browsers
        service.signal(signal.SIGTERM)
        assert service.process.wait(timeout=30) == 0
        assert not any(map(_alive, browsers))  # closed by the pass, before the service left
    finally:
        service.stop()


def test_a_source_s_concurrent_renders_share_one_context(workspace: Workspace) -> None:
    for path in ("/one", "/two", "/three"):
        workspace.site.pages[path] = script_built(f"HLED statement {path}")
    url = workspace.base + "/one"
    src = SourceConfig(name="mx", agency="SE", url=url, fetch="browser")
    policy = LinkPolicy.for_source([url])

    async def render_all() -> int:
        browser = PassBrowser(BrowserConfig(concurrency=3), FetchConfig(per_host_concurrency=3))
        try:
            await asyncio.gather(*(
                browser.render(src, policy, workspace.base + path, Wanted(document=True))
                for path in ("/one", "/two", "/three")
            ))  # fmt: skip
            return len(browser._browser.contexts) if browser._browser else 0
        finally:
            await browser.aclose()

    # One context: its cookies (a passed challenge) are the ones kept for the next pass.
    assert asyncio.run(render_all()) == 1
