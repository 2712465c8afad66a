"""The web view in a real browser: headless Chromium (the system's), driven by Playwright.

`python -m monitor serve` runs as a process over a store filled by two real checks; the browser
opens /, follows the change to its diff page and sees the deleted and inserted words. The
screenshot is kept in ``test-artifacts/`` (or $MONITOR_TEST_ARTIFACTS). Without a browser the
test skips, except in CI (CI=true), where .ci/run installs Debian's chromium.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service_process import free_port
from tests.viewsite import Checked, checked_site

ARTIFACTS = Path(
    os.environ.get("MONITOR_TEST_ARTIFACTS", Path(__file__).parents[2] / "test-artifacts")
)


def chromium() -> str:
    """The system's Chromium; a skip without one, a failure in CI."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no chromium on PATH: .ci/run must install it")
        pytest.skip("no chromium on PATH (install Debian's chromium package)")
    return found


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Checked]]:
    with checked_site(tmp_path) as checked:
        port = free_port()
        env = {**os.environ, "MONITOR_DATABASE_URL": checked.url}
        process = subprocess.Popen(
            [sys.executable, "-m", "monitor", "serve", "--listen", f"127.0.0.1:{port}"],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for_port(port, process)
            yield f"http://127.0.0.1:{port}", checked
        finally:
            process.terminate()
            output = process.communicate(timeout=30)[0]
        # uvicorn shuts down gracefully, then re-raises the signal: the exit is the signal's.
        assert process.returncode in (0, -signal.SIGTERM), output
        assert b"Traceback" not in output


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("serve did not listen in time")


def test_a_reader_follows_a_change_to_its_diff(served: tuple[str, Checked]) -> None:
    executable = chromium()
    from playwright.sync_api import expect, sync_playwright

    base, _ = served
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            page = browser.new_page(viewport={"width": 412, "height": 915})  # a phone
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(base + "/")
            expect(page.locator("h1")).to_have_text("What changed")
            page.locator("li.document_changed a.diff").click()
            # The statement's id depends on which page the first check stored first.
            expect(page).to_have_url(
                re.compile(re.escape(base) + r"/documents/\d+/diff\?from=1&to=2$")
            )
            passage = page.locator("section.change").first
            expect(passage.locator("del")).to_contain_text("$474")
            expect(passage.locator("ins")).to_contain_text("$520")
            expect(passage).to_contain_text("EPA and CONAGUA committed to invest a combined")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "web-diff.png"), full_page=True)
            assert errors == []  # no CSP violation, nothing broken
            page.set_viewport_size({"width": 360, "height": 800})  # a small phone
            for path in ("/", "/documents", "/documents/1", "/commitments", "/sources"):
                page.goto(base + path)
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= 360, f"{path} is {wide} px wide: it scrolls sideways on a phone"
        finally:
            browser.close()
    assert (ARTIFACTS / "web-diff.png").stat().st_size > 1000
