"""The layout stays navigable: no import cycles, one module per name, no module too long.

The import graph counts every import a module executes, function-level ones too (a late import
that dodges a cycle is still a cycle), but not those under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("monitor", "notifiers", "store")
NOT_NAMED = {"__init__.py", "__main__.py"}  # every package has them
MIGRATIONS = Path("store", "migrations", "versions")  # alembic names these by revision
MAX_LINES = 400  # a module a newcomer reads in one sitting


def module_files(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the three packages under ``root``."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _type_checking_only(tree: ast.Module) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
            skipped.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return skipped


def _imported_names(module: str, is_package: bool, tree: ast.Module) -> Iterator[str]:
    skipped = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package, one level up per extra dot
                package = module.split(".") if is_package else module.split(".")[:-1]
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of ours it imports (``from a import b``: a.b if it is a module)."""
    modules = module_files(root)

    def ours(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _imported_names(module, path.name == "__init__.py", tree)
        graph[module] = {t for name in names if (t := ours(name)) and t != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = stack[stack.index(node) :]
                    del stack[stack.index(node) :]
                    if len(component) > 1:
                        found.append(sorted(component))
            elif target not in index:
                index[target] = low[target] = len(index)
                stack.append(target)
                work.append((target, iter(sorted(graph[target]))))
            elif target in stack:
                low[node] = min(low[node], index[target])
    return found


def name_clashes(root: Path) -> list[str]:
    """Two modules with one file name, or a module named like a package."""
    by_name: dict[str, list[Path]] = {}
    packages: set[str] = set()
    for path in module_files(root).values():
        relative = path.relative_to(root)
        if path.name == "__init__.py":
            packages.add(relative.parent.name)
        elif path.name not in NOT_NAMED and not relative.is_relative_to(MIGRATIONS):
            by_name.setdefault(path.name, []).append(relative)
    clashes = [
        f"{name}: {', '.join(map(str, paths))}" for name, paths in by_name.items() if len(paths) > 1
    ]
    clashes += [
        f"{paths[0]} is named like the package {name.removesuffix('.py')}/"
        for name, paths in by_name.items()
        if name.removesuffix(".py") in packages
    ]
    return sorted(clashes)


def test_no_import_cycle() -> None:
    assert cycles(import_graph(REPO)) == []


def test_no_two_modules_share_a_name() -> None:
    assert name_clashes(REPO) == []


def too_long(root: Path) -> list[str]:
    """Modules over ``MAX_LINES`` lines, with their length."""
    lengths = {
        path.relative_to(root).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in module_files(root).values()
    }
    return sorted(f"{name}: {lines}" for name, lines in lengths.items() if lines > MAX_LINES)


def test_no_module_is_over_the_limit() -> None:
    assert too_long(REPO) == []


# -- the checks themselves can fail ------------------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in {"monitor/__init__.py": "", "notifiers/__init__.py": "", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "store").mkdir(exist_ok=True)
    return root


def test_a_late_import_is_still_a_cycle(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "monitor/a.py": "from monitor.b import f\n",
            "monitor/b.py": "def f():\n    from monitor import a\n",
            "monitor/c.py": "from monitor.a import f\n",
        },
    )
    assert cycles(import_graph(root)) == [["monitor.a", "monitor.b"]]


def test_a_cycle_through_a_package_and_a_relative_import(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "notifiers/__init__.py": "from notifiers import slack\n",
            "notifiers/slack.py": "from . import register\n",
        },
    )
    assert cycles(import_graph(root)) == [["notifiers", "notifiers.slack"]]


def test_type_checking_imports_are_no_cycle(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "monitor/a.py": "from monitor.b import f\n",
            "monitor/b.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from monitor.a import X\n",
        },
    )
    assert cycles(import_graph(root)) == []


def test_clashing_names_are_found(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "monitor/fetch/__init__.py": "",
            "monitor/fetch/split.py": "",
            "monitor/text/__init__.py": "",
            "monitor/text/split.py": "",
            "notifiers/fetch.py": "",
            "store/migrations/versions/0001_a.py": "",
            "store/migrations/versions/0002_b.py": "",
            "store/__main__.py": "",
            "monitor/__main__.py": "",
        },
    )
    assert name_clashes(root) == [
        "notifiers/fetch.py is named like the package fetch/",
        "split.py: monitor/fetch/split.py, monitor/text/split.py",
    ]


def test_a_long_module_is_found(tmp_path: Path) -> None:
    root = _tree(
        tmp_path, {"monitor/short.py": "x = 1\n" * MAX_LINES, "monitor/long.py": "x = 1\n" * 401}
    )
    assert too_long(root) == ["monitor/long.py: 401"]
