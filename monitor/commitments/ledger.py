"""Across documents: which later items report on earlier ones (restated, changed, progressed,
fulfilled). Conservative: a link needs a shared named thing (a program, body or acronym) or
near-identical wording; omission alone never means anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from monitor.commitments.diff import record
from monitor.commitments.model import Item

SAME = 88  # token_set_ratio of the salient words: the same statement
OVERLAP = 0.4  # share of the shorter item's salient words found in the other
MIN_SHARED = 4
_NAMED = re.compile(
    r"\b(?:[A-Z][\w'\u2019-]+(?:\s+(?:of|for|and|on|the|de|del|la)\s+|\s+)){1,6}"
    r"(?:Working Group|Group|Program|Programme|Project|Initiative|Forum|Dialogue|Plan|Process|"
    r"Committee|Strategy|Alliance|Declaration|Mechanism|Summit|Campaign|Framework|Council)\b|"
    r"\(([A-Z][A-Za-z0-9]{1,9})\)|\b[A-Z][A-Z0-9]{2,7}s?\b|\b[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+\b"
)
# Names every text of the genre shares: they tie nothing to anything.
_GENERIC_NAMES = frozenset(
    {"hled", "high-level economic dialogue", "usmca", "u.s", "usa", "covid-19", "mou", "the"}
)
_STOP = frozenset(
    "the and of to in for on with a an by our their its both two united states mexico mexican "
    "will have has been is are was were this that these those as at from through including "
    "government governments countries nations u.s us also new more than other such into across "
    "between among under over hled high-level economic dialogue promote support enhance "
    "strengthen improve develop work working collaborate collaboration cooperation coordinate "
    "efforts effort initiatives initiative opportunities opportunity region regional shared "
    "joint bilateral together intend intends plan plans seek committed commit continue "
    "continued advance advanced established launched hosted held which while where who what "
    "during since year years today first second third related issues areas area sectors sector "
    "priority priorities".split()
)


@dataclass(frozen=True)
class Link:
    from_doc: str
    from_index: int
    to_index: int
    relation: str  # restated | changed | progressed | fulfilled


def named_things(sentence: str) -> set[str]:
    found = set()
    for match in _NAMED.finditer(sentence):
        name = (match.group(1) or match.group()).strip().lower()
        name = re.sub(r"^(?:the|a|an)\s+", "", name)
        if name not in _GENERIC_NAMES:
            found.add(name)
    return found


def link_items(earlier: Sequence[tuple[str, Item]], later: Sequence[Item]) -> list[Link]:
    """Links from ``earlier`` items (oldest first) to ``later`` ones. A restatement links to
    the first time a thing was said, not to every repetition of it."""
    links = []
    for to_index, item in enumerate(later):
        restated = False
        for from_index, (doc, old) in enumerate(earlier):
            relation = relate(old, item)
            if relation == "restated" and restated:
                continue
            if relation:
                restated = restated or relation == "restated"
                links.append(Link(doc, from_index, to_index, relation))
    return links


def relate(old: Item, new: Item) -> str | None:
    """How ``new`` (later) reports on ``old`` (earlier), or None."""
    a, b = salient_words(old.sentence), salient_words(new.sentence)
    same = fuzz.token_set_ratio(" ".join(sorted(a)), " ".join(sorted(b))) >= SAME
    if old.kind == "accomplishment":
        if new.kind != "accomplishment":
            return None
        return "restated" if same or _same_founding(old, new) else None
    if old.pillar and new.pillar and old.pillar != new.pillar:
        return None
    if new.kind == "accomplishment" and _same_deliverable(old, new):
        return "fulfilled"  # the body or program promised is reported done, however worded
    shared = a & b
    overlap = len(shared) / max(1, min(len(a), len(b)))
    if not same and (len(shared) < MIN_SHARED or overlap < OVERLAP):
        return None
    if new.kind == "accomplishment":
        return "fulfilled" if _same_deliverable(old, new) else "progressed"
    return "restated" if _same_terms(old, new) else "changed"


_FOUNDING = re.compile(r"\b(?:launch|found|establish|creat|form|adopt|relaunch)\w*", re.I)


def _same_founding(old: Item, new: Item) -> bool:
    """Both tell how one named body or plan was founded ("MUSEIC was formally launched ...",
    "Founded in May 2013, MUSEIC ..."): the same fact told again."""
    return bool(
        _FOUNDING.search(old.sentence)
        and _FOUNDING.search(new.sentence)
        and named_things(old.sentence) & named_things(new.sentence)
    )


def _same_terms(old: Item, new: Item) -> bool:
    a, b = record(old), record(new)
    return (a["amounts"], a["deadline"]) == (b["amounts"], b["deadline"]) or not (
        a["amounts"] or a["deadline"]
    )


_DELIVERABLE = re.compile(r"group|program|project|forum|dialogue|plan|committee|mechanism")


def _same_deliverable(old: Item, new: Item) -> bool:
    """Both name the same body or program ("Bilateral Supply Chain Working Group" and
    "Supply Chain Working Group" are one)."""
    for a in named_things(old.sentence):
        for b in named_things(new.sentence):
            if _DELIVERABLE.search(a) and (a in b or b in a):
                return True
    return False


def salient_words(sentence: str) -> set[str]:
    """Content words, crudely singular: what two items must share to be about one thing."""
    found = set()
    for word in re.findall(r"[a-z][a-z0-9-]{2,}", sentence.lower()):
        if word not in _STOP:
            found.add(re.sub(r"(?<!s)s$", "", re.sub(r"ies$", "y", word)))
    return found


@dataclass(frozen=True)
class DatedDocument:
    name: str
    date: str  # ISO date, possibly partial ("2015-12"); compared as text
    items: Sequence[Item]


@dataclass(frozen=True)
class DocumentLink:
    from_doc: str
    from_index: int
    to_doc: str
    to_index: int
    relation: str


def link_documents(documents: Sequence[DatedDocument]) -> list[DocumentLink]:
    """Every link among ``documents``, made in publication-date order (not discovery order):
    each item is compared with the items of every older document (the same date counts as
    older when listed first), never with its own document's."""
    ordered = sorted(documents, key=lambda document: document.date)
    found: list[DocumentLink] = []
    for position, document in enumerate(ordered):
        earlier = [(d.name, item) for d in ordered[:position] for item in d.items]
        indexes = [(d.name, i) for d in ordered[:position] for i in range(len(d.items))]
        for link in link_items(earlier, document.items):
            from_doc, from_index = indexes[link.from_index]
            found.append(DocumentLink(from_doc, from_index, document.name, link.to_index,
                                      link.relation))  # fmt: skip
    return found
