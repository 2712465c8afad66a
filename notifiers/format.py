"""What an alert says, independent of the channel: built once, rendered as text, mrkdwn or HTML.

Page titles and text are untrusted: this module only arranges them; every renderer escapes them
for its own medium.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from monitor.identity.urls import canonical_url
from monitor.models import Event, EventType
from monitor.text.textdiff import trim_context
from notifiers.commitment_text import (
    Line,
    Segment,
    commitment_change_line,
    commitment_line,
    field_changes,
    value_text,
)

__all__ = [
    "VIEW_LABEL",
    "Alert",
    "Line",
    "Section",
    "Segment",
    "build_alert",
    "is_web_url",
    "render_text",
    "text_line",
]

TITLES = {
    "new_document": "New HLED document",
    "document_changed": "HLED document changed",
    "document_moved": "HLED document moved",
    "document_also_published": "HLED document also published",
    "document_removed": "HLED document removed",
    "document_restored": "HLED document restored",
    "source_error": "Source failing",
    "source_recovered": "Source recovered",
    EventType.COMMITMENT_ADDED: "Commitment added",
    EventType.COMMITMENT_REMOVED: "Commitment removed",
    EventType.COMMITMENT_CHANGED: "Commitment changed",
    EventType.COMMITMENT_FULFILLED: "Commitment fulfilled",
    EventType.COMMITMENT_PROGRESSED: "Commitment progressed",
    "commitment_updates": "HLED commitment updates",
    "document_mentions": "HLED mentioned",
    "notify_test": "Test alert",
}
MAX_CHANGES = 20
CHANGE_TYPES = frozenset(
    {EventType.COMMITMENT_ADDED, EventType.COMMITMENT_REMOVED, EventType.COMMITMENT_CHANGED}
)
REPORT_TYPES = frozenset({EventType.COMMITMENT_FULFILLED, EventType.COMMITMENT_PROGRESSED})
# Facts shown under the headline, from the payload (None: the event's source).
FACTS = (
    ("Type", "doc_type"),
    ("Published", "published"),
    ("Source", None),
)


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[Line, ...]
    more: int = 0  # lines left out: rendered as "… N more"


@dataclass(frozen=True)
class Alert:
    kind: str
    headline: str
    title: str
    url: str
    facts: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    view_url: str | None = None  # the event in the web view: its diff page for a change


VIEW_LABEL = "Open in hled-monitor"


def is_web_url(url: str) -> bool:
    """Only http(s) addresses become links: never ``javascript:`` or ``data:`` from a page."""
    return url.lower().startswith(("http://", "https://"))


def plain(text: object) -> Line:
    return (("=", str(text)),)


def build_alert(event: Event, max_commitments: int = 8, public_url: str | None = None) -> Alert:
    """``public_url``: the web view's base; the alert then links to the event there."""
    payload = event.payload
    facts = [("Agency", event.agency)]
    for label, key in FACTS:
        value = payload.get(key) if key else event.source
        if value:
            facts.append((label, str(value)))
    if payload.get("failures"):
        facts.append(("Failed", f"{payload['failures']} checks in a row"))
    sections = [s for s in _sections(event, max_commitments) if s.lines or s.more]
    sections += related_sections(payload, max_commitments)
    if any(section.more for section in sections):
        sections.append(Section("Full record", (plain(full_record(event)),)))
    label = TITLES.get(event.type, event.type.replace("_", " ").capitalize())
    return Alert(
        kind=event.type,
        headline=f"{label}: {event.title or event.url}",
        title=event.title or event.url,
        url=event.url,
        facts=tuple(facts),
        sections=tuple(sections),
        view_url=f"{public_url.rstrip('/')}/events/{event.id}" if public_url else None,
    )


def _sections(event: Event, max_commitments: int) -> list[Section]:
    payload = event.payload
    sections: list[Section] = []
    if payload.get("opening"):
        sections.append(
            Section("Opening", tuple(plain(p) for p in str(payload["opening"]).split("\n\n")))
        )
    if _items(payload, "changes"):
        lines = [_change_line(c) for c in _items(payload, "changes")]
        sections.append(_limited("Changes", lines, MAX_CHANGES))
    if _items(payload, "commitment_changes"):
        lines = [commitment_change_line(c) for c in _items(payload, "commitment_changes")]
        sections.append(_limited("Commitments changed", lines, max_commitments))
    if _items(payload, "commitments") and max_commitments:
        lines = [commitment_line(c) for c in _items(payload, "commitments")]
        sections.append(_limited("Commitments found", lines, max_commitments))
    sections += _commitment_event_sections(payload)
    if len(_items(payload, "locations")) > 1:
        sections.append(Section("Published at", tuple(map(plain, _items(payload, "locations")))))
    keyed = (("quote", "Mentioned"), ("location", "Changed at"), ("note", "Note"),
             ("error", "Error"), ("previous_url", "Moved from"))  # fmt: skip
    for key, heading in keyed:
        if payload.get(key):
            sections.append(Section(heading, (plain(payload[key]),)))
    return sections


