"""The registry of channel kinds: each channel module registers a builder under its kind, and
``build_notifiers`` asks every registered builder for its configured channels.

Channel modules import this module; ``notifiers`` imports the channel modules (so they are
registered) and re-exports what callers use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TextIO

from monitor.config import Settings
from monitor.errors import ConfigError
from notifiers.base import Notifier
from notifiers.console import ConsoleNotifier

# A builder turns the config and the environment into zero or more notifiers of its kind.
Builder = Callable[[Settings, Mapping[str, str]], Sequence[Notifier]]
_BUILDERS: dict[str, Builder] = {}


def register(kind: str) -> Callable[[Builder], Builder]:
    def decorator(builder: Builder) -> Builder:
        _BUILDERS[kind] = builder
        return builder

    return decorator


def build_notifiers(
    settings: Settings, env: Mapping[str, str], console: TextIO | None = None
) -> list[Notifier]:
    """Every configured channel; the console alone when none is configured."""
    built: list[Notifier] = []
    problems: list[str] = []  # a missing token for one channel hides no other channel's
    for builder in _BUILDERS.values():
        try:
            built += builder(settings, env)
        except ConfigError as exc:
            problems.append(str(exc))
    if problems:
        raise ConfigError("\n".join(problems))
    return built or [ConsoleNotifier(console, settings.notify.max_commitments)]
