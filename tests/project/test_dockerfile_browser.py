"""The container's browser variant: a build argument, off by default (no engine here to build)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from dockerfile_parse import DockerfileParser

REPO = Path(__file__).resolve().parents[2]


def _runs() -> list[str]:
    parser = DockerfileParser(path=str(REPO / "Dockerfile"))
    return [item["value"] for item in parser.structure if item["instruction"] == "RUN"]


def _shell(command: str, browser: str) -> str:
    done = subprocess.run(
        ["/bin/sh", "-c", command], env={"BROWSER": browser, "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def test_the_browser_is_a_build_argument_that_defaults_to_off() -> None:
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^ARG BROWSER=false$", text, re.MULTILINE)


def test_playwright_is_installed_only_in_the_browser_variant() -> None:
    [install] = [run for run in _runs() if "pip install" in run]
    target = re.search(r'"(\.\$\(.*?\))"', install)
    assert target is not None
    assert _shell(f'echo "{target.group(1)}"', "false") == "."
    assert _shell(f'echo "{target.group(1)}"', "true") == ".[browser]"


def test_chromium_comes_from_the_debian_package_only_in_the_browser_variant() -> None:
    [chromium] = [run for run in _runs() if "chromium" in run]
    assert "apt-get install -y --no-install-recommends chromium" in chromium
    dry = chromium.replace("apt-get", "echo apt-get").replace("rm -rf", "echo rm -rf")
    assert _shell(dry, "false") == ""
    assert "install -y --no-install-recommends chromium" in _shell(dry, "true")
    assert "playwright install" not in (REPO / "Dockerfile").read_text(encoding="utf-8")
