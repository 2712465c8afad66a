"""``python -m monitor`` as a real process in a workspace: its exit code, output and duration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float = 0.0

    @property
    def events(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


def run_monitor(path: Path, *args: str, timeout: float = 60, **extra_env: str) -> Run:
    """``python -m monitor ARGS`` in ``path``, with its sources.toml and data/monitor.db."""
    env = {
        **os.environ,
        "MONITOR_CONFIG": str(path / "sources.toml"),
        "MONITOR_DATABASE_URL": f"sqlite:///{path / 'data' / 'monitor.db'}",
        **extra_env,
    }
    env.pop("SLACK_BOT_TOKEN", None)
    env.pop("SLACK_WEBHOOK_URL", None)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        cwd=path,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr, time.monotonic() - started)
