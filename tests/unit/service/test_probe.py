"""The container's HEALTHCHECK probe asks /healthz where MONITOR_LISTEN says `run` listens."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest

from monitor.config import ServiceConfig
from monitor.service.probe import DEFAULT_LISTEN, health_url, main
from tests.localserver import serve
from tests.service_process import free_port


@pytest.mark.parametrize(
    ("listen", "url"),
    [
        (None, "http://127.0.0.1:8080/healthz"),
        ("0.0.0.0:9090", "http://127.0.0.1:9090/healthz"),
        ("[::]:9090", "http://[::1]:9090/healthz"),
        ("10.1.2.3:81", "http://10.1.2.3:81/healthz"),
    ],
)
def test_the_probe_asks_where_the_service_listens(listen: str | None, url: str) -> None:
    assert health_url({"MONITOR_LISTEN": listen} if listen else {}) == url


def test_healthy_then_unhealthy_then_unreachable() -> None:
    status = [200]

    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status[0] if self.path == "/healthz" else 404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serve(Health) as base:
        listen = base.removeprefix("http://").replace("127.0.0.1", "0.0.0.0")
        assert main({"MONITOR_LISTEN": listen}) == 0
        status[0] = 503
        assert main({"MONITOR_LISTEN": listen}) == 1
    assert main({"MONITOR_LISTEN": f"127.0.0.1:{free_port()}"}) == 1


def test_the_probe_default_is_the_service_default() -> None:
    # The probe stays standard-library only (it runs every 30 s), so it keeps its own copy.
    assert DEFAULT_LISTEN == ServiceConfig().listen
