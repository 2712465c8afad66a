"""Faults through `python -m monitor check` on a local site: what goes wrong costs only itself
(issue 13: duplicate commitments, hanging hosts, deep pages, unbounded sitemaps)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from store.repo import Store
from tests.fakesite import Answer, FakeSite, article
from tests.integration.test_cli_check import Workspace
from tests.integration.test_cli_discovery import hled_article, listing

PROMISE = "EPA and CONAGUA committed to invest a combined $474 million in border water projects."
OPENING = "The United States and Mexico held the High-Level Economic Dialogue in Washington today."
FAST = '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n'


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    site = FakeSite()
    with site.serve() as base:
        yield Workspace(tmp_path, site, base)


def open_store(workspace: Workspace) -> Store:
    return Store(f"sqlite:///{workspace.path / 'data' / 'monitor.db'}")


def listing_source(base: str, extra: str = "") -> str:
    return (
        f'{FAST}[[source]]\nname = "list"\nagency = "State"\nkind = "listing"\n'
        f'url = "{base}/list/"\n{extra}'
    )


def test_a_commitment_stated_twice_in_an_edit_is_one_commitment(workspace: Workspace) -> None:
    site, base = workspace.site, workspace.base
    site.pages["/list/"] = listing(("/hled/", "Joint Statement on the HLED"))
    site.pages["/hled/"] = article("Joint Statement on the HLED", OPENING, PROMISE)
    workspace.configure(listing_source(base))
    assert workspace.run("--json").code == 0  # the baseline
    # A new document fills the ledger of the documents recorded silently.
    site.pages["/list/"] = listing(
        ("/hled/", "Joint Statement on the HLED"), ("/hled-2/", "HLED fact sheet")
    )
    site.pages["/hled-2/"] = hled_article("HLED fact sheet", "Semiconductors")
    assert workspace.run("--json").code == 0

    # The edit states the commitment twice, in a summary and in the body.
    edited = PROMISE.replace("$474", "$520")
    site.pages["/hled/"] = article("Joint Statement on the HLED", edited, OPENING, edited)
    run = workspace.run("--json")
    assert run.code == 0, run.stderr
    assert "IntegrityError" not in run.stderr
    assert sorted(e["type"] for e in run.events) == ["commitment_changed", "document_changed"]
    store = open_store(workspace)
    try:
        rows = [row for row, doc in store.ledger() if doc.url.endswith("/hled")]
    finally:
        store.close()
    promises = [(row.sentence, row.status) for row in rows if row.kind == "commitment"]
    assert promises == [(edited, "open")]
    assert workspace.run("--json").events == []  # recorded once, nothing left to find


@dataclass
class HangingSite(FakeSite):
    """Its /hang pages accept the connection and never answer (until the test ends)."""

    released: threading.Event = field(default_factory=threading.Event)

    def answer(self, path: str, if_none_match: str | None, host: str = "") -> Answer:
        if path.startswith("/hang"):
            self.requests.append(path)
            self.released.wait(30)
            return Answer(503, {}, b"")  # long after the client gave up
        return super().answer(path, if_none_match, host)


def test_retries_of_timeouts_share_the_source_deadline(tmp_path: Path) -> None:
    site = HangingSite({"/ok": article("Joint Statement on the HLED", OPENING, PROMISE)})
    with site.serve() as base:
        workspace = Workspace(tmp_path, site, base)
        workspace.configure(
            '[fetch]\nper_host_delay = "0s"\ntimeout = "1s"\nretries = 3\n\n'
            f'[[source]]\nname = "slow"\nagency = "State"\n'
            f'urls = ["{base}/hang-1", "{base}/hang-2", "{base}/ok"]\n'
        )
        try:
            run = workspace.run("--json")
        finally:
            site.released.set()
    assert run.code == 1
    assert run.stderr.count("no answer within") == 2
    # Each hanging page: its first attempt, then retries only within the source's deadline
    # (2 x the 1 s timeout from the first timeout): 2 requests, not 1 + 3 retries.
    for path in ("/hang-1", "/hang-2"):
        assert 1 <= site.count(path) <= 2, site.requests
    assert site.count("/ok") == 1
