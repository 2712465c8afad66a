"""Discovery through `python -m monitor check` over real HTTP on loopback.

The fake agency site runs on 127.0.0.1; a second server on 127.0.0.2 stands for every other
host (another site, an internal address). Its request log proves that a refused link or
redirect hop never reached the network.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from store.repo import Store
from tests.fakesite import FakeSite, article
from tests.integration.test_cli_check import Workspace
from tests.localserver import serve

HLED = "Officials met for the U.S.-Mexico High-Level Economic Dialogue (HLED) today."
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def hled_article(title: str, topic: str) -> str:
    """An HLED page whose text is its own (alike texts would be one document on two sites)."""
    return article(title, HLED, f"{topic} " * 12)


class Elsewhere:
    """Another host: records every request it gets and answers each with an HLED page."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    def handler(self) -> type[BaseHTTPRequestHandler]:
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                body = hled_article("HLED statement elsewhere", "Elsewhere").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def elsewhere() -> Iterator[tuple[Elsewhere, str]]:
    other = Elsewhere()
    with serve(other.handler(), host="127.0.0.2") as base:
        yield other, base


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    site = FakeSite()
    with site.serve() as base:
        yield Workspace(tmp_path, site, base)


def listing(*items: tuple[str, str]) -> str:
    lis = "".join(f'<li class="item"><a href="{href}">{text}</a></li>' for href, text in items)
    return f"<html><body><ul>{lis}</ul></body></html>"


def rss(*items: tuple[str, str]) -> tuple[str, str]:
    entries = "".join(f"<item><title>{t}</title><link>{link}</link></item>" for link, t in items)
    return (
        "application/rss+xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel>{entries}</channel></rss>',
    )


def publish(site: FakeSite, base: str, other: str) -> None:
    """An agency site: a two-page listing, RSS, Atom, wp-json and a sitemap, HLED and not."""
    site.pages.update({
        "/press-releases/": listing(
            ("/hled-2023/", "Joint Statement on the U.S.-Mexico High-Level Economic Dialogue"),
            ("/norway/", "Readout of the Secretary's Meeting with Norway"),
            (f"{other}/hled-copy/", "HLED joint statement, on another host"),
            ("http://169.254.169.254/latest/meta-data/hled", "HLED credentials"),
        ),
        "/press-releases/page/2/": listing(("/dialogo/", "Diálogo Económico de Alto Nivel")),
        "/feed/": rss((f"{base}/fs-hled/", "FACT SHEET: High-Level Economic Dialogue"),
                      (f"{base}/canada/", "Statement on Canada")),
        "/atom.xml": ("application/atom+xml",
                      '<feed xmlns="http://www.w3.org/2005/Atom"><title>USTR</title>'
                      f'<entry><title>USTR statement</title><link href="{base}/atom-hled"/>'
                      "<summary>On the HLED with Mexico.</summary></entry>"
                      f'<entry><title>Other</title><link href="{base}/atom-other"/>'
                      "<summary>Nothing.</summary></entry></feed>"),
        "/wp-json/wp/v2/posts?per_page=100": ("application/json", json.dumps([
            {"link": f"{base}/wp-hled/", "title": {"rendered": "Joint statement"},
             "content": {"rendered": "<p>The High&#8209;Level Economic Dialogue met.</p>"}},
            {"link": f"{base}/wp-other/", "title": {"rendered": "Norway"},
             "content": {"rendered": "<p>Arctic.</p>"}},
        ])),
        "/sitemap.xml": ("application/xml",
                         f"<urlset {NS}><url><loc>{base}/u-s-mexico-high-level-economic-dialogue/"
                         f"</loc><lastmod>2024-05-01</lastmod></url><url><loc>{base}/norway-map/"
                         "</loc></url></urlset>"),
        "/hled-2023/": hled_article("Joint Statement on the HLED", "Semiconductors"),
        "/dialogo/": hled_article("Diálogo Económico de Alto Nivel", "Agricultura"),
        "/fs-hled/": hled_article("FACT SHEET: HLED", "Border infrastructure"),
        "/atom-hled": hled_article("USTR statement on the HLED", "Labor rights"),
        "/wp-hled/": hled_article("Joint statement", "Clean energy"),
        "/u-s-mexico-high-level-economic-dialogue/": hled_article("HLED", "Workforce"),
    })  # fmt: skip


def config(base: str) -> str:
    sources = [
        ("listing", "/press-releases/", 'item_selector = "li.item"\npaginate = "page/{n}/"\n'),
        ("feed", "/feed/", ""),
        ("feed", "/atom.xml", ""),
        ("wp-json", "/wp-json/wp/v2/posts?per_page=100", ""),
        ("sitemap", "/sitemap.xml", ""),
    ]
    blocks = [
        f'[[source]]\nname = "s{i}-{kind}"\nagency = "State"\nkind = "{kind}"\n'
        f'url = "{base}{path}"\n{extra}'
        for i, (kind, path, extra) in enumerate(sources)
    ]
    return '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n' + "\n".join(blocks)


UNRELATED = ("/norway/", "/canada/", "/atom-other", "/wp-other/", "/norway-map/", "/peru/")


def test_every_kind_finds_only_hled_documents_and_never_leaves_the_site(
    workspace: Workspace, elsewhere: tuple[Elsewhere, str]
) -> None:
    other, other_base = elsewhere
    site, base = workspace.site, workspace.base
    publish(site, base, other_base)
    workspace.configure(config(base))

    first = workspace.run("--json")
    assert (first.code, first.events) == (0, []), first.stderr
    store = Store(f"sqlite:///{workspace.path / 'data' / 'monitor.db'}")
    try:
        paths = sorted(d.url.removeprefix(base) for d in store.documents())
    finally:
        store.close()
    assert paths == ["/atom-hled", "/dialogo", "/fs-hled", "/hled-2023",
                     "/u-s-mexico-high-level-economic-dialogue", "/wp-hled"]  # fmt: skip
    assert "not following http://169.254.169.254/latest/meta-data/hled" in first.stderr
    assert f"not following {other_base}/hled-copy/: host 127.0.0.2 is neither" in first.stderr

    site.pages["/press-releases/"] = listing(
        ("/hled-2025/", "Fact Sheet: 2025 HLED Mid-Year Review"),
        ("/peru/", "Readout of a call with the Foreign Minister of Peru"),
    )
    site.pages["/hled-2025/"] = hled_article("Fact Sheet: 2025 HLED Mid-Year Review", "Steel")
    second = workspace.run("--json")
    assert second.code == 0, second.stderr
    assert [(e["type"], e["url"]) for e in second.events] == [
        ("new_document", f"{base}/hled-2025/")
    ]
    assert workspace.run("--json").events == []
    assert not [path for path in UNRELATED if path in site.requests]
    assert other.requests == []  # neither the other host nor an internal address was asked


def test_a_redirect_hop_to_another_host_is_refused_before_any_request(
    workspace: Workspace, elsewhere: tuple[Elsewhere, str]
) -> None:
    other, other_base = elsewhere
    workspace.site.redirects["/statement/"] = (302, f"{other_base}/statement/")
    workspace.configure(
        f'[fetch]\nretries = 0\n\n[[source]]\nname = "page"\nagency = "State"\n'
        f'url = "{workspace.base}/statement/"\n'
    )
    run = workspace.run("--json")
    assert run.code == 1
    assert f"refused to follow {other_base}/statement/" in run.stderr
    assert other.requests == []
