"""Open the database: SQLite by default, PostgreSQL in production; migrate it to the head."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from monitor.errors import StoreError

# The newest Alembic revision in store/migrations/versions. Checking it with one query lets an
# up-to-date database skip importing Alembic at all (a check is a short process).
# tests/unit/test_store_migrations.py keeps this equal to Alembic's own head.
HEAD_REVISION = "0006"


class Part:
    """A part of the store (``Store`` joins them): its sessions, on the store's engine."""

    engine: sa.Engine

    def session(self) -> Session:
        """Rows stay readable after the commit: operations return them once it has closed."""
        return Session(self.engine, expire_on_commit=False)


def create_engine(url: str) -> sa.Engine:
    """An engine for ``url``; SQLite gets its parent folder, WAL and foreign keys."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return sa.create_engine(url, pool_pre_ping=True)


def holds_store(url: str) -> bool:
    """Whether ``url`` names a database that already holds a store; creates nothing."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if not database or database == ":memory:" or not Path(database).is_file():
            return False
    engine = sa.create_engine(url)  # a plain engine: no folder made, no pragmas written
    try:
        return current_revision(engine) is not None
    finally:
        engine.dispose()


def safe_url(url: str) -> str:
    """The URL to show in a message: never its password."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def _sqlite_engine(url: str) -> sa.Engine:
    database = sa.engine.make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to HEAD_REVISION; a no-op (one query) when it is already there.

    An empty database gets the models' tables directly and is stamped at the head: the same
    schema (tests/unit/store/test_store.py compares the two on SQLite and PostgreSQL) in a tenth of
    the time of running every migration, which a first check would wait for.
    """
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return
    if revision is None and _create_if_empty(engine):
        return
    from alembic import command  # imported only when there is work to do

    from store.migrations import alembic_config

    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"cannot migrate the database: {exc}") from exc


def _create_if_empty(engine: sa.Engine) -> bool:
    """Create every table and stamp the head, if the database has none of its own; else False."""
    from sqlmodel import SQLModel

    import store.tables  # noqa: F401 (the tables, registered on SQLModel.metadata)

    try:
        with engine.begin() as connection:
            if not _ours_unfinished(connection, SQLModel.metadata):
                return False  # other tables without a revision: let Alembic say what is wrong
            SQLModel.metadata.create_all(connection)  # the tables not there yet
            stamp = _alembic_version_table()
            stamp.create(connection)
            connection.execute(stamp.insert().values(version_num=HEAD_REVISION))
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"cannot create the database: {_safe(exc)}") from exc
    return True


def _ours_unfinished(connection: sa.Connection, metadata: sa.MetaData) -> bool:
    """No tables, or only some of ours with exactly their columns: a creation cut short.

    SQLite commits each CREATE TABLE on its own, so a creation killed before the stamp leaves
    tables and no revision; it is finished here rather than left to fail in Alembic.
    """
    inspector = sa.inspect(connection)
    for name in inspector.get_table_names():
        table = metadata.tables.get(name)
        columns = {column["name"] for column in inspector.get_columns(name)}
        if table is None or columns != {column.name for column in table.columns}:
            return False
    return True


def _alembic_version_table() -> sa.Table:
    """Alembic's own bookkeeping table, as ``alembic upgrade`` creates it."""
    return sa.Table(
        "alembic_version",
        sa.MetaData(),
        sa.Column("version_num", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
    )


def current_revision(engine: sa.Engine) -> str | None:
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"cannot open the database: {_safe(exc)}") from exc


def _safe(exc: Exception) -> str:
    # Driver messages can echo the URL; keep the first line, which names the problem.
    return str(exc).splitlines()[0]
