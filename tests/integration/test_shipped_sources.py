"""The shipped sources.toml with nothing reachable: a clean per-source summary and exit 1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from monitor.config import load_settings

SHIPPED = Path(__file__).resolve().parents[2] / "sources.toml"


def closed_port() -> int:
    """A local port nobody listens on: every connection to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_every_source_fails_cleanly_when_nothing_answers(tmp_path: Path) -> None:
    # The shipped sources with no retries or politeness pauses, so the test is quick; every
    # request goes to a proxy that refuses connections (no request leaves the machine).
    text = SHIPPED.read_text(encoding="utf-8").replace(
        'per_host_delay = "1s"', 'per_host_delay = "0s"\nretries = 0'
    )
    (tmp_path / "sources.toml").write_text(text, encoding="utf-8")
    proxy = f"http://127.0.0.1:{closed_port()}"
    env = {**os.environ, "MONITOR_CONFIG": str(tmp_path / "sources.toml"),
           "MONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'monitor.db'}",
           "HTTPS_PROXY": proxy, "HTTP_PROXY": proxy, "NO_PROXY": ""}  # fmt: skip
    for name in ("SLACK_BOT_TOKEN", "SLACK_WEBHOOK_URL", "ALL_PROXY", "no_proxy"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-m", "monitor", "check"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    enabled = [s.name for s in load_settings(SHIPPED).sources if s.enabled]
    table = done.stdout.splitlines()
    for name in enabled:
        assert any(line.startswith(name) and " error " in line for line in table), name
        assert f"{name}: error: " in done.stdout
    # Nothing answered, so nothing was a soft failure: the browser was never needed.
    assert "browser" not in done.stdout
