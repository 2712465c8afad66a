"""The benchmark's table: per round and tool, the median of the runs, and ours/urlwatch."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import sitegen
from tools import Report

WALL_TARGETS = {1: 1.0, 2: 0.6, 3: 0.6, 4: 1.0}  # ours/urlwatch wall time, at most
MEMORY_TARGET_MB = 150.0


@dataclass
class Run:
    """One tool's check as a whole process, in one round."""

    tool: str
    round: int
    wall: float
    cpu: float
    peak_mb: float
    report: Report
    server_cpu: float = 0.0
    load: float = 0.0  # the machine's 1-minute load average as the run started
    http: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Summary:
    """The runs of one tool in one round: medians, the highest peak, every count."""

    tool: str
    wall: float
    cpu: float
    peak_mb: float
    changes: str
    http: str
    site_share: float
    walls: str
    loads: str

    @classmethod
    def of(cls, runs: list[Run]) -> Summary:
        counts = sorted({len(run.report.changed) + run.report.new for run in runs})
        changes = "/".join(map(str, counts)) + (" WRONG" if any(r.problems for r in runs) else "")
        http = " ".join(f"{code.replace('connections', 'conn')}:{count}"
                        for code, count in sorted(runs[0].http.items()))  # fmt: skip
        return cls(
            runs[0].tool,
            statistics.median(run.wall for run in runs),
            statistics.median(run.cpu for run in runs),
            max(run.peak_mb for run in runs),
            changes,
            http,
            statistics.median(run.server_cpu / run.wall for run in runs),
            " ".join(f"{run.wall:.2f}" for run in runs),
            " ".join(f"{run.load:.1f}" for run in runs),
        )


HEADER = ("round", "tool", "wall s", "CPU s", "CPU ms/page", "peak MB", "changes", "HTTP (run 1)",
          "site CPU", "wall of each run", "load of each run")  # fmt: skip


def print_table(kind: str, size: int, runs: list[Run], rounds: dict[int, str]) -> None:
    sizes = [len(sitegen.build_page(i, 0, 0, kind).encode()) for i in range(size)]
    print(
        f"\nN = {size} {kind} pages ({min(sizes) // 1000}-{max(sizes) // 1000} KB, "
        f"mean {sum(sizes) // len(sizes) // 1000} KB)"
    )
    rows: list[tuple[str, ...]] = [HEADER]
    for number, label in rounds.items():
        tools = dict.fromkeys(run.tool for run in runs if run.round == number)
        summaries = [
            Summary.of([r for r in runs if r.round == number and r.tool == t]) for t in tools
        ]
        for index, summary in enumerate(summaries):
            rows.append(_row(f"{number} {label}" if index == 0 else "", summary, size))
        theirs = [summary for summary in summaries if summary.tool == "urlwatch"]
        for ours in (summary for summary in summaries if theirs and summary is not theirs[0]):
            rows.append(_ratio_row(number, ours, theirs[0]))
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    for row in rows:
        print("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in
                        enumerate(zip(row, widths, strict=True))).rstrip())  # fmt: skip


def _row(label: str, summary: Summary, size: int) -> tuple[str, ...]:
    return (label, summary.tool, f"{summary.wall:.2f}", f"{summary.cpu:.2f}",
            f"{summary.cpu / size * 1000:.1f}", f"{summary.peak_mb:.0f}", summary.changes,
            summary.http, f"{summary.site_share:.0%}", summary.walls, summary.loads)  # fmt: skip


def _ratio_row(number: int, ours: Summary, theirs: Summary) -> tuple[str, ...]:
    ratio = ours.wall / theirs.wall
    verdict = "ok" if ratio <= WALL_TARGETS[number] else "MISSED"
    memory = "ok" if ours.peak_mb <= MEMORY_TARGET_MB else "MISSED"
    return ("", f"{ours.tool}/urlwatch", f"{ratio:.2f}x", f"{ours.cpu / theirs.cpu:.2f}x",
            f"<= {WALL_TARGETS[number]}x {verdict}", f"{ours.peak_mb / theirs.peak_mb:.2f}x",
            f"mem {memory}", "", "", "", "")  # fmt: skip
