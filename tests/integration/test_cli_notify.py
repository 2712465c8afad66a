"""The CLI with real channels: check → fake Slack once; notify-test; deliveries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.cli import main
from tests.fakesite import FakeSite, article
from tests.fakeslack import FakeSlack, Scripted
from tests.smtpserver import smtp_server

TEXT = "EPA and CONAGUA signed an agreement on border water projects in Tijuana."


def write_config(path: Path, base: str) -> str:
    path.write_text(
        '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n'
        '[notify.slack]\nchannel = "#hled-alerts"\n\n'
        f'[[source]]\nname = "hled"\nagency = "State"\nurl = "{base}/hled"\n',
        encoding="utf-8",
    )
    return str(path)


def test_check_alerts_slack_exactly_once(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    site, slack = FakeSite({"/hled": article("Joint Statement", TEXT)}), FakeSlack()
    with site.serve() as base, slack.serve() as slack_base:
        config = write_config(tmp_path / "sources.toml", base)
        env = {"MONITOR_DATABASE_URL": sqlite_url, "SLACK_BOT_TOKEN": "xoxb-e2e",
               "SLACK_API_URL": f"{slack_base}/api/"}  # fmt: skip
        assert main(["check", "--config", config], env) == 0  # baseline: silent
        site.pages["/hled"] = article("Joint Statement", TEXT.replace("Tijuana", "Mexicali"))
        slack.fail_next(Scripted(200, {"ok": False, "error": "internal_error"}))
        assert main(["check", "--config", config], env) == 0
        assert "1 to retry" in capsys.readouterr().out
        assert main(["deliveries", "--json"], env) == 0
        (pending,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert (pending["status"], pending["last_error"]) == ("pending", "slack: internal_error")
        # The next check sends it once the backoff has passed; until then nothing is sent.
        assert main(["check", "--config", config], env) == 0
        assert slack.posts == []
    assert len(slack.attempts) == 1


def test_notify_test_reports_each_channel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slack = FakeSlack()
    with slack.serve() as slack_base, smtp_server() as (mailbox, smtp_env):
        config = tmp_path / "sources.toml"
        config.write_text(
            '[notify.slack]\nchannel = "#ok"\n[[notify.email]]\nto = ["a@example.org"]\n'
            'from = "m@example.org"\n',
            encoding="utf-8",
        )
        env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": f"{slack_base}/api/", **smtp_env}
        assert main(["notify-test", "--config", str(config)], env) == 0
        out = capsys.readouterr().out
        assert "slack:#ok: ok" in out
        assert "email:a@example.org: ok" in out
        assert len(slack.posts) == 1
        assert len(mailbox.messages) == 1
        slack.fail_next(Scripted(200, {"ok": False, "error": "channel_not_found"}))
        assert main(["notify-test", "--config", str(config)], env) == 1
        assert "slack:#ok: FAILED: slack: channel_not_found" in capsys.readouterr().out
