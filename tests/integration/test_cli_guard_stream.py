"""`python -m monitor check` as a process: one check per database at a time (the guard `run`
takes; on PostgreSQL the sources' locks), and `--json` lines streamed as events are recorded."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from store.locks import lock_key
from store.repo import Store
from tests.fakesite import article
from tests.localserver import serve
from tests.service_process import ServiceProcess, checked
from tests.slowsite import SlowSite

TOPICS = ("semiconductors", "border water", "clean energy", "workforce", "labor rights",
          "customs", "rail freight", "vaccines")  # fmt: skip


def page(i: int) -> str:
    """An HLED page whose text is its own (alike texts would be one document)."""
    topic = TOPICS[i % len(TOPICS)]
    return article(f"HLED fact sheet {i}", "The High-Level Economic Dialogue met today.",
                   f"Document {i} on {topic}: " + f"{topic} {i} " * 15)  # fmt: skip


def listing(*paths: str) -> str:
    links = "".join(f'<li><a href="{p}">HLED fact sheet {p}</a></li>' for p in paths)
    return f"<html><body><ul>{links}</ul></body></html>"


@dataclass
class Workspace:
    path: Path
    site: SlowSite
    base: str
    database: str

    def configure(self, body: str) -> None:
        (self.path / "sources.toml").write_text(
            '[fetch]\nper_host_delay = "0s"\nretries = 0\ntimeout = "90s"\n\n' + body,
            encoding="utf-8",
        )

    def env(self) -> dict[str, str]:
        return {**os.environ, "MONITOR_CONFIG": str(self.path / "sources.toml"),
                "MONITOR_DATABASE_URL": self.database}  # fmt: skip

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "monitor", "check", *args], cwd=self.path, env=self.env(),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    def run(self, *args: str) -> tuple[int, str, str]:
        process = self.start(*args)
        out, err = process.communicate(timeout=90)
        return process.returncode, out, err


@pytest.fixture
def site() -> Iterator[tuple[SlowSite, str]]:
    slow = SlowSite({f"/doc{i}": page(i) for i in range(8)})
    with serve(slow.handler) as base:
        try:
            yield slow, base
        finally:
            slow.release.set()


@pytest.fixture
def workspace(tmp_path: Path, site: tuple[SlowSite, str]) -> Workspace:
    return Workspace(tmp_path, *site, f"sqlite:///{tmp_path / 'data' / 'monitor.db'}")


def page_source(name: str, url: str) -> str:
    return f'[[source]]\nname = "{name}"\nagency = "State"\nurl = "{url}"\n'


# -- item 13: --json lines as events are recorded ----------------------------------------------------


def test_json_lines_are_written_as_events_are_recorded(workspace: Workspace) -> None:
    site, base = workspace.site, workspace.base
    site.pages["/list"] = listing("/doc0")
    workspace.configure(
        f'[[source]]\nname = "list"\nagency = "State"\nkind = "listing"\nurl = "{base}/list"\n'
    )
    assert workspace.run("--json")[:2] == (0, "")  # the baseline: silent
    site.pages["/list"] = listing("/doc0", "/doc1", "/doc2", "/doc3", "/doc7")
    site.delays["/doc7"] = 120.0  # holds the pass open until the test kills it
    check = workspace.start("--json")
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in check.stdout or ()],
                     daemon=True).start()  # fmt: skip
    try:
        seen = [json.loads(lines.get(timeout=30)) for _ in range(3)]
        assert check.poll() is None  # printed while the pass is still running
    finally:
        check.kill()
        check.communicate(timeout=30)
    assert sorted(e["url"] for e in seen) == [f"{base}/doc{i}" for i in (1, 2, 3)]
    assert {e["type"] for e in seen} == {"new_document"}
    store = Store(workspace.database)
    try:
        assert {e["id"] for e in seen} == {record.id for record in store.events()}
    finally:
        store.close()
    site.release.set()
    code, out, _ = workspace.run("--json")
    rest = [json.loads(line) for line in out.splitlines()]
    assert (code, [e["url"] for e in rest]) == (0, [f"{base}/doc7"])  # nothing twice, nothing lost


# -- item 9: one check at a time on one database ---------------------------------------------------


def test_two_checks_at_once_take_turns_on_one_sqlite_file(workspace: Workspace) -> None:
    site, base = workspace.site, workspace.base
    site.delays.update({f"/doc{i}": 2.0 for i in range(4)})  # both passes would overlap
    workspace.configure("".join(page_source(f"s{i}", f"{base}/doc{i}") for i in range(4)))
    first = workspace.start()
    site.asked_for("/doc0")  # the first check is in its pass
    second = workspace.start()
    outcomes = [(p.returncode, p.communicate(timeout=60)) for p in (first, second)]
    for process, (_, (_, err)) in zip((first, second), outcomes, strict=True):
        assert process.returncode == 0, err
    store = Store(workspace.database)
    try:
        documents = store.documents()
        assert len(documents) == 4
        assert all(len(store.versions(d.id)) == 1 for d in documents if d.id is not None)
    finally:
        store.close()


def test_a_check_while_run_holds_the_database_waits_then_says_so(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.configure(page_source("s0", f"{workspace.base}/doc0") + 'interval = "1h"\n')
    service = ServiceProcess(
        tmp_path / "sources.toml", {"MONITOR_DATABASE_URL": workspace.database}
    )
    try:
        service.wait_for(checked("s0"))  # its first pass is over
        asked = len(workspace.site.asked)
        began = time.monotonic()
        code, _, err = workspace.run()
        assert code == 1
        assert "another check is running" in err
        assert time.monotonic() - began >= 9  # it waited for its turn first
        assert "Traceback" not in err
        assert len(workspace.site.asked) == asked  # and fetched nothing
    finally:
        service.stop()
    assert workspace.run()[0] == 0  # the database is free again


def test_on_postgresql_a_check_takes_the_sources_locks(
    workspace: Workspace, postgres_url: str
) -> None:
    workspace.database = postgres_url
    workspace.configure(page_source("s0", f"{workspace.base}/doc0")
                        + page_source("s1", f"{workspace.base}/doc1"))  # fmt: skip
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as other:  # another replica is checking s1
            other.execute(sa.select(sa.func.pg_advisory_lock(lock_key("s1"))))
            other.commit()
            code, _, err = workspace.run()
            assert code == 1
            assert "another check is running: s1 being checked by another process" in err
            assert workspace.site.asked == []
            other.execute(sa.select(sa.func.pg_advisory_unlock(lock_key("s1"))))
            other.commit()
        assert workspace.run()[0] == 0
    finally:
        engine.dispose()
