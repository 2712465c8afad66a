"""Command line: parse arguments, run a command, map errors to exit codes.

Exit codes: 0 every source answered; 1 the pass finished but a source failed; 2 configuration or
usage error. This is the only module that turns exceptions into exit codes. The commands live in
``monitor.commands``, one module per theme, each registered in ``monitor.commands.registry``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence

# Importing a command module registers its commands, in this order (`check` first).
from monitor.commands import (  # noqa: F401
    checking,
    configcheck,
    documents,
    dryrun,
    ledger,
    notify,
    run,
    serve,
    sources,
)
from monitor.commands.options import common_options, verbosity
from monitor.commands.registry import COMMANDS, EXIT_OK, EXIT_SOURCE_FAILED, EXIT_USAGE
from monitor.errors import ConfigError, MonitorError, StoreError
from monitor.logs import configure_logging

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m monitor",
        description="Watch the U.S.-Mexico HLED pages and report what changed.",
        parents=[common_options(after_command=False)],
    )
    after = common_options(after_command=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, registered in COMMANDS.items():
        registered.arguments(commands.add_parser(name, help=registered.help, parents=[after]))
    return parser


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    environment = os.environ if env is None else env
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 for --help
        return int(exc.code or 0)
    configure_logging(verbosity(args), environment)
    try:
        return COMMANDS[args.command].run(args, environment)
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
