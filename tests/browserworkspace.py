"""A workspace for `python -m monitor check` with the real headless Chromium: config, runs.

The tests that use it are skipped only where no Chromium can be found and CI is not set; with
CI=true a missing browser fails (.ci/run installs the system package).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from monitor.config import BrowserConfig
from monitor.errors import BrowserUnavailable
from monitor.fetch.browser import find_chromium
from tests.browsersite import BrowserSite, Recorder


def require_chromium() -> str:
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


@contextmanager
def browser_workspace(tmp_path: Path) -> Iterator[Workspace]:
    """The local site and the stand-in metadata host, served while the test runs."""
    require_chromium()
    site, metadata = BrowserSite(), Recorder()
    (tmp_path / "data").mkdir()
    with site.serve() as base, metadata.serve() as metadata_base:
        yield Workspace(tmp_path, site, base, metadata, metadata_base.rsplit(":", 1)[1])
