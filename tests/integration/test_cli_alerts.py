"""One message per document per check, on Slack and by email, through ``check`` on the seeds.

A new fact sheet that reports on an earlier commitment, and an edit with two amount changes,
each make one Slack message and one email, while the store and ``--json`` keep one event per
fact; a message that failed is sent once, whole, when retried.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from monitor.cli import main
from store.repo import Store
from tests.conftest import page_html
from tests.fakesite import FakeSite
from tests.fakeslack import FakeSlack, Scripted
from tests.smtpserver import Mailbox, smtp_server

TOKEN = "xoxb-e2e-secret"


@dataclass
class Desk:
    site: FakeSite
    slack: FakeSlack
    mailbox: Mailbox
    config: str
    env: dict[str, str]
    database: str

    def check(self, *args: str) -> int:
        return main(["check", "--config", self.config, *args], self.env)

    def events(self) -> list[str]:
        store = Store(self.database)
        try:
            return [event.type for event in store.events()]
        finally:
            store.close()


@pytest.fixture
def desk(tmp_path: Path, sqlite_url: str) -> Iterator[Desk]:
    site = FakeSite({
        "/list/": "<a href='/fs-2022'>U.S.-Mexico High-Level Economic Dialogue fact sheet</a>",
        "/fs-2022": page_html("commerce_fact_sheet.html"),
    })  # fmt: skip
    slack = FakeSlack()
    with site.serve() as base, slack.serve() as slack_base, smtp_server() as (mailbox, smtp):
        config = tmp_path / "sources.toml"
        config.write_text(
            '[fetch]\nper_host_delay = "0s"\nretries = 0\n\n'
            '[notify.slack]\nchannel = "#hled-alerts"\n\n'
            '[notify.email]\nto = ["analyst@example.org"]\nfrom = "hled@example.org"\n\n'
            f'[[source]]\nname = "facts"\nagency = "USTR"\nkind = "listing"\n'
            f'url = "{base}/list/"\n',
            encoding="utf-8",
        )
        env = {"MONITOR_DATABASE_URL": sqlite_url, "SLACK_BOT_TOKEN": TOKEN,
               "SLACK_API_URL": f"{slack_base}/api/", **smtp}  # fmt: skip
        yield Desk(site, slack, mailbox, str(config), env, sqlite_url)


def post_text(post: dict[str, object]) -> str:
    return json.dumps(post["blocks"])


def test_a_document_and_its_commitments_are_one_message_per_check(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    with time_machine.travel(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), tick=True) as clock:
        assert desk.check() == 0  # baseline: the 2022 fact sheet, silently
        desk.site.pages["/list/"] += "<a href='/fs-2023'>2023 HLED fact sheet</a>"
        desk.site.pages["/fs-2023"] = page_html("ustr_fact_sheet.html")
        down = Scripted(500, "down")
        desk.slack.fail_next(down, down, down)  # and the check's retries of it
        assert desk.check() == 0
        assert sorted(desk.events()) == [  # the dialogue held, the 5G forum, border projects
            "commitment_fulfilled",
            "commitment_progressed",
            "commitment_progressed",
            "new_document",
        ]
        assert (len(desk.slack.posts), len(desk.mailbox.messages)) == (0, 1)
        clock.shift(timedelta(minutes=2))
        assert desk.check() == 0  # the retry: the whole message, once
        assert desk.check() == 0
        (post,) = desk.slack.posts
        assert "New HLED document: FACT SHEET: 2023" in post["text"]
        assert "Reports on earlier commitments" in post_text(post)
        (mail,) = desk.mailbox.messages
        assert "Reports on earlier commitments" in mail.get_body(("plain",)).get_content()

        edited = page_html("ustr_fact_sheet.html")
        edited = edited.replace("$82 million", "$90 million").replace(
            "$250 million", "$275 million"
        )
        desk.site.pages["/fs-2023"] = edited
        capsys.readouterr()
        assert desk.check("--json") == 0
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert sorted(e["type"] for e in lines) == [
            "commitment_changed",
            "commitment_changed",
            "document_changed",
        ]  # one event per fact in --json
        assert (len(desk.slack.posts), len(desk.mailbox.messages)) == (2, 2)
        change = post_text(desk.slack.posts[1])
        assert "$90 million" in change
        assert "$275 million" in change
        assert desk.check() == 0
    assert (len(desk.slack.posts), len(desk.mailbox.messages)) == (2, 2)
