"""The web view's store: read-only on both backends, never migrating, paging over indexes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from monitor.errors import StoreError
from store.queries import EventFilter, ReadStore
from store.repo import Store
from store.tables import EventRecord

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_it_refuses_to_write_on_either_backend(any_store: Store) -> None:
    url = any_store.engine.url.render_as_string(hide_password=False)
    with any_store.session() as session, session.begin():
        session.add(EventRecord(id="e1", type="new_document", source="s", agency="A",
                                url="https://a.gov/", title="T", detected_at=NOW))  # fmt: skip
    view = ReadStore(url)
    try:
        assert view.event("e1") is not None
        with pytest.raises(sa.exc.DBAPIError), view.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM event"))
        with pytest.raises(sa.exc.DBAPIError), view.engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE x (a int)"))
    finally:
        view.close()
    assert [event.id for event in any_store.events()] == ["e1"]


def test_it_never_migrates_an_old_or_empty_database(sqlite_url: str) -> None:
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as connection:  # a database file with a table, but none of ours
        connection.execute(sa.text("CREATE TABLE other (a int)"))
    with pytest.raises(StoreError, match=r"revision none.*run `python -m monitor check` once"):
        ReadStore(sqlite_url)
    with engine.connect() as connection:
        assert sa.inspect(connection).get_table_names() == ["other"]
    engine.dispose()


def test_event_pages_are_newest_first_with_a_next_page(store: Store) -> None:
    with store.session() as session, session.begin():
        for n in range(7):
            session.add(EventRecord(id=f"e{n}", type="new_document" if n % 2 else "source_error",
                                    source="s", agency="A", url="https://a.gov/", title=f"T{n}",
                                    detected_at=NOW + timedelta(minutes=n)))  # fmt: skip
    view = ReadStore(store.engine.url.render_as_string(hide_password=False))
    try:
        first = view.events(EventFilter(), limit=3)
        assert [row.id for row in first.rows] == ["e6", "e5", "e4"]
        assert first.more
        last = view.events(EventFilter(), limit=3, offset=6)
        assert ([row.id for row in last.rows], last.more) == (["e0"], False)
        typed = view.events(EventFilter(type="new_document"), limit=10)
        assert [row.id for row in typed.rows] == ["e5", "e3", "e1"]
    finally:
        view.close()
