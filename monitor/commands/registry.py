"""The command registry: each command module registers its commands with ``@command``.

``monitor.cli`` imports the command modules (so every command is registered) and builds the
parser from the registry; the modules never import ``monitor.cli``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# What a command returns (cli maps exceptions to codes, commands return these).
EXIT_OK, EXIT_SOURCE_FAILED, EXIT_USAGE = 0, 1, 2

Run = Callable[[argparse.Namespace, Mapping[str, str]], int]
Arguments = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Command:
    run: Run
    help: str
    arguments: Arguments


# In registration order: the order `python -m monitor --help` lists them in.
COMMANDS: dict[str, Command] = {}


def command(name: str, help_text: str, arguments: Arguments) -> Callable[[Run], Run]:
    def decorator(function: Run) -> Run:
        COMMANDS[name] = Command(function, help_text, arguments)
        return function

    return decorator
