"""`notify-test` (one test alert per channel) and `deliveries` (what is pending or failed)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Mapping

from monitor.commands.options import (
    add_config_argument,
    add_json_argument,
    open_store,
    settings_from,
)
from monitor.commands.registry import EXIT_OK, EXIT_SOURCE_FAILED, command
from monitor.errors import NotifyError
from monitor.pipeline.check import utc_now
from monitor.pipeline.events import notify_test
from notifiers import build_notifiers

log = logging.getLogger(__name__)


def _config_only(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)


def _deliveries_arguments(parser: argparse.ArgumentParser) -> None:
    add_json_argument(parser, "delivery")
    parser.add_argument(
        "--all", action="store_true", help="include sent deliveries, not only pending and failed"
    )


@command("notify-test", "send a test alert to every configured channel", _config_only)
def notify_test_command(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    settings = settings_from(args, env)
    event = notify_test(utc_now())
    failed = 0
    for notifier in build_notifiers(settings, env):
        try:
            notifier.send(event)
        except NotifyError as exc:
            failed += 1
            print(f"{notifier.channel}: FAILED: {exc}")
        except Exception as exc:  # the per-channel boundary: report it and test the others
            log.exception("channel %s: unexpected error", notifier.channel)
            failed += 1
            print(f"{notifier.channel}: FAILED: {type(exc).__name__}: {exc}")
        else:
            print(f"{notifier.channel}: ok")
    return EXIT_SOURCE_FAILED if failed else EXIT_OK


@command("deliveries", "list pending and failed alert deliveries", _deliveries_arguments)
def deliveries_command(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    store = open_store(args, env, create=False)
    try:
        rows = [d for d in store.deliveries() if args.all or d.status != "sent"]
        events = store.event_records([row.event_id for row in rows])
    finally:
        store.close()
    for row in rows:
        event = events[row.event_id]
        record = {
            "event": row.event_id,
            "type": event.type,
            "title": event.title,
            "channel": row.channel,
            "status": row.status,
            "attempts": row.attempts,
            "next_attempt_at": row.next_attempt_at.isoformat() if row.status == "pending" else None,
            "last_error": row.last_error,
        }
        if args.json:
            print(json.dumps(record))
        else:
            when = f"next {record['next_attempt_at']}" if record["next_attempt_at"] else ""
            print(
                f"{row.status:8} {row.channel:28} {row.attempts:>2} tries  {when}  "
                f"{event.type}: {event.title[:60]}  {row.last_error or ''}".rstrip()
            )
    if not rows and not args.json:
        print("no pending or failed deliveries", file=sys.stderr)
    return EXIT_OK
