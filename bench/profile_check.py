"""Where one check's time goes: cProfile of `python -m monitor check` in one benchmark round.

Usage: python bench/profile_check.py [--kind policy] [--n 1000] [--round 3] [--top 25]

Starts the fake site (bench/siteserver.py), runs the rounds before ``--round`` unprofiled to
build the database, then profiles the check of that round and prints the functions with the
largest cumulative and own times. A check is one process, so the profile has every page's cost.
"""

from __future__ import annotations

import argparse
import os
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

import sitegen
from bench_check import site_server
from tools import Ours


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=sitegen.KINDS, default="policy", help="kind of page")
    parser.add_argument("--n", type=int, default=1000, help="pages")
    parser.add_argument("--round", type=int, choices=[1, 2, 3, 4], default=3, help="round")
    parser.add_argument("--top", type=int, default=25, help="functions listed")
    parser.add_argument("--out", type=Path, help="keep the profile here (pstats format)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="hled-profile-"))
    tool = Ours(folder)
    profile = args.out or folder / "check.prof"
    with site_server(args.n, args.kind) as site:
        tool.setup([site.base + sitegen.page_url_path(i) for i in range(args.n)])
        env = {**os.environ, **tool.env()}
        for number in range(1, args.round + 1):
            site.set_round(number)
            command = tool.command()
            if number == args.round:
                command[1:1] = ["-m", "cProfile", "-o", str(profile)]
            subprocess.run(command, env=env, cwd=folder, check=True, capture_output=True)
    print(f"{args.kind} N={args.n} round {args.round}; load average {os.getloadavg()[0]:.1f}")
    stats = pstats.Stats(str(profile))
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
