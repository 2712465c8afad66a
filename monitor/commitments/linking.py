"""Across documents: which later items report on earlier ones (restated, changed, progressed,
fulfilled). Conservative: a link needs a shared named thing (a program, body or acronym) or
near-identical wording; omission alone never means anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from monitor.commitments.diff import record
from monitor.commitments.model import Item

SAME = 88  # token_set_ratio of the salient words: the same statement
OVERLAP = 0.4  # share of the shorter item's salient words found in the other
MIN_SHARED = 4
RESTATE_OVERLAP = 0.6  # a promise made again shares most of its words (chosen on both sets)
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


# The word sets below depend on the sentence alone and are asked once per pair compared: `check`
# re-links the whole ledger for each new document, so each sentence is read once, not per pair.
_READ_CACHE = 8192


@lru_cache(maxsize=_READ_CACHE)
def named_things(sentence: str) -> frozenset[str]:
    found = set()
    for match in _NAMED.finditer(sentence):
        name = (match.group(1) or match.group()).strip().lower()
        name = re.sub(r"^(?:the|a|an)\s+", "", name)
        if name not in _GENERIC_NAMES:
            found.add(name)
    return frozenset(found)


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
    if not same and overlap < RESTATE_OVERLAP:
        return None  # two promises sharing a few topic words are two promises
    return "restated" if _same_terms(old, new) else "changed"


# Verb forms only: "information", "formal" and "foundation" found nothing.
_FOUNDING = re.compile(
    r"\b(?:(?:re)?launch(?:ed|es|ing)?|found(?:ed|ing)|establish(?:ed|es|ing)?|"
    r"creat(?:e|ed|es|ing)|form(?:ed|s|ing)?|adopt(?:ed|s|ing)?)\b",
    re.I,
)


_FOUNDED_OPENER = re.compile(r"^(?:Founded|Established|Launched|Created|Formed)\b[^,]*,\s*")
FOUNDING_REACH = 8  # words between a founding verb and the name it founds


def _same_founding(old: Item, new: Item) -> bool:
    """Both tell how one named body or plan was founded ("MUSEIC was formally launched ...",
    "Founded in May 2013, MUSEIC ..."): the same fact told again. The shared name must be
    the thing founded, not any name the two sentences mention (an agency, a technology)."""
    return bool(founded_names(old.sentence) & founded_names(new.sentence))


@lru_cache(maxsize=_READ_CACHE)
def founded_names(sentence: str) -> frozenset[str]:
    """The names a founding verb is about: those within a few words of it (its object, or
    its subject in the passive), and the subject after a participial opener ("Founded in
    2013, X ...")."""
    found: set[str] = set()
    opener = _FOUNDED_OPENER.match(sentence)
    if opener:
        found |= named_things(" ".join(sentence[opener.end() :].split()[:FOUNDING_REACH]))
    for verb in _FOUNDING.finditer(sentence):
        before = sentence[: verb.start()].split()[-FOUNDING_REACH:]
        after = sentence[verb.end() :].split()[:FOUNDING_REACH]
        by_agent = bool(after) and after[0] == "by"  # "launched by our governments"
        if by_agent or _PASSIVE_BEFORE.search(sentence[: verb.start()]) or verb.group() == "launch":
            found |= named_things(" ".join(before))  # "X was launched", "the X launch"
        if not by_agent:
            found |= named_things(" ".join(after))  # "USAID launched X": X, not USAID
    return frozenset(found)


# What makes the name before a founding verb the thing founded, not its founder.
_PASSIVE_BEFORE = re.compile(r"(?:\b(?:was|were|is|are|been|being)(?:\s+\w+ly)?|,)\s*$")


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


@lru_cache(maxsize=_READ_CACHE)
def salient_words(sentence: str) -> frozenset[str]:
    """Content words, crudely singular: what two items must share to be about one thing."""
    found = set()
    for word in re.findall(r"[a-z][a-z0-9-]{2,}", sentence.lower()):
        if word not in _STOP:
            found.add(re.sub(r"(?<!s)s$", "", re.sub(r"ies$", "y", word)))
    return frozenset(found)


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


def _forward_share(document: DatedDocument) -> float:
    kinds = [item.kind for item in document.items]
    return kinds.count("commitment") / len(kinds) if kinds else 0.0


def link_documents(documents: Sequence[DatedDocument]) -> list[DocumentLink]:
    """Every link among ``documents``, made in publication-date order (not discovery order):
    each item is compared with the items of every older document, never with its own
    document's. On one date the more forward-looking document (the larger share of
    commitments: a plan or fact sheet of objectives) counts as the older: a day's plan is
    what that day's statement reports on, not the other way round."""
    ordered = sorted(documents, key=lambda document: (document.date, -_forward_share(document)))
    found: list[DocumentLink] = []
    for position, document in enumerate(ordered):
        earlier = [(d.name, item) for d in ordered[:position] for item in d.items]
        indexes = [(d.name, i) for d in ordered[:position] for i in range(len(d.items))]
        fresh = []
        for link in link_items(earlier, document.items):
            from_doc, from_index = indexes[link.from_index]
            fresh.append(DocumentLink(from_doc, from_index, document.name, link.to_index,
                                      link.relation))  # fmt: skip
        dates = {d.name: d.date for d in ordered[: position + 1]}
        items = {
            (d.name, i): item for d in ordered[: position + 1] for i, item in enumerate(d.items)
        }
        fresh = [link for link in fresh if not _two_todays(link, dates, items)]
        found.extend(first_tellings(found, fresh))
    return found


_TODAY = re.compile(r"\btoday\b", re.IGNORECASE)


def _two_todays(link: DocumentLink, dates: dict[str, str], items: dict[Key, Item]) -> bool:
    """Two events each told as happening "today" in documents of different dates are two
    events (two summits, two meetings), however alike their wording."""
    old, new = items[(link.from_doc, link.from_index)], items[(link.to_doc, link.to_index)]
    return (
        link.relation == "restated"
        and dates[link.from_doc] != dates[link.to_doc]
        and bool(_TODAY.search(old.sentence) and _TODAY.search(new.sentence))
    )


Key = tuple[str, int]


def first_tellings(
    known: Sequence[DocumentLink], fresh: Sequence[DocumentLink]
) -> list[DocumentLink]:
    """``fresh`` links (into one new document) as the guide counts them: a restatement links to
    the first time the thing was said (the root of the restatement chain it joins), and an
    earlier item already linked to that chain is not linked again to its retelling."""
    told_first: dict[Key, Key] = {}
    for link in known:
        if link.relation == "restated":
            told_first[(link.to_doc, link.to_index)] = (link.from_doc, link.from_index)
    linked = {((k.from_doc, k.from_index), (k.to_doc, k.to_index)) for k in known}
    fulfilled = {(k.from_doc, k.from_index) for k in known if k.relation == "fulfilled"}
    chains: dict[int, set[Key]] = {}
    kept: dict[tuple[Key, int, str], DocumentLink] = {}
    for link in fresh:
        if link.relation == "restated":
            chain = _chain((link.from_doc, link.from_index), told_first)
            chains.setdefault(link.to_index, set()).update(chain)
            root = chain[-1]
            restated = DocumentLink(*root, link.to_doc, link.to_index, "restated")
            kept.setdefault((root, link.to_index, "restated"), restated)
    for link in fresh:
        if link.relation == "restated":
            continue
        source = (link.from_doc, link.from_index)
        if any((source, told) in linked for told in chains.get(link.to_index, ())):
            continue  # its fulfilment or progress was already linked; this only retells it
        if link.relation == "fulfilled" and source in fulfilled:
            continue  # a promise is kept once; later reports of the body are about the body
        kept.setdefault((source, link.to_index, link.relation), link)
    return list(kept.values())


def _chain(start: Key, told_first: dict[Key, Key]) -> list[Key]:
    chain = [start]
    while chain[-1] in told_first and told_first[chain[-1]] not in chain:
        chain.append(told_first[chain[-1]])
    return chain
