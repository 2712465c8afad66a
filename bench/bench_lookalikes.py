"""A first check of N near-identical pages: the twin search must stay linear in N.

    python bench/bench_lookalikes.py [--n 500 1000 2000] [--kind copies variants]

``copies``: N addresses serve the same statement (same title, date and text), so they are one
document with N locations and every page is compared with that document. ``variants``: N pages
with the same title and date whose texts differ only in one number, so each is its own
document and every page is compared with a few look-alikes (the paragraphs are meeting talk,
so the commitment extractor finds nothing to link across documents). Pages come from an in-process
``httpx.MockTransport`` (no network, no politeness delay), so the time is the check's own:
extraction, the twin search and the store. Prints the wall time of the first (baseline) check
and, for copies, of a check in which all N addresses are new after a baseline of one other
page: one ``new_document`` naming N locations. (N new *variants* after a baseline would time
the commitment ledger, which re-reads every document that has no commitment for each new one.)
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import httpx

from monitor.config import Settings, parse_settings
from monitor.pipeline.check import run_check
from store.repo import Store

TITLE = "Joint Statement on the U.S.-Mexico High-Level Economic Dialogue"


def article(index: int, kind: str) -> str:
    marker = f" Reference {index}." if kind == "variants" else ""
    paragraphs = "".join(
        f"<p>Paragraph {n}: the officials discussed the High-Level Economic Dialogue's work "
        f"on supply chains, border infrastructure and workforce programs under pillar "
        f"{n % 4 + 1}.{marker if n == 20 else ''}</p>"
        for n in range(40)
    )
    return (
        f"<html><head><title>{TITLE}</title></head><body><main><h1>{TITLE}</h1>"
        f"<time datetime='2023-09-29'>September 29, 2023</time>"
        f"<div class='entry-content'>{paragraphs}</div></main></body></html>"
    )


def settings_for(urls: list[str]) -> Settings:
    fetch = {"per_host_delay": "0s", "per_host_concurrency": 16, "concurrency": 16}
    source = {"name": "pages", "agency": "State", "kind": "page", "urls": urls}
    return parse_settings({"fetch": fetch, "source": [source]}, "bench.toml")


def transport(pages: dict[str, str]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        body = pages[request.url.path]
        return httpx.Response(200, headers={"Content-Type": "text/html"}, text=body)

    return httpx.MockTransport(handle)


def timed_check(store: Store, urls: list[str], pages: dict[str, str]) -> float:
    started = time.perf_counter()
    result = asyncio.run(run_check(settings_for(urls), store, transport=transport(pages)))
    assert not result.failed, [report.errors[:1] for report in result.reports]
    return time.perf_counter() - started


def measure(size: int, kind: str) -> tuple[float, float | None, int]:
    """(first check of N pages, a check finding N new copies after a baseline, documents)."""
    pages = {f"/page/{index}": article(index, kind) for index in range(size)}
    urls = [f"https://www.state.gov{path}" for path in pages]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'first.db'}")
        first = timed_check(store, urls, pages)
        documents = len(store.documents())
        store.close()
        if kind != "copies":
            return first, None, documents
        store = Store(f"sqlite:///{Path(folder) / 'later.db'}")
        other = {"/other": article(-1, "variants").replace(TITLE, "Readout: Norway")}
        timed_check(store, ["https://www.state.gov/other"], other)
        later = timed_check(store, ["https://www.state.gov/other", *urls], {**other, **pages})
        store.close()
    return first, later, documents


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--kind", nargs="+", default=["copies", "variants"])
    args = parser.parse_args()
    print(f"{'kind':9} {'N':>5} {'first check s':>14} {'N new copies s':>14} {'documents':>10}")
    for kind in args.kind:
        for size in args.n:
            first, later, documents = measure(size, kind)
            after = "-" if later is None else f"{later:.2f}"
            print(f"{kind:9} {size:>5} {first:>14.2f} {after:>14} {documents:>10}")


if __name__ == "__main__":
    main()
