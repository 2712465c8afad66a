"""A plain-text summary of an event: the console alert's own text (what changed, in words)."""

from __future__ import annotations

from typing import Any

from monitor.pipeline.events import from_json
from notifiers.format import build_alert, render_text

MAX_SUMMARY = 4000


def summary(record: dict[str, Any]) -> str:
    text = render_text(build_alert(from_json(record)))
    return text if len(text) <= MAX_SUMMARY else text[:MAX_SUMMARY] + " …"
