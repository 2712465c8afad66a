"""`python -m monitor check` with the real headless Chromium against a local site.

Skipped only where no Chromium can be found and CI is not set; with CI=true a missing browser
fails (.ci/run installs the system package).
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from monitor.browser import find_chromium
from monitor.config import BrowserConfig
from monitor.errors import BrowserUnavailable
from tests.browsersite import (
    BUSY,
    HEAVY,
    NEVER_SETTLES,
    PARAGRAPHS,
    BrowserSite,
    Recorder,
    exfiltrating,
    plain_article,
    script_built,
)
from tests.service_process import ServiceProcess


@pytest.fixture(scope="session")
def chromium() -> str:
    try:
        return find_chromium(BrowserConfig())
    except BrowserUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no browser: {exc}")
        pytest.skip(str(exc))


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def events(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


@dataclass
class Workspace:
    path: Path
    site: BrowserSite
    base: str
    metadata: Recorder
    metadata_port: str

    def configure(
        self,
        sources: str,
        browser: str = "",
        timeout: str = "8s",
        delay: str = "0s",
        per_host: int = 1,
        rules: str = "",
    ) -> None:
        rules = f"--host-resolver-rules=MAP 169.254.169.254 127.0.0.1:{self.metadata_port}{rules}"
        text = (
            f'[fetch]\nper_host_delay = "{delay}"\nper_host_concurrency = {per_host}\nretries = 0\n\n'
            f'[browser]\ntimeout = "{timeout}"\nargs = ["{rules}"]\n{browser}\n\n{sources}'
        )
        (self.path / "sources.toml").write_text(text, encoding="utf-8")

    def run(self, *args: str, command: str = "check", **extra_env: str) -> Run:
        env = {
            **os.environ,
            "MONITOR_CONFIG": str(self.path / "sources.toml"),
            "MONITOR_DATABASE_URL": f"sqlite:///{self.path / 'data' / 'monitor.db'}",
            "MONITOR_LOG_FORMAT": "text",
            **extra_env,
        }
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "monitor", "-v", command, *args],
            cwd=self.path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr, time.monotonic() - started)

    def versions(self, path: str) -> list[dict[str, object]]:
        listed = self.run(self.base + path, "--json", command="history")
        return [json.loads(line) for line in listed.stdout.splitlines() if line.strip()]


def source(name: str, url: str, fetch: str = "auto", **extra: str) -> str:
    lines = [f'name = "{name}"', 'agency = "SE"', f'url = "{url}"', f'fetch = "{fetch}"']
    lines += [f"{key} = {value}" for key, value in extra.items()]
    return "[[source]]\n" + "\n".join(lines) + "\n\n"


@pytest.fixture
def workspace(tmp_path: Path, chromium: str) -> Iterator[Workspace]:
    site, metadata = BrowserSite(), Recorder()
    (tmp_path / "data").mkdir()
    with site.serve() as base, metadata.serve() as metadata_base:
        yield Workspace(tmp_path, site, base, metadata, metadata_base.rsplit(":", 1)[1])


def test_a_script_built_article_is_recorded_and_its_edit_alerted(workspace: Workspace) -> None:
    workspace.site.pages["/statement"] = script_built("HLED joint statement")
    workspace.configure(source("mx", workspace.base + "/statement"))
    first = workspace.run("--json")
    assert first.code == 0, first.stderr
    [version] = workspace.versions("/statement")
    assert version["fetched_url"] == workspace.base + "/statement"
    edited = (PARAGRAPHS[0], "Both governments committed to double semiconductor investment.")
    workspace.site.pages["/statement"] = script_built("HLED joint statement", edited)
    second = workspace.run("--json")
    assert second.code == 0, second.stderr
    [changed] = [e for e in second.events if e["type"] == "document_changed"]
    assert changed["title"] == "HLED joint statement"
    assert "+Both governments committed to double semiconductor investment." in str(changed["diff"])


def test_a_plain_source_does_not_use_the_browser(workspace: Workspace) -> None:
    workspace.site.pages["/statement"] = script_built("HLED joint statement")
    workspace.configure(source("mx", workspace.base + "/statement", fetch="plain"))
    run = workspace.run()
    assert run.code == 1
    assert "no article text found" in run.stdout
    assert workspace.site.count("/statement") == 1
    assert "browser started" not in run.stderr


def test_a_challenge_that_sets_a_cookie_and_reloads_is_passed(workspace: Workspace) -> None:
    workspace.site.pages["/challenged/statement"] = plain_article("HLED fact sheet")
    workspace.configure(source("mx", workspace.base + "/challenged/statement"))
    for _ in range(2):
        run = workspace.run()
        assert run.code == 0, run.stdout + run.stderr
    cookies = [hit.cookie for hit in workspace.site.hits if hit.path == "/challenged/statement"]
    # Each pass: the plain fetch and the browser without the cookie, then the reload with it.
    # No cookie is kept from one pass to the next.
    assert cookies == ["", "", "clearance=granted"] * 2
    assert len(workspace.versions("/challenged/statement")) == 1


def test_a_session_keeps_the_cookie_for_the_next_pass(workspace: Workspace) -> None:
    workspace.site.pages["/challenged/statement"] = plain_article("HLED fact sheet")
    url = workspace.base + "/challenged/statement"
    workspace.configure(source("mx", url, fetch="browser", session="true"))
    for _ in range(2):
        assert workspace.run().code == 0
    cookies = [hit.cookie for hit in workspace.site.hits if hit.path == "/challenged/statement"]
    assert cookies == ["", "", "clearance=granted", "", "clearance=granted"]
    saved = workspace.path / "data" / "browser-sessions" / "mx.json"
    assert saved.stat().st_mode & 0o077 == 0


def test_the_plain_conditional_get_asks_first(workspace: Workspace) -> None:
    workspace.site.pages["/statement"] = plain_article("HLED readout")
    workspace.configure(source("mx", workspace.base + "/statement", fetch="browser"))
    assert workspace.run().code == 0
    assert workspace.site.count("/statement") == 2  # plain, then the browser
    second = workspace.run()
    assert second.code == 0
    assert workspace.site.count("/statement") == 3  # a 304: the browser is not even started
    assert "browser started" not in second.stderr


@pytest.mark.parametrize(("page", "expected"), [
    (NEVER_SETTLES, "did not settle within 3s"),
    (BUSY, "no main text within 3s"),
])  # fmt: skip
def test_a_page_that_never_settles_is_abandoned_at_the_deadline(
    workspace: Workspace, page: str, expected: str
) -> None:
    workspace.site.pages["/live"] = page
    workspace.site.pages["/fine"] = plain_article("HLED fact sheet")
    workspace.configure(
        source("live", workspace.base + "/live") + source("fine", workspace.base + "/fine"),
        timeout="3s",
    )
    run = workspace.run()
    assert run.code == 1
    assert expected in run.stdout
    assert run.seconds < 20  # 3s of deadline, a browser start, a Python start: not 2 minutes
    assert workspace.versions("/live") == []
    assert len(workspace.versions("/fine")) == 1


def test_a_page_over_the_memory_limit_is_abandoned(workspace: Workspace) -> None:
    workspace.site.pages["/heavy"] = HEAVY
    workspace.site.pages["/fine"] = script_built("HLED fact sheet")
    workspace.configure(
        source("heavy", workspace.base + "/heavy") + source("fine", workspace.base + "/fine"),
        browser="max_memory = 64",
    )
    run = workspace.run()
    assert run.code == 1
    assert "heavy: error:" in run.stdout
    assert "abandoned" in run.stdout
    assert len(workspace.versions("/fine")) == 1


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


def test_a_missing_browser_fails_only_the_sources_that_need_it(workspace: Workspace) -> None:
    workspace.site.pages["/challenged/statement"] = plain_article("HLED fact sheet")
    workspace.site.pages["/plain"] = plain_article("HLED readout")
    workspace.configure(
        source("mx", workspace.base + "/challenged/statement")
        + source("us", workspace.base + "/plain"),
        browser='executable = "/nonexistent/chromium"',
    )
    run = workspace.run()
    assert run.code == 1
    assert (
        "mx: error: " + workspace.base + "/challenged/statement: soft failure: the page is a "
        'placeholder ("just a moment"); the browser could not be used: [browser] executable '
        "'/nonexistent/chromium' is not an executable file"
    ) in run.stdout
    assert "us: error" not in run.stdout
    assert len(workspace.versions("/plain")) == 1


ESPANOL = (
    "México y Estados Unidos celebraron hoy el Diálogo Económico de Alto Nivel en Washington.",
    "Ambos gobiernos acordaron fortalecer las cadenas de suministro de semiconductores.",
)


def listing(*links: tuple[str, str]) -> str:
    items = "".join(f"<li><a href='{href}'>{text}</a></li>" for href, text in links)
    return (
        f"<html><head><title>Prensa</title></head><body><main><ul>{items}</ul></main></body></html>"
    )


def test_without_playwright_the_sources_that_need_it_fail_and_the_others_go_on(
    workspace: Workspace,
) -> None:
    # The default container image: Chromium may be there, Playwright is not.
    shim = workspace.path / "shim" / "playwright"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text('raise ImportError("no Playwright in this image")\n')
    workspace.site.pages["/challenged/statement"] = plain_article("HLED fact sheet")
    workspace.site.pages["/plain"] = plain_article("HLED readout")
    workspace.configure(
        source("mx", workspace.base + "/challenged/statement")
        + source("us", workspace.base + "/plain")
    )
    run = workspace.run(PYTHONPATH=str(shim.parent))
    assert run.code == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert (
        "the browser could not be used: Playwright is not installed "
        "(pip install 'hled-monitor[browser]')"
    ) in run.stdout
    assert "us: error" not in run.stdout
    assert len(workspace.versions("/plain")) == 1


def test_a_spanish_document_on_a_challenged_listing_is_recorded_and_alerted(
    workspace: Workspace,
) -> None:
    site = workspace.site
    first = ("/challenged/prensa/dean-2026", "Comunicado: Diálogo Económico de Alto Nivel 2026")
    other = ("/challenged/prensa/otra", "Reunión sobre aduanas fronterizas")
    site.pages["/challenged/prensa"] = listing(first, other)
    site.pages[first[0]] = plain_article("Diálogo Económico de Alto Nivel 2026", ESPANOL)
    site.pages[other[0]] = plain_article("Reunión sobre aduanas", ESPANOL[1:])
    match = '["Diálogo Económico de Alto Nivel", "DEAN"]'
    workspace.configure(
        source("se", workspace.base + "/challenged/prensa", kind='"listing"', match=match)
    )
    baseline = workspace.run("--json")
    assert baseline.code == 0, baseline.stdout + baseline.stderr
    assert len(workspace.versions(first[0])) == 1
    assert workspace.versions(other[0]) == []  # its link matched no keyword
    # A new communiqué naming the DEAN, and an edit to the first one.
    new = ("/challenged/prensa/dean-seguimiento", "Seguimiento del DEAN")
    site.pages["/challenged/prensa"] = listing(new, first, other)
    site.pages[new[0]] = plain_article("Seguimiento del DEAN", ESPANOL)
    edited = (ESPANOL[0], "Ambos gobiernos acordaron duplicar la inversión en semiconductores.")
    site.pages[first[0]] = plain_article("Diálogo Económico de Alto Nivel 2026", edited)
    second = workspace.run("--json")
    assert second.code == 0, second.stdout + second.stderr
    by_type = {event["type"]: event for event in second.events}
    assert by_type["new_document"]["title"] == "Seguimiento del DEAN"
    changed = by_type["document_changed"]
    assert changed["title"] == "Diálogo Económico de Alto Nivel 2026"
    assert "+Ambos gobiernos acordaron duplicar la inversión en semiconductores." in str(
        changed["diff"]
    )


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


def test_the_browser_keeps_the_per_host_delay(workspace: Workspace) -> None:
    paths = [f"/statement-{n}" for n in range(3)]
    for path in paths:
        workspace.site.pages[path] = script_built(f"HLED statement {path}")
    urls = ", ".join(f'"{workspace.base}{path}"' for path in paths)
    workspace.configure(
        f'[[source]]\nname = "mx"\nagency = "SE"\nurls = [{urls}]\nfetch = "browser"\n',
        delay="1.5s",
        per_host=2,  # two pages at once may be in the browser: only the delay spaces them
    )
    assert workspace.run().code == 0
    starts = sorted(hit.at for hit in workspace.site.hits if hit.by_browser and hit.path in paths)
    assert len(starts) == 3
    # Arrivals, not starts: allow for one page taking longer to leave the browser.
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(starts))


def test_the_browser_s_final_url_is_recorded(workspace: Workspace) -> None:
    workspace.site.pages["/new"] = script_built("HLED statement")
    workspace.site.redirects["/old"] = "/new"
    workspace.configure(source("mx", workspace.base + "/old"))
    run = workspace.run()
    assert run.code == 0, run.stdout + run.stderr
    [version] = workspace.versions("/old")
    assert version["fetched_url"] == workspace.base + "/new"


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
