"""How fast the web view answers over a large store: every page, the feed and the API.

    python bench/webdata.py /tmp/web.db            # once: 10,000 documents, 50,000 versions
    python bench/bench_web.py /tmp/web.db [--repeat 25]

Starts `python -m monitor serve` on the store (a separate process, as in production), asks each
address ``repeat`` times one after another over one keep-alive connection, after one warm-up
request, and prints the median and 90th percentile of the wall time per request, with the
targets: 150 ms for pages and API calls, 100 ms for the feed. Exits 1 when a median misses.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

PAGE_TARGET, FEED_TARGET = 0.150, 0.100


def addresses(store: Path) -> list[str]:
    """The addresses to time, with ids from the middle of the store."""
    import sqlite3

    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as connection:
        (count,) = connection.execute("SELECT count(*) FROM document").fetchone()
        (events,) = connection.execute("SELECT count(*) FROM event").fetchone()
        query = "SELECT id FROM event ORDER BY id LIMIT 1 OFFSET ?"
        (event,) = connection.execute(query, (events // 2,)).fetchone()
    doc = count // 2
    return [
        "/", "/?agency=USTR", "/?type=document_changed&page=50", "/?source=state-4",
        f"/events/{event}",
        "/documents", "/documents?agency=State&type=readout", "/documents?page=100",
        "/documents?q=semiconductor", "/documents?q=item+4321", "/documents?q=nowhere",
        f"/documents/{doc}", f"/documents/{doc}/diff", f"/documents/{doc}/diff?from=1&to=5",
        "/commitments", "/commitments?pillar=2&status=open&agency=State", "/commitments?page=200",
        "/sources",
        "/feed.atom", "/feed.atom?agency=State&type=new_document", "/feed.atom?source=ustr-3",
        "/api/events", "/api/events?type=document_changed&page=20", "/api/documents",
        f"/api/documents/{doc}", f"/api/documents/{doc}/versions", f"/api/documents/{doc}/diff",
        "/api/commitments?pillar=3", "/api/sources",
    ]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit("serve exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("serve did not start")


def timings(client: httpx.Client, path: str, repeat: int) -> list[float]:
    client.get(path)  # warm-up: the first request pays for imports and caches
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        found.append(time.perf_counter() - started)
        if response.status_code not in (200, 303):
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--repeat", type=int, default=25)
    args = parser.parse_args()
    port = free_port()
    env = {**os.environ, "MONITOR_DATABASE_URL": f"sqlite:///{args.store.resolve()}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "monitor", "serve", "--listen", f"127.0.0.1:{port}"],
        env=env, stderr=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    missed = 0
    try:
        wait_for(port, server)
        print(f"{'address':52} {'median ms':>9} {'p90 ms':>7}  target")
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for path in addresses(args.store):
                found = sorted(timings(client, path, args.repeat))
                median, p90 = statistics.median(found), found[int(len(found) * 0.9) - 1]
                target = FEED_TARGET if path.startswith("/feed") else PAGE_TARGET
                verdict = "ok" if median < target else "MISSED"
                missed += verdict != "ok"
                print(f"{path[:52]:52} {median * 1000:9.1f} {p90 * 1000:7.1f}  "
                      f"< {target * 1000:.0f} {verdict}")  # fmt: skip
    finally:
        server.terminate()
        server.wait(30)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
