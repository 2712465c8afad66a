"""The floor of an unchanged round: N conditional GETs through httpx and our lanes, nothing else.

    python bench/bench_floor.py [--n 1000] [--concurrency 10] [--repeat 3]

Serves the benchmark's site (bench/siteserver.py), reads every page's ETag once, then times
whole processes that import only httpx and monitor.fetch._lanes and ask each page with If-None-Match
(all answers are 304), `concurrency` at a time as `check` does. No config, store, extraction or
bookkeeping: what `check` adds on top of this is ours to make cheaper; this part is not.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import sitegen
from bench_check import site_server
from tools import REPO

CHILD = """
import asyncio, json, sys, time
started = time.perf_counter()
import httpx
from monitor.fetch._lanes import LaneTransport

async def ask_all(etags, concurrency):
    slots = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(transport=LaneTransport(concurrency)) as client:
        async def ask(url, etag):
            async with slots, client.stream("GET", url, headers={"If-None-Match": etag}) as r:
                await r.aread()
                return r.status_code
        return await asyncio.gather(*(ask(url, etag) for url, etag in etags.items()))

etags = json.load(open(sys.argv[1]))
statuses = asyncio.run(ask_all(etags, int(sys.argv[2])))
print(json.dumps({"statuses": sorted(set(statuses)), "seconds": time.perf_counter() - started}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with site_server(args.n) as site, tempfile.TemporaryDirectory() as folder:
        urls = [site.base + sitegen.page_url_path(i) for i in range(args.n)]
        site.set_round(2)  # the content of the unchanged round
        with httpx.Client() as client:
            etags = {url: client.get(url).headers["etag"] for url in urls}
        etag_file = Path(folder) / "etags.json"
        etag_file.write_text(json.dumps(etags), encoding="utf-8")
        walls = []
        for _ in range(args.repeat):
            command = [sys.executable, "-c", CHILD, str(etag_file), str(args.concurrency)]
            found = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
            answer = json.loads(found.stdout)
            if answer["statuses"] != [304]:
                print(f"FAIL: answers {answer['statuses']}, expected only 304", file=sys.stderr)
                return 1
            walls.append(answer["seconds"])
    runs = " ".join(f"{wall:.2f}" for wall in walls)
    median = statistics.median(walls)
    print(f"{args.n} conditional GETs (all 304), concurrency {args.concurrency}: median "
          f"{median:.2f} s from the first import to the last answer ({runs})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
