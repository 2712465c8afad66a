"""Across documents: which later items report on earlier ones (restated, changed, progressed,
fulfilled), in publication-date order. How two items relate is `relations.relate`; this module
orders documents and keeps the links the guide counts (first tellings, a promise kept once).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from monitor.commitments.model import Item
from monitor.commitments.names import document_aliases
from monitor.commitments.relations import Reading, read, relate, relate_readings, same_wording

__all__ = ["DatedDocument", "DocumentLink", "Key", "Link", "link_documents", "link_items",
           "relate"]  # fmt: skip


@dataclass(frozen=True)
class Link:
    from_doc: str
    from_index: int
    to_index: int
    relation: str  # restated | changed | progressed | fulfilled


def link_items(earlier: Sequence[tuple[str, Item]], later: Sequence[Item]) -> list[Link]:
    """Links from ``earlier`` items (oldest first) to ``later`` ones, each read alone."""
    return _link_readings([(doc, read(item)) for doc, item in earlier], [read(i) for i in later])


def _link_readings(earlier: Sequence[tuple[str, Reading]], later: Sequence[Reading]) -> list[Link]:
    """A restatement links to the first time a thing was said, not to every repetition."""
    links = []
    for to_index, item in enumerate(later):
        restated = False
        for from_index, (doc, old) in enumerate(earlier):
            relation = relate_readings(old, item)
            if relation == "restated" and restated:
                continue
            if relation:
                restated = restated or relation == "restated"
                links.append(Link(doc, from_index, to_index, relation))
    return links


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


def _read_document(document: DatedDocument) -> list[Reading]:
    """Each item read with its own document's names for things ("MDRC", "the Council")."""
    aliases = document_aliases(item.sentence for item in document.items)
    return [read(item, aliases) for item in document.items]


def _forward_share(document: DatedDocument) -> float:
    kinds = [item.kind for item in document.items]
    return kinds.count("commitment") / len(kinds) if kinds else 0.0


def link_documents(documents: Sequence[DatedDocument]) -> list[DocumentLink]:
    """Every link among ``documents``, made in publication-date order (not discovery order):
    each item is compared with the items of every older document and with the items before
    it in its own (a release that announces a council and then reports it formalized). On
    one date the more forward-looking document (the larger share of commitments: a plan or
    fact sheet of objectives) counts as the older: a day's plan is what that day's statement
    reports on, not the other way round.

    The links among the oldest documents do not depend on the newer ones, so a call whose
    older documents are those of an earlier call resumes where it left off: `check` adding
    the newest document to its ledger compares that document's items only."""
    ordered = sorted(documents, key=lambda document: (document.date, -_forward_share(document)))
    dates = {d.name: d.date for d in ordered}
    order = {d.name: position for position, d in enumerate(ordered)}
    items = {(d.name, i): item for d in ordered for i, item in enumerate(d.items)}
    prefixes = _prefix_keys(ordered)
    start, found, earlier = _resume(prefixes)
    readings = dict(earlier)
    for position in range(start, len(ordered)):
        document = ordered[position]
        own = [((document.name, i), r) for i, r in enumerate(_read_document(document))]
        fresh = []
        for to_index, (_key, reading) in enumerate(own):
            for (from_doc, from_index), relation in _relations(
                [*earlier, *own[:to_index]], reading
            ):
                if from_doc != document.name or relation in WITHIN:
                    fresh.append(
                        DocumentLink(from_doc, from_index, document.name, to_index, relation)
                    )
        fresh = [link for link in fresh if not _two_todays(link, dates, items)]
        readings.update(own)
        found.extend(first_tellings(found, fresh, order, partial(_verbatim, readings=readings)))
        earlier.extend(own)
        if position >= len(ordered) - 2:  # what the next call, one document more, resumes
            with _RESUMABLE_LOCK:
                _RESUMABLE[prefixes[position]] = (position + 1, tuple(found), tuple(earlier))
    return found


State = tuple[int, tuple["DocumentLink", ...], tuple[tuple["Key", Reading], ...]]
# Linked prefixes of recent calls (documents linked, links, readings), by their content.
_RESUMABLE: dict[bytes, State] = {}
_RESUMABLE_LOCK = threading.Lock()  # the service may link in more than one thread
_RESUMABLE_KEPT = 4


