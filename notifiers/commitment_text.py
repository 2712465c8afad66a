"""How commitments and their changes read in an alert.

The payload keys come from the commitment extractor (``commitments``: dicts with sentence, kind,
actors, deadline, amounts; ``commitment_changes``: dicts with type, before, after, changes). An
alert must never fail because one of them is missing or shaped a little differently, so every
reader here accepts what it does not know and shows it as plain text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Segment = tuple[str, str]  # ("=" kept | "-" removed | "+" added, text)
Line = tuple[Segment, ...]

# Fields compared when a change carries only ``before`` and ``after``: the sentence is the
# line's own text, so it is left out.
COMPARED = ("kind", "actors", "deadline", "amounts", "status")


def commitment_line(item: object) -> Line:
    """``[investment] EPA will invest $474 million (EPA, CONAGUA; by 2025-12-31; $474 million)``."""
    if not isinstance(item, Mapping):
        return (("=", str(item)),)
    details = []
    if item.get("actors"):
        details.append(value_text(item["actors"]))
    if item.get("deadline"):
        details.append(value_text(item["deadline"]))  # written as found: "by October"
    if item.get("amounts"):
        details.append(value_text(item["amounts"]))
    suffix = f" ({'; '.join(details)})" if details else ""
    kind = item.get("kind") or "commitment"
    return (("=", f"[{kind}] {item.get('sentence', '')}{suffix}"),)


def commitment_change_line(change: object) -> Line:
    """``changed: <sentence> — deadline: [-2025-] -> {+2026+}``; added and removed as a whole."""
    if not isinstance(change, Mapping):
        return (("=", str(change)),)
    before, after = _mapping(change.get("before")), _mapping(change.get("after"))
    kind = str(change.get("type") or "changed").removeprefix("commitment_")
    if kind == "added" or (after and not before):
        return (("=", "added:"), ("+", str(after.get("sentence", ""))))
    if kind == "removed" or (before and not after):
        return (("=", "removed:"), ("-", str(before.get("sentence", ""))))
    line: list[Segment] = [("=", f"{kind}: {(after or before).get('sentence', '')}")]
    for field, old, new in field_changes(change.get("changes"), before, after):
        line += [("=", f" — {field}:"), ("-", value_text(old)), ("=", "->"), ("+", value_text(new))]
    return tuple(line)


def field_changes(
    changes: object, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[tuple[str, object, object]]:
    """(field, before, after) from ``{field: {before, after}}``, ``{field: [before, after]}``,
    ``[{field, before, after}]``, or, without any of those, from comparing the two sides."""
    if isinstance(changes, Mapping):
        return [(str(field), *_pair(values)) for field, values in changes.items()]
    if isinstance(changes, list | tuple):
        return [
            (str(item.get("field", "?")), item.get("before"), item.get("after"))
            for item in changes
            if isinstance(item, Mapping)
        ]
    return [(f, before.get(f), after.get(f)) for f in COMPARED if before.get(f) != after.get(f)]


def value_text(value: object) -> str:
    """A field's value for people: lists joined, amounts by their text, nothing as "none"."""
    if isinstance(value, list | tuple):
        return ", ".join(value_text(item) for item in value) or "none"
    if isinstance(value, Mapping):
        for key in ("text", "raw", "value", "date"):
            if value.get(key) not in (None, ""):
                return str(value[key])
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or "none"
    return "none" if value in (None, "") else str(value)


def _pair(values: object) -> tuple[object, object]:
    if isinstance(values, Mapping):
        return values.get("before"), values.get("after")
    if isinstance(values, list | tuple) and len(values) == 2:
        return values[0], values[1]
    return None, values


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
