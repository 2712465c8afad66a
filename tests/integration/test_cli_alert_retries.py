"""`check` with failing channels: retries within the check, deferred alerts first in the next
check, a capped Retry-After, and the two ambiguous outcomes (an answer that never came)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

import notifiers.slack
from monitor.cli import main
from tests.fakesite import Answer, FakeSite, article
from tests.fakeslack import FakeSlack, Scripted
from tests.integration.test_cli_notify import EVIL, TEXT, TOKEN, Channels, write_config
from tests.smtpserver import smtp_server

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@dataclass
class WatchedSite(FakeSite):
    """Notes, at each request, how many Slack posts had arrived by then."""

    slack: FakeSlack = field(default_factory=FakeSlack)
    posts_when_asked: list[int] = field(default_factory=list)

    def answer(self, path: str, if_none_match: str | None, host: str = "") -> Answer:
        self.posts_when_asked.append(len(self.slack.posts))
        return super().answer(path, if_none_match, host)


@pytest.fixture
def channels(tmp_path: Path, sqlite_url: str) -> Iterator[Channels]:
    slack = FakeSlack()
    site = WatchedSite({"/hled": article(EVIL, TEXT)}, slack=slack)
    with site.serve() as base, slack.serve() as slack_base, smtp_server() as (mailbox, smtp):
        config = write_config(tmp_path / "sources.toml", base)
        env = {"MONITOR_DATABASE_URL": sqlite_url, "SLACK_BOT_TOKEN": TOKEN,
               "SLACK_API_URL": f"{slack_base}/api/", **smtp}  # fmt: skip
        yield Channels(site, slack, mailbox, config, env)


def edit(channels: Channels, amount: str) -> None:
    channels.site.pages["/hled"] = article(EVIL, TEXT.replace("$474", amount))


def deliveries(channels: Channels, capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    capsys.readouterr()
    assert main(["deliveries", "--json"], channels.env) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


# -- item 3: a transient failure is retried within the check ------------------------------------


def test_a_slack_blip_is_retried_within_the_same_check(
    channels: Channels, capsys: pytest.CaptureFixture[str]
) -> None:
    assert channels.check() == 0
    edit(channels, "$520")
    channels.slack.fail_next(Scripted(500, "down"), Scripted(503, "busy"))
    began = time.monotonic()
    assert channels.check() == 0
    assert "alerts: 2 sent, 0 to retry" in capsys.readouterr().out
    assert (len(channels.slack.attempts), len(channels.slack.posts)) == (3, 1)
    assert time.monotonic() - began >= 3  # 1 s, then 2 s: a short backoff


def test_a_short_retry_after_is_honoured_within_the_check(channels: Channels) -> None:
    assert channels.check() == 0
    edit(channels, "$520")
    limited = {"ok": False, "error": "ratelimited"}
    channels.slack.fail_next(Scripted(429, limited, {"Retry-After": "4"}))
    began = time.monotonic()
    assert channels.check() == 0
    assert len(channels.slack.posts) == 1
    assert time.monotonic() - began >= 4


def test_deferred_alerts_go_out_at_the_start_of_the_next_check(
    channels: Channels, capsys: pytest.CaptureFixture[str]
) -> None:
    site = channels.site
    assert isinstance(site, WatchedSite)
    with time_machine.travel(START, tick=True) as clock:
        assert channels.check() == 0
        edit(channels, "$520")
        channels.slack.fail_next(*[Scripted(500, "down")] * 3)  # every try of this check
        assert channels.check() == 0
        assert "1 to retry" in capsys.readouterr().out
        clock.shift(timedelta(minutes=2))  # the retry is due
        asked = len(site.posts_when_asked)
        assert channels.check() == 0
    assert site.posts_when_asked[asked] == 1  # posted before the check asked for any page
    assert len(channels.slack.posts) == 1


# -- item 14: Retry-After is capped ----------------------------------------------------------------


CAPS = [("", timedelta(minutes=15)), ('[notify]\nmax_retry_after = "1h"\n', timedelta(hours=1))]


@pytest.mark.parametrize(("setting", "cap"), CAPS)
def test_a_huge_retry_after_is_capped(
    channels: Channels, capsys: pytest.CaptureFixture[str], setting: str, cap: timedelta
) -> None:
    text = Path(channels.config).read_text(encoding="utf-8")
    Path(channels.config).write_text(text.replace("[notify.slack]", setting + "[notify.slack]"))
    assert channels.check() == 0
    edit(channels, "$520")
    limited = {"ok": False, "error": "ratelimited"}
    channels.slack.fail_next(Scripted(429, limited, {"Retry-After": "100000"}))
    before = datetime.now(UTC)
    assert channels.check() == 0
    assert len(channels.slack.attempts) == 1  # far beyond a short wait: deferred at once
    (row,) = [r for r in deliveries(channels, capsys) if r["status"] == "pending"]
    waits = datetime.fromisoformat(row["next_attempt_at"]) - before
    assert cap - timedelta(seconds=5) <= waits <= cap + timedelta(seconds=30)


# -- item 16: ambiguous outcomes ---------------------------------------------------------------------


def test_an_smtp_server_that_hangs_up_after_data_gets_the_same_message_id(
    channels: Channels, capsys: pytest.CaptureFixture[str]
) -> None:
    mailbox = channels.mailbox
    with time_machine.travel(START, tick=True) as clock:
        assert channels.check() == 0
        edit(channels, "$520")
        mailbox.hang_up = 1
        assert channels.check() == 0
        out = capsys.readouterr().out
        assert "the message may have been accepted" in out
        assert len(mailbox.messages) == 1  # not sent again at once: it may have arrived
        clock.shift(timedelta(minutes=2))
        assert channels.check() == 0
    first, second = mailbox.messages  # the documented duplicate...
    assert first["Message-ID"] == second["Message-ID"]  # ...which receivers can recognise
    assert first["Message-ID"].endswith("@hled-monitor>")


def test_a_slack_answer_after_our_timeout_is_not_posted_again_at_once(
    channels: Channels, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notifiers.slack, "TIMEOUT", 1)
    slack = channels.slack
    with time_machine.travel(START, tick=True) as clock:
        assert channels.check() == 0
        edit(channels, "$520")
        slack.fail_next(Scripted(delay=3, posted=True))  # Slack took it, and answered late
        assert channels.check() == 0
        out = capsys.readouterr().out
        assert "slack: no answer from 127.0.0.1:" in out
        assert "TimeoutError (the message may have been posted)" in out
        assert len(slack.attempts) == 1
        clock.shift(timedelta(minutes=2))
        assert channels.check() == 0
    assert len(slack.posts) == 2  # the duplicate the README describes


def test_an_alert_held_longer_than_the_cap_allows_is_due_again(channels: Channels) -> None:
    config = Path(channels.config)
    default = config.read_text(encoding="utf-8")
    config.write_text(default.replace("[notify.slack]", CAPS[1][0].replace("1h", "2d") +
                                      "[notify.slack]"))  # fmt: skip
    assert channels.check() == 0
    edit(channels, "$520")
    limited = {"ok": False, "error": "ratelimited"}
    channels.slack.fail_next(Scripted(429, limited, {"Retry-After": "100000"}))
    assert channels.check() == 0  # held for 27.8 hours, as that setting allows
    assert channels.check() == 0
    assert channels.slack.posts == []
    config.write_text(default)  # the default cap (15 minutes): that wait is beyond any it sets
    assert channels.check() == 0
    assert len(channels.slack.posts) == 1
