"""`sources [--json]`: every configured source with its state in the store."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from monitor.cli import EXIT_OK, add_config_argument, command, open_store, settings_from
from monitor.commands.columns import local_time, print_table
from monitor.config import SourceConfig, format_duration
from monitor.pipeline.check import utc_now
from store.repo import Store
from store.tables import SourceState

HEADER = (
    "source", "kind", "agency", "interval", "enabled", "last check", "status", "failures",
    "docs", "next due",
)  # fmt: skip


def _arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object per source")


@command("sources", "list the configured sources and how their checks went", _arguments)
def sources_command(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    settings = settings_from(args, env)
    store = open_store(args, env, create=False)
    try:
        rows = [_row(source, store, utc_now()) for source in settings.sources]
    finally:
        store.close()
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return EXIT_OK
    table = [
        (
            row["name"], row["kind"], row["agency"], format_duration(row["interval"]),
            "yes" if row["enabled"] else "no", local_time(_when(row["last_checked_at"])),
            row["status"], row["consecutive_failures"], row["documents"],
            local_time(_when(row["next_due_at"])) if row["enabled"] else "-",
        )
        for row in rows
    ]  # fmt: skip
    print_table(HEADER, table, sys.stdout, right=(3, 7, 8))
    return EXIT_OK


def _row(source: SourceConfig, store: Store, now: datetime) -> dict[str, Any]:
    state = store.source_state(source.name)
    return {
        "name": source.name,
        "kind": source.kind,
        "agency": source.agency,
        "interval": source.interval,
        "enabled": source.enabled,
        "last_checked_at": _iso(state.last_checked_at),
        "status": _status(source, state),
        "consecutive_failures": state.consecutive_failures,
        "last_error": state.last_error,
        "documents": len(store.watched(source.name)),
        "next_due_at": _iso(_next_due(source, state, now)),
    }


def _status(source: SourceConfig, state: SourceState) -> str:
    if state.last_checked_at is None:
        return "never checked" if source.enabled else "disabled"
    if state.consecutive_failures:
        return "failing"
    return "ok" if source.enabled else "disabled"


def _next_due(source: SourceConfig, state: SourceState, now: datetime) -> datetime | None:
    """When `run` checks it next: an interval after the last check (now, if never checked)."""
    if not source.enabled:
        return None
    if state.last_checked_at is None:
        return now
    return max(now, state.last_checked_at + timedelta(seconds=source.interval))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
