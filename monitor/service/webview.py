"""The web view beside /healthz and /metrics in `run`: one server, one port."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from starlette.routing import BaseRoute

from monitor.config import Settings, SourceConfig, database_url, public_url
from monitor.service.http import HttpServer, parse_listen
from monitor.web.access import warn_if_exposed
from monitor.web.app import ViewContext, build_app
from store.queries import ReadStore


def service_server(
    listen: str,
    settings: Callable[[], Settings],
    env: Mapping[str, str],
    health_routes: Sequence[BaseRoute],
    next_run: Callable[[str], datetime | None],
) -> HttpServer:
    """The service's server: the health routes first, then the view over a read-only engine."""
    token = view_token(env)
    store = ReadStore(database_url(env))

    def sources() -> Sequence[SourceConfig]:
        return settings().sources

    context = ViewContext(store, sources, next_run, public_url(settings(), env))
    app = build_app(context, token, extra=health_routes)
    server = HttpServer(listen, app, on_stop=store.close)
    warn_if_exposed(parse_listen(listen)[0], token)
    return server


def view_token(env: Mapping[str, str] = os.environ) -> str | None:
    return env.get("MONITOR_VIEW_TOKEN") or None
