"""Whether a page reports its meeting: a release whose only word on a meeting is who attended
it ("X, Y and Z attended the Fourth Meeting of the Council held at ...") or that it was
celebrated ("... celebrating the 22nd Plenary of the Dialogue held on September 19") reports
the meeting there; a release that says the meeting took place elsewhere ("met today", "held
the third meeting") does not need the attendance line.
"""

from __future__ import annotations

import re

_ORDINAL = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"inaugural|\d+(?:st|nd|rd|th))"
)
_MEETING = r"(?:meetings?|plenary|plenaries|plenary sessions?|sessions?|summits?|rounds?)"
# A numbered meeting told as an occasion: "the Fourth Meeting of", "the 22nd Plenary of".
_NUMBERED_MEETING = re.compile(
    rf"\b{_ORDINAL}\s+(?:[\w.'\u2019-]+\s+){{0,3}}?{_MEETING}\b", re.IGNORECASE
)
# An item that says the meeting happened: "met", "convened", "held/hosted/concluded ... meeting".
_MEETING_HELD = re.compile(
    rf"\b(?:met|convened)\b|\b(?:held|hosted|concluded|chaired|co-chaired|opened)\b"
    rf"[^.;]*\b{_MEETING}\b",
    re.IGNORECASE,
)


_HELD_AFTER = re.compile(r"^[^,;]*?\bheld\b")  # "the 22nd Plenary of the Dialogue held on"


def meeting_told(complement: str, past: bool) -> bool:
    """What a verb says it attended or celebrated is a numbered meeting that took place: the
    verb is past ("attended the Fourth Meeting"), or the meeting is said to have been held
    ("pleased to issue this statement celebrating the 22nd Plenary ... held on September 19")."""
    meeting = _NUMBERED_MEETING.search(complement)
    if meeting is None:
        return False
    return past or bool(_HELD_AFTER.search(complement[meeting.end() :]))


def reports_meeting_held(sentence: str) -> bool:
    """The sentence says a meeting took place."""
    return bool(_MEETING_HELD.search(sentence))
