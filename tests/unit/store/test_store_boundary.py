"""What the store may know of the rest: the domain values and the errors, nothing else."""

from __future__ import annotations

import ast
from pathlib import Path

import store

ALLOWED = {"monitor.models", "monitor.errors"}


def monitor_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    return {name for name in names if name == "monitor" or name.startswith("monitor.")}


def test_the_store_imports_only_the_domain_values_and_errors_of_monitor() -> None:
    root = Path(store.__file__).parent
    found = {
        str(path.relative_to(root)): imports - ALLOWED
        for path in root.rglob("*.py")
        if (imports := monitor_imports(path)) - ALLOWED
    }
    assert found == {}
