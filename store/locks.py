"""Who may do what when several `run` processes share one database.

PostgreSQL: any number of replicas; a source is checked under a session advisory lock, so only
one replica checks it at a time. SQLite: one scheduler per database file, enforced with a file
lock, because SQLite is not built for several writers on a network of processes.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import sqlalchemy as sa

from monitor.errors import StoreError

_NAMESPACE = "hled-monitor:source:"


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock."""
    digest = hashlib.sha256((_NAMESPACE + name).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def source_lock(engine: sa.Engine, name: str) -> Iterator[bool]:
    """Yield True when this process may check ``name`` now, False when another replica is."""
    if engine.dialect.name != "postgresql":
        yield True  # SQLite: single scheduler, guarded by scheduler_guard
        return
    key = lock_key(name)
    with engine.connect() as connection:
        got = bool(connection.execute(sa.select(sa.func.pg_try_advisory_lock(key))).scalar())
        connection.commit()
        try:
            yield got
        finally:
            if got:
                connection.execute(sa.select(sa.func.pg_advisory_unlock(key)))
                connection.commit()


@contextmanager
def scheduler_guard(engine: sa.Engine) -> Iterator[None]:
    """Refuse a second scheduler on one SQLite file, with a clear message."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    path = Path(database).with_name(Path(database).name + ".scheduler-lock")
    handle: IO[str] = path.open("w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"another `run` already uses {database}: SQLite allows one scheduler per "
                "database file (use PostgreSQL via MONITOR_DATABASE_URL for several replicas)"
            ) from None
        yield
    finally:
        handle.close()  # closing releases the lock
