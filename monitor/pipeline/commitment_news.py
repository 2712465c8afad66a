"""Commitments in the pipeline: what a new or changed document says, and what it reports on.

Extraction costs tens of milliseconds a document, so it runs only where there is news: on a
new document (after the baseline) and on the changed passages of a changed one. The ledger of
documents recorded silently (the baseline) is filled when it is first needed.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from monitor.commitments import Item, extract_items
from monitor.commitments.diff import ItemChange, diff_items, entry
from monitor.commitments.linking import DatedDocument, DocumentLink, Key, link_documents
from monitor.commitments.model import Amount
from monitor.config import SourceConfig
from monitor.models import Event
from monitor.pipeline import events
from store import Batch
from store.repo import Store
from store.tables import Commitment, Document


def changed_region(old: Sequence[str], new: Sequence[str]) -> tuple[str, str]:
    """The changed blocks of both versions, each hunk with the block before it for context."""
    old_parts: list[str] = []
    new_parts: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            old_parts += old[max(0, i1 - 1) : i2]
            new_parts += new[max(0, j1 - 1) : j2]
    return "\n".join(old_parts), "\n".join(new_parts)


def version_changes(
    old_blocks: Sequence[str], new_blocks: Sequence[str], title: str = ""
) -> list[ItemChange]:
    """What changed between two versions; the parties and whether it is an HLED document are
    read from the whole version (with its title), not from the changed passage alone."""
    old_text, new_text = changed_region(old_blocks, new_blocks)
    old_whole, new_whole = "\n".join([title, *old_blocks]), "\n".join([title, *new_blocks])
    return diff_items(extract_items(old_text, old_whole), extract_items(new_text, new_whole))


def change_events(
    source: SourceConfig, document: Document, changes: Sequence[ItemChange], now: datetime
) -> list[Event]:
    return [events.commitment_changed(source, document, change, now) for change in changes]


LedgerLinks = list[tuple[int, dict[str, Any], str]]  # (row or item index, link, relation)
Linked = tuple[dict[Key, tuple[Commitment, Document]], list[DocumentLink]]


def link_news(
    store: Store | Batch,
    source: SourceConfig,
    url: str,
    title: str,
    items: Sequence[Item],
    now: datetime,
    published: str | None = None,
) -> tuple[list[Event], LedgerLinks, LedgerLinks]:
    """A new document among the ledger's, linked once: what it reports on commitments
    published before it (events and ledger links, ``link_events``) and, when it is older than
    documents already known, which of its own commitments they report on (``later_reports``)."""
    fill_ledger(store, now)
    linked = _links_with(store, items, published)
    found, entries = link_events(linked, source, url, title, items, now)
    return found, entries, later_reports(linked, items, published)


def link_events(
    linked: Linked,
    source: SourceConfig,
    url: str,
    title: str,
    items: Sequence[Item],
    now: datetime,
) -> tuple[list[Event], LedgerLinks]:
    """What a new document reports on commitments published before it (by publication date,
    not by the order documents were found): events, and the ledger links."""
    rows, links = linked
    found, entries = [], []
    for link in links:
        if link.to_doc != NEW or link.from_doc == NEW:
            continue
        row, doc = rows[(link.from_doc, link.from_index)]
        if row.kind != "commitment":
            continue  # links are kept on promises; a retold report is not news
        report = items[link.to_index]
        assert row.id is not None
        entry = {"document": url, "sentence": report.sentence, "relation": link.relation}
        entries.append((row.id, entry, link.relation))
        if link.relation in events.LINK_EVENTS:
            found.append(
                events.commitment_reported(
                    source, (url, title), (row, doc), report, link.relation, now
                )
            )
    return found, entries


def later_reports(linked: Linked, items: Sequence[Item], published: str | None) -> LedgerLinks:
    """A document older than ones already known arrived: which of its commitments those later
    documents report on (item index, link, relation). Links are recomputed in date order, so
    a late-found older document is linked in the right direction."""
    if not published:
        return []
    rows, links = linked
    found = []
    for link in links:
        if link.from_doc != NEW or link.to_doc == NEW:
            continue
        if items[link.from_index].kind != "commitment":
            continue
        row, doc = rows[(link.to_doc, link.to_index)]
        entry = {"document": doc.current_url or doc.url, "sentence": row.sentence,
                 "relation": link.relation}  # fmt: skip
        found.append((link.from_index, entry, link.relation))
    return found


NEW = "new"  # the arriving document, among the ledger's (named by their ids)
_UNDATED_NEW = "\uffff"  # a new document of unknown date is taken as the latest, as found


def _links_with(store: Store | Batch, items: Sequence[Item], published: str | None) -> Linked:
    """Every link among the ledger's documents and the new one, decided by the same rules as
    anywhere else (``link_documents``: publication order, same-day order, first tellings,
    two todays, a promise fulfilled once), with the ledger row behind each known item."""
    rows: dict[Key, tuple[Commitment, Document]] = {}
    grouped: dict[str, list[tuple[Commitment, Document]]] = {}
    for row, doc in store.ledger():
        grouped.setdefault(str(doc.id), []).append((row, doc))
    documents = []
    for name, entries in grouped.items():
        rows.update({(name, index): entry for index, entry in enumerate(entries)})
        date = entries[0][1].published or ""  # unknown dates never count as later
        documents.append(DatedDocument(name, date, [to_item(row) for row, _doc in entries]))
    # last, so that on a tie (same date, same share of promises) the known documents are older
    documents.append(DatedDocument(NEW, published or _UNDATED_NEW, list(items)))
    return rows, link_documents(documents)


def published_after(date: str | None, other: str | None) -> bool:
    """``date`` is strictly later than ``other`` (ISO dates, possibly partial); unknown dates
    are never later, so they keep the order documents were found in."""
    if not date or not other:
        return False
    shared = min(len(date), len(other), 10)
    return date[:shared] > other[:shared]


def fill_ledger(store: Store | Batch, now: datetime) -> None:
    """Extract the commitments of documents recorded without them (the silent baseline)."""
    for document in store.documents_without_ledger():
        found = store.latest_text(document.id) if document.id is not None else None
        if found and document.id is not None:
            whole = f"{document.title or ''}\n{found[1]}"
            items = extract_items(found[1], whole)
            store.put_ledger(document.id, [entry(item) for item in items], now)


def to_item(row: Commitment) -> Item:
    return Item(
        sentence=row.sentence,
        kind=row.kind,
        actors=tuple(row.actors),
        action="",
        pillar=row.pillar,
        deadline=row.deadline,
        amounts=tuple(Amount(text, None, "") for text in row.amounts),
        specific=True,
        section=None,
        span=(0, len(row.sentence)),
    )
