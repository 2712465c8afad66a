"""`python -m monitor run` under faults: SIGTERM mid-check, SIGHUP with a half-valid config, and a
store that cannot be written (a file-size limit on the process: SQLite's "disk full")."""

from __future__ import annotations

import json
import resource
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.models import Event, Routed
from store.repo import Store
from tests.fakesite import article
from tests.fakeslack import FakeSlack
from tests.localserver import serve
from tests.service_process import LogLine, ServiceProcess, checked, started
from tests.slowsite import SlowSite

PARAGRAPH = "The United States and Mexico will hold the High-Level Economic Dialogue again in 2024."


@pytest.fixture
def site() -> Iterator[tuple[SlowSite, str]]:
    pages = {path: article(f"Joint Statement {path}", PARAGRAPH + path) for path in
             ("/hled", "/fast", "/slow", "/b", "/hled2")}  # fmt: skip
    slow = SlowSite(pages)
    with serve(slow.handler) as base:
        try:
            yield slow, base
        finally:
            slow.release.set()


def source(name: str, url: str, extra: str = "") -> str:
    return f'[[source]]\nname = "{name}"\nagency = "State"\nurl = "{url}"\n{extra}\n'


def write(path: Path, *blocks: str, service: str = "") -> Path:
    head = '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n[service]\nallow_fast_intervals = true\n'
    head += service + "\n"
    path.write_text(head + "\n".join(blocks), encoding="utf-8")
    return path


def start(tmp_path: Path, config: Path) -> ServiceProcess:
    env = {"MONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'monitor.db'}"}
    return ServiceProcess(config, env)


def message(text: str) -> object:
    return lambda line: text in str(line.get("message", ""))


def errors(service: ServiceProcess) -> list[LogLine]:
    return [line for line in service.history if line.get("level") == "ERROR" or line.get("raw")]


# -- SIGTERM: running checks finish within shutdown_grace ------------------------------------------


def test_sigterm_lets_a_running_check_finish_within_the_grace(
    tmp_path: Path, site: tuple[SlowSite, str]
) -> None:
    slow, base = site
    slow.delays["/hled"] = 3.0
    config = write(tmp_path / "sources.toml", source("hled", f"{base}/hled"),
                   service='shutdown_grace = "20s"')  # fmt: skip
    service = start(tmp_path, config)
    try:
        service.wait_for(started)
        slow.asked_for("/hled")
        signalled = time.monotonic()
        service.signal(signal.SIGTERM)
        line = service.wait_for(checked("hled"))
        assert line["status"] == "baseline"  # the check ended normally, after the signal
        assert service.stop(terminate=False) == 0
        assert time.monotonic() - signalled >= 2.5
    finally:
        service.stop()
    assert errors(service) == []
    store = Store(f"sqlite:///{tmp_path / 'monitor.db'}")
    try:
        assert store.source_state("hled").baseline_done
    finally:
        store.close()


def test_after_the_grace_a_check_is_cancelled_and_what_it_read_is_kept(
    tmp_path: Path, site: tuple[SlowSite, str]
) -> None:
    slow, base = site
    slow.delays["/slow"] = 60.0
    block = f'[[source]]\nname = "two"\nagency = "State"\nurls = ["{base}/fast", "{base}/slow"]\n'
    config = write(tmp_path / "sources.toml", block, service='shutdown_grace = "1s"')
    service = start(tmp_path, config)
    try:
        service.wait_for(started)
        slow.asked_for("/slow")
        slow.asked_for("/fast")
        time.sleep(0.3)  # /fast's answer is read and recorded in the pass's buffer
        signalled = time.monotonic()
        service.signal(signal.SIGTERM)
        service.wait_for(message("check cancelled: shutdown_grace ran out"))
        assert service.stop(terminate=False) == 0
        assert 0.9 <= time.monotonic() - signalled < 15
    finally:
        service.stop()
    assert errors(service) == []
    store = Store(f"sqlite:///{tmp_path / 'monitor.db'}")
    try:
        assert [d.url for d in store.documents()] == [f"{base}/fast"]
    finally:
        store.close()


# -- SIGHUP: build everything first, then swap; jobs reconciled by id ----------------------------------


