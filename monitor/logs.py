"""Logging set-up: to stderr (stdout may carry JSON events); JSON lines when not on a terminal.

Log records carry fields (``extra=``) such as source, status and seconds; the JSON formatter
(python-json-logger) puts them in the object, the terminal formatter shows the message.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping

from pythonjsonlogger.json import JsonFormatter

STARTUP_LOGGER = "monitor.startup"


def configure_logging(verbosity: int, env: Mapping[str, str]) -> None:
    level_name = env.get("MONITOR_LOG_LEVEL")
    if level_name:
        level = logging.getLevelNamesMapping().get(level_name.upper(), logging.WARNING)
    else:
        level = (logging.ERROR, logging.WARNING, logging.INFO, logging.DEBUG)[
            max(0, min(verbosity, 2) + 1)  # -q: errors only
        ]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_formatter(env))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))  # one line per request
    # urllib3 (under Apprise and slack-sdk) logs request lines, and webhook paths are secrets.
    for chatty in ("apscheduler", "alembic", "urllib3"):
        logging.getLogger(chatty).setLevel(max(level, logging.WARNING))
    # The service's start-up line shows at the default level too; -q (or a level set in the
    # environment) hides it.
    shown = not level_name and verbosity >= 0
    logging.getLogger(STARTUP_LOGGER).setLevel(min(level, logging.INFO) if shown else level)


def _formatter(env: Mapping[str, str]) -> logging.Formatter:
    style = env.get("MONITOR_LOG_FORMAT") or ("text" if sys.stderr.isatty() else "json")
    if style == "json":
        return JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    return logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