def _prefix_keys(ordered: Sequence[DatedDocument]) -> list[bytes]:
    """For each position, a digest of the documents up to it: names, dates and items."""
    keys, digest = [], hashlib.sha256()
    for document in ordered:
        digest.update(repr((document.name, document.date, tuple(document.items))).encode())
        keys.append(digest.copy().digest())
    return keys


def _resume(prefixes: Sequence[bytes]) -> tuple[int, list[DocumentLink], list[tuple[Key, Reading]]]:
    """The longest prefix already linked by a recent call, or nothing."""
    state: State = (0, (), ())
    with _RESUMABLE_LOCK:
        state = next((_RESUMABLE[key] for key in reversed(prefixes) if key in _RESUMABLE), state)
        while len(_RESUMABLE) > _RESUMABLE_KEPT:
            _RESUMABLE.pop(next(iter(_RESUMABLE)))  # the oldest first
    return state[0], list(state[1]), list(state[2])


# What a document tells of itself: a promise it reports kept, a fact it tells twice. Its later
# sentences on the same program are its detail, not progress since it was published.
WITHIN = frozenset({"fulfilled", "restated"})


def _relations(earlier: Sequence[tuple[Key, Reading]], later: Reading) -> list[tuple[Key, str]]:
    """How ``later`` reports on each earlier item; a restatement links to the first telling
    found, not to every repetition of it."""
    found = []
    restated = False
    for key, old in earlier:
        relation = relate_readings(old, later)
        if relation == "restated" and restated:
            continue
        if relation:
            restated = restated or relation == "restated"
            found.append((key, relation))
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


def _verbatim(link: DocumentLink, readings: dict[Key, Reading]) -> bool:
    old, new = readings[(link.from_doc, link.from_index)], readings[(link.to_doc, link.to_index)]
    return same_wording(old.words, new.words)


def first_tellings(
    known: Sequence[DocumentLink],
    fresh: Sequence[DocumentLink],
    order: dict[str, int],
    verbatim: Callable[[DocumentLink], bool] = lambda link: True,
) -> list[DocumentLink]:
    """``fresh`` links (into one new document, whose position among the documents in date
    order ``order`` gives) as the guide counts them: a restatement links to the first time
    the thing was said (the root of the restatement chain it joins) when it repeats its
    source's words (``verbatim``), and to its source otherwise: a retelling in other words
    shares one fact with its source, which may have told two ("the Framework, launched at
    the Dialogue": the Dialogue's launch was told first elsewhere, the Framework's here);
    progress reported in a retelling links to the first telling instead, since that is when
    it was news; a promise is kept once."""
    told_first: dict[Key, Key] = {}
    for link in known:
        if link.relation == "restated" and link.from_doc != link.to_doc:
            told_first[(link.to_doc, link.to_index)] = (link.from_doc, link.from_index)
    linked = {((k.from_doc, k.from_index), (k.to_doc, k.to_index)) for k in known}
    fulfilled = {(k.from_doc, k.from_index) for k in known if k.relation == "fulfilled"}
    roots: dict[Key, Key] = {}  # a retelling in the new document -> its first telling
    kept: dict[tuple[Key, Key, str], DocumentLink] = {}
    for link in fresh:
        if link.relation == "restated":
            source = (link.from_doc, link.from_index)
            root = _chain(source, told_first)[-1] if verbatim(link) else source
            roots.setdefault((link.to_doc, link.to_index), root)
            restated = DocumentLink(*root, link.to_doc, link.to_index, "restated")
            kept.setdefault((root, (link.to_doc, link.to_index), "restated"), restated)
    # fulfilments first: a promise kept is closed, and what follows reports on the body
    for link in sorted(fresh, key=lambda link: link.relation != "fulfilled"):
        source, target = (link.from_doc, link.from_index), (link.to_doc, link.to_index)
        if link.relation == "restated" or source in fulfilled:
            continue  # a promise is kept once; later reports of the body are about the body
        if target in roots:
            target = roots[target]  # the report was news when first told
            if order[source[0]] >= order[target[0]] or (source, target) in linked:
                continue  # told before the promise was made, or linked when it was told
        if link.relation == "fulfilled":
            fulfilled.add(source)
        kept.setdefault(
            (source, target, link.relation), DocumentLink(*source, *target, link.relation)
        )
    return list(kept.values())


def _chain(start: Key, told_first: dict[Key, Key]) -> list[Key]:
    chain = [start]
    while chain[-1] in told_first and told_first[chain[-1]] not in chain:
        chain.append(told_first[chain[-1]])
    return chain
