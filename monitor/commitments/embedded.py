"""Completed acts told inside a clause whose main verb tells none: a dated founding between
commas in the subject ("The Framework, adopted at the first meeting in October 2021,
continues to guide ..."), and results a stance lists as acts ("We recognize the
accomplishments ..., which include expanding X; advancing Y")."""

from __future__ import annotations

import re

from monitor.commitments import morph

_DATED_FOUNDING = re.compile(
    r",\s+((?:launch|found|establish|creat|adopt|sign|formaliz|formalis)ed)\b[^,]*"
    r"\b(?:19|20)\d\d\b[^,]*,",
    re.IGNORECASE,
)
# The founding is the parties' own: done by them, or at one of their meetings ("The Paris
# Agreement, signed in December 2015, ..." is background, not this dialogue's act).
_OURS = re.compile(
    r"\bby\s+(?:our|both|the two|the leaders|the presidents|the ministers)\b|"
    r"\bat\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:meeting|summit|session|plenary|dialogue)\b",
    re.IGNORECASE,
)


def dated_founding(subject: str) -> str | None:
    """The participle of the parties' own dated founding told between commas in a subject."""
    founding = _DATED_FOUNDING.search(subject)
    return founding[1] if founding and _OURS.search(founding.group()) else None


# The stance's object names results and lists them: "the accomplishments ..., which include
# expanding ...", as under a lead-in naming results.
_RESULTS_LISTED = re.compile(
    r"^\s*(?:[\w'\u2019-]+\s+){0,4}?(?:results|accomplishments|achievements|outcomes)\b"
    r"[^.;]*?\b(?:which|that)\s+(?:include|includes|included)\s+(\w+)",
    re.IGNORECASE,
)
# Stances that acknowledge what was done ("we discussed the outcomes ..." is meeting talk).
_ACCLAIM = frozenset(
    "recognize acknowledge celebrate applaud commend praise congratulate note welcome".split()
)
# Results not yet had: "the desired outcomes ..., which include expanding ...".
_PROSPECTIVE = re.compile(
    r"\b(?:expected|desired|anticipated|planned|intended|potential|future|hoped-for)\b",
    re.IGNORECASE,
)


def listed_results(verb: str, complement: str) -> bool:
    """A stance ``verb`` whose ``complement`` lists results had as acts (gerunds)."""
    listed = _RESULTS_LISTED.match(complement)
    return bool(
        verb in _ACCLAIM
        and listed
        and morph.is_gerund(listed[1])
        and not _PROSPECTIVE.search(complement[: listed.start(1)])
    )
