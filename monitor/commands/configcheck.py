"""`config check [--config PATH]`: validate the configuration without fetching anything."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from monitor.cli import EXIT_OK, add_config_argument, command, common_options, settings_from
from monitor.commands.columns import plural
from notifiers import build_notifiers


def _arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="validate sources.toml and the channels' settings",
        parents=[common_options(after_command=True)],
    )
    add_config_argument(check)


@command("config", "validate the configuration (config check)", _arguments)
def config_command(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    """Every error is a ConfigError, which the CLI turns into exit 2 (with file, source, field)."""
    settings = settings_from(args, env)
    # The channels are built too (nothing is sent): a missing token or SMTP_HOST shows here.
    channels = [n.channel for n in build_notifiers(settings, env) if n.channel != "console"]
    enabled = sum(source.enabled for source in settings.sources)
    print(
        f"{settings.path}: ok: {plural(len(settings.sources), 'source')} ({enabled} enabled), "
        f"alerts to {', '.join(channels) or 'the console'}"
    )
    return EXIT_OK
