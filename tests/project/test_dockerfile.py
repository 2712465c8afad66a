"""No container engine here: check the Dockerfile's promises by parsing it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from dockerfile_parse import DockerfileParser

REPO = Path(__file__).resolve().parents[2]


def instructions() -> list[dict[str, str]]:
    parser = DockerfileParser(path=str(REPO / "Dockerfile"))
    return list(parser.structure)


def final_stage() -> list[dict[str, str]]:
    found = instructions()
    last_from = max(i for i, item in enumerate(found) if item["instruction"] == "FROM")
    return found[last_from:]


def values(stage: list[dict[str, str]], instruction: str) -> list[str]:
    return [item["value"] for item in stage if item["instruction"] == instruction]


def test_multi_stage_from_a_slim_python() -> None:
    froms = values(instructions(), "FROM")
    assert len(froms) >= 2
    assert all("python:3.11-slim" in value for value in froms)


def test_runs_as_a_non_root_user() -> None:
    (user,) = values(final_stage(), "USER")
    assert user not in ("root", "0")


def test_entrypoint_command_volume_and_healthcheck() -> None:
    stage = final_stage()
    assert json.loads(values(stage, "ENTRYPOINT")[0]) == ["python", "-m", "monitor"]
    assert json.loads(values(stage, "CMD")[0]) == ["run"]
    assert "/data" in values(stage, "VOLUME")[0]
    (healthcheck,) = values(stage, "HEALTHCHECK")
    assert healthcheck.split("CMD", 1)[1].split() == [
        '["python",',
        '"-m",',
        '"monitor.service.probe"]',
    ]
    env = " ".join(values(stage, "ENV"))
    assert "MONITOR_LISTEN=0.0.0.0:8080" in env
    assert "sqlite:////data/" in env


def test_every_copied_file_exists_and_no_secret_is_baked_in() -> None:
    for item in instructions():
        if item["instruction"] == "COPY" and "--from" not in item["value"]:
            *sources, _destination = item["value"].split()
            for source in sources:
                assert (REPO / source).exists(), source
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    for secret in ("SLACK_BOT_TOKEN", "SLACK_WEBHOOK_URL", "SMTP_PASSWORD"):
        assert secret not in text


def test_dependencies_come_from_the_constraints() -> None:
    runs = " ".join(values(instructions(), "RUN"))
    assert "-c constraints.txt" in runs


def test_the_healthcheck_follows_monitor_listen() -> None:
    (healthcheck,) = values(final_stage(), "HEALTHCHECK")
    assert (
        "monitor.service.probe" in healthcheck
    )  # it reads MONITOR_LISTEN (tests/unit/service/test_probe.py)
    assert ":8080" not in healthcheck


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_compose_publishes_the_port_on_the_loopback_address_only() -> None:
    ports = compose()["services"]["monitor"]["ports"]
    assert ports
    assert all(str(port).startswith("127.0.0.1:") for port in ports)


def test_compose_keeps_the_password_out_of_the_database_url() -> None:
    environment = compose()["services"]["monitor"]["environment"]
    url = environment["MONITOR_DATABASE_URL"]
    # A password holding "@" or "/" would break the URL: libpq reads it from PGPASSWORD.
    assert "POSTGRES_PASSWORD" not in url
    assert ":${" not in url
    assert "POSTGRES_PASSWORD" in environment["PGPASSWORD"]


def test_the_data_volume_owner_is_fixed_and_documented() -> None:
    runs = " ".join(values(final_stage(), "RUN"))
    assert "--uid 10001" in runs
    assert "--gid 10001" in runs
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "chown 10001:10001" in readme


def test_env_files_stay_out_of_git_and_the_image() -> None:
    for ignore in (".gitignore", ".dockerignore"):
        lines = (REPO / ignore).read_text(encoding="utf-8").split()
        assert ".env" in lines, ignore


def test_compose_hands_the_env_file_to_the_bot() -> None:
    # The ${NAME} secrets of [[notify.apprise]] URLs are any names: the list under
    # `environment` cannot hold them, the .env file can (and need not exist).
    (env_file,) = compose()["services"]["monitor"]["env_file"]
    assert env_file == {"path": ".env", "required": False}
