"""Hostile links through `python -m monitor check`: a malformed link or another port costs only
itself, in every discovering kind and in link following (issue 13, items 1 and 10)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.repo import Store
from tests.fakesite import FakeSite
from tests.integration.test_cli_check import Workspace
from tests.integration.test_cli_discovery import NS, Elsewhere, hled_article, listing, rss
from tests.localserver import serve

BAD = "http://[bad/hled"  # an invalid IPv6 literal: urljoin raises "Invalid IPv6 URL"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    site = FakeSite()
    with site.serve() as base:
        yield Workspace(tmp_path, site, base)


def documents(workspace: Workspace) -> list[str]:
    store = Store(f"sqlite:///{workspace.path / 'data' / 'monitor.db'}")
    try:
        return sorted(d.url.removeprefix(workspace.base) for d in store.documents())
    finally:
        store.close()


def every_kind(base: str, links: dict[str, str]) -> tuple[dict[str, object], str]:
    """Pages of a listing, a feed, a sitemap and a wp-json API, each listing ``links`` (href ->
    title) before its own HLED document; and the sources.toml that reads them."""
    items = list(links.items())
    pages: dict[str, object] = {
        "/list/": listing(*items, ("/from-list/", "Joint Statement on the HLED")),
        "/feed/": rss(*items, (f"{base}/from-feed/", "FACT SHEET: HLED")),
        "/wp-json/wp/v2/posts": ("application/json", json.dumps([
            *({"link": href, "title": {"rendered": title}} for href, title in items),
            {"link": f"{base}/from-wp/", "title": {"rendered": "HLED joint statement"}},
        ])),
        "/sitemap.xml": ("application/xml", f"<urlset {NS}>" + "".join(
            f"<url><loc>{href}</loc></url>" for href in [*links, f"{base}/hled-from-sitemap/"]
        ) + "</urlset>"),
        "/from-list/": hled_article("Joint Statement on the HLED", "Semiconductors"),
        "/from-feed/": hled_article("FACT SHEET: HLED", "Border infrastructure"),
        "/from-wp/": hled_article("HLED joint statement", "Clean energy"),
        "/hled-from-sitemap/": hled_article("HLED sitemap page", "Workforce"),
    }  # fmt: skip
    kinds = [("listing", "/list/"), ("feed", "/feed/"), ("wp-json", "/wp-json/wp/v2/posts"),
             ("sitemap", "/sitemap.xml")]  # fmt: skip
    config = '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n' + "\n".join(
        f'[[source]]\nname = "{kind}"\nagency = "State"\nkind = "{kind}"\nurl = "{base}{path}"\n'
        for kind, path in kinds
    )
    return pages, config


FOUND = ["/from-feed", "/from-list", "/from-wp", "/hled-from-sitemap"]


def test_a_malformed_link_costs_only_itself_in_every_kind(workspace: Workspace) -> None:
    base = workspace.base
    bad_links = {BAD: "HLED: a broken link", f"{base}:99999/hled-port/": "HLED port out of range",
                 "http://xn--/hled": "HLED: a bad IDNA label"}  # fmt: skip
    pages, config = every_kind(base, bad_links)
    workspace.site.pages.update(pages)  # type: ignore[arg-type]
    workspace.configure(config)

    first = workspace.run("--json")
    assert first.code == 0, first.stderr
    assert "internal error" not in first.stderr
    assert documents(workspace) == FOUND
    for kind in ("listing", "feed", "wp-json", "sitemap"):  # logged once per source
        assert first.stderr.count(f"source {kind}: skipped 3: malformed link '{BAD}'") == 1
    # The links are skipped again at every check, and the sources keep finding new documents.
    workspace.site.pages["/list/"] = listing(
        (BAD, "HLED again"), ("/later/", "Fact Sheet: the HLED, later")
    )
    workspace.site.pages["/later/"] = hled_article("Fact Sheet: the HLED, later", "Steel")
    second = workspace.run("--json")
    assert second.code == 0, second.stderr
    assert [(e["type"], e["url"]) for e in second.events] == [("new_document", f"{base}/later/")]


def test_a_configured_url_that_cannot_parse_is_a_configuration_error(
    workspace: Workspace,
) -> None:
    workspace.configure(f'[[source]]\nname = "bad"\nagency = "State"\nurl = "{BAD}/x"\n')
    run = workspace.run()
    assert run.code == 2
    assert f'source "bad": url: "{BAD}/x" is not a valid URL (Invalid IPv6 URL)' in run.stderr


@pytest.fixture
def other_port() -> Iterator[tuple[Elsewhere, str]]:
    """Another service on the same host (127.0.0.1), on another port."""
    other = Elsewhere()
    with serve(other.handler()) as base:
        yield other, base


def test_another_port_on_the_same_host_is_another_host(
    workspace: Workspace, other_port: tuple[Elsewhere, str]
) -> None:
    other, other_base = other_port
    site, base = workspace.site, workspace.base
    site.redirects["/statement/"] = (302, f"{other_base}/statement/")
    site.pages["/list/"] = listing((f"{other_base}/hled-list/", "HLED joint statement"))
    site.pages["/feed/"] = rss((f"{other_base}/hled-feed/", "FACT SHEET: HLED"))
    sources = [("page", "/statement/"), ("listing", "/list/"), ("feed", "/feed/")]
    config = '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n' + "\n".join(
        f'[[source]]\nname = "{kind}"\nagency = "State"\nkind = "{kind}"\nurl = "{base}{path}"\n'
        for kind, path in sources
    )
    workspace.configure(config)
    run = workspace.run("--json")
    assert run.code == 1  # the configured page redirects somewhere refused
    port = other_base.rsplit(":", 1)[1]
    assert f"127.0.0.1:{port} is another service on 127.0.0.1" in run.stderr
    assert documents(workspace) == []
    assert other.requests == []  # neither the redirect hop nor a listed link reached it