def test_sighup_with_notifiers_that_cannot_be_built_changes_nothing(
    tmp_path: Path, site: tuple[SlowSite, str]
) -> None:
    slow, base = site
    config = write(tmp_path / "sources.toml", source("hled", f"{base}/hled", 'interval = "2s"'))
    service = start(tmp_path, config)
    try:
        service.wait_for(checked("hled"))
        # Parses, but [notify.slack] has no token in the environment: the notifiers fail.
        write(config, '[notify.slack]\nchannel = "#x"\n',
              source("hled", f"{base}/hled2", 'interval = "2s"'))  # fmt: skip
        service.signal(signal.SIGHUP)
        refused = service.wait_for(message("reload refused"))
        assert "SLACK_BOT_TOKEN" in refused["message"] + str(refused.get("exc_info", ""))
        service.wait_for(checked("hled"))
        service.wait_for(checked("hled"))  # two more checks, both with the old configuration
        assert "/hled2" not in slow.asked
    finally:
        service.stop()


def test_sighup_reconciles_jobs_enabling_removing_and_rescheduling(
    tmp_path: Path, site: tuple[SlowSite, str]
) -> None:
    slow, base = site
    config = write(tmp_path / "sources.toml", source("hled", f"{base}/hled", 'interval = "1h"'),
                   source("b", f"{base}/b", "enabled = false"))  # fmt: skip
    service = start(tmp_path, config)
    try:
        service.wait_for(checked("hled"))
        write(config, source("hled", f"{base}/hled", 'interval = "2s"'), source("b", f"{base}/b"))
        service.signal(signal.SIGHUP)
        service.wait_for(message("configuration reloaded"))
        service.wait_for(checked("b"))  # enabled: checked at once
        service.wait_for(checked("hled"))  # rescheduled: 2 s, not 1 h
        write(config, source("b", f"{base}/b", 'interval = "1s"'))
        service.signal(signal.SIGHUP)
        service.wait_for(message("configuration reloaded"))
        asked = len([p for p in slow.asked if p == "/hled"])
        service.wait_for(checked("b"))
        service.wait_for(checked("b"))
        assert len([p for p in slow.asked if p == "/hled"]) <= asked + 1  # removed (one in flight)
    finally:
        service.stop()
    assert errors(service) == []


# -- a crashed check is a failure in /healthz and /metrics at once ----------------------------------


def test_a_store_that_cannot_be_written_makes_healthz_503_at_the_next_check(
    tmp_path: Path, site: tuple[SlowSite, str]
) -> None:
    _, base = site
    config = write(tmp_path / "sources.toml", source("hled", f"{base}/hled", 'interval = "2s"'))
    service = start(tmp_path, config)
    pid = service.process.pid
    try:
        service.wait_for(checked("hled"))
        assert service.get("/healthz")[0] == 200
        # Any file write past the first byte now fails, as on a full disk (Python ignores
        # SIGXFSZ, so the write returns an error instead of killing the process).
        soft, hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (1, hard))
        service.wait_for(message("check crashed"))
        status, body = service.get("/healthz")
        health = json.loads(body)
        assert status == 503
        assert health["status"] == "unhealthy"
        assert "check crashed" in health["failing_sources"]["hled"]
        assert health["store_error"]
        metrics = service.get("/metrics")[1].decode()
        assert 'hled_checks_total{outcome="crashed",source="hled"} 1.0' in metrics
        assert 'hled_check_failures_total{source="hled"} 1.0' in metrics
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (soft, hard))  # the disk has room again
        service.wait_for(checked("hled"))
        status, body = service.get("/healthz")
        assert (status, json.loads(body)["failing_sources"]) == (200, {})
    finally:
        service.stop()


# -- alerts left due by an earlier process go out at start-up ---------------------------------------


def test_alerts_left_due_go_out_at_start_up(tmp_path: Path, site: tuple[SlowSite, str]) -> None:
    _, base = site
    slack = FakeSlack()
    with slack.serve() as slack_base:
        config = write(tmp_path / "sources.toml", '[notify.slack]\nchannel = "#a"\n',
                       source("hled", f"{base}/hled"), service='delivery_interval = "1h"')  # fmt: skip
        store = Store(f"sqlite:///{tmp_path / 'monitor.db'}")
        left = Event("e1", "document_changed", "hled", "State", f"{base}/hled", "T",
                     datetime.now(UTC))  # fmt: skip
        store.record_events([Routed(left, ("slack:#a",))], datetime.now(UTC))
        store.close()  # a check recorded it and died before sending
        env = {"MONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'monitor.db'}",
               "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": f"{slack_base}/api/"}  # fmt: skip
        service = ServiceProcess(config, env)
        try:
            service.wait_for(checked("hled"))
            deadline = time.monotonic() + 20
            while not slack.posts and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(slack.posts) == 1  # not an hour later, nor only at the shutdown
        finally:
            service.stop()
