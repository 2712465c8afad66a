"""Small things people read: alert openings, the quick start, notify-test's reasons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.config import load_settings
from monitor.models import Page
from monitor.pipeline import events
from tests.conftest import Clock, make_settings
from tests.service_process import free_port

REPO = Path(__file__).resolve().parents[3]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_an_alert_opening_is_cut_between_words(clock: Clock) -> None:
    words = "cooperation " * 80  # 960 characters: past the opening's limit
    page = Page("HLED", (words.strip(),))
    source = make_settings({"name": "s", "agency": "State", "url": "https://x.gov/"}).sources[0]
    opening = events.new_document(source, "https://x.gov/a", page, clock()).payload["opening"]
    assert len(opening) <= events.OPENING_CHARS
    assert opening.endswith("cooperation…")


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("short enough", "short enough"),
        ("alpha beta gamma delta", "alpha beta…"),
        ("x" * 30, "x" * 14 + "…"),  # one long "word" (a URL) is cut where it must be
    ],
)
def test_cut_at_word(text: str, cut: str) -> None:
    assert events.cut_at_word(text, 15) == cut


def test_the_quick_start_says_what_make_check_does() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "contacts the live agency sites" in quick_start
    assert "exits with status `1` when any source failed" in quick_start


def test_notify_test_prints_the_underlying_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "sources.toml"
    port = free_port()
    config.write_text(
        '[[source]]\nname = "s"\nagency = "State"\nurl = "https://x.gov/"\n'
        f'[[notify.apprise]]\nurl = "json://127.0.0.1:{port}/hook"\nname = "hook"\n',
        encoding="utf-8",
    )
    assert main(["notify-test", "--config", str(config)], {}) == 1
    out = capsys.readouterr().out
    assert out == f"apprise:hook: FAILED: apprise: connection refused to 127.0.0.1:{port}\n"


def test_the_quick_start_dry_run_names_a_shipped_source() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    shipped = load_settings(REPO / "sources.toml")
    for name in re.findall(r"-m monitor test (\S+)", quick_start):
        shipped.source(name)  # raises for a name sources.toml does not have
