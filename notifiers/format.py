"""What an alert says, independent of the channel: built once, rendered as text, mrkdwn or HTML.

Page titles and text are untrusted: this module only arranges them; every renderer escapes them
for its own medium.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from monitor.diff import trim_context
from monitor.models import Event

# A line of an alert: segments that are kept ("="), removed ("-") or added ("+").
Segment = tuple[str, str]
Line = tuple[Segment, ...]

TITLES = {
    "new_document": "New HLED document",
    "document_changed": "HLED document changed",
    "document_moved": "HLED document moved",
    "document_also_published": "HLED document also published",
    "document_removed": "HLED document removed",
    "document_restored": "HLED document restored",
    "source_error": "Source failing",
    "source_recovered": "Source recovered",
    "commitment_added": "Commitment added",
    "commitment_removed": "Commitment removed",
    "commitment_changed": "Commitment changed",
    "commitment_fulfilled": "Commitment fulfilled",
    "commitment_progressed": "Commitment progressed",
    "notify_test": "Test alert",
}
MAX_CHANGES = 20


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


def plain(text: object) -> Line:
    return (("=", str(text)),)


def build_alert(event: Event, max_commitments: int = 8) -> Alert:
    payload = event.payload
    facts = [("Agency", event.agency)]
    for label, key in (("Type", "doc_type"), ("Published", "published"), ("Source", None)):
        value = payload.get(key) if key else event.source
        if value:
            facts.append((label, str(value)))
    sections = [s for s in _sections(event, max_commitments) if s.lines or s.more]
    label = TITLES.get(event.type, event.type.replace("_", " ").capitalize())
    return Alert(
        kind=event.type,
        headline=f"{label}: {event.title or event.url}",
        title=event.title or event.url,
        url=event.url,
        facts=tuple(facts),
        sections=tuple(sections),
    )


def _sections(event: Event, max_commitments: int) -> list[Section]:
    payload = event.payload
    sections: list[Section] = []
    if payload.get("opening"):
        sections.append(
            Section("Opening", tuple(plain(p) for p in str(payload["opening"]).split("\n\n")))
        )
    if isinstance(payload.get("changes"), list):  # text changes (commitment events use a dict)
        sections.append(
            _limited("Changes", [_change_line(c) for c in payload["changes"]], MAX_CHANGES)
        )
    if payload.get("commitment_changes"):
        lines = [_commitment_change_line(c) for c in payload["commitment_changes"]]
        sections.append(_limited("Commitments changed", lines, max_commitments))
    if payload.get("commitments") and max_commitments:
        lines = [_commitment_line(c) for c in payload["commitments"]]
        sections.append(_limited("Commitments found", lines, max_commitments))
    if isinstance(payload.get("commitment"), dict):  # commitment_added / removed / changed
        sections.append(_commitment_section(payload))
    elif payload.get("commitment"):  # commitment_fulfilled / progressed: earlier vs report
        sections.append(Section("Commitment", (plain(payload["commitment"]),)))
        sections.append(Section("Reported now", (plain(payload.get("report", "")),)))
        if payload.get("committed_in"):
            sections.append(Section("Committed in", (plain(payload["committed_in"]),)))
    if len(payload.get("locations", [])) > 1:
        sections.append(Section("Published at", tuple(plain(u) for u in payload["locations"])))
    for key, heading in (("note", "Note"), ("error", "Error"), ("previous_url", "Moved from")):
        if payload.get(key):
            sections.append(Section(heading, (plain(payload[key]),)))
    return sections


def _commitment_section(payload: dict[str, Any]) -> Section:
    lines = [_commitment_line(payload["commitment"])]
    for field, values in (payload.get("changes") or {}).items():
        lines.append((("=", f"{field}:"), ("-", _value(values.get("before"))),
                      ("+", _value(values.get("after")))))  # fmt: skip
    return Section("Commitment", tuple(lines))


def _limited(heading: str, lines: list[Line], limit: int) -> Section:
    return Section(heading, tuple(lines[:limit]), more=max(0, len(lines) - limit))


def _change_line(change: dict[str, Any]) -> Line:
    words = [tuple(pair) for pair in change.get("words", [])]
    if not words:
        return plain(change.get("compact") or change.get("after") or change.get("before") or "")
    line: list[Segment] = []
    for index, (op, text) in enumerate(words):
        if op == "=":
            text = trim_context(text, first=index == 0, last=index == len(words) - 1)
        line.append((op, text))
    return tuple(line)


def _commitment_line(item: dict[str, Any]) -> Line:
    details = [str(item["deadline"])] if item.get("deadline") else []
    details += [
        str(a.get("text", a)) if isinstance(a, dict) else str(a) for a in item.get("amounts", [])
    ]
    suffix = f" ({'; '.join(details)})" if details else ""
    return plain(f"[{item.get('kind', 'commitment')}] {item.get('sentence', '')}{suffix}")


def _commitment_change_line(change: dict[str, Any]) -> Line:
    kind = str(change.get("type", "commitment_changed")).removeprefix("commitment_")
    before, after = change.get("before") or {}, change.get("after") or {}
    sentence = (after or before).get("sentence", "")
    line: list[Segment] = [("=", f"{kind}: {sentence}")]
    for field, values in (change.get("changes") or {}).items():
        line += [("=", f" — {field}: "), ("-", _value(values.get("before"))), ("=", " -> "),
                 ("+", _value(values.get("after")))]  # fmt: skip
    return tuple(line)


def _value(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "none"
    return "none" if value in (None, "") else str(value)


def text_line(line: Line) -> str:
    """Plain-text rendering: ``[-removed-]`` and ``{+added+}``."""
    marks = {"-": "[-{}-]", "+": "{{+{}+}}", "=": "{}"}
    return " ".join(marks[op].format(text) for op, text in line if text).replace("  ", " ")


def render_text(alert: Alert) -> str:
    lines = [alert.headline, " · ".join(value for _, value in alert.facts), alert.url]
    for section in alert.sections:
        lines += ["", f"{section.heading}:"]
        lines += [f"  {text_line(line)}" for line in section.lines]
        if section.more:
            lines.append(f"  … {section.more} more")
    return "\n".join(lines)


def render_digest_text(alerts: Sequence[Alert]) -> str:
    return f"{len(alerts)} HLED alerts\n\n" + "\n\n".join(render_text(a) for a in alerts)
