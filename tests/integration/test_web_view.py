"""The web view over a store filled by real `check` runs of a local site (tests/viewsite.py):
every page, the feed and the API must show what the checks recorded."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import pytest
import sqlalchemy as sa
from lxml import etree

from monitor.config import load_settings
from monitor.web.app import ViewContext, build_app
from monitor.web.atom import entry_id
from store.queries import ReadStore
from tests.asgi import get, request
from tests.viewsite import Checked, checked_site

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checked]:
    with checked_site(tmp_path_factory.mktemp("view")) as run:
        yield run


@pytest.fixture(scope="module")
def view(checked: Checked) -> Iterator[Any]:
    store = ReadStore(checked.url)
    yield build_app(ViewContext(store), token=None)
    store.close()


def html(app: Any, path: str, status: int = 200) -> str:
    response = get(app, path)
    assert response.status_code == status, (path, response.text[:500])
    return response.text


def event_of(checked: Checked, kind: str) -> dict[str, Any]:
    (found,) = [e for e in checked.events if e["type"] == kind]
    return found


def document_ids(page: str) -> dict[str, int]:
    """Title -> id, from the documents page's links."""
    return {t: int(i) for i, t in re.findall(r'<a href="/documents/(\d+)">([^<]+)</a>', page)}


def test_the_check_recorded_an_edit_a_new_document_and_a_removal(checked: Checked) -> None:
    kinds = {event["type"] for event in checked.events}
    assert {"document_changed", "new_document", "document_removed"} <= kinds


def test_the_events_page_lists_them_newest_first_each_linking_to_its_document(
    view: Any, checked: Checked
) -> None:
    page = html(view, "/")
    for title in ("Joint Statement on the HLED", "Readout: HLED Working Group", "HLED Fact Sheet"):
        assert re.search(rf'<a class="title" href="/documents/\d+">{re.escape(title)}</a>', page)
    assert "[-$474-] {+$520+}" in page  # the change, in words, on the list
    changed = event_of(checked, "document_changed")
    assert f'href="/events/{changed["id"]}"' in page
    times = re.findall(r'<time datetime="([^"]+)"', page)
    assert times == sorted(times, reverse=True)


def test_filters_narrow_the_events(view: Any) -> None:
    page = html(view, "/?type=new_document")
    assert "Readout: HLED Working Group" in page
    assert "HLED Fact Sheet" not in page
    assert "No events match" in html(view, "/?type=source_error")


def test_an_event_leads_to_its_diff_with_the_words_that_changed(
    view: Any, checked: Checked
) -> None:
    changed = event_of(checked, "document_changed")
    response = get(view, f"/events/{changed['id']}")
    assert response.status_code == 303
    target = response.headers["location"]
    assert re.fullmatch(r"/documents/\d+/diff\?from=1&to=2", target)
    page = html(view, target)
    assert re.search(r"<del><span class=\"cue\">\[removed: </span>\$474<", page)
    assert re.search(r"<ins><span class=\"cue\">\[added: </span>\$520<", page)
    assert "Commitments that changed" in page
    assert "amounts: <del>$474 million</del> → <ins>$520 million</ins>" in page
    assert "<details>" in page
    assert "-EPA and CONAGUA committed" in page
    assert html(view, target.split("?")[0]) == page  # default: the last two versions


def test_a_diff_with_nothing_earlier_says_so(view: Any) -> None:
    ids = document_ids(html(view, "/documents"))
    readout, statement = ids["Readout: HLED Working Group"], ids["Joint Statement on the HLED"]
    page = html(view, f"/documents/{readout}/diff")  # one version: no 400 about "version 0"
    assert "No earlier version to compare with: this document has a single version" in page
    response = get(view, f"/api/documents/{readout}/diff")
    assert (response.status_code, response.json()) == (
        400, {"error": "no earlier version to compare with"}
    )  # fmt: skip
    assert "No earlier version" in html(view, f"/documents/{statement}/diff?to=1")
    assert "The texts are the same." in html(view, f"/documents/{statement}/diff?from=2&to=2")


