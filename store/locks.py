"""Who may do what when several `run` or `check` processes share one database.

PostgreSQL: any number of replicas; a source is checked under a session advisory lock, so only
one replica (or one-off check) checks it at a time. SQLite: one scheduler or check per database
file, enforced with a file lock, because SQLite is not built for several writers on a network
of processes. A one-off check waits for either briefly, then gives up with a clear message.
"""

from __future__ import annotations

import fcntl
import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
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
def source_locks(engine: sa.Engine, names: Sequence[str], wait: float) -> Iterator[None]:
    """PostgreSQL: hold every source's advisory lock (one connection), waiting up to ``wait``.

    A one-off check takes the locks the service's replicas take per source, so it never checks
    a source at the same time as they do; SQLite needs none (``database_guard`` covers it).
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    keys = {name: lock_key(name) for name in sorted(set(names))}
    deadline = time.monotonic() + wait
    with engine.connect() as connection:
        held: list[int] = []
        try:
            while True:
                for key in keys.values():
                    if key not in held and _try_advisory(connection, key):
                        held.append(key)
                busy = [name for name, key in keys.items() if key not in held]
                if not busy:
                    break
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"another check is running: {', '.join(busy)} being checked by another "
                        f"process (waited {wait:g}s); try again when it is done"
                    )
                time.sleep(0.2)
            yield
        finally:
            for key in held:
                connection.execute(sa.select(sa.func.pg_advisory_unlock(key)))
            connection.commit()


def _try_advisory(connection: sa.Connection, key: int) -> bool:
    got = bool(connection.execute(sa.select(sa.func.pg_try_advisory_lock(key))).scalar())
    connection.commit()
    return got


@contextmanager
def scheduler_guard(engine: sa.Engine) -> Iterator[None]:
    """Refuse a second scheduler on one SQLite file, with a clear message."""
    with database_guard(engine.url, wait=0.0, busy=_scheduler_busy):
        yield


@contextmanager
def check_guard(url: str, wait: float) -> Iterator[None]:
    """A one-off check: the same guard as ``run``'s, waited for up to ``wait`` seconds."""
    with database_guard(sa.engine.make_url(url), wait, busy=_check_busy):
        yield


def _scheduler_busy(database: str, wait: float) -> str:
    return (
        f"another `run` or `check` already uses {database}: SQLite allows one scheduler per "
        "database file (use PostgreSQL via MONITOR_DATABASE_URL for several replicas)"
    )


def _check_busy(database: str, wait: float) -> str:
    return (
        f"another check is running on {database} (a `run` service or a `check`; waited "
        f"{wait:g}s): SQLite allows one at a time, try again when it is done"
    )


@contextmanager
def database_guard(
    url: sa.engine.URL, wait: float, busy: Callable[[str, float], str]
) -> Iterator[None]:
    """SQLite: an exclusive lock on a file beside the database, waited for up to ``wait``."""
    database = url.database if url.get_backend_name() == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    path = Path(database).with_name(Path(database).name + ".scheduler-lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle: IO[str] = path.open("w")
    try:
        deadline = time.monotonic() + wait
        while not _try_flock(handle):
            if time.monotonic() >= deadline:
                raise StoreError(busy(database, wait)) from None
            time.sleep(0.1)
        yield
    finally:
        handle.close()  # closing releases the lock


def _try_flock(handle: IO[str]) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
