"""The extractor's output: items (commitments and accomplishments) and their amounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

COMMITMENT, ACCOMPLISHMENT = "commitment", "accomplishment"  # an item's kinds


@dataclass(frozen=True)
class Amount:
    text: str  # as written, markdown escapes removed: "more than $320 million"
    value: float | None  # 320000000.0
    unit: str  # "USD", "MXN", "percent", or the counted noun: "participants"

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value, "unit": self.unit}


@dataclass(frozen=True)
class Why:
    """Why an item is one: the words that mark it, the clause read, and the rule that fired."""

    marker: str
    clause: str
    rule: str

    def as_json(self) -> dict[str, str]:
        return {"marker": self.marker, "clause": self.clause, "rule": self.rule}


@dataclass(frozen=True)
class Item:
    sentence: str
    kind: str  # "commitment" | "accomplishment"
    actors: tuple[str, ...]
    action: str
    pillar: int | None
    deadline: str | None
    amounts: tuple[Amount, ...]
    specific: bool
    section: str | None
    span: tuple[int, int]
    sub_items: tuple[str, ...] = ()
    why: Why | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "kind": self.kind,
            "actors": list(self.actors),
            "action": self.action,
            "pillar": self.pillar,
            "deadline": self.deadline,
            "amounts": [amount.as_json() for amount in self.amounts],
            "specific": self.specific,
            "section": self.section,
            "span": list(self.span),
            "sub_items": list(self.sub_items),
            "why": self.why.as_json() if self.why else None,
        }