def related_sections(payload: Mapping[str, Any], max_commitments: int) -> list[Section]:
    """The other events of the document's message (``notifiers.grouping``), as sections."""
    related = [item for item in _items(payload, "related") if isinstance(item, Mapping)]
    changes = [commitment_change_line(r) for r in related if r.get("type") in CHANGE_TYPES]
    reports = [_report_line(r) for r in related if r.get("type") in REPORT_TYPES]
    others = [_also_line(r) for r in related if r.get("type") not in CHANGE_TYPES | REPORT_TYPES]
    sections = []
    if changes:
        sections.append(_limited("Commitments changed", changes, max_commitments))
    if reports:
        sections.append(_limited("Reports on earlier commitments", reports, max_commitments))
    if others:
        sections.append(Section("Also in this check", tuple(others)))
    return sections


def full_record(event: Event) -> str:
    """Where the whole of a trimmed alert is: the command that prints it."""
    url = canonical_url(event.url)  # how the store knows the document
    if event.type == "document_changed":
        return f"python -m monitor diff {url}"
    return f"python -m monitor commitments --document {url}"


def _report_line(report: Mapping[str, Any]) -> Line:
    """``progressed: <earlier commitment> (committed in <title>) — now: <report>``."""
    relation = str(report.get("relation") or report.get("type", "")).removeprefix("commitment_")
    source = report.get("committed_in_title") or report.get("committed_in") or ""
    where = f" (committed in {source})" if source else ""
    return (
        ("=", f"{relation}: {report.get('commitment', '')}{where} — now:"),
        ("+", str(report.get("report", ""))),
    )


def _also_line(event: Mapping[str, Any]) -> Line:
    label = TITLES.get(str(event.get("type")), str(event.get("type", "")).replace("_", " "))
    where = event.get("new_location") or event.get("location") or event.get("url") or ""
    moved_from = f" (from {event['previous_url']})" if event.get("previous_url") else ""
    return plain(f"{label}: {where}{moved_from}")


def _limited(heading: str, lines: list[Line], limit: int) -> Section:
    return Section(heading, tuple(lines[:limit]), more=max(0, len(lines) - limit))


def _commitment_event_sections(payload: Mapping[str, Any]) -> list[Section]:
    """commitment_added / removed / changed carry the item; fulfilled / progressed a report."""
    commitment = payload.get("commitment")
    if isinstance(commitment, Mapping):
        lines = [commitment_line(commitment)]
        for field, old, new in field_changes(payload.get("changes"), {}, {}):
            lines.append((("=", f"{field}:"), ("-", value_text(old)), ("+", value_text(new))))
        return [Section("Commitment", tuple(lines))]
    if not commitment:
        return []
    found = [Section("Commitment", (plain(commitment),))]
    found.append(Section("Reported now", (plain(payload.get("report", "")),)))
    if payload.get("committed_in"):
        found.append(Section("Committed in", (plain(payload["committed_in"]),)))
    return found


def _items(payload: Mapping[str, object], key: str) -> list[object]:
    """A payload list, or nothing when the key is absent or not a list (another branch's data)."""
    value = payload.get(key)
    return list(value) if isinstance(value, list | tuple) else []


def _change_line(change: object) -> Line:
    """One changed passage from its ``words`` pairs, else its ``compact`` rendering."""
    if not isinstance(change, Mapping):
        return plain(change)
    words = [
        (str(pair[0]), str(pair[1]))
        for pair in change.get("words") or []
        if isinstance(pair, list | tuple) and len(pair) == 2 and pair[0] in ("=", "-", "+")
    ]
    if not words:
        return plain(change.get("compact") or change.get("after") or change.get("before") or "")
    line: list[Segment] = []
    for index, (op, text) in enumerate(words):
        if op == "=":
            text = trim_context(text, first=index == 0, last=index == len(words) - 1)
        line.append((op, text))
    return tuple(line)


def text_line(line: Line) -> str:
    """Plain-text rendering: ``[-removed-]`` and ``{+added+}``."""
    marks = {"-": "[-{}-]", "+": "{{+{}+}}", "=": "{}"}
    return " ".join(marks[op].format(text) for op, text in line if text).replace("  ", " ")


def render_text(alert: Alert) -> str:
    lines = [alert.headline, " · ".join(value for _, value in alert.facts), alert.url]
    if alert.view_url:
        lines.append(f"{VIEW_LABEL}: {alert.view_url}")
    lines += section_lines(alert.sections, "{}:".format, "  ", text_line)
    return "\n".join(lines)


def section_lines(
    sections: Sequence[Section],
    heading: Callable[[str], str],
    bullet: str,
    line_text: Callable[[Line], str],
) -> list[str]:
    """Each section after a blank line: its heading, then its lines (and "… N more") as bullets."""
    lines: list[str] = []
    for section in sections:
        lines += ["", heading(section.heading)]
        lines += [bullet + line_text(line) for line in section.lines]
        if section.more:
            lines.append(f"{bullet}… {section.more} more")
    return lines


def render_digest_text(alerts: Sequence[Alert]) -> str:
    return f"{len(alerts)} HLED alerts\n\n" + "\n\n".join(render_text(a) for a in alerts)