def test_documents_page_status_versions_and_search(view: Any) -> None:
    page = html(view, "/documents")
    ids = document_ids(page)
    assert set(ids) == {
        "Joint Statement on the HLED",
        "Readout: HLED Working Group",
        "HLED Fact Sheet",
    }
    row = page.split(f'href="/documents/{ids["HLED Fact Sheet"]}"')[1].split("</tr>")[0]
    assert 'class="status removed"' in row
    row = page.split(f'href="/documents/{ids["Joint Statement on the HLED"]}"')[1]
    assert '<td data-label="Versions" class="number">2</td>' in row.split("</tr>")[0]
    assert set(document_ids(html(view, "/documents?q=semiconductor"))) == {
        "Readout: HLED Working Group"  # found in the text, not the title
    }
    assert set(document_ids(html(view, "/documents?q=fact+sheet"))) == {"HLED Fact Sheet"}
    assert set(document_ids(html(view, "/documents?status=removed"))) == {"HLED Fact Sheet"}
    assert set(document_ids(html(view, "/documents?q=100%25"))) == set()  # LIKE is escaped


def test_a_documents_page_has_its_locations_versions_and_commitments(
    view: Any, checked: Checked
) -> None:
    ids = document_ids(html(view, "/documents"))
    page = html(view, f"/documents/{ids['Joint Statement on the HLED']}")
    assert f'href="{checked.base}/statement"' in page  # its own address: a live link
    assert "version 1," in page
    assert "version 2," in page
    assert "changes from version 1" in page
    assert "committed to invest a combined $520 million" in page
    # The readout reports on it: the ledger links the two documents.
    status = re.search(r'<li id="c\d+" class="commitment (\w+)">\s*<span[^>]*>[^<]*</span>'
                       r'\s*<span class="kind">commitment', page)  # fmt: skip
    assert status is not None
    assert status.group(1) in ("fulfilled", "progressed")
    assert f'<a href="/documents/{ids["Readout: HLED Working Group"]}">' in page


def test_the_ledger_page_and_its_filters(view: Any) -> None:
    page = html(view, "/commitments")
    assert "committed to invest a combined $520 million" in page
    assert re.search(r'href="/documents/\d+#c\d+"', page)  # to the sentence in its document
    assert "committed to invest" not in html(view, "/commitments?status=removed")
    assert "No commitments match" in html(view, "/commitments?pillar=4&status=fulfilled")


def test_sources_page_shows_each_sources_health(view: Any) -> None:
    page = html(view, "/sources")
    row = page.split("state-news</a>")[1].split("</tr>")[0]
    assert '<td data-label="Status" class="status">ok</td>' in row
    assert '<td data-label="Documents" class="number">3</td>' in row  # documents found


def test_sources_page_estimates_the_next_run_from_the_configuration(checked: Checked) -> None:
    settings = load_settings(checked.folder / "sources.toml")
    store = ReadStore(checked.url)
    try:
        app = build_app(ViewContext(store, lambda: settings.sources), token=None)
        (row,) = get(app, "/api/sources").json()
    finally:
        store.close()
    (source,) = settings.sources
    last = datetime.fromisoformat(row["last_checked"])
    assert row["next_run"] == (last + timedelta(seconds=source.interval)).isoformat()
    assert (row["agency"], row["enabled"], row["interval"]) == ("State", True, source.interval)


def test_the_api_has_the_same_fields_as_check_json(view: Any, checked: Checked) -> None:
    listed = get(view, "/api/events").json()
    by_id = {event["id"]: event for event in listed["events"]}
    for printed in checked.events:
        served = by_id[printed["id"]]
        assert {k: served[k] for k in printed} == printed
    assert listed["page"] == 1
    assert listed["next"] is None
    changed = event_of(checked, "document_changed")
    document_id = by_id[changed["id"]]["document_id"]
    diff = get(view, f"/api/documents/{document_id}/diff").json()
    assert (diff["diff"], diff["changes"]) == (changed["diff"], changed["changes"])
    history = get(view, f"/api/documents/{document_id}/versions").json()
    assert [v["version"] for v in history] == [1, 2]
    assert set(history[0]) == {
        "version", "fetched_at", "fingerprint", "characters", "fetched_url", "extractor"
    }  # fmt: skip


