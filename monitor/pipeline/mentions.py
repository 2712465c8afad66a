"""Mentions: a post that names the HLED only deep in its body is quoted once, never tracked.

A daily press briefing whose full text a feed carries may name the HLED in one sentence. That
is worth one alert quoting the sentence, but the briefing is not an HLED document: it is not
fetched, stored or watched, so its later edits say nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.config import SourceConfig
from monitor.discover import Mention
from monitor.identity.urls import canonical_url
from monitor.models import Event, Routed
from monitor.pipeline import events
from monitor.pipeline.context import CheckContext


def record_mentions(
    source: SourceConfig, mentions: Sequence[Mention], baseline: bool, context: CheckContext
) -> list[Event]:
    """One ``document_mentions`` per address ever; recorded silently in the baseline."""
    store, now = context.store, context.now()
    found = [
        events.document_mentions(source, m.url, m.title or m.url, m.quote, now)
        for m in mentions
        if store.find(canonical_url(m.url, context.settings.aliases)) is None
    ]
    known = store.known_events(event.id for event in found) if found else set()
    fresh = [event for event in found if event.id not in known]
    if fresh:
        store.record_events(tuple(map(Routed, fresh)) if baseline else context.routed(fresh), now)
    return [] if baseline else fresh
