"""A plain-text summary of an event: the console alert's own text (what changed, in words)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from monitor.models import Event
from notifiers.format import build_alert, render_text

MAX_SUMMARY = 4000
_FIELDS = ("type", "id", "source", "agency", "url", "title", "detected_at", "document_id")


def summary(record: dict[str, Any]) -> str:
    payload = {k: v for k, v in record.items() if k not in _FIELDS}
    event = Event(
        id=record["id"], type=record["type"], source=record["source"], agency=record["agency"],
        url=record["url"], title=record["title"],
        detected_at=datetime.fromisoformat(record["detected_at"]), payload=payload,
    )  # fmt: skip
    text = render_text(build_alert(event))
    return text if len(text) <= MAX_SUMMARY else text[:MAX_SUMMARY] + " …"
