"""The two tools the benchmark runs side by side: ours (`python -m monitor check`) and urlwatch.

Each tool writes its own configuration for the same URLs into its own temporary folder, gives
the command line of one check, and reads back what it reported (how many changes, and which
URLs) from its output, the way a person would read it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

import sitegen

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
URLWATCH_VENV = BENCH / ".venv-urlwatch"


@dataclass(frozen=True)
class Report:
    """What one run of a tool said: the URLs it called changed (or new), and any errors."""

    changed: frozenset[str]
    new: int
    errors: int


@dataclass(frozen=True)
class Ours:
    """hled-monitor, as a person runs it: `python -m monitor check --json` with a sources.toml.
    ``processes = 1`` (the tool named ``ours-1p``) turns the forked fetch helper off."""

    folder: Path
    concurrency: int = 10
    processes: int = 2
    name: str = "ours"

    def setup(self, urls: list[str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        lines = [
            "[fetch]",
            "per_host_delay = 0",
            f"per_host_concurrency = {len(urls)}",
            f"concurrency = {self.concurrency}",
            f"processes = {self.processes}",
            'timeout = "30s"',
        ]
        for index, url in enumerate(urls):
            agency = sitegen.agency_name(index)
            lines += ["", "[[source]]", f'name = "page-{index:05d}"', f'agency = "{agency}"']
            lines += ['kind = "page"', f'url = "{url}"', 'interval = "1h"']
        (self.folder / "sources.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def command(self) -> list[str]:
        config = str(self.folder / "sources.toml")
        return [sys.executable, "-m", "monitor", "check", "--json", "--config", config]

    def warm_up(self) -> list[str]:
        return [sys.executable, "-m", "monitor", "--help"]

    def env(self) -> dict[str, str]:
        return {"MONITOR_DATABASE_URL": f"sqlite:///{self.folder / 'monitor.db'}"}

    def read(self, stdout: str, stderr: str) -> Report:
        events = [json.loads(line) for line in stdout.splitlines() if line.strip()]
        changed = frozenset(e["url"] for e in events if e["type"] == "document_changed")
        new = sum(e["type"] == "new_document" for e in events)
        errors = sum(": error: " in line for line in stderr.splitlines())
        return Report(changed, new, errors)


_URLWATCH_LINE = re.compile(r"^\d{2,}\. (NEW|CHANGED|ERROR): (\S+)", re.MULTILINE)


@dataclass(frozen=True)
class Urlwatch:
    """urlwatch as most users configure it: `url:` jobs, no filters, the stdout reporter."""

    folder: Path
    name: str = "urlwatch"

    def setup(self, urls: list[str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        jobs = "---\n".join(f"url: {url}\n" for url in urls)
        (self.folder / "urls.yaml").write_text(jobs, encoding="utf-8")
        (self.folder / "hooks.py").write_text("", encoding="utf-8")
        (self.folder / "urlwatch.yaml").write_text(
            "report:\n  stdout:\n    enabled: true\n    color: false\n", encoding="utf-8"
        )

    def command(self) -> list[str]:
        return [
            str(URLWATCH_VENV / "bin" / "urlwatch"),
            *("--urls", str(self.folder / "urls.yaml")),
            *("--config", str(self.folder / "urlwatch.yaml")),
            *("--hooks", str(self.folder / "hooks.py")),
            *("--cache", str(self.folder / "cache.db")),
        ]

    def warm_up(self) -> list[str]:
        return [str(URLWATCH_VENV / "bin" / "urlwatch"), "--help"]

    def env(self) -> dict[str, str]:
        home = str(self.folder)  # keep urlwatch away from the real ~/.config and ~/.cache
        return {"HOME": home, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home}

    def read(self, stdout: str, stderr: str) -> Report:
        found = _URLWATCH_LINE.findall(stdout)  # jobs without a name are listed by URL
        changed = frozenset(name for verb, name in found if verb == "CHANGED")
        new = sum(verb == "NEW" for verb, _ in found)
        return Report(changed, new, sum(verb == "ERROR" for verb, _ in found))


def ensure_urlwatch() -> None:
    """Create bench/.venv-urlwatch with urlwatch from the package index, once."""
    if (URLWATCH_VENV / "bin" / "urlwatch").exists():
        return
    print(f"installing urlwatch into {URLWATCH_VENV} ...", file=sys.stderr)
    venv.create(URLWATCH_VENV, with_pip=True)
    pip = [str(URLWATCH_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "urlwatch"], check=True)
