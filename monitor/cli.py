"""Command line: parse arguments, run a command, map errors to exit codes.

Exit codes: 0 every source answered; 1 the pass finished but a source failed; 2 configuration or
usage error. This is the only module that turns exceptions into exit codes.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from monitor.commands.columns import plural, print_table
from monitor.config import Settings, config_path, database_url, load_settings
from monitor.errors import ConfigError, MonitorError, StoreError, StoreMissing
from monitor.fetch.helper import Helper, fetch_helper
from monitor.logs import configure_logging
from monitor.models import Event
from monitor.pipeline.check import PassResult, run_check, utc_now
from monitor.pipeline.context import ChannelSelector
from monitor.pipeline.deliver import DeliveryReport, deliver_pending
from notifiers import Notifier, build_notifiers
from notifiers.retry import RetryPolicy
from store.locks import check_guard, source_locks
from store.repo import Store

EXIT_OK, EXIT_SOURCE_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
CHECK_LOCK_WAIT = 10.0  # seconds a check waits for another one (or `run`) on the same database

Run = Callable[[argparse.Namespace, Mapping[str, str]], int]
Arguments = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Command:
    run: Run
    help: str
    arguments: Arguments


# Commands register themselves with @command; modules holding more of them are imported in
# _load_commands so that `python -m monitor --help` lists them all.
_COMMANDS: dict[str, Command] = {}


def command(name: str, help_text: str, arguments: Arguments) -> Callable[[Run], Run]:
    def decorator(function: Run) -> Run:
        _COMMANDS[name] = Command(function, help_text, arguments)
        return function

    return decorator


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="PATH", help="sources.toml (default: $MONITOR_CONFIG)")


def common_options(after_command: bool) -> argparse.ArgumentParser:
    """-v, -q and --db, accepted before the command and after it (`check -v`).

    After the command they count into their own names and have no defaults: argparse would
    otherwise let a subcommand's defaults overwrite what was given before it (`-v check`, or
    `config -v check`).
    """
    suffix, default = ("_after", argparse.SUPPRESS) if after_command else ("", None)
    count = argparse.SUPPRESS if after_command else 0
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v", "--verbose", action="count", dest="verbose" + suffix, default=count,
        help="more log output (-vv: debug)",
    )  # fmt: skip
    common.add_argument(
        "-q", "--quiet", action="count", dest="quiet" + suffix, default=count,
        help="less output: errors only",
    )  # fmt: skip
    common.add_argument(
        "--db", metavar="URL", default=default,
        help="the store's database URL (default: $MONITOR_DATABASE_URL, else sqlite:///data/monitor.db)",
    )  # fmt: skip
    return common


def build_parser() -> argparse.ArgumentParser:
    _load_commands()
    parser = argparse.ArgumentParser(
        prog="python -m monitor",
        description="Watch the U.S.-Mexico HLED pages and report what changed.",
        parents=[common_options(after_command=False)],
    )
    after = common_options(after_command=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, registered in _COMMANDS.items():
        registered.arguments(commands.add_parser(name, help=registered.help, parents=[after]))
    return parser


def verbosity(args: argparse.Namespace) -> int:
    """-v minus -q, wherever they were given: 0 is the default level."""
    loud = args.verbose + getattr(args, "verbose_after", 0)
    return int(loud - args.quiet - getattr(args, "quiet_after", 0))


def store_url(args: argparse.Namespace, env: Mapping[str, str]) -> str:
    return str(getattr(args, "db", None) or database_url(env))


def open_store(args: argparse.Namespace, env: Mapping[str, str], *, create: bool = True) -> Store:
    """The store at --db or $MONITOR_DATABASE_URL; read-only commands pass ``create=False``."""
    url = store_url(args, env)
    try:
        return Store(url, create=create)
    except StoreMissing as exc:
        raise ConfigError(
            f"no store at {exc}: nothing has been checked there yet (run `python -m monitor "
            "check` first, or point at the store with --db URL or MONITOR_DATABASE_URL)"
        ) from None


def _load_commands() -> None:
    """Import the modules whose commands register on import."""
    import monitor.commands.configcheck
    import monitor.commands.documents
    import monitor.commands.dryrun
    import monitor.commands.ledger
    import monitor.commands.notify
    import monitor.commands.run
    import monitor.commands.serve
    import monitor.commands.sources  # noqa: F401


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    environment = os.environ if env is None else env
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help
        return int(exc.code or 0)
    configure_logging(verbosity(args), environment)
    try:
        return _COMMANDS[args.command].run(args, environment)
    except KeyboardInterrupt:  # Ctrl-C: what was committed stays; the next check goes on
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `... | head`: the reader left; that is not an error
        sys.stdout = open(os.devnull, "w")
        return EXIT_OK
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SOURCE_FAILED
    except MonitorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SOURCE_FAILED


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_argument(parser)
    parser.add_argument(
        "--source", metavar="NAME", action="extend", nargs="+", default=[],
        help="check only these sources",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="one JSON object per event on stdout")
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
    # The helper is forked before the store opens (it must not share its connections). The
    # guard `run` takes (SQLite: a file lock; PostgreSQL: the sources' locks) spans the pass and
    # its alerts, so two checks never record the same change twice.
    with fetch_helper(settings.fetch) as helper, check_guard(store_url(args, env), CHECK_LOCK_WAIT):
        store = open_store(args, env)
        try:
            with source_locks(store.engine, names, CHECK_LOCK_WAIT):
                if args.json:
                    store.on_recorded(JsonLines(sys.stdout))
                result, delivery = _check_and_deliver(args, settings, store, notifiers, helper)
        finally:
            store.close()
    print_summary(result, delivery, human, quiet=verbosity(args) < 0)
    return EXIT_SOURCE_FAILED if result.failed else EXIT_OK


def _check_and_deliver(
    args: argparse.Namespace,
    settings: Settings,
    store: Store,
    notifiers: Sequence[Notifier],
    helper: Helper | None,
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
            helper=helper,
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


def settings_from(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    return load_settings(args.config or config_path(env))


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
