"""Browser fetches: pages per second and peak memory for N script-built local pages.

    python bench/bench_browser.py [--pages 50] [--concurrency 2] [--runs 2]

A local site serves N distinct articles whose text a script inserts after load (no ETag, so
every check renders every page, as for a challenged site). Each run is one real
``python -m monitor check`` with ``fetch = "browser"`` and politeness off; the first run records
the baseline, later ones find the same text. Memory is the peak, over the run, of the summed
proportional set size (PSS, from /proc/PID/smaps_rollup) of the check and every process below
it: Playwright's driver and Chromium's processes, shared pages counted once.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browsersite import BrowserSite, script_built  # noqa: E402

SAMPLE_EVERY = 0.05


def build_site(pages: int) -> BrowserSite:
    site = BrowserSite(etags=False)
    for number in range(pages):
        paragraphs = (
            f"Communiqué {number}: the High-Level Economic Dialogue working group {number} met.",
            f"Both governments committed {number + 10} million dollars to border project {number}.",
            "The delegations agreed to report on progress at the next meeting of the dialogue.",
        )
        site.pages[f"/prensa/{number}"] = script_built(f"HLED communiqué {number}", paragraphs)
    return site


def config(base: str, pages: int, concurrency: int) -> str:
    urls = ",\n".join(f'  "{base}/prensa/{number}"' for number in range(pages))
    return (
        f'[fetch]\nper_host_delay = "0s"\nper_host_concurrency = {concurrency}\n'
        f"\n[browser]\nconcurrency = {concurrency}\n\n"
        '[[source]]\nname = "bench"\nagency = "SE"\nkind = "page"\nfetch = "browser"\n'
        f"urls = [\n{urls}\n]\n"
    )


def tree_pss_kb(root: int) -> int:
    """Summed PSS of ``root`` and its descendants, in kB."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except (OSError, ValueError):
                continue
    members, frontier = {root}, {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - members
        members |= frontier
    total = 0
    for pid in members:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def run_check(workdir: Path) -> tuple[float, float, int, int]:
    """(seconds, CPU seconds of the check and its processes, peak PSS in MB, exit code)."""
    env = {
        **os.environ,
        "MONITOR_CONFIG": str(workdir / "sources.toml"),
        "MONITOR_DATABASE_URL": f"sqlite:///{workdir / 'monitor.db'}",
    }
    started = time.monotonic()
    cpu_before = _children_cpu()
    process = subprocess.Popen(
        [sys.executable, "-m", "monitor", "check"],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_pss_kb(process.pid))
        time.sleep(SAMPLE_EVERY)
    elapsed = time.monotonic() - started
    return elapsed, _children_cpu() - cpu_before, peak // 1024, process.returncode


def _children_cpu() -> float:
    """CPU seconds of waited-for descendants (Chromium's processes are reaped by the driver)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    site = build_site(args.pages)
    with site.serve() as base, tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        (workdir / "sources.toml").write_text(config(base, args.pages, args.concurrency))
        print(f"{args.pages} pages, [browser] concurrency {args.concurrency}, "
              f"{threading.active_count()} server thread(s)")  # fmt: skip
        for run in range(1, args.runs + 1):
            seconds, cpu, peak_mb, code = run_check(workdir)
            rendered = sum(1 for hit in site.hits if hit.by_browser and "/prensa/" in hit.path)
            print(
                f"run {run}: exit {code}, {seconds:.1f}s, {args.pages / seconds:.2f} pages/s "
                f"(whole check, Python start included), {cpu:.1f} CPU s, peak PSS {peak_mb} MB, "
                f"{rendered} page loads in the browser so far"
            )


if __name__ == "__main__":
    main()
