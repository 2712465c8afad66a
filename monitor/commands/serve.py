"""`python -m monitor serve`: the web view alone, read-only over the store."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from monitor.cli import EXIT_OK, add_config_argument, command
from monitor.config import Settings, config_path, database_url, load_settings, public_url


def _serve_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument(
        "--listen", metavar="HOST:PORT",
        help="where to serve (default: $MONITOR_LISTEN, [service] listen, or 127.0.0.1:8080)",
    )  # fmt: skip


@command("serve", "serve the web view, Atom feed and JSON API (read-only)", _serve_arguments)
def serve_command(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from monitor.service.http import parse_listen, serve_forever  # the web stack: only here
    from monitor.service.webview import view_token
    from monitor.web.access import warn_if_exposed
    from monitor.web.app import ViewContext, build_app
    from store.queries import ReadStore

    settings = _settings(args, env)
    listen = args.listen or env.get("MONITOR_LISTEN") or settings.service.listen
    host = parse_listen(listen)[0]  # a bad address is a usage error before anything opens
    store = ReadStore(database_url(env))
    try:
        context = ViewContext(store, lambda: settings.sources, public_url=public_url(settings, env))
        token = view_token(env)
        warn_if_exposed(host, token)
        serve_forever(listen, build_app(context, token), _announce)
    finally:
        store.close()
    return EXIT_OK


def _announce(address: str) -> None:
    print(f"serving the web view at http://{address}/ (read-only)", file=sys.stderr)


def _settings(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    """The configuration when there is one (sources' intervals, listen, public_url); else none."""
    path = args.config or config_path(env)
    if args.config is None and not Path(path).exists():
        return Settings()
    return load_settings(path)
