"""`check`: one pass over the sources, its alerts, and what it prints (a table, or --json)."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from monitor.commands.columns import plural, print_table
from monitor.commands.options import (
    add_config_argument,
    add_json_argument,
    open_store,
    settings_from,
    store_url,
    verbosity,
)
from monitor.commands.registry import EXIT_OK, EXIT_SOURCE_FAILED, command
from monitor.config import Settings
from monitor.models import Event
from monitor.pipeline.check import PassResult, run_check, utc_now
from monitor.pipeline.context import ChannelSelector
from monitor.pipeline.deliver import DeliveryReport, deliver_pending
from notifiers import Notifier, build_notifiers
from notifiers.retry import RetryPolicy
from store.locks import check_guard, source_locks
from store.repo import Store

CHECK_LOCK_WAIT = 10.0  # seconds a check waits for another one (or `run`) on the same database


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument(
        "--source", metavar="NAME", action="extend", nargs="+", default=[],
        help="check only these sources",
    )  # fmt: skip
    add_json_argument(parser, "event on stdout")
    parser.add_argument(
        "--no-notify", action="store_true", help="record events but send no alerts for them"
    )


@command("check", "check every source once, record changes and send alerts", _check_arguments)
def check_command(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    settings = settings_from(args, env)
    names = [settings.source(name).name for name in args.source] or [
        source.name for source in settings.sources if source.enabled
    ]  # unknown names are usage errors, before any work
    human = sys.stderr if args.json else sys.stdout
    notifiers = build_notifiers(settings, env, console=_console_stream(args, human))
    # The guard `run` takes (SQLite: a file lock; PostgreSQL: the sources' locks) spans the pass
    # and its alerts, so two checks never record the same change twice.
    with check_guard(store_url(args, env), CHECK_LOCK_WAIT):
        store = open_store(args, env)
        try:
            with source_locks(store.engine, names, CHECK_LOCK_WAIT):
                if args.json:
                    store.on_recorded(JsonLines(sys.stdout))
                result, delivery = _check_and_deliver(args, settings, store, notifiers)
        finally:
            store.close()
    print_summary(result, delivery, human, quiet=verbosity(args) < 0)
    return EXIT_SOURCE_FAILED if result.failed else EXIT_OK


def _check_and_deliver(
    args: argparse.Namespace,
    settings: Settings,
    store: Store,
    notifiers: Sequence[Notifier],
) -> tuple[PassResult, DeliveryReport]:
    """Alerts already due (deferred by an earlier check) first, then the pass, then its alerts."""

    def deliver() -> DeliveryReport:
        if args.no_notify:
            return DeliveryReport()
        return deliver_pending(
            store, notifiers, utc_now(), settings.notify.digest_threshold,
            RetryPolicy.for_runs(settings.notify.max_retry_after),
        )  # fmt: skip

    earlier = deliver()
    result = asyncio.run(
        run_check(
            settings,
            store,
            source_names=args.source,
            channels=_channel_selector(notifiers, enabled=not args.no_notify),
        )
    )
    later = deliver()
    total = DeliveryReport(
        sent=earlier.sent + later.sent,
        messages=earlier.messages + later.messages,
        retrying=earlier.retrying + later.retrying,
        failed=earlier.failed + later.failed,
        errors=earlier.errors + later.errors,
    )
    return result, total


def _console_stream(args: argparse.Namespace, human: TextIO) -> TextIO:
    """Where console alerts go. With --json the events are on stdout already: repeating them
    on stderr only gets in a pipe's way, so they are shown there only with -v."""
    if args.json and verbosity(args) < 1:
        return io.StringIO()
    return human


def _channel_selector(notifiers: Sequence[Notifier], *, enabled: bool) -> ChannelSelector:
    def channels(event: Event) -> list[str]:
        if not enabled:
            return []
        return [notifier.channel for notifier in notifiers if notifier.accepts(event)]

    return channels


class JsonLines:
    """``check --json``: each event's line as soon as its transaction commits, flushed.

    A consumer of the stream never misses an event: a check killed mid-pass has printed every
    event it recorded, and the next check records (and prints) only new ones.
    """

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, events: Sequence[Event]) -> None:
        try:
            for event in events:
                self.out.write(json.dumps(event.as_json(), ensure_ascii=False) + "\n")
            self.out.flush()
        except BrokenPipeError:  # the reader left (`| head`): the pass goes on, unprinted
            self.out = sys.stdout = open(os.devnull, "w")  # lives until the process exits


def print_summary(
    result: PassResult, delivery: DeliveryReport, out: TextIO, *, quiet: bool = False
) -> None:
    """The human summary: a table of sources, then errors and deliveries (-q: errors only)."""
    if not quiet:
        header = ("source", "status", "docs", "new", "changed", "errors", "time")
        rows = [
            (r.name, r.status, r.documents, r.new, r.changed, len(r.errors), f"{r.elapsed:.2f}s")
            for r in result.reports
        ]
        print_table(header, rows, out, right=range(2, len(header)))
    for report in result.reports:
        if report.baseline and not report.errors and not quiet:
            documents = plural(report.documents, "document")
            print(
                f"{report.name}: baseline recorded ({documents}); alerts start with the next check",
                file=out,
            )
        for error in report.errors:
            print(f"{report.name}: error: {error}", file=out)
    if (delivery.sent and not quiet) or delivery.errors:
        print(
            f"alerts: {delivery.sent} sent, {delivery.retrying} to retry, "
            f"{delivery.failed} failed for good",
            file=out,
        )
    for error in delivery.errors:
        print(f"delivery: {error}", file=out)