def test_the_api_ledger_matches_commitments_format_json(
    view: Any, checked: Checked, tmp_path: Path
) -> None:
    served = get(view, "/api/commitments").json()["commitments"]
    copy = tmp_path / "copy.db"  # `commitments` fills missing ledger rows: not in our store
    shutil.copy(checked.folder / "monitor.db", copy)
    cli = Checked(checked.folder, f"sqlite:///{copy}", checked.base, [])
    printed = json.loads(cli.check("commitments", "--format", "json").stdout)
    assert len(printed) == len(served)
    for row, record in zip(printed, served, strict=True):
        assert {key: record[key] for key in row} == row


def feed_entries(app: Any, path: str) -> tuple[etree._Element, list[etree._Element]]:
    response = get(app, path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    root = etree.fromstring(response.content)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return root, root.findall(f"{ATOM}entry")


def test_the_feed_is_atom_with_stable_entry_ids(view: Any, checked: Checked) -> None:
    root, entries = feed_entries(view, "/feed.atom")
    assert root.tag == f"{ATOM}feed"
    for element in ("id", "title", "updated", "author/name"):
        assert root.findtext(f"{ATOM}{element.replace('/', f'/{ATOM}')}")
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids)) == len(checked.events)
    assert set(ids) == {entry_id(event["id"]) for event in checked.events}
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        assert entry.findtext(f"{ATOM}updated")
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)",
            entry.findtext(f"{ATOM}updated") or "",
        )
        alternate = entry.find(f"{ATOM}link[@rel='alternate']")
        assert alternate is not None
        assert "/events/" in alternate.get("href", "")
    again = [e.findtext(f"{ATOM}id") for e in feed_entries(view, "/feed.atom")[1]]
    assert again == ids  # the same entries keep their ids


def test_the_feed_filters(view: Any) -> None:
    _, entries = feed_entries(view, "/feed.atom?agency=State&type=new_document")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "New HLED document: Readout: HLED Working Group"
    ]
    assert get(view, "/feed.atom?type=nonsense").status_code == 400


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/documents/999999", 404),
        ("/documents/abc", 404),
        ("/documents/999999/diff", 404),
        ("/events/nope", 404),
        ("/no/such/page", 404),
        ("/?page=0", 400),
        ("/?page=x", 400),
        ("/?type=<script>", 400),
        ("/documents?q=" + "a" * 201, 400),
        ("/documents?q=a%00b", 400),  # PostgreSQL refuses NUL in text: never a 500
        ("/commitments?pillar=9", 400),
        ("/documents/1/diff?from=1&to=99", 400),
        ("/api/documents/999999", 404),
        ("/api/events?page=-1", 400),
    ],
)
def test_unknown_ids_are_404_and_bad_parameters_400_never_a_traceback(
    view: Any, path: str, status: int
) -> None:
    response = get(view, path)
    assert response.status_code == status
    assert "Traceback" not in response.text
    assert "<script>" not in response.text
    if path.startswith("/api/"):
        assert "error" in response.json()


def test_no_route_writes(view: Any, checked: Checked) -> None:
    response = get(view, "/")
    assert response.status_code == 200
    for method in ("POST", "PUT", "DELETE"):
        assert request(view, method, "/documents").status_code == 405
    store = ReadStore(checked.url)
    try:
        with pytest.raises(sa.exc.OperationalError, match="readonly"), store.engine.begin() as c:
            c.execute(sa.text("DELETE FROM event"))
    finally:
        store.close()
