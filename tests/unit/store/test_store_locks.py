from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.errors import StoreError
from monitor.models import Event, Routed
from store.locks import lock_key, scheduler_guard, source_lock
from store.repo import Store

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_only_one_replica_holds_a_source(postgres_url: str) -> None:
    first, second = Store(postgres_url), Store(postgres_url)
    try:
        with source_lock(first.engine, "state") as mine:
            assert mine
            with source_lock(second.engine, "state") as theirs:
                assert not theirs
            with source_lock(second.engine, "ustr") as other_source:
                assert other_source
        with source_lock(second.engine, "state") as released:
            assert released
    finally:
        first.close()
        second.close()


def test_lock_keys_are_stable_and_distinct() -> None:
    assert lock_key("state") == lock_key("state")
    assert lock_key("state") != lock_key("ustr")
    assert -(2**63) <= lock_key("state") < 2**63


def test_claimed_deliveries_are_not_claimed_again_until_the_lease_ends(any_store: Store) -> None:
    event = Event("e1", "new_document", "s", "State", "https://x", "T", NOW)
    any_store.record_events([Routed(event, ("slack", "console"))], NOW)
    lease = timedelta(minutes=5)
    assert [d.channel for d in any_store.claim_deliveries(NOW, ["slack"], lease)] == ["slack"]
    assert any_store.claim_deliveries(NOW, ["slack"], lease) == []
    assert len(any_store.claim_deliveries(NOW, ["console"], lease)) == 1
    assert len(any_store.claim_deliveries(NOW + lease, ["slack"], lease)) == 1  # sender died


def test_a_second_scheduler_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        with scheduler_guard(store.engine):
            with pytest.raises(StoreError, match="SQLite allows one scheduler"):
                with scheduler_guard(store.engine):
                    pass
        with scheduler_guard(store.engine):
            pass  # released on exit
    finally:
        store.close()
