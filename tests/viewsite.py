"""A store filled by two real `check` runs of a local site, for the web view's tests.

First check: a listing with a joint statement and a fact sheet (the silent baseline). Second
check: the statement's amount changes ($474 -> $520 million), a readout is published, the fact
sheet is taken down (404).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.fakesite import FakeSite, article

STATEMENT = (
    "The United States and Mexico held the High-Level Economic Dialogue in Washington today.",
    "EPA and CONAGUA committed to invest a combined $474 million in border water projects.",
)
READOUT = (
    "The HLED partners reviewed the semiconductor supply chain in Mexico City.",
    "EPA and CONAGUA completed the border water projects, investing $520 million.",
)


def listing(*paths: str) -> str:
    links = "".join(f'<li><a href="{p}">HLED statement {p}</a></li>' for p in paths)
    return f"<html><body><main><ul>{links}</ul></main></body></html>"


@dataclass
class Checked:
    folder: Path
    url: str  # the database
    base: str  # the fake site
    events: list[dict[str, Any]]  # what the second check printed with --json

    def check(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "MONITOR_CONFIG": str(self.folder / "sources.toml"),
            "MONITOR_DATABASE_URL": self.url,
        }
        return subprocess.run(
            [sys.executable, "-m", "monitor", *args],
            cwd=self.folder, env=env, capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip


@contextmanager
def checked_site(folder: Path) -> Iterator[Checked]:
    """Two real checks of a local site into ``folder``/monitor.db; the site keeps serving."""
    site = FakeSite(
        {
            "/news": listing("/statement", "/fact-sheet"),
            "/statement": article("Joint Statement on the HLED", *STATEMENT),
            "/fact-sheet": article("HLED Fact Sheet", "The HLED fact sheet lists 12 projects."),
        }
    )
    with site.serve() as base:
        (folder / "sources.toml").write_text(
            '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n[defaults]\nremoval_pause = "0s"\n\n'
            f'[[source]]\nname = "state-news"\nagency = "State"\nkind = "listing"\n'
            f'url = "{base}/news"\n',
            encoding="utf-8",
        )
        run = Checked(folder, f"sqlite:///{folder / 'monitor.db'}", base, [])
        run.check("check", "--json")
        site.pages["/statement"] = article(
            "Joint Statement on the HLED", *(p.replace("$474", "$520") for p in STATEMENT)
        )
        site.pages["/readout"] = article("Readout: HLED Working Group", *READOUT)
        site.pages["/news"] = listing("/statement", "/readout")
        del site.pages["/fact-sheet"]
        second = run.check("check", "--json")
        run.events = [json.loads(line) for line in second.stdout.splitlines()]
        yield run
