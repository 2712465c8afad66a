"""`run`'s HTTP server: the web view beside /healthz and /metrics, a real listen backlog, and
/healthz answering throughout a scraper storm (loopback only, at most 300 connections, 3 s)."""

from __future__ import annotations

import asyncio
import json
import os
import select
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fakesite import FakeSite, article
from tests.service_process import ServiceProcess, checked, started

BURST = 300  # connections opened while the service cannot accept any
STORM_CLIENTS = 200
STORM_SECONDS = 3.0
PROBE_TIMEOUT = 3.0


@pytest.fixture
def service(tmp_path: Path) -> Iterator[ServiceProcess]:
    site = FakeSite({"/hled": article("Joint Statement", "The HLED met in 2024.")})
    with site.serve() as base:
        (tmp_path / "sources.toml").write_text(
            '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n'
            f'[[source]]\nname = "hled"\nagency = "State"\nurl = "{base}/hled"\n',
            encoding="utf-8",
        )
        env = {"MONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'monitor.db'}"}
        process = ServiceProcess(tmp_path / "sources.toml", env)
        process.wait_for(started)
        process.wait_for(checked("hled"))
        yield process
        process.stop()


def connected_while_stopped(process: ServiceProcess, count: int) -> int:
    """Open ``count`` connections while the process is stopped: how many the kernel completed.

    Only the listen backlog can hold them then; a backlog of 5 completes about 6.
    """
    sockets = []
    os.kill(process.process.pid, signal.SIGSTOP)
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", process.port))
            sockets.append(sock)
        pending, done, deadline = set(sockets), 0, time.monotonic() + 1.5
        while pending and time.monotonic() < deadline:
            _, writable, _ = select.select([], list(pending), [], 0.1)
            for sock in writable:
                pending.discard(sock)
                done += sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
        return done
    finally:
        os.kill(process.process.pid, signal.SIGCONT)
        for sock in sockets:
            sock.close()


def probe(port: int, deadline: float, latencies: list[float], errors: list[str]) -> None:
    """Ask /healthz every 100 ms until ``deadline`` (a thread of its own, as a prober is)."""
    while time.monotonic() < deadline:
        started_at = time.monotonic()
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=PROBE_TIMEOUT)
        except httpx.HTTPError as exc:
            errors.append(f"probe: {type(exc).__name__}: {exc}")
            return
        if response.status_code != 200:
            errors.append(f"probe: HTTP {response.status_code}")
        latencies.append(time.monotonic() - started_at)
        time.sleep(0.1)


async def scrape(port: int, deadline: float) -> tuple[list[str], int]:
    """Many clients scrape /metrics, each as fast as it is answered, until ``deadline``."""
    errors: list[str] = []
    answered = 0

    async def scraper(client: httpx.AsyncClient) -> None:
        nonlocal answered
        while time.monotonic() < deadline:
            try:
                response = await client.get("/metrics")
                answered += response.status_code == 200
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")

    limits = httpx.Limits(max_connections=STORM_CLIENTS)
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, timeout=10, limits=limits) as client:
        await asyncio.gather(*(scraper(client) for _ in range(STORM_CLIENTS)))
    return errors, answered


def test_connections_wait_in_a_real_backlog(service: ServiceProcess) -> None:
    assert connected_while_stopped(service, BURST) == BURST
    status, _ = service.get("/healthz")  # and the service still answers afterwards
    assert status == 200


def test_healthz_keeps_answering_during_a_scraper_storm(service: ServiceProcess) -> None:
    deadline = time.monotonic() + STORM_SECONDS
    latencies: list[float] = []
    probe_errors: list[str] = []
    prober = threading.Thread(target=probe, args=(service.port, deadline, latencies, probe_errors))
    prober.start()
    errors, answered = asyncio.run(scrape(service.port, deadline))
    prober.join()
    assert probe_errors == []
    assert errors == []
    assert answered >= STORM_CLIENTS  # every client was served, without an error
    assert len(latencies) >= 5
    assert max(latencies) < PROBE_TIMEOUT


def test_run_serves_the_view_beside_health_and_metrics(service: ServiceProcess) -> None:
    status, page = service.get("/")
    assert status == 200
    assert b"<h1>What changed</h1>" in page
    status, body = service.get("/api/sources")
    assert status == 200
    (source,) = json.loads(body)
    assert (source["name"], source["status"], source["documents"]) == ("hled", "ok", 1)
    assert source["next_run"] is not None  # from the scheduler's job
    assert service.get("/healthz")[0] == 200
    assert service.get("/metrics")[0] == 200
