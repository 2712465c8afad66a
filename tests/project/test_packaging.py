"""`notifiers` and `store` are also names of unrelated PyPI packages: ours must be the ones used."""

from __future__ import annotations

from pathlib import Path

import monitor
import notifiers
import store

REPO = Path(__file__).resolve().parents[2]


def test_our_packages_import_from_this_repository() -> None:
    for package in (monitor, notifiers, store):
        assert package.__file__ is not None
        assert Path(package.__file__).resolve().is_relative_to(REPO), package.__file__


def test_pyproject_lists_the_three_packages_explicitly() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    for name in ("monitor", "notifiers", "store"):
        assert f'"{name}"' in text
    assert '"notifiers>' not in text
    assert '"store>' not in text
