"""Scoring the extractor against gold labels (the devset's rules, section 7 of its guide).

A predicted item matches a gold item when it covers at least half of the gold span's
characters. Fields are scored on matched pairs: kind, actors (set equality, and set F1), pillar,
deadline and amounts (texts as a multiset, whitespace-normalised).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from monitor.commitments.model import Item

FIELDS = ("kind", "actors", "pillar", "deadline", "amounts")


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    correct: Counter[str] = field(default_factory=Counter)
    actor_f1_sum: float = 0.0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    wrong: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        self.correct.update(other.correct)
        self.actor_f1_sum += other.actor_f1_sum
        self.misses += other.misses
        self.false_alarms += other.false_alarms
        self.wrong += other.wrong

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.matched if self.matched else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            **{f"{name}_accuracy": round(self.accuracy(name), 4) for name in FIELDS},
            "actors_set_f1": round(self.actor_f1_sum / self.matched, 4) if self.matched else 0.0,
        }


def score(
    predicted: Sequence[Item],
    gold: Sequence[dict[str, Any]],
    only_specific_commitments: bool = False,
) -> Score:
    if only_specific_commitments:
        gold = [g for g in gold if g["kind"] == "commitment" and g.get("specific")]
        predicted = [p for p in predicted if p.kind == "commitment"]
    result = Score(gold=len(gold), predicted=len(predicted))
    matches = match_items(predicted, gold)
    used = set(matches.values())
    for position, entry in enumerate(gold):
        index = matches.get(position)
        if index is None:
            result.misses.append(entry["sentence"])
            continue
        result.matched += 1
        _fields(result, predicted[index], entry)
    if only_specific_commitments:
        result.predicted = result.matched + len(
            [p for i, p in enumerate(predicted) if i not in used and p.specific]
        )
    result.false_alarms = [p.sentence for i, p in enumerate(predicted) if i not in used]
    return result


def match_items(predicted: Sequence[Item], gold: Sequence[dict[str, Any]]) -> dict[int, int]:
    """Gold position -> predicted position, each predicted item used once."""
    used: set[int] = set()
    found = {}
    for position, entry in enumerate(gold):
        index = _match(entry, predicted, used)
        if index is not None:
            used.add(index)
            found[position] = index
    return found


def _match(entry: dict[str, Any], predicted: Sequence[Item], used: set[int]) -> int | None:
    start, end = entry["span"]
    best, best_overlap = None, 0.0
    for index, item in enumerate(predicted):
        if index in used:
            continue
        overlap = max(0, min(end, item.span[1]) - max(start, item.span[0])) / max(1, end - start)
        if overlap >= 0.5 and overlap > best_overlap:
            best, best_overlap = index, overlap
    return best


def _fields(result: Score, item: Item, entry: dict[str, Any]) -> None:
    pairs = {
        "kind": (item.kind, entry["kind"]),
        "actors": (frozenset(item.actors), frozenset(entry["actors"])),
        "pillar": (item.pillar, entry["pillar"]),
        "deadline": (_norm(item.deadline), _norm(entry["deadline"])),
        "amounts": (Counter(_norm(a.text) for a in item.amounts),
                    Counter(_norm(a) for a in entry["amounts"])),
    }  # fmt: skip
    for name, (mine, theirs) in pairs.items():
        if mine == theirs:
            result.correct[name] += 1
        else:
            result.wrong.append((name, entry["sentence"][:90], mine, theirs))
    mine_actors, gold_actors = frozenset(item.actors), frozenset(entry["actors"])
    both = len(mine_actors & gold_actors)
    result.actor_f1_sum += (
        2 * both / (len(mine_actors) + len(gold_actors)) if mine_actors or gold_actors else 1.0
    )


def _norm(text: str | None) -> str | None:
    return " ".join(text.replace("\\$", "$").split()) if text else None
