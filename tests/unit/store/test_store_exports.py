"""The store's public API: what ``import store`` offers, pinned (httpx's test_exported_members)."""

from __future__ import annotations

import store

PUBLIC = [
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


def test_the_public_api_is_exactly_the_exported_names() -> None:
    assert store.__all__ == PUBLIC


def test_every_exported_name_is_there() -> None:
    assert [name for name in PUBLIC if not hasattr(store, name)] == []
