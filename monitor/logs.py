"""Logging set-up: messages for people go to stderr, never to stdout (which may carry JSON)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping


def configure_logging(verbosity: int, env: Mapping[str, str]) -> None:
    level_name = env.get("MONITOR_LOG_LEVEL")
    if level_name:
        level = logging.getLevelNamesMapping().get(level_name.upper(), logging.WARNING)
    else:
        level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbosity, 2)]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))  # one line per request
