"""Run one command; write its wall time, CPU time, peak RSS and exit code as JSON.

Usage: python bench/launch.py REPORT.json COMMAND [ARG ...]

Why a separate, small process: on Linux a child's peak RSS (ru_maxrss) is at least the memory
of the process that started it (exec keeps the old address space's high-water mark, and
subprocess starts children with vfork), so the benchmark, which grows while it reads the
tools' output, must not start the measured command itself. This launcher is ~10 MB, far below
any measured tool, so the peak it reports is the command's own.

A command may run as more than one process (a browser, say). ru_maxrss is then
the largest one's peak, which undercounts; so the launcher also samples, every 50 ms, the sum of
the proportional set sizes (PSS: shared pages split between the processes sharing them) of the
command and its children, and reports the larger of the two as the peak.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path


def main() -> int:
    report, command = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: become the command (stdio and environment are inherited)
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    sampler = TreeMemory(pid)
    sampler.start()
    _, status, usage = os.wait4(pid, 0)
    sampler.stop()
    result = {
        "wall": time.perf_counter() - started,
        "cpu": usage.ru_utime + usage.ru_stime,  # its children too: the command waits for them
        "peak_mb": max(usage.ru_maxrss / 1024, sampler.peak_kib / 1024),  # KiB on Linux
        "tree_pss_mb": sampler.peak_kib / 1024,
        "exit": os.waitstatus_to_exitcode(status),
    }
    with open(report, "w", encoding="utf-8") as out:
        json.dump(result, out)
    return 0


class TreeMemory(threading.Thread):
    """The highest sum of PSS over a process and its children, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kib = pid, 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.05):
            self.peak_kib = max(self.peak_kib, sum(map(_pss_kib, _tree(self.pid))))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [pid] + [found for child in children for found in _tree(int(child))]


def _pss_kib(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # gone meanwhile
        return 0
    return sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))


if __name__ == "__main__":
    sys.exit(main())
