"""The parties a document is between, read from its title and opening; whether it is an HLED text.

"We", "both countries" and "the leaders" mean the parties the document names, not a fixed
pair: a U.S.-EU fact sheet's "we" is the United States and the European Union.
"""

from __future__ import annotations

import re

OPENING = 1200  # characters: the title, dateline and opening paragraphs
_HLED_OPENING = 300

# (party, how the text names it), in no particular order: a document's order is its own.
_NAMES: tuple[tuple[str, str], ...] = (
    ("United States", r"United States|\bU\.S\.|\bUS\b|\bUSA\b|\bAmerican\b|President Biden"),
    ("Mexico", r"\bMexic(?:o|an)\b"),
    ("Canada", r"\bCanad(?:a|ian)\b"),
    ("European Union", r"European Union|\bEU\b|European Commission"),
    ("India", r"\bIndian?\b"),
    ("Brazil", r"\bBrazil(?:ian)?\b"),
    ("Japan", r"\bJapan(?:ese)?\b"),
    ("China", r"\bChin(?:a|ese)\b"),
    ("United Kingdom", r"United Kingdom|\bU\.K\.|\bBritish\b"),
    ("Guatemala", r"\bGuatemala(?:n)?\b"),
    ("Colombia", r"\bColombia(?:n)?\b"),
)
_PATTERNS = tuple((party, re.compile(pattern)) for party, pattern in _NAMES)
_HLED = re.compile(r"\bHLED\b|High[- ]Level Economic Dialogue|^\s*pillar\s+(?:i{1,3}|iv|[1-4])\b",
                   re.IGNORECASE | re.MULTILINE)  # fmt: skip


def parties(text: str) -> tuple[str, ...]:
    """The countries or unions the document's opening names, in the order it names them; an
    HLED text that names none is between the dialogue's two, the United States and Mexico."""
    opening = text[:OPENING]
    found = []
    for party, pattern in _PATTERNS:
        match = pattern.search(opening)
        if match:
            found.append((match.start(), party))
    if not found and _HLED.search(text[:_HLED_OPENING]):
        return ("United States", "Mexico")
    named = tuple(party for _position, party in sorted(found))
    return _trilateral(named, opening)


_NORTH_AMERICA = ("United States", "Mexico", "Canada")
_THREE = re.compile(r"\b(?:trilateral|three (?:countries|nations|governments))\b", re.I)


def _trilateral(named: tuple[str, ...], opening: str) -> tuple[str, ...]:
    """A North American text that calls itself trilateral ("the three countries") is among
    all three, even when one speaks and names only the other two ("our ties with Mexico and
    the United States")."""
    present = [party for party in _NORTH_AMERICA if party in named]
    if len(present) != 2 or len(named) != 2 or not _THREE.search(opening):
        return named
    return (*named, *(party for party in _NORTH_AMERICA if party not in named))


def is_hled(text: str) -> bool:
    """An HLED document under the 2021 pillars: "Pillar" headings, or the dialogue named in its
    title or opening by a text that is not from before the 2021 relaunch (the 2013-2016 HLED
    had other pillars, so its items get none)."""
    if re.search(r"^\s*pillar\s+(?:i{1,3}|iv|[1-4])\b", text, re.I | re.M):
        return True
    if not _HLED.search(text[:_HLED_OPENING]):
        return False
    years = [int(year) for year in re.findall(r"\b(?:19|20)\d\d\b", text[:OPENING])]
    return not years or max(years) >= _RELAUNCH


_RELAUNCH = 2021


_JOINT_BODY = re.compile(
    r"\b(?:[Bb]inational|[Bb]ilateral|[Jj]oint)[^\S\n]+(?:[A-Z][\w.-]*[^\S\n]+){1,6}"
    r"\(([A-Z]{2,8})\)"  # on one line: a title's "Joint Statement" names no body below it
)


_ACRONYM = re.compile(r"\([A-Z]{2,8}\)")  # how every _JOINT_BODY match ends


def joint_bodies(text: str) -> frozenset[str]:
    """Acronyms of binational bodies ("the binational Executive Steering Committee (ESC)"):
    when such a body acts, the parties act together through it."""
    if not _ACRONYM.search(text):  # ~0.02 ms on a 60 KB page, the full scan ~1.6 ms
        return frozenset()
    return frozenset(match.group(1) for match in _JOINT_BODY.finditer(text))
