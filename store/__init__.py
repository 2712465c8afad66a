"""The store: what the monitor keeps between checks, behind intent-named operations.

``Store(url)`` opens (and migrates) it; ``Batch`` is one check pass's unit of work over it;
``ReadStore`` reads it for the web view without writing. The tables are in ``store.tables``.
"""

from __future__ import annotations

from store.batch import Batch
from store.locks import check_guard, scheduler_guard, source_lock, source_locks
from store.queries import DocumentFilter, EventFilter, LedgerFilter, ReadStore
from store.repo import DocumentUpdate, NewVersion, Openings, Store

__all__ = [
    "Batch",
    "DocumentFilter",
    "DocumentUpdate",
    "EventFilter",
    "LedgerFilter",
    "NewVersion",
    "Openings",
    "ReadStore",
    "Store",
    "check_guard",
    "scheduler_guard",
    "source_lock",
    "source_locks",
]
