"""The service's HTTP server: /healthz (JSON, 200 or 503), /metrics (Prometheus) and the web view.

uvicorn serves a Starlette app on a thread of its own with its own event loop, so a check that
keeps the scheduler's loop busy never delays a probe, and an asyncio server answers many
clients at once. The socket is bound and listening before the thread starts, with a real
backlog: a burst of scrapers waits in the kernel's queue instead of being dropped.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from monitor.errors import ConfigError
from monitor.pipeline.check import Clock
from monitor.service.metrics import Health, Metrics

log = logging.getLogger(__name__)

# Connections the kernel queues before the server accepts them (Linux caps it at somaxconn).
BACKLOG = 2048
KEEP_ALIVE = 75  # seconds an idle keep-alive connection stays open


def health_routes(health: Health, metrics: Metrics, now: Clock) -> list[BaseRoute]:
    async def healthz(request: Request) -> Response:
        healthy, body = health.snapshot(now())
        return JSONResponse(body, 200 if healthy else 503)

    async def prometheus(request: Request) -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return [
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/metrics", prometheus, methods=["GET", "HEAD"]),
    ]


def health_app(health: Health, metrics: Metrics, now: Clock) -> Starlette:
    """/healthz and /metrics alone (the service serves them beside the view)."""
    return Starlette(routes=health_routes(health, metrics, now))


def parse_listen(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(f'listen: "{value}" is not HOST:PORT (e.g. 127.0.0.1:8080)')
    return host.strip("[]"), int(port)


def listening_socket(listen: str) -> socket.socket:
    """A TCP socket bound to ``listen`` and listening with ``BACKLOG``; ConfigError if taken."""
    host, port = parse_listen(listen)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        family, kind, proto, _, address = infos[0]
        # The protocol must be IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only
        # on TCP sockets that say so, and with Nagle on, a keep-alive answer waited ~40 ms for
        # the client's delayed ACK.
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise ConfigError(f"listen {listen}: {_reason(exc)}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError as exc:
        sock.close()
        raise ConfigError(f"listen {listen}: {_reason(exc)}") from None
    sock.set_inheritable(True)
    return sock


def _reason(exc: OSError) -> str:
    """The system's own words, as a person reads them: "address already in use"."""
    return (exc.strerror or str(exc)).lower()


def uvicorn_server(app: Starlette) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        backlog=BACKLOG,
        access_log=False,  # one line per probe every few seconds is noise
        log_config=None,  # our logging setup stays in charge
        lifespan="off",
        server_header=False,
        # Longer than clients' and proxies' idle timeouts (httpx: 5 s, load balancers: 60 s):
        # a server that closes first races the client's next request on that connection.
        timeout_keep_alive=KEEP_ALIVE,
    )
    return uvicorn.Server(config)


class HttpServer:
    """Serves ``app`` on a daemon thread until ``stop``."""

    def __init__(
        self, listen: str, app: Starlette, on_stop: Callable[[], None] = lambda: None
    ) -> None:
        self._on_stop = on_stop
        self._socket = listening_socket(listen)
        self._server = uvicorn_server(app)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def address(self) -> str:
        return bound_address(self._socket)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)
        self._socket.close()
        self._on_stop()


def bound_address(sock: socket.socket) -> str:
    """HOST:PORT the socket is bound to (the real port when asked for port 0)."""
    host, port = sock.getsockname()[:2]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def serve_forever(listen: str, app: Starlette, ready: Callable[[str], None]) -> None:
    """Serve ``app`` in this thread until SIGINT or SIGTERM (the `serve` command); ``ready``
    gets the bound address once the socket listens (never for an address that is taken)."""
    sock = listening_socket(listen)
    ready(bound_address(sock))
    try:
        uvicorn_server(app).run(sockets=[sock])
    finally:
        sock.close()
