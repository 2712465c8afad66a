"""Install the package as the Dockerfile does, into a fresh virtual environment, and run it."""

from __future__ import annotations

import json
import subprocess
import venv
from pathlib import Path

from tests.fakesite import FakeSite, article
from tests.service_process import ServiceProcess, checked

REPO = Path(__file__).resolve().parents[2]


def test_fresh_install_runs_the_service_and_answers_healthz(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # The Dockerfile's install step: a regular (non-editable) install pinned by constraints.txt.
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-c", "constraints.txt", "."],
        cwd=REPO,
        check=True,
        timeout=900,
        capture_output=True,
        text=True,
    )
    # The build backend has no complaint about our metadata (e.g. a deprecated license table).
    assert "BuildBackendWarning" not in installed.stderr + installed.stdout
    site = FakeSite({"/hled": article("Readout", "The HLED will meet again next year.")})
    with site.serve() as base:
        config = tmp_path / "sources.toml"
        config.write_text(
            f'[[source]]\nname = "hled"\nagency = "State"\nurl = "{base}/hled"\n',
            encoding="utf-8",
        )
        env = {"MONITOR_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'monitor.db'}"}
        service = ServiceProcess(config, env, python=str(python), cwd=tmp_path)
        try:
            service.wait_for(checked("hled"), timeout=60)
            status, body = service.get("/healthz")
        finally:
            assert service.stop() == 0
    assert status == 200
    assert json.loads(body)["status"] == "ok"
    where = subprocess.run(
        [str(python), "-c", "import monitor, store; print(monitor.__file__, store.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert where.count(str(env_dir)) == 2  # the installed copy, not the checkout
