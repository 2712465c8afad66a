"""Checks of ``sources.toml`` that go beyond one field's type.

The models call these; each message is prefixed by the loader with the file, the source and
the field.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from monitor.config.fields import format_duration
from monitor.models import EventType

# Every event type a destination may filter on: the registry itself, so a new type is known.
EVENT_TYPES: tuple[str, ...] = tuple(str(kind) for kind in EventType)
MIN_INTERVAL = 60.0  # seconds: below it, `[service] allow_fast_intervals = true` is needed


def closest(word: str, known: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the nearest known word, or ''."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def unknown_events(where: str, events: Iterable[str] | None) -> list[str]:
    """The closest event type when there is one, else the list of them all."""
    return [
        f'{where}: events: "{event}" is not an event type'
        + (closest(event, EVENT_TYPES) or f" (one of: {', '.join(EVENT_TYPES)})")
        for event in events or ()
        if event not in EVENT_TYPES
    ]


def unknown_agencies(where: str, agencies: Iterable[str] | None, known: list[str]) -> list[str]:
    listed = ", ".join(known) or "none"
    return [
        f'{where}: agencies: "{agency}" is not the agency of any source'
        f"{closest(agency, known)} (agencies: {listed})"
        for agency in agencies or ()
        if agency not in known
    ]


def interval_floor(name: str, interval: float, allow_fast: bool) -> str | None:
    """Why a source's interval is refused, or None."""
    if interval <= 0:
        return f'source "{name}": interval: must be positive'
    if interval < MIN_INTERVAL and not allow_fast:
        return (
            f'source "{name}": interval: {format_duration(interval)} is below the '
            f"{format_duration(MIN_INTERVAL)} floor (set [service] allow_fast_intervals = true "
            "to poll faster)"
        )
    return None
