"""Text diffs between two versions of a document: a line diff and word-level changed passages."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"\S+")
CONTEXT_WORDS = 8


@dataclass(frozen=True)
class Change:
    """One changed passage: the blocks before and after, and a word-level rendering."""

    before: str
    after: str
    words: tuple[tuple[str, str], ...]  # ("=", text) | ("-", removed) | ("+", added)

    def compact(self) -> str:
        """``… invest a combined [-$474-]{+$520+} million …`` with a little context."""
        parts = []
        for index, (op, text) in enumerate(self.words):
            if op == "-":
                parts.append(f"[-{text}-]")
            elif op == "+":
                parts.append(f"{{+{text}+}}")
            else:
                parts.append(
                    trim_context(text, first=index == 0, last=index == len(self.words) - 1)
                )
        return " ".join(part for part in parts if part)

    def as_json(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "after": self.after,
            "words": [list(pair) for pair in self.words],
            "compact": self.compact(),
        }


@dataclass(frozen=True)
class TextDiff:
    line_diff: str
    changes: tuple[Change, ...]

    def as_json(self) -> dict[str, Any]:
        return {"diff": self.line_diff, "changes": [change.as_json() for change in self.changes]}


def diff_blocks(old: Sequence[str], new: Sequence[str], old_label: str, new_label: str) -> TextDiff:
    """A unified line diff (one block per line) and the changed passages, word by word."""
    line_diff = "\n".join(
        line.rstrip("\n")
        for line in difflib.unified_diff(old, new, old_label, new_label, n=1, lineterm="")
    )
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        before, after = "\n".join(old[i1:i2]), "\n".join(new[j1:j2])
        changes.append(Change(before, after, word_diff(before, after)))
    return TextDiff(line_diff, tuple(changes))


def word_diff(before: str, after: str) -> tuple[tuple[str, str], ...]:
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("=", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("-", " ".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("+", " ".join(new[j1:j2])))
    return tuple(pieces)


def trim_context(text: str, *, first: bool, last: bool) -> str:
    words = text.split()
    if len(words) <= CONTEXT_WORDS * 2:
        return text
    head = [] if first else words[:CONTEXT_WORDS]
    tail = [] if last else words[-CONTEXT_WORDS:]
    return " ".join([*head, "…", *tail]).strip()
