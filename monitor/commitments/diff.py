"""Commitments between two versions of one document: added, removed, changed (field by field).

Identity across versions: a fingerprint of the sentence without numbers and punctuation (so
"$474 million" → "$520 million" keeps it), then rapidfuzz similarity for reworded sentences.
The field-level change of a matched pair is what deepdiff finds between the structured records.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from monitor.commitments.model import Item
from monitor.models import EventType, LedgerChange, LedgerEntry

SIMILAR = 80  # rapidfuzz token_set_ratio at which a reworded sentence is the same commitment
FIELDS = ("kind", "actors", "deadline", "amounts", "pillar", "sub_items")


@dataclass(frozen=True)
class ItemChange:
    type: EventType  # COMMITMENT_ADDED | COMMITMENT_REMOVED | COMMITMENT_CHANGED
    before: Item | None
    after: Item | None
    changes: dict[str, dict[str, Any]]  # field -> {"before": ..., "after": ...}

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "before": self.before.as_json() if self.before else None,
            "after": self.after.as_json() if self.after else None,
            "changes": self.changes,
        }


def fingerprint(item: Item) -> str:
    skeleton = re.sub(r"[^a-z ]+", " ", item.sentence.lower())
    return hashlib.sha1(" ".join(skeleton.split()).encode()).hexdigest()[:16]  # noqa: S324


def entry(item: Item) -> LedgerEntry:
    """What the ledger keeps of ``item`` (the store never computes a fingerprint)."""
    amounts = tuple(amount.text for amount in item.amounts)
    return LedgerEntry(
        fingerprint(item),
        item.kind,
        item.sentence,
        item.actors,
        item.pillar,
        item.deadline,
        amounts,
    )


def ledger_change(change: ItemChange) -> LedgerChange:
    """``change`` as the ledger applies it: the entries before and after."""
    before, after = change.before, change.after
    return (entry(before) if before else None, entry(after) if after else None)


def record(item: Item) -> dict[str, Any]:
    """What a commitment says, as data: the thing deepdiff compares."""
    return {
        "kind": item.kind,
        "actors": sorted(item.actors),
        "deadline": item.deadline,
        "amounts": [amount.text for amount in item.amounts],
        "pillar": item.pillar,
        "sub_items": list(item.sub_items),
    }


def diff_items(old: Sequence[Item], new: Sequence[Item]) -> list[ItemChange]:
    """Commitments added, removed or changed from ``old`` to ``new`` (accomplishments ignored)."""
    old_c = _distinct(item for item in old if item.kind == "commitment")
    new_c = _distinct(item for item in new if item.kind == "commitment")
    pairs, old_left, new_left = _pair(old_c, new_c)
    changes: list[ItemChange] = []
    for before, after in pairs:
        fields = field_changes(before, after)
        if fields:
            changes.append(ItemChange(EventType.COMMITMENT_CHANGED, before, after, fields))
    changes += [ItemChange(EventType.COMMITMENT_REMOVED, item, None, {}) for item in old_left]
    changes += [ItemChange(EventType.COMMITMENT_ADDED, None, item, {}) for item in new_left]
    return changes


def _distinct(items: Iterable[Item]) -> list[Item]:
    """One item per fingerprint: a commitment stated twice (summary and body) is one commitment."""
    first: dict[str, Item] = {}
    for item in items:
        first.setdefault(fingerprint(item), item)
    return list(first.values())


def field_changes(before: Item, after: Item) -> dict[str, dict[str, Any]]:
    old, new = record(before), record(after)
    if old == new:  # most matched pairs: deepdiff (~1.5 ms a pair) would find nothing either
        return {}
    from deepdiff import DeepDiff  # +18 MB: imported only when a pair differs

    difference = DeepDiff(old, new, ignore_order=True, view="tree")
    touched = {
        node.path(output_format="list")[0]
        for nodes in difference.values()
        for node in nodes
        if node.path(output_format="list")
    }
    return {name: {"before": old[name], "after": new[name]} for name in FIELDS if name in touched}


def _pair(
    old: list[Item], new: list[Item]
) -> tuple[list[tuple[Item, Item]], list[Item], list[Item]]:
    pairs: list[tuple[Item, Item]] = []
    new_left = list(new)
    old_left: list[Item] = []
    by_print = {fingerprint(item): item for item in new_left}
    unmatched_old = []
    for item in old:
        twin = by_print.get(fingerprint(item))
        if twin is not None and twin in new_left:
            pairs.append((item, twin))
            new_left.remove(twin)
        else:
            unmatched_old.append(item)
    for item in unmatched_old:
        best = max(new_left, key=lambda other: _similarity(item, other), default=None)
        if best is not None and _similarity(item, best) >= SIMILAR:
            pairs.append((item, best))
            new_left.remove(best)
        else:
            old_left.append(item)
    return pairs, old_left, new_left


def _similarity(a: Item, b: Item) -> float:
    return float(fuzz.token_set_ratio(a.sentence, b.sentence))
