"""`python -m monitor check` with the real headless Chromium against a local site."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browsersite import (
    BUSY,
    HEAVY,
    NEVER_SETTLES,
    PARAGRAPHS,
    plain_article,
    script_built,
)
from tests.browserworkspace import Workspace, browser_workspace, source


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with browser_workspace(tmp_path) as opened:
        yield opened


def test_a_script_built_article_is_recorded_and_its_edit_alerted(workspace: Workspace) -> None:
    workspace.site.pages["/statement"] = script_built("HLED joint statement")
    workspace.configure(source("mx", workspace.base + "/statement"))
    first = workspace.run("--json")
    assert first.code == 0, first.stderr
    [version] = workspace.versions("/statement")
    assert version["fetched_url"] == workspace.base + "/statement"
    edited = (PARAGRAPHS[0], "Both governments committed to double semiconductor investment.")
    workspace.site.pages["/statement"] = script_built("HLED joint statement", edited)
    second = workspace.run("--json")
    assert second.code == 0, second.stderr
    [changed] = [e for e in second.events if e["type"] == "document_changed"]
    assert changed["title"] == "HLED joint statement"
    assert "+Both governments committed to double semiconductor investment." in str(changed["diff"])


def test_a_plain_source_does_not_use_the_browser(workspace: Workspace) -> None:
    workspace.site.pages["/statement"] = script_built("HLED joint statement")
    workspace.configure(source("mx", workspace.base + "/statement", fetch="plain"))
    run = workspace.run()
    assert run.code == 1
    assert "no article text found" in run.stdout
    assert workspace.site.count("/statement") == 1
    assert "browser started" not in run.stderr


def test_a_challenge_that_sets_a_cookie_and_reloads_is_passed(workspace: Workspace) -> None:
    workspace.site.pages["/challenged/statement"] = plain_article("HLED fact sheet")
    workspace.configure(source("mx", workspace.base + "/challenged/statement"))
    for _ in range(2):
        run = workspace.run()
        assert run.code == 0, run.stdout + run.stderr
    cookies = [hit.cookie for hit in workspace.site.hits if hit.path == "/challenged/statement"]
    # Each pass: the plain fetch and the browser without the cookie, then the reload with it.
    # No cookie is kept from one pass to the next.
    assert cookies == ["", "", "clearance=granted"] * 2
    assert len(workspace.versions("/challenged/statement")) == 1


def test_a_session_keeps_the_cookie_for_the_next_pass(workspace: Workspace) -> None:
    workspace.site.pages["/challenged/statement"] = plain_article("HLED fact sheet")
    url = workspace.base + "/challenged/statement"
    workspace.configure(source("mx", url, fetch="browser", session="true"))
    for _ in range(2):
        assert workspace.run().code == 0
    cookies = [hit.cookie for hit in workspace.site.hits if hit.path == "/challenged/statement"]
    assert cookies == ["", "", "clearance=granted", "", "clearance=granted"]
    saved = workspace.path / "data" / "browser-sessions" / "mx.json"
    assert saved.stat().st_mode & 0o077 == 0


def test_the_plain_conditional_get_asks_first(workspace: Workspace) -> None:
    workspace.site.pages["/statement"] = plain_article("HLED readout")
    workspace.configure(source("mx", workspace.base + "/statement", fetch="browser"))
    assert workspace.run().code == 0
    assert workspace.site.count("/statement") == 2  # plain, then the browser
    second = workspace.run()
    assert second.code == 0
    assert workspace.site.count("/statement") == 3  # a 304: the browser is not even started
    assert "browser started" not in second.stderr


@pytest.mark.parametrize(("page", "expected"), [
    (NEVER_SETTLES, "did not settle within 3s"),
    (BUSY, "no main text within 3s"),
])  # fmt: skip
def test_a_page_that_never_settles_is_abandoned_at_the_deadline(
    workspace: Workspace, page: str, expected: str
) -> None:
    workspace.site.pages["/live"] = page
    workspace.site.pages["/fine"] = plain_article("HLED fact sheet")
    workspace.configure(
        source("live", workspace.base + "/live") + source("fine", workspace.base + "/fine"),
        timeout="3s",
    )
    run = workspace.run()
    assert run.code == 1
    assert expected in run.stdout
    assert run.seconds < 20  # 3s of deadline, a browser start, a Python start: not 2 minutes
    assert workspace.versions("/live") == []
    assert len(workspace.versions("/fine")) == 1


def test_a_page_over_the_memory_limit_is_abandoned(workspace: Workspace) -> None:
    workspace.site.pages["/heavy"] = HEAVY
    workspace.site.pages["/fine"] = script_built("HLED fact sheet")
    workspace.configure(
        source("heavy", workspace.base + "/heavy") + source("fine", workspace.base + "/fine"),
        browser="max_memory = 64",
        timeout="30s",  # the memory limit, not the deadline, must end it, even on a busy machine
    )
    run = workspace.run()
    assert run.code == 1
    assert "heavy: error:" in run.stdout
    assert "abandoned" in run.stdout
    assert len(workspace.versions("/fine")) == 1


def test_a_missing_browser_fails_only_the_sources_that_need_it(workspace: Workspace) -> None:
    workspace.site.pages["/challenged/statement"] = plain_article("HLED fact sheet")
    workspace.site.pages["/plain"] = plain_article("HLED readout")
    workspace.configure(
        source("mx", workspace.base + "/challenged/statement")
        + source("us", workspace.base + "/plain"),
        browser='executable = "/nonexistent/chromium"',
    )
    run = workspace.run()
    assert run.code == 1
    assert (
        "mx: error: " + workspace.base + "/challenged/statement: soft failure: the page is a "
        'placeholder ("just a moment"); the browser could not be used: [browser] executable '
        "'/nonexistent/chromium' is not an executable file"
    ) in run.stdout
    assert "us: error" not in run.stdout
    assert len(workspace.versions("/plain")) == 1


ESPANOL = (
    "México y Estados Unidos celebraron hoy el Diálogo Económico de Alto Nivel en Washington.",
    "Ambos gobiernos acordaron fortalecer las cadenas de suministro de semiconductores.",
)


def listing(*links: tuple[str, str]) -> str:
    items = "".join(f"<li><a href='{href}'>{text}</a></li>" for href, text in links)
    return (
        f"<html><head><title>Prensa</title></head><body><main><ul>{items}</ul></main></body></html>"
    )


def test_without_playwright_the_sources_that_need_it_fail_and_the_others_go_on(
    workspace: Workspace,
) -> None:
    # The default container image: Chromium may be there, Playwright is not.
    shim = workspace.path / "shim" / "playwright"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text('raise ImportError("no Playwright in this image")\n')
    workspace.site.pages["/challenged/statement"] = plain_article("HLED fact sheet")
    workspace.site.pages["/plain"] = plain_article("HLED readout")
    workspace.configure(
        source("mx", workspace.base + "/challenged/statement")
        + source("us", workspace.base + "/plain")
    )
    run = workspace.run(PYTHONPATH=str(shim.parent))
    assert run.code == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert (
        "the browser could not be used: Playwright is not installed "
        "(pip install 'hled-monitor[browser]')"
    ) in run.stdout
    assert "us: error" not in run.stdout
    assert len(workspace.versions("/plain")) == 1


def test_a_spanish_document_on_a_challenged_listing_is_recorded_and_alerted(
    workspace: Workspace,
) -> None:
    site = workspace.site
    first = ("/challenged/prensa/dean-2026", "Comunicado: Diálogo Económico de Alto Nivel 2026")
    other = ("/challenged/prensa/otra", "Reunión sobre aduanas fronterizas")
    site.pages["/challenged/prensa"] = listing(first, other)
    site.pages[first[0]] = plain_article("Diálogo Económico de Alto Nivel 2026", ESPANOL)
    site.pages[other[0]] = plain_article("Reunión sobre aduanas", ESPANOL[1:])
    match = '["Diálogo Económico de Alto Nivel", "DEAN"]'
    workspace.configure(
        source("se", workspace.base + "/challenged/prensa", kind='"listing"', match=match)
    )
    baseline = workspace.run("--json")
    assert baseline.code == 0, baseline.stdout + baseline.stderr
    assert len(workspace.versions(first[0])) == 1
    assert workspace.versions(other[0]) == []  # its link matched no keyword
    # A new communiqué naming the DEAN, and an edit to the first one.
    new = ("/challenged/prensa/dean-seguimiento", "Seguimiento del DEAN")
    site.pages["/challenged/prensa"] = listing(new, first, other)
    site.pages[new[0]] = plain_article("Seguimiento del DEAN", ESPANOL)
    edited = (ESPANOL[0], "Ambos gobiernos acordaron duplicar la inversión en semiconductores.")
    site.pages[first[0]] = plain_article("Diálogo Económico de Alto Nivel 2026", edited)
    second = workspace.run("--json")
    assert second.code == 0, second.stdout + second.stderr
    by_type = {event["type"]: event for event in second.events}
    assert by_type["new_document"]["title"] == "Seguimiento del DEAN"
    changed = by_type["document_changed"]
    assert changed["title"] == "Diálogo Económico de Alto Nivel 2026"
    assert "+Ambos gobiernos acordaron duplicar la inversión en semiconductores." in str(
        changed["diff"]
    )


def test_the_browser_keeps_the_per_host_delay(workspace: Workspace) -> None:
    paths = [f"/statement-{n}" for n in range(3)]
    for path in paths:
        workspace.site.pages[path] = script_built(f"HLED statement {path}")
    urls = ", ".join(f'"{workspace.base}{path}"' for path in paths)
    workspace.configure(
        f'[[source]]\nname = "mx"\nagency = "SE"\nurls = [{urls}]\nfetch = "browser"\n',
        delay="3s",
        per_host=2,  # two pages at once may be in the browser: only the delay spaces them
    )
    assert workspace.run().code == 0
    starts = sorted(hit.at for hit in workspace.site.hits if hit.by_browser and hit.path in paths)
    assert len(starts) == 3
    # Arrivals, not starts: half the delay is slack for a page that leaves a busy browser late
    # (with 0.5 s of slack a loaded CI machine failed it).
    assert all(later - earlier >= 1.5 for earlier, later in itertools.pairwise(starts))


def test_the_browser_s_final_url_is_recorded(workspace: Workspace) -> None:
    workspace.site.pages["/new"] = script_built("HLED statement")
    workspace.site.redirects["/old"] = "/new"
    workspace.configure(source("mx", workspace.base + "/old"))
    run = workspace.run()
    assert run.code == 0, run.stdout + run.stderr
    [version] = workspace.versions("/old")
    assert version["fetched_url"] == workspace.base + "/new"


def test_a_page_that_grows_past_max_bytes_is_abandoned_before_the_deadline(
    workspace: Workspace,
) -> None:
    workspace.site.pages["/endless"] = NEVER_SETTLES.replace(
        "</body>",
        "<script>setInterval(() => document.body.insertAdjacentHTML('beforeend',"
        " '<p>' + 'growing '.repeat(50000) + '</p>'), 50);</script></body>",
    )
    workspace.configure(source("mx", workspace.base + "/endless", fetch="browser"), timeout="15s")
    text = (workspace.path / "sources.toml").read_text(encoding="utf-8")
    (workspace.path / "sources.toml").write_text(
        text.replace("[fetch]\n", "[fetch]\nmax_bytes = 2000000\n"), encoding="utf-8"
    )
    run = workspace.run()
    assert run.code == 1
    assert "over [fetch] max_bytes (2000000)" in run.stdout
