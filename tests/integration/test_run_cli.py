"""`run` as people start it: one start-up line at the default level; a busy port is one line."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
from pathlib import Path

from tests.fakesite import FakeSite, article
from tests.service_process import ServiceProcess, started


def write_config(path: Path, base: str) -> Path:
    config = path / "sources.toml"
    config.write_text(
        f'[[source]]\nname = "hled"\nagency = "State"\nurl = "{base}/hled"\n', encoding="utf-8"
    )
    return config


def test_a_busy_port_is_one_line_and_exit_2(tmp_path: Path) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            **os.environ,
            "MONITOR_CONFIG": str(config),
            "MONITOR_LISTEN": f"127.0.0.1:{port}",
            "MONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'monitor.db'}",
        }
        env.pop("MONITOR_LOG_LEVEL", None)
        done = subprocess.run(
            [sys.executable, "-m", "monitor", "run"],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == f"error: listen 127.0.0.1:{port}: address already in use\n"


def test_run_prints_one_start_up_line_at_the_default_level(tmp_path: Path) -> None:
    site = FakeSite({"/hled": article("Joint Statement on the HLED", "The HLED met today.")})
    with site.serve() as base:
        config = write_config(tmp_path, base)
        env = {
            "MONITOR_LOG_LEVEL": "",  # the default level, as a person starts it
            "MONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'monitor.db'}",
        }
        service = ServiceProcess(config, env)
        try:
            line = service.wait_for(started)
            assert line["message"] == (
                f"service started: 1 source, web view and health at http://127.0.0.1:{service.port}/"
            )
            assert service.get("/healthz")[0] in (200, 503)  # answering
        finally:
            assert service.stop() == 0
    rest: list[dict[str, object]] = []
    while True:
        try:
            rest.append(service.lines.get_nowait())
        except queue.Empty:
            break
    assert [line for line in rest if line.get("level") in ("INFO", "DEBUG")] == []
