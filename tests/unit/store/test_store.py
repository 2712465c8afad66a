from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from monitor.errors import StoreError
from monitor.models import Event, Page, Routed, Validators
from store.db import HEAD_REVISION, create_engine, current_revision, migrate
from store.migrations import alembic_config
from store.repo import NewVersion, Store

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
URL = "https://www.state.gov/doc/"


def new_version(text: str, fingerprint: str) -> NewVersion:
    page = Page(title="Joint Statement", blocks=(text,), published="2023-09-29")
    return NewVersion("state", "State", URL, page, fingerprint, b"<html>raw</html>", URL,
                      Validators('"e1"', None))  # fmt: skip


def event(event_id: str) -> Event:
    return Event(event_id, "document_changed", "state", "State", URL, "Joint Statement", NOW)


def test_head_revision_matches_alembic() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_migrations_build_every_table_from_an_empty_database(any_store: Store) -> None:
    tables = set(sa.inspect(any_store.engine).get_table_names())
    assert {"source_state", "http_cache", "document", "version", "event", "delivery"} <= tables
    assert current_revision(any_store.engine) == HEAD_REVISION


def schema(engine: sa.Engine) -> dict[str, object]:
    """Every table's columns, keys, indexes and constraints, in an order-free form."""
    inspector = sa.inspect(engine)
    described: dict[str, object] = {}
    for table in inspector.get_table_names():
        columns = inspector.get_columns(table)
        described[table] = {
            "columns": sorted(
                (c["name"], str(c["type"]), c["nullable"], str(c.get("default"))) for c in columns
            ),
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign keys": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                for f in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
        }
    return described


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_an_empty_database_gets_the_schema_the_migrations_build(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """migrate() creates an empty database from the models: it must equal migrating it."""
    if backend == "sqlite":
        urls = [f"sqlite:///{tmp_path / 'created.db'}", f"sqlite:///{tmp_path / 'migrated.db'}"]
    else:
        urls = [request.getfixturevalue("postgres_url"), request.getfixturevalue("postgres_url_2")]
    created, migrated = (create_engine(url) for url in urls)
    migrate(created)
    with migrated.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    assert current_revision(created) == current_revision(migrated) == HEAD_REVISION
    assert schema(created) == schema(migrated)
    for engine in (created, migrated):
        engine.dispose()


def test_tables_without_a_revision_are_left_to_alembic(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE document (id INTEGER PRIMARY KEY)"))
    with pytest.raises(StoreError, match="cannot migrate"):
        migrate(engine)  # never stamped over a schema it did not build
    assert current_revision(engine) is None


def test_a_creation_cut_short_before_the_stamp_is_finished(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    SQLModel.metadata.tables["document"].create(engine)  # as if killed after the first table
    migrate(engine)
    assert current_revision(engine) == HEAD_REVISION
    assert set(SQLModel.metadata.tables) <= set(sa.inspect(engine).get_table_names())


def test_migrate_twice_is_a_no_op(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    migrate(engine)
    migrate(engine)
    assert current_revision(engine) == HEAD_REVISION


def test_sqlite_runs_in_wal_with_foreign_keys(store: Store) -> None:
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_versions_events_and_deliveries_are_written_together(any_store: Store) -> None:
    first = any_store.save_version(new_version("one", "f1"), NOW)
    document = any_store.save_version(
        new_version("two", "f2"),
        NOW + timedelta(hours=1),
        [Routed(event("e1"), ("console",))],
        document_id=first.id,
    )
    assert document.id == first.id
    assert (document.version_count, document.fingerprint) == (2, "f2")
    versions = any_store.versions(document.id or 0)
    assert [(v.number, v.text) for v in versions] == [(1, "one"), (2, "two")]
    assert zlib.decompress(versions[0].raw_body) == b"<html>raw</html>"
    assert versions[1].fetched_at == NOW + timedelta(hours=1)  # aware UTC round trip
    assert any_store.validators(URL) == Validators('"e1"', None)
    (delivery,) = any_store.due_deliveries(NOW + timedelta(hours=1), ["console"])
    assert (delivery.event_id, delivery.status) == ("e1", "pending")


def test_an_event_id_is_recorded_once(any_store: Store) -> None:
    any_store.record_events([Routed(event("same"), ("console",))], NOW)
    any_store.record_events([Routed(event("same"), ("console",))], NOW)
    assert [e.id for e in any_store.events()] == ["same"]
    assert len(any_store.deliveries()) == 1


def test_a_failed_write_leaves_nothing_behind(any_store: Store) -> None:
    # A channel named twice breaks the unique (event, channel): the last insert fails.
    twice = Routed(event("e1"), ("console", "console"))
    with pytest.raises(sa.exc.IntegrityError):
        any_store.save_version(new_version("one", "f1"), NOW, [twice])
    assert any_store.document(URL) is None
    assert any_store.events() == []


def test_deliveries_are_marked_sent_or_retried_or_failed(any_store: Store) -> None:
    any_store.record_events([Routed(event(i), ("slack",)) for i in "abc"], NOW)
    a, b, c = any_store.due_deliveries(NOW, ["slack"])
    any_store.mark_sent([a.id or 0], NOW)
    any_store.mark_failed([b.id or 0], NOW, "HTTP 500", retry_in=timedelta(minutes=5))
    any_store.mark_failed([c.id or 0], NOW, "invalid_auth", retry_in=None)
    assert any_store.due_deliveries(NOW, ["slack"]) == []
    (due,) = any_store.due_deliveries(NOW + timedelta(minutes=5), ["slack"])
    assert (due.event_id, due.attempts, due.last_error) == ("b", 1, "HTTP 500")
    assert [d.event_id for d in any_store.deliveries("failed")] == ["c"]
    assert [d.event_id for d in any_store.deliveries("sent")] == ["a"]


def test_source_state_tracks_failure_streaks(any_store: Store) -> None:
    assert not any_store.source_state("s").baseline_done
    any_store.update_source("s", NOW, "HTTP 500")
    before = any_store.update_source("s", NOW, "HTTP 500")
    assert before.consecutive_failures == 1
    assert any_store.source_state("s").consecutive_failures == 2
    assert not any_store.source_state("s").baseline_done
    any_store.update_source("s", NOW, None)
    state = any_store.source_state("s")
    assert (state.consecutive_failures, state.baseline_done, state.last_ok_at) == (0, True, NOW)


def test_a_document_is_found_at_each_of_its_locations(any_store: Store) -> None:
    from store.repo import DocumentUpdate

    document = any_store.save_version(new_version("one", "f1"), NOW)
    assert document.id is not None
    mirror = "https://ustr.gov/copy"
    moved = DocumentUpdate(new_locations=(mirror,), location_status="moved", last_url=mirror)
    any_store.update_document(document.id, NOW, moved, location=URL)
    found = any_store.find(mirror)
    assert found is not None
    assert found[0].id == document.id
    assert [(loc.url, loc.status) for loc in any_store.locations(document.id)] == [
        (URL, "moved"),
        (mirror, "active"),
    ]
    assert any_store.watched("state") == [(mirror, "Joint Statement")]
    assert any_store.find("https://elsewhere.gov/") is None


def test_the_models_and_the_migrations_agree(sqlite_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    engine = create_engine(sqlite_url)
    migrate(engine)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []


def test_upgrading_from_0001_keeps_documents_and_adds_their_locations(sqlite_url: str) -> None:
    from alembic import command

    engine = create_engine(sqlite_url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(sa.text(
            "INSERT INTO document (url, source, agency, title, doc_type, status, fingerprint, "
            "version_count, first_seen_at, last_seen_at, last_changed_at) VALUES "
            "('https://a.gov/x', 's', 'State', 'T', 'readout', 'active', 'f', 1, "
            "'2024-01-01', '2024-01-01', '2024-01-01'), "
            "('https://a.gov/y', 's', 'State', 'U', 'readout', 'removed', 'g', 1, "
            "'2024-01-01', '2024-01-01', '2024-01-01')"
        ))  # fmt: skip
    store = Store(sqlite_url)  # migrates to the head on open
    found = store.find("https://a.gov/x")
    assert found is not None
    assert (found[0].title, found[1].fingerprint, found[1].status) == ("T", "f", "active")
    removed = store.find("https://a.gov/y")
    assert removed is not None
    assert removed[1].status == "gone"  # a removed document's locations are gone (0004)
    assert store.watched("s") == [("https://a.gov/x", "T"), ("https://a.gov/y", "U")]
    store.close()


def test_versions_recorded_before_0006_get_the_location_that_served_them(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        when = {"when": "2026-11-24 12:00:00"}
        connection.execute(
            sa.text(
                "INSERT INTO document (id, url, source, agency, title, doc_type, status, "
                "fingerprint, version_count, first_seen_at, last_seen_at, last_changed_at) "
                "VALUES (1, 'https://www.state.gov/a', 's', 'State', 't', 'd', 'active', 'f', 2, "
                ":when, :when, :when)"
            ),
            when,
        )
        for number, fetched in ((1, "https://www.state.gov/a/"), (2, "https://ustr.gov/b")):
            connection.execute(
                sa.text(
                    "INSERT INTO version (id, document_id, number, fingerprint, text, raw_body, "
                    "fetched_url, extractor, fetched_at) VALUES (:n, 1, :n, 'f', 't', x'00', "
                    ":fetched, 'x', :when)"
                ),
                {"n": number, "fetched": fetched, **when},
            )
        connection.execute(
            sa.text(
                "INSERT INTO location (document_id, url, source, agency, version_id, last_url, "
                "first_seen_at, status) VALUES (1, 'https://www.state.gov/a', 's', 'State', 1, "
                "'https://www.state.gov/a/', :when, 'active'), (1, 'https://ustr.gov/b', 'u', "
                "'USTR', 2, 'https://ustr.gov/b', :when, 'active')"
            ),
            when,
        )
    migrate(engine)
    store = Store(sqlite_url)
    assert [v.location for v in store.versions(1)] == [
        "https://www.state.gov/a",
        "https://ustr.gov/b",
    ]
    assert store.home_location(1) == "https://www.state.gov/a"
    store.close()
    engine.dispose()
