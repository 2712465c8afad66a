"""Benchmark: `python -m monitor check` against urlwatch on N generated pages of each kind.

Run by hand (`make bench`), never by the test suite. For each kind of page (agency: a short
article in heavy chrome; policy: a long plan of sentences with amounts and bullet lists) and
each N it starts the fake site (bench/siteserver.py, its own process), writes the same N URLs
into a sources.toml for us and a urls.yaml for urlwatch (each in its own temporary folder), and
times four rounds of each tool as whole processes, interleaved round by round so both see the
same site and the same machine load:

1. first fetch; 2. nothing changed; 3. 5% of the articles edited (a policy edit rewords one
sentence and adds one bullet); 4. only the chrome of every page changed (footer, timestamp,
related links).

Per round it reports wall time, CPU seconds and peak RSS of the check's process (measured by
bench/launch.py), CPU per page, the changes each tool reported, and ours/urlwatch ratios
against the targets. Wrong counts or a non-zero exit fail the run (exit 1).
Usage: python bench/bench_check.py [--kinds agency policy] [--n 200 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import sitegen
from report import Run, print_table
from tools import BENCH, Ours, Report, Urlwatch, ensure_urlwatch

ROUNDS = {1: "first fetch", 2: "nothing changed", 3: "5% articles edited", 4: "chrome only"}


class Tool(Protocol):
    name: str

    def setup(self, urls: list[str]) -> None: ...
    def command(self) -> list[str]: ...
    def warm_up(self) -> list[str]: ...
    def env(self) -> dict[str, str]: ...
    def read(self, stdout: str, stderr: str) -> Report: ...


class SiteServer:
    """The fake site in its own process; rounds and statistics through control paths."""

    def __init__(self, size: int, kind: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(BENCH / "siteserver.py"), str(size), kind],
            cwd=BENCH,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())
        self.base = f"http://127.0.0.1:{self.port}"

    def get(self, path: str) -> bytes:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request("GET", path)
            return connection.getresponse().read()
        finally:
            connection.close()

    def set_round(self, number: int) -> None:
        self.get(f"/__round/{number}")

    def stats(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self.get("/__stats"))
        return found

    def close(self) -> None:
        self.process.terminate()
        self.process.wait()


@contextmanager
def site_server(size: int, kind: str) -> Iterator[SiteServer]:
    server = SiteServer(size, kind)
    try:
        yield server
    finally:
        server.close()


def measure(tool: Tool, number: int, folder: Path) -> tuple[float, float, float, Report, int]:
    """Run one check as a whole process: wall, CPU (user+sys), peak RSS in MB, what it said."""
    stem = folder / f"{tool.name}-{number}"
    launcher = [sys.executable, str(BENCH / "launch.py"), f"{stem}.json", *tool.command()]
    with open(f"{stem}.out", "wb") as out, open(f"{stem}.err", "wb") as err:
        subprocess.run(launcher, stdout=out, stderr=err, env={**os.environ, **tool.env()},
                       cwd=folder, check=True)  # fmt: skip
    usage = json.loads(Path(f"{stem}.json").read_text(encoding="utf-8"))
    stdout = Path(f"{stem}.out").read_text(encoding="utf-8", errors="replace")
    stderr = Path(f"{stem}.err").read_text(encoding="utf-8", errors="replace")
    report = tool.read(stdout, stderr)
    return usage["wall"], usage["cpu"], usage["peak_mb"], report, usage["exit"]


def expected(tool: Tool, number: int, urls: list[str]) -> tuple[frozenset[str], int]:
    """(changed URLs, new documents) a correct run of ``tool`` reports in round ``number``."""
    edited = frozenset(url for i, url in enumerate(urls) if sitegen.article_changed(i))
    if number == 1:
        return frozenset(), len(urls) if tool.name == "urlwatch" else 0  # ours: silent baseline
    if number == 3:
        return edited, 0
    if number == 4 and tool.name == "urlwatch":
        return frozenset(urls), 0  # without filters every chrome change is a change
    return frozenset(), 0


def run_round(tool: Tool, number: int, urls: list[str], site: SiteServer, folder: Path) -> Run:
    before, load = site.stats(), os.getloadavg()[0]
    wall, cpu, peak, report, code = measure(tool, number, folder)
    after = site.stats()
    run = Run(tool.name, number, wall, cpu, peak, report, after["cpu"] - before["cpu"], load)
    run.http = {k: v - before["counts"].get(k, 0) for k, v in after["counts"].items()}
    want_changed, want_new = expected(tool, number, urls)
    if code != 0:
        run.problems.append(f"exit code {code} (see {folder}/{tool.name}-{number}.err)")
    changed = {url.rstrip("/") for url in report.changed}  # ours reports canonical URLs
    missing = sorted({url.rstrip("/") for url in want_changed} - changed)
    if len(report.changed) != len(want_changed) or missing:
        run.problems.append(
            f"{len(report.changed)} changes reported, {len(want_changed)} expected"
            + (f" (not reported: {', '.join(missing[:3])} ...)" if missing else "")
        )
    if report.new != want_new:
        run.problems.append(f"{report.new} new documents reported, {want_new} expected")
    if report.errors:
        run.problems.append(f"{report.errors} errors reported")
    return run


def bench_size(kind: str, size: int, args: argparse.Namespace) -> list[Run]:
    """``args.repeat`` times the four rounds, each time from empty databases."""
    folder = Path(tempfile.mkdtemp(prefix=f"hled-bench-{kind}-{size}-"))
    runs: list[Run] = []
    with site_server(size, kind) as site:
        urls = [site.base + sitegen.page_url_path(i) for i in range(size)]
        for repeat in range(args.repeat):
            runs += four_rounds(site, urls, folder / str(repeat), args)
    if args.keep:
        print(f"kept {folder}", file=sys.stderr)
    else:
        _remove(folder)
    return runs


def four_rounds(
    site: SiteServer, urls: list[str], folder: Path, args: argparse.Namespace
) -> list[Run]:
    tools: list[Tool] = [
        Ours(folder / "ours", args.concurrency),
        Urlwatch(folder / "urlwatch"),
    ]
    tools = [tool for tool in tools if tool.name in args.tools]
    for tool in tools:
        tool.setup(urls)
        subprocess.run(tool.warm_up(), capture_output=True, check=False)  # a warm disk cache
    runs = []
    for number in ROUNDS:
        site.set_round(number)  # both tools see the same content in the same round
        for tool in tools:
            runs.append(run_round(tool, number, urls, site, folder))
            print(f"  N={len(urls)} round {number} {tool.name}: {runs[-1].wall:.2f}s "
                  f"(load {runs[-1].load:.1f})", file=sys.stderr)  # fmt: skip
    return runs


def _remove(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", nargs="+", choices=sitegen.KINDS, default=list(sitegen.KINDS),
                        help="kinds of page")  # fmt: skip
    parser.add_argument("--n", type=int, nargs="+", default=[200, 1000], help="page counts")
    parser.add_argument("--concurrency", type=int, default=10, help="our [fetch] concurrency")
    parser.add_argument("--tools", nargs="+", default=["ours", "urlwatch"],
                        choices=["ours", "urlwatch"], help="tools to run")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="runs of the four rounds (median)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = parser.parse_args(argv)
    if "urlwatch" in args.tools:
        ensure_urlwatch()
    results = {(kind, n): bench_size(kind, n, args) for kind in args.kinds for n in args.n}
    print(
        f"python bench/bench_check.py --kinds {' '.join(args.kinds)} "
        f"--n {' '.join(map(str, args.n))} --repeat {args.repeat} --tools {' '.join(args.tools)}; "
        f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
        f"medians of {args.repeat} runs (peak: the highest)"
    )
    for (kind, size), runs in results.items():
        print_table(kind, size, runs, ROUNDS)
    problems = [(key, run) for key, runs in results.items() for run in runs if run.problems]
    for (kind, size), run in problems:
        print(f"FAIL {kind} N={size} round {run.round} {run.tool}: {'; '.join(run.problems)}",
              file=sys.stderr)  # fmt: skip
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
