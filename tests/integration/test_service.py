"""`python -m monitor run` as a process: first pass, /healthz, signals, reload, SQLite guard."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakesite import FakeSite, article
from tests.service_process import ServiceProcess, checked, started

PARAGRAPH = "The United States and Mexico will hold the High-Level Economic Dialogue again in 2024."


def config(base: str, interval: str = "1h", extra: str = "") -> str:
    return (
        '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n'
        f'[[source]]\nname = "hled"\nagency = "State"\nurl = "{base}/hled"\n'
        f'interval = "{interval}"\n{extra}'
    )


@pytest.fixture
def site() -> Iterator[tuple[FakeSite, str]]:
    fake = FakeSite({"/hled": article("Joint Statement", PARAGRAPH)})
    with fake.serve() as base:
        yield fake, base


@pytest.fixture
def service(tmp_path: Path, site: tuple[FakeSite, str]) -> Iterator[ServiceProcess]:
    (tmp_path / "sources.toml").write_text(config(site[1]), encoding="utf-8")
    env = {"MONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'monitor.db'}"}
    process = ServiceProcess(tmp_path / "sources.toml", env)
    yield process
    process.stop()


def test_first_pass_at_start_up_then_healthy(service: ServiceProcess) -> None:
    service.wait_for(started)
    line = service.wait_for(checked("hled"))
    assert line["status"] == "baseline"
    assert {"documents", "new", "changed", "seconds"} <= set(line)
    status, body = service.get("/healthz")
    assert status == 200
    assert json.loads(body)["scheduler_running"] is True
    status, metrics = service.get("/metrics")
    assert b'hled_checks_total{outcome="baseline",source="hled"} 1.0' in metrics


def test_sigterm_stops_cleanly_with_exit_0(service: ServiceProcess) -> None:
    service.wait_for(checked("hled"))
    service.signal(signal.SIGTERM)
    assert service.process.wait(timeout=30) == 0
    service.wait_for(lambda line: line.get("message") == "stopped")


def test_sighup_keeps_the_old_config_when_the_new_one_is_broken(
    service: ServiceProcess, tmp_path: Path, site: tuple[FakeSite, str]
) -> None:
    service.wait_for(checked("hled"))
    (tmp_path / "sources.toml").write_text(config(site[1], interval="30x"), encoding="utf-8")
    service.signal(signal.SIGHUP)
    refused = service.wait_for(lambda line: "reload refused" in str(line.get("message")))
    assert '"30x" is not a duration' in refused["message"]
    assert service.get("/healthz")[0] == 200
    (tmp_path / "sources.toml").write_text(config(site[1], interval="2h"), encoding="utf-8")
    service.signal(signal.SIGHUP)
    service.wait_for(lambda line: "configuration reloaded" in str(line.get("message")))


def test_a_second_scheduler_on_one_sqlite_file_is_refused(
    service: ServiceProcess, tmp_path: Path
) -> None:
    service.wait_for(started)
    env = {"MONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'monitor.db'}"}
    second = ServiceProcess(tmp_path / "sources.toml", env)
    assert second.stop(terminate=False) == 1  # it exits by itself
    line = second.wait_for(lambda line: "SQLite allows one scheduler" in line["message"])
    assert "use PostgreSQL" in line["message"]
