"""The CLI with real channels: check → fake Slack once; notify-test; deliveries."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from monitor.cli import main
from tests.fakesite import FakeSite, article
from tests.fakeslack import FakeSlack, Scripted
from tests.smtpserver import Mailbox, smtp_server

TOKEN = "xoxb-e2e-secret"
# An accomplishment, so an edit is one document_changed (no commitment events).
TEXT = "EPA and CONAGUA signed a $474 million agreement on border water projects."


def write_config(path: Path, base: str) -> str:
    path.write_text(
        '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n'
        '[notify.slack]\nchannel = "#hled-alerts"\n\n'
        '[notify.email]\nto = ["analyst@example.org"]\nfrom = "hled-monitor@example.org"\n\n'
        f'[[source]]\nname = "hled"\nagency = "State"\nurl = "{base}/hled"\n',
        encoding="utf-8",
    )
    return str(path)


# The page's title, as the page shows it (HTML-escaped in its source).
EVIL = html.escape("<!channel> Joint Statement <https://evil.example|click>")


@dataclass
class Channels:
    """A fake site, a fake Slack and a real SMTP server, and the CLI's environment for them."""

    site: FakeSite
    slack: FakeSlack
    mailbox: Mailbox
    config: str
    env: dict[str, str]

    def check(self) -> int:
        return main(["check", "--config", self.config], self.env)


@pytest.fixture
def channels(tmp_path: Path, sqlite_url: str) -> Iterator[Channels]:
    site, slack = FakeSite({"/hled": article(EVIL, TEXT)}), FakeSlack()
    with site.serve() as base, slack.serve() as slack_base, smtp_server() as (mailbox, smtp):
        config = write_config(tmp_path / "sources.toml", base)
        env = {"MONITOR_DATABASE_URL": sqlite_url, "SLACK_BOT_TOKEN": TOKEN,
               "SLACK_API_URL": f"{slack_base}/api/", **smtp}  # fmt: skip
        yield Channels(site, slack, mailbox, config, env)


def test_check_alerts_every_channel_exactly_once(
    channels: Channels, capsys: pytest.CaptureFixture[str]
) -> None:
    slack, mailbox = channels.slack, channels.mailbox
    with time_machine.travel(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), tick=True) as clock:
        assert channels.check() == 0  # baseline: silent
        channels.site.pages["/hled"] = article(EVIL, TEXT.replace("$474", "$520"))
        slack.fail_next(Scripted(500, "down"), Scripted(500, "down"))  # and its one inline retry
        assert channels.check() == 0
        assert "alerts: 1 sent, 1 to retry, 0 failed for good" in capsys.readouterr().out
        assert len(mailbox.messages) == 1
        assert channels.check() == 0  # Slack's retry is not due yet: nothing is sent
        assert (len(slack.attempts), len(mailbox.messages)) == (2, 1)
        clock.shift(timedelta(minutes=2))
        assert channels.check() == 0  # due now: Slack gets it, email is not sent again
        assert channels.check() == 0
    assert len(slack.posts) == 1
    assert len(mailbox.messages) == 1
    blocks = str(slack.posts[0]["blocks"])
    assert "~$474~ *$520*" in blocks
    assert "<!channel>" not in blocks + slack.posts[0]["text"]
    assert "&lt;!channel&gt; Joint Statement &lt;https://evil.example|click&gt;" in blocks
    assert main(["deliveries"], channels.env) == 0
    assert "no pending or failed deliveries" in capsys.readouterr().err


def test_permanent_failures_are_in_the_summary_and_the_deliveries_list(
    channels: Channels, capsys: pytest.CaptureFixture[str]
) -> None:
    assert channels.check() == 0
    channels.site.pages["/hled"] = article(EVIL, TEXT.replace("$474", "$520"))
    channels.slack.fail_next(Scripted(200, {"ok": False, "error": "invalid_auth"}))
    assert channels.check() == 0
    out = capsys.readouterr().out
    assert "alerts: 1 sent, 0 to retry, 1 failed for good" in out
    assert "delivery: slack:#hled-alerts: slack: invalid_auth (gave up)" in out
    assert main(["deliveries"], channels.env) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("failed   slack:#hled-alerts")
    assert line.endswith("slack: invalid_auth")
    assert main(["deliveries", "--json"], channels.env) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (row["status"], row["attempts"], row["next_attempt_at"]) == ("failed", 1, None)
    assert channels.check() == 0
    everything = capsys.readouterr()
    assert TOKEN not in out + everything.out + everything.err
    assert len(channels.slack.attempts) == 1  # never retried


def test_notify_test_reports_each_channel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slack = FakeSlack()
    with slack.serve() as slack_base, smtp_server() as (mailbox, smtp_env):
        config = tmp_path / "sources.toml"
        config.write_text(
            '[[source]]\nname = "s"\nagency = "State"\nurl = "https://www.state.gov/x/"\n'
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
