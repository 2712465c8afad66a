"""`python -m monitor.service.probe`: the container HEALTHCHECK, asking /healthz where `run` is.

It follows ``MONITOR_LISTEN`` (as `run` does), so moving the port moves the probe with it; a
wildcard host (0.0.0.0, ::) is probed on the loopback address. Exit 0 healthy, 1 otherwise.
Standard library only: it runs every 30 seconds and must start fast.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping

DEFAULT_LISTEN = "127.0.0.1:8080"
WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}  # noqa: S104 (only compared)


def health_url(env: Mapping[str, str]) -> str:
    host, _, port = (env.get("MONITOR_LISTEN") or DEFAULT_LISTEN).rpartition(":")
    bare = host.strip("[]")
    if bare in WILDCARDS:
        host = WILDCARDS[bare]
    elif ":" in bare:
        host = f"[{bare}]"  # an IPv6 address
    return f"http://{host}:{port}/healthz"


def main(env: Mapping[str, str] = os.environ) -> int:
    try:
        with urllib.request.urlopen(health_url(env), timeout=4) as answer:  # noqa: S310
            return 0 if answer.status == 200 else 1
    except (OSError, ValueError) as exc:  # refused, 503 (HTTPError), timeout, bad address
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
