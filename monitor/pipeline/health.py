"""Source health: one ``source_error`` after N failed checks in a row, one ``source_recovered``."""

from __future__ import annotations

from monitor.config import SourceConfig
from monitor.models import Event
from monitor.pipeline import events
from monitor.pipeline.context import CheckContext


def record_health(source: SourceConfig, error: str | None, context: CheckContext) -> list[Event]:
    """Record this check's outcome for the source; return the health events it caused."""
    store, now = context.store, context.now()
    before = store.update_source(source.name, now, error)
    threshold = context.settings.defaults.error_after
    if error is not None:
        failures = before.consecutive_failures + 1
        if failures < threshold or before.error_reported:
            return []
        streak = before.last_ok_at.isoformat() if before.last_ok_at else "never"
        found = [events.source_error(source, failures, error, streak, now)]
        store.set_error_reported(source.name, context.routed(found), now)
        return found
    if not before.error_reported:
        return []
    found = [events.source_recovered(source, before.consecutive_failures, now)]
    store.record_events(context.routed(found), now)
    return found
