"""Deadlines of commitments, as written: "by October", "during the first quarter of 2024"."""

from __future__ import annotations

import re

from monitor.commitments.verbs import main_verb_position

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\bby (?:the end of )?(?:{_MONTH}(?: \d{{1,2}}(?!\d))?(?:,? \d{{4}})?|\d{{4}}|"
        r"(?:early|mid|late)[- ]\d{4}|the end of (?:the|this|next) year)",
        rf"\bscheduled for (?:{_MONTH}(?: \d{{1,2}}(?!\d))?(?:,? \d{{4}})?|\d{{4}}|"
        r"(?:early|mid|late)[- ]\d{4})",
        r"\b(?:during|in|by) the (?:first|second|third|fourth|last) (?:quarter|half) of \d{4}",
        r"\bbeginning in (?:the )?(?:autumn|fall|spring|summer|winter) of \d{4}",
        r"\bin (?:early|mid|late)[- ]\d{4}\b",
        rf"\bon {_MONTH} \d{{1,2}}(?:, \d{{4}})?",
        rf"\b(?:in|during) {_MONTH}(?: \d{{4}})?\b",
        r"\bbetween \d{4}\s?-\s?\d{2,4}\b",
        r"\b(?:annually|semi-annually|quarterly|every (?:year|two years))\b",
        r"\b(?:once|twice|\w+ times) a (?:year|month|week)\b",
        r"\b(?:next|this) (?:year|month|spring|summer|fall|autumn|winter)\b",
        r"\b(?:in|during) \d{4}\b",
        r"\bin the (?:spring|summer|fall|autumn|winter)(?: of \d{4})?\b",
        r"\b(?:over|within|in) the (?:next|coming) (?:\w+ )?(?:years?|months?|weeks?)\b",
        r"\bwithin (?:\d+|\w+) (?:days?|weeks?|months?|years?)\b",
        r"\bby (?:the )?(?:year-end|year[\u2019']s end)(?: \d{4})?",
        rf"\b(?:no|not) later than (?:the end of (?:the|this|next) year|"
        rf"{_MONTH}(?: \d{{1,2}}(?!\d))?(?:,? \d{{4}})?|\d{{4}})",
        r"\b(?:before|prior to) the end of (?:the|this|next) year\b",  # not "before 2020": past
        r"\b(?:in|during|by) (?:fiscal year|FY) ?\d{4}\b",
    )
]


_MARKER = re.compile(r"\b(?:will|shall|intends?|plans?|seeks?|committed|agreed|decided|set|"
                     r"scheduled|joined|on track)\b", re.IGNORECASE)  # fmt: skip


def find_deadline(sentence: str) -> str | None:
    """The first time expression after the commitment's verb (before it is context)."""
    marker = _MARKER.search(sentence)
    start = marker.start() if marker else main_verb_position(sentence) or 0
    tail = sentence[start:]
    found = [match for pattern in _PATTERNS if (match := pattern.search(tail))]
    if found:  # the first written ("within 30 days and ... in 2025"), the longest there
        return min(found, key=lambda match: (match.start(), -len(match.group()))).group()
    before = _BEFORE.search(sentence[:start])  # "For 2013, the ESC committed ...", "soon"
    if before and (before.group().lower().startswith("for") or not _reported(marker)):
        return before.group()  # "In August 2023, X decided to ..." dates the decision
    soon = _SOON.search(tail)
    return soon.group() if soon else None


def _reported(marker: re.Match[str] | None) -> bool:
    """A past marker ("committed", "decided"): a date before it is when that happened."""
    return bool(marker and marker.group().lower().endswith("ed"))


# A time the commitment is framed by, written before its verb.
_BEFORE = re.compile(
    rf"\b(?:[Ff]or|[Ii]n|[Bb]y) (?:\d{{4}}|{_MONTH}(?: \d{{4}})?)\b(?!,? \d{{4}} [a-z])|"
    r"\bthis (?:year|month|fall|spring|summer|winter)\b|^Today\b|"
    r"\b[Oo]ver the (?:next|coming) (?:\w+ )?(?:years?|months?)\b"
)
_SOON = re.compile(r"\bsoon\b")
