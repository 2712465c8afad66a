"""`python -m monitor run`: the scheduler service."""

from __future__ import annotations

import argparse
import asyncio
import errno
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from monitor.cli import add_config_argument, command, open_store
from monitor.config import Settings, config_path, load_settings
from monitor.errors import ConfigError
from store.repo import Store


def _run_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)


@command(
    "run", "run as a service: check each source on its interval, serve /healthz", _run_arguments
)
def run_command(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from store.locks import scheduler_guard  # the service's modules load only to run it

    path = args.config or config_path(env)
    settings = load_settings(path)
    store = open_store(args, env)
    try:
        with scheduler_guard(store.engine), _listen_errors(settings, env):
            return asyncio.run(_serve(path, settings, store, env))
    finally:
        store.close()


@contextmanager
def _listen_errors(settings: Settings, env: Mapping[str, str]) -> Iterator[None]:
    """A port taken or an address not ours is a usage error: one line and exit 2, whichever
    server binds it (only binding a socket raises these two)."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in (errno.EADDRINUSE, errno.EADDRNOTAVAIL):
            raise
        listen = env.get("MONITOR_LISTEN") or settings.service.listen
        reason = os.strerror(exc.errno).lower()
        raise ConfigError(f"listen {listen}: {reason}") from None


async def _serve(path: str, settings: Settings, store: Store, env: Mapping[str, str]) -> int:
    # The service binds to the running loop (signals, scheduler), so it is built inside it.
    from monitor.service.scheduler import Service  # APScheduler, prometheus: ~30 ms to import

    return await Service(path, settings, store, env).run()
