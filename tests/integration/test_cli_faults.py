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
from tests.service_process import ServiceProcess, checked

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


def nested(depth: int) -> str:
    """An HLED page whose article sits ``depth`` elements deep (1.2 MB at 100,000)."""
    return article("HLED: deep", "<div>" * depth + OPENING + "</div>" * depth)


TOPICS = (
    "semiconductors steel border water energy labor workforce customs rail ports aviation "
    "fisheries cotton minerals tourism health vaccines broadband cybersecurity finance housing "
    "forests"
).split()


def deep_listing(site: FakeSite, depth: int) -> None:
    """A listing of 22 HLED pages, the 11th of them nested ``depth`` deep."""
    pages = [(f"/doc-{n}/", f"HLED fact sheet number {n}") for n in range(22)]
    site.pages["/list/"] = listing(*pages)
    for n, (path, title) in enumerate(pages):
        site.pages[path] = nested(depth) if n == 10 else hled_article(title, TOPICS[n])


def test_a_deeply_nested_page_fails_only_itself(workspace: Workspace) -> None:
    deep_listing(workspace.site, 100_000)
    workspace.configure(listing_source(workspace.base))
    run = workspace.run("--json")
    assert run.code == 1  # that page is an error of the source; nothing else is
    assert "/doc-10/: elements nested deeper than 512" in run.stderr
    assert "RecursionError" not in run.stderr
    store = open_store(workspace)
    try:
        assert len(store.documents()) == 21
    finally:
        store.close()


def test_the_service_reads_a_listing_with_a_deep_page(tmp_path: Path) -> None:
    """In `run` too, a page nested past Python's recursion limit (the old walk raised
    RecursionError there and failed the whole source) fails only itself."""
    site = FakeSite()
    deep_listing(site, 3000)
    with site.serve() as base:
        config = tmp_path / "sources.toml"
        config.write_text(listing_source(base), encoding="utf-8")
        env = {"MONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'monitor.db'}"}
        service = ServiceProcess(config, env)
        try:
            line = service.wait_for(checked("list"), timeout=60)
        finally:
            service.stop()
    assert line["documents"] == 22
    assert "elements nested deeper than 512" in str(line["errors"])
    assert "RecursionError" not in str(line["errors"])
    assert site.count("/doc-21/") == 1


def big_sitemap(base: str, count: int) -> tuple[str, str]:
    urls = "".join(
        f"<url><loc>{base}/hled-statement-{n}/</loc></url>" for n in range(count)
    )  # every slug matches; none of the pages is there (yet): each answers 404
    return ("application/xml", f'<urlset xmlns="{NS_URI}">{urls}</urlset>')


NS_URI = "http://www.sitemaps.org/schemas/sitemap/0.9"


def test_a_big_sitemap_is_read_a_capped_part_per_check(workspace: Workspace) -> None:
    site, base = workspace.site, workspace.base
    site.pages["/sitemap.xml"] = big_sitemap(base, 100)
    workspace.configure(
        f'{FAST}[defaults]\nnew_per_check = 30\n\n[[source]]\nname = "map"\nagency = "State"\n'
        f'kind = "sitemap"\nurl = "{base}/sitemap.xml"\n'
    )
    asked: list[int] = []
    for unasked in (70, 40, 10, 0):
        before = len(site.requests)
        run = workspace.run("--json")
        assert run.code == 0, run.stderr
        asked.append(len(site.requests) - before - 1)  # the sitemap itself aside
        assert (
            f"source map: 70 new candidates past new_per_check ({unasked} never asked yet)"
        ) in run.stderr
    # 30 a check, each URL asked once; the fourth check asks the last 10 and then the 20
    # asked longest ago (still 404: not published yet).
    assert asked == [30, 30, 30, 30]
    documents = [path for path in site.requests if path.startswith("/hled-statement-")]
    # The first three checks ask 90 different URLs; the fourth's requests run concurrently, so
    # only the set tells that its 10 new ones were asked too.
    assert len(set(documents[:90])) == 90
    assert len(set(documents)) == 100
    # Everything was asked: the sitemap's validators are saved, whatever its items answered,
    # and the next check costs one conditional request.
    before = len(site.requests)
    assert workspace.run("--json").code == 0
    assert site.requests[before:] == ["/sitemap.xml"]
