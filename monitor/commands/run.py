"""`python -m monitor run`: the scheduler service."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping

from monitor.cli import add_config_argument, command, open_store
from monitor.config import Settings, config_path, load_settings
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
        with scheduler_guard(store.engine):
            return asyncio.run(_serve(path, settings, store, env))
    finally:
        store.close()


async def _serve(path: str, settings: Settings, store: Store, env: Mapping[str, str]) -> int:
    # The service binds to the running loop (signals, scheduler), so it is built inside it.
    from monitor.service.scheduler import Service  # APScheduler, prometheus: ~30 ms to import

    return await Service(path, settings, store, env).run()
