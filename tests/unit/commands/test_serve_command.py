"""`python -m monitor serve`: usage errors and a store it will not touch, before serving."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from monitor.cli import main
from store.repo import Store


def test_a_bad_listen_address_is_a_usage_error(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {"MONITOR_DATABASE_URL": sqlite_url, "MONITOR_CONFIG": str(tmp_path / "none.toml")}
    assert main(["serve", "--listen", "8080"], env) == 2
    assert "is not HOST:PORT" in capsys.readouterr().err


def test_a_database_never_checked_is_refused_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "data" / "monitor.db"
    env = {"MONITOR_DATABASE_URL": f"sqlite:///{database}",
           "MONITOR_CONFIG": str(tmp_path / "none.toml")}  # fmt: skip
    assert main(["serve", "--listen", "127.0.0.1:0"], env) == 1
    assert "run `python -m monitor check` once" in capsys.readouterr().err
    assert not database.parent.exists()  # nothing written, not even an empty file


def test_a_taken_port_is_one_line_and_no_serving_claim(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(sqlite_url).close()  # a migrated store: serve gets as far as binding
    env = {"MONITOR_DATABASE_URL": sqlite_url, "MONITOR_CONFIG": str(tmp_path / "none.toml")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--listen", f"127.0.0.1:{port}"], env) == 2
    err = capsys.readouterr().err
    assert f"listen 127.0.0.1:{port}: address already in use" in err
    assert "serving the web view" not in err  # it never served: no line says it does
