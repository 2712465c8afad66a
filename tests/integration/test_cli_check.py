"""`python -m monitor check` as a real process against a local fake site."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.fakesite import FakeSite, article
from tests.localserver import serve
from tests.monitorrun import Run, run_monitor

PARAGRAPHS = (
    "The United States and Mexico held the High-Level Economic Dialogue in Washington today.",
    "EPA and CONAGUA committed to invest a combined $474 million in border water projects.",
)


@dataclass
class Workspace:
    path: Path
    site: FakeSite
    base: str

    def configure(self, text: str) -> None:
        (self.path / "sources.toml").write_text(text, encoding="utf-8")

    def run(self, *args: str, **extra_env: str) -> Run:
        return run_monitor(self.path, "check", *args, **extra_env)


def sources(base: str, *paths: str) -> str:
    blocks = [
        f'[[source]]\nname = "src{i}"\nagency = "State"\nurl = "{base}{path}"\n'
        for i, path in enumerate(paths)
    ]
    return '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n' + "\n".join(blocks)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    site = FakeSite({"/hled": article("Joint Statement on the HLED", *PARAGRAPHS)})
    with site.serve() as base:
        yield Workspace(tmp_path, site, base)


def test_baseline_then_one_change_then_silence(workspace: Workspace) -> None:
    workspace.configure(sources(workspace.base, "/hled"))
    first = workspace.run("--json")
    assert (first.code, first.events) == (0, [])
    assert "baseline recorded (1 document);" in first.stderr

    workspace.site.pages["/hled"] = article(
        "Joint Statement on the HLED", *(p.replace("$474", "$520") for p in PARAGRAPHS)
    )
    second = workspace.run("--json")
    assert second.code == 0
    assert sorted(e["type"] for e in second.events) == ["commitment_changed", "document_changed"]
    (event,) = [e for e in second.events if e["type"] == "document_changed"]
    assert event["type"] == "document_changed"
    assert event["url"] == workspace.base + "/hled"
    assert event["agency"] == "State"
    assert event["title"] == "Joint Statement on the HLED"
    assert {"id", "source", "detected_at", "diff", "changes"} <= set(event)
    assert "$474" in event["diff"]
    assert "$520" in event["diff"]

    third = workspace.run("--json")
    assert (third.code, third.events) == (0, [])


def test_without_json_alerts_and_the_table_go_to_stdout(workspace: Workspace) -> None:
    workspace.configure(sources(workspace.base, "/hled"))
    workspace.run()
    workspace.site.pages["/hled"] = article("Joint Statement on the HLED", PARAGRAPHS[0])
    run = workspace.run()
    assert run.code == 0
    assert "HLED document changed: Joint Statement on the HLED" in run.stdout
    assert "source  status" in run.stdout
    # One message for the document: its commitment change is a section of it, not a message.
    assert "Commitment removed: Joint Statement on the HLED" not in run.stdout
    assert "Commitments changed:\n  removed: [-EPA and CONAGUA" in run.stdout
    assert run.stdout.count("─" * 72) == 1
    assert "alerts: 2 sent" in run.stdout  # two events, in one message
    assert workspace.run().stdout.count("HLED document changed") == 0  # delivered once


def test_a_failing_source_exits_1_and_the_others_still_run(workspace: Workspace) -> None:
    workspace.configure(sources(workspace.base, "/hled", "/missing"))
    run = workspace.run("--json")
    assert run.code == 1
    assert run.stdout == ""
    assert "src1: error:" in run.stderr
    assert "HTTP 404" in run.stderr
    assert "src0" in run.stderr


def test_configuration_errors_exit_2_with_the_field(workspace: Workspace) -> None:
    workspace.configure(sources(workspace.base, "/hled") + 'interval = "30x"\n')
    run = workspace.run()
    assert run.code == 2
    assert 'source "src0": interval: "30x" is not a duration (use 30s, 15m, 2h)' in run.stderr
    assert workspace.site.requests == []


def test_unknown_source_name_exits_2(workspace: Workspace) -> None:
    workspace.configure(sources(workspace.base, "/hled"))
    run = workspace.run("--source", "nope")
    assert run.code == 2
    assert 'no source named "nope"' in run.stderr


def test_no_notify_records_events_without_alerting(workspace: Workspace) -> None:
    workspace.configure(sources(workspace.base, "/hled"))
    workspace.run()
    workspace.site.pages["/hled"] = article("Joint Statement on the HLED", PARAGRAPHS[1])
    quiet = workspace.run("--no-notify", "--json")
    assert [e["type"] for e in quiet.events] == ["document_changed"]
    assert "HLED document changed" not in quiet.stderr
    assert "HLED document changed" not in workspace.run().stdout  # and never later


WORDS = (
    "tariff corridor customs permit freight rail port bridge inspection energy grid solar "
    "lithium copper nickel vaccine clinic training apprentice software fiber broadband "
    "satellite water aquifer dam irrigation maize avocado cattle steel aluminum engine "
    "battery charger pipeline refinery wind turbine drought flood audit ledger treaty"
).split()


def own_text(i: int) -> str:
    """A paragraph of its own for page ``i``: different enough from every other page's that no
    two pages look like copies of one document (same_document), whatever order they come in."""
    pick = random.Random(i)
    return f"Working group {i}: " + " ".join(pick.choice(WORDS) for _ in range(60)) + "."


def test_a_pass_over_many_pages_finds_exactly_the_edited_ones(workspace: Workspace) -> None:
    paths = [f"/doc{i}" for i in range(12)]

    def publish(amount: str) -> None:
        for i, path in enumerate(paths):
            text = PARAGRAPHS[1].replace("$474", amount) if i < 3 else PARAGRAPHS[1]
            own = own_text(i)
            workspace.site.pages[path] = article(f"HLED fact sheet {i}", own, text)

    publish("$474")
    workspace.configure(sources(workspace.base, *paths))
    assert workspace.run("--json").events == []  # the baseline
    for amount in ("$520", "$474"):
        publish(amount)
        run = workspace.run("--json")
        assert run.code == 0
        changed = sorted(e["url"] for e in run.events if e["type"] == "document_changed")
        assert changed == sorted(workspace.base + path for path in paths[:3])
        assert "Traceback" not in run.stderr


# `python -m monitor ARGS` with Ctrl-C's default meaning restored first: a job started in the
# background by a shell (CI's, or a test runner's) inherits SIGINT ignored, and exec keeps that.
WITH_CTRL_C = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.executable, [sys.executable, '-m', 'monitor', *sys.argv[1:]])"
)


def test_ctrl_c_stops_the_check_at_once(tmp_path: Path) -> None:
    release, asked = threading.Event(), threading.Event()

    class Hanging(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.set()
            release.wait(30)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serve(Hanging) as base:
        (tmp_path / "sources.toml").write_text(sources(base, "/a", "/b", "/c"), encoding="utf-8")
        env = {**os.environ, "MONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'monitor.db'}"}
        command = ["check", "--config", str(tmp_path / "sources.toml")]
        check = subprocess.Popen(
            [sys.executable, "-c", WITH_CTRL_C, *command],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,  # a process group of its own, as a terminal's job is
        )  # fmt: skip
        try:
            assert asked.wait(20)
            time.sleep(0.3)  # every request is out
            os.killpg(check.pid, signal.SIGINT)  # what Ctrl-C does: the whole group
            _, stderr = check.communicate(timeout=10)
        finally:
            release.set()
    assert check.returncode == 130
    assert "interrupted" in stderr
    assert "Traceback" not in stderr
    assert not group_alive(check.pid)  # nothing it started is left


def group_alive(group: int, patience: float = 5.0) -> bool:
    """Whether a process of ``group`` is still there after ``patience`` seconds."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)
    return True
