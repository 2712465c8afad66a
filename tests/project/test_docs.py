"""Docs that cannot rot: every CLI option and config key appears in the README."""

from __future__ import annotations

import argparse
from pathlib import Path

from monitor.cli import build_parser
from monitor.reference import reference_markdown, updated_readme

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def test_the_config_reference_in_the_readme_is_current() -> None:
    assert updated_readme(README) == README, "run: python -m monitor.reference --write"


def test_every_config_key_is_in_the_reference() -> None:
    reference = reference_markdown()
    for key in ("name", "agency", "kind", "interval", "content_selector", "max_bytes", "channel"):
        assert f"| `{key}` |" in reference


def test_every_command_and_option_is_documented() -> None:
    commands = _subparsers(build_parser())
    assert "check" in commands
    for name, parser in commands.items():
        assert f"python -m monitor {name}" in README, f"command {name} is not in the README"
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}" in README, f"{name} {option} is not in the README"
