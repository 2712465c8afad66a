"""What commands share: the common options (-v, -q, --db, --config), and the settings and the
store they name."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from monitor.config import Settings, config_path, database_url, load_settings
from monitor.errors import ConfigError, StoreMissing
from store.repo import Store


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="PATH", help="sources.toml (default: $MONITOR_CONFIG)")


def add_json_argument(parser: argparse.ArgumentParser, per: str) -> None:
    """``--json``: JSON lines, one object ``per`` thing listed ("event on stdout", "source")."""
    parser.add_argument("--json", action="store_true", help=f"one JSON object per {per}")


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


def settings_from(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    return load_settings(args.config or config_path(env))
