"""`python -m monitor serve`: usage errors and a store it will not touch, before serving."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.cli import main


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
