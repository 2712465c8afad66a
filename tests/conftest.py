"""Shared fixtures: config files, stores (SQLite and PostgreSQL), a fixed clock, saved pages."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from monitor.config import Settings, parse_settings
from store.repo import Store

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
POSTGRES_URL = os.environ.get(
    "MONITOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def page_html(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def make_settings(*sources: dict[str, object], **tables: object) -> Settings:
    """Settings for tests: no politeness delay, no retry waits beyond what a test injects."""
    fetch = {"per_host_delay": "0s", "per_host_concurrency": 8, "concurrency": 16, "timeout": "5s"}
    fetch.update(tables.pop("fetch", {}))  # type: ignore[call-overload]
    return parse_settings({"fetch": fetch, "source": list(sources), **tables}, "test.toml")


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'monitor.db'}"


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Store]:
    store = Store(sqlite_url)
    yield store
    store.close()


def _postgres_reachable() -> bool:
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError:
        return False
    return True


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The PostgreSQL server's URL; skipped without one, except in CI where it must exist."""
    if not _postgres_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but PostgreSQL is not reachable at {POSTGRES_URL}")
        pytest.skip(f"no PostgreSQL server at {POSTGRES_URL} (set MONITOR_TEST_POSTGRES_URL)")
    return POSTGRES_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the server, dropped afterwards (tests may run in parallel)."""
    yield from _fresh_database(postgres_server)


@pytest.fixture
def postgres_url_2(postgres_server: str) -> Iterator[str]:
    """A second one, for tests that compare two databases."""
    yield from _fresh_database(postgres_server)


def _fresh_database(postgres_server: str) -> Iterator[str]:
    name = f"hled_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(postgres_server).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def any_store(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[Store]:
    """The same test on the SQLite default and on PostgreSQL."""
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    store = Store(url)
    yield store
    store.close()


PageFactory = Callable[[str], str]
