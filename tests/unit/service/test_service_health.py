from __future__ import annotations

import json
from datetime import timedelta

import pytest

from monitor.errors import ConfigError
from monitor.models import Event
from monitor.pipeline.check import PassResult, SourceReport
from monitor.pipeline.deliver import DeliveryReport
from monitor.service.http import health_app, parse_listen
from monitor.service.metrics import Health, Metrics
from monitor.service.scheduler import stale_after
from tests.asgi import get
from tests.conftest import Clock, make_settings


def call(app, path: str) -> tuple[str, bytes]:  # type: ignore[no-untyped-def]
    """GET ``path`` from the ASGI app: ("200 OK", body)."""
    response = get(app, path)
    return f"{response.status_code} {response.reason_phrase}", response.content


def a_pass(clock: Clock, *, failing: bool) -> PassResult:
    report = SourceReport("state", "State", baseline=False, elapsed=0.5)
    if failing:
        report.errors.append("HTTP 500")
    event = Event("e1", "document_changed", "state", "State", "https://x", "T", clock())
    return PassResult([report], [] if failing else [event])


def test_healthz_is_503_until_a_pass_ends_while_the_scheduler_runs(clock: Clock) -> None:
    health, metrics = Health(timedelta(minutes=10)), Metrics()
    app = health_app(health, metrics, clock)
    assert call(app, "/healthz")[0].startswith("503")
    health.running = True
    assert call(app, "/healthz")[0].startswith("503")
    health.record_pass(a_pass(clock, failing=True), clock())
    status, body = call(app, "/healthz")
    assert status.startswith("200")
    assert json.loads(body)["failing_sources"] == {"state": "HTTP 500"}
    health.record_pass(a_pass(clock, failing=False), clock())
    assert json.loads(call(app, "/healthz")[1])["failing_sources"] == {}


def test_healthz_fails_when_the_last_pass_is_stale(clock: Clock) -> None:
    health = Health(timedelta(minutes=10), running=True)
    app = health_app(health, Metrics(), clock)
    health.record_pass(a_pass(clock, failing=False), clock())
    clock.advance(minutes=11)
    status, body = call(app, "/healthz")
    assert status.startswith("503")
    assert json.loads(body)["status"] == "unhealthy"


def test_metrics_count_checks_events_and_deliveries(clock: Clock) -> None:
    metrics = Metrics()
    metrics.record_pass(a_pass(clock, failing=True))
    metrics.record_pass(a_pass(clock, failing=False))
    metrics.record_delivery(DeliveryReport(sent=2, failed=1), pending=3)
    status, body = call(health_app(Health(timedelta(1)), metrics, clock), "/metrics")
    text = body.decode()
    assert status.startswith("200")
    assert 'hled_checks_total{outcome="error",source="state"} 1.0' in text
    assert 'hled_check_failures_total{source="state"} 1.0' in text
    assert 'hled_events_total{type="document_changed"} 1.0' in text
    assert 'hled_deliveries_total{outcome="sent"} 2.0' in text
    assert "hled_deliveries_pending 3.0" in text
    assert "hled_check_duration_seconds_count" in text
    assert call(health_app(Health(timedelta(1)), metrics, clock), "/nope")[0].startswith("404")


def test_listen_addresses() -> None:
    assert parse_listen("0.0.0.0:8080") == ("0.0.0.0", 8080)
    assert parse_listen("[::1]:9000") == ("::1", 9000)
    with pytest.raises(ConfigError, match="not HOST:PORT"):
        parse_listen("8080")


def test_stale_after_defaults_to_twice_the_longest_interval() -> None:
    settings = make_settings(
        {"name": "a", "agency": "State", "url": "https://a.gov/", "interval": "15m"},
        {"name": "b", "agency": "State", "url": "https://b.gov/", "interval": "1h"},
    )
    assert stale_after(settings) == timedelta(hours=2, minutes=5)
    explicit = make_settings(service={"stale_after": "10m"})
    assert stale_after(explicit) == timedelta(minutes=10)


def test_connections_to_the_listening_socket_have_nagle_off() -> None:
    """asyncio turns Nagle off only on sockets that say they are TCP; with Nagle on, each
    keep-alive answer waited ~40 ms for the client's delayed ACK."""
    import asyncio
    import socket

    from monitor.service.http import listening_socket

    sock = listening_socket("127.0.0.1:0")
    port = sock.getsockname()[1]
    seen: list[int] = []

    async def main() -> None:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            accepted = writer.get_extra_info("socket")
            seen.append(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(handle, sock=sock)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            await writer.drain()
            while not seen:
                await asyncio.sleep(0.01)
            writer.close()

    asyncio.run(main())
    assert seen[0] != 0
