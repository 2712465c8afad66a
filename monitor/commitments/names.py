"""Named things in items (programs, bodies, plans, acronyms), read so that one thing has one
name: "Medical Devices ... Project" and "Medical Device ... Project" are one (words singular),
and inside one document "MUSEIC", "the Council" and "the Entrepreneurship and Innovation
Council (MUSEIC)" are one (the document's own acronym definitions and its one body of a kind).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from monitor.commitments.lexicon import Lemmas

_NAMED = re.compile(
    r"\b(?:[A-Z][\w'\u2019-]+(?:\s+(?:of|for|and|on|the|de|del|la)\s+|\s+)){1,6}"
    r"(?:Working Group|Group|Program|Programme|Project|Initiative|Forum|Dialogue|Plan|Process|"
    r"Committee|Strategy|Alliance|Declaration|Mechanism|Summit|Campaign|Framework|Council)\b|"
    r"\(([A-Z][A-Za-z0-9]{1,9})\)|\b[A-Z][A-Z0-9]{2,7}s?\b|\b[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+\b"
)
# Names every text of the genre shares, and the parties: they tie nothing to anything.
_GENERIC_NAMES = frozenset(
    {"hled", "high-level economic dialogue", "usmca", "u.s", "usa", "covid-19", "mou", "the",
     "united states", "united state"}
)  # fmt: skip
# "Full Name (ACRONYM)": the acronym a document defines for a name.
_DEFINED = re.compile(r"((?:[A-Z][\w'\u2019.-]*\s+(?:(?:of|for|and|on|the|de|del|la)\s+)?){1,8})"
                      r"\(([A-Z][A-Za-z0-9]{1,9})\)")  # fmt: skip
# Kinds of body or program a document refers back to by their kind alone ("the Council").
HEADS = ("working group", "group", "program", "programme", "project", "initiative", "forum",
         "dialogue", "plan", "committee", "strategy", "alliance", "declaration", "mechanism",
         "summit", "campaign", "framework", "council", "process")  # fmt: skip
_CACHE = 8192


@lru_cache(maxsize=_CACHE)
def normal_name(name: str) -> str:
    """Lower case, no leading article, every word singular ("devices" -> "device")."""
    words = re.sub(r"^(?:the|a|an|this|that|these|those)\s+", "", name.strip().lower()).split()
    return " ".join(_singular(word) for word in words)


def _singular(word: str) -> str:
    nouns = Lemmas().getAllLemmas(word).get("NOUN", ())
    return nouns[0] if nouns and word.endswith("s") and len(word) > 3 else word


@lru_cache(maxsize=_CACHE)
def named_things(sentence: str) -> frozenset[str]:
    found = set()
    for match in _NAMED.finditer(sentence):
        name = normal_name(match.group(1) or match.group())
        if name not in _GENERIC_NAMES:
            found.add(name)
    return frozenset(found)


@lru_cache(maxsize=_CACHE)
def definitions(sentence: str) -> tuple[tuple[str, str], ...]:
    """(acronym, full name) pairs a sentence defines; the full name keeps only the words
    the acronym's letters can stand for, from the last one back ("the Mexico-U.S.
    Entrepreneurship and Innovation Council (MUSEIC)")."""
    found = []
    for match in _DEFINED.finditer(sentence):
        full = named_things(match.group(1))
        if full:
            longest = max(full, key=len)
            found.append((match.group(2).lower(), longest))
    return tuple(found)


@dataclass(frozen=True)
class Aliases:
    """One document's names for its things: an acronym or a bare kind -> the full name."""

    expansions: Mapping[str, str] = field(default_factory=dict)

    def resolve(self, names: Iterable[str]) -> frozenset[str]:
        """The names with what they stand for: both are kept, since another document may
        use either."""
        found = set(names)
        found |= {self.expansions[n] for n in found if n in self.expansions}
        return frozenset(found - _BARE)  # "council" alone would be part of every council

    def deliverables(self, names: Iterable[str]) -> frozenset[str]:
        """The names of bodies, programs and plans (by their kind, or their expansion's)."""
        return frozenset(n for n in names if is_deliverable(self.expansions.get(n, n)))


NO_ALIASES = Aliases()
_BARE = frozenset(HEADS)
_KIND = re.compile(r"\b(?:" + "|".join(HEADS) + r")$")


def is_deliverable(name: str) -> bool:
    return bool(_KIND.search(name))


def contains(name: str, other: str) -> bool:
    """One name is the other, or the other with more words ("supply chain working group" in
    "bilateral supply chain working group")."""
    return f" {name} " in f" {other} " or f" {other} " in f" {name} "


_LINKING_WORDS = frozenset("of for and on the de del la".split())


def abbreviates(acronym: str, name: str) -> bool:
    """An acronym that ends with a name's initials: "esc" (Executive Steering Committee) and
    "steering committee", as another document calls the same body."""
    initials = "".join(word[0] for word in name.split() if word not in _LINKING_WORDS)
    return (
        acronym.isalnum()
        and len(acronym) <= ACRONYM_LENGTH
        and len(initials) >= 2
        and acronym.endswith(initials)
    )


ACRONYM_LENGTH = 8


def document_aliases(sentences: Iterable[str]) -> Aliases:
    """A document's acronyms stand for their full names, and a bare kind ("council", from
    "The Council") for the document's one body of that kind, when it has exactly one."""
    expansions: dict[str, str] = {}
    names: set[str] = set()
    for sentence in sentences:
        for acronym, full in definitions(sentence):
            expansions.setdefault(acronym, full)
        names |= named_things(sentence)
    for head in HEADS:
        bodies = {n for n in names if n != head and n.endswith(" " + head)}
        if len(bodies) == 1:
            expansions.setdefault(head, bodies.pop())
    return Aliases(expansions)
