"""Run one command; write its wall time, CPU time, peak RSS and exit code as JSON.

Usage: python bench/launch.py REPORT.json COMMAND [ARG ...]

Why a separate, small process: on Linux a child's peak RSS (ru_maxrss) is at least the memory
of the process that started it (exec keeps the old address space's high-water mark, and
subprocess starts children with vfork), so the benchmark, which grows while it reads the
tools' output, must not start the measured command itself. This launcher is ~10 MB, far below
any measured tool, so the peak it reports is the command's own.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> int:
    report, command = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: become the command (stdio and environment are inherited)
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    result = {
        "wall": time.perf_counter() - started,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,  # KiB on Linux
        "exit": os.waitstatus_to_exitcode(status),
    }
    with open(report, "w", encoding="utf-8") as out:
        json.dump(result, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
