"""Email against a real local SMTP server: headers, both parts, escaping, failures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from monitor.deliver import deliver_pending
from monitor.errors import ConfigError
from monitor.models import Event
from notifiers import build_notifiers
from store.repo import Store
from tests.conftest import Clock, make_settings
from tests.fakeslack import FakeSlack, Scripted
from tests.smtpserver import Mailbox, smtp_server

TO = ["analyst@example.org", "desk@example.org"]


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, dict[str, str]]]:
    with smtp_server() as server:
        yield server


def settings(**extra: object):  # type: ignore[no-untyped-def]
    return make_settings(notify={"email": {"to": TO, "from": "hled-monitor@example.org"}, **extra})


def event(clock: Clock, title: str = "FACT SHEET: 2023 HLED", **payload: object) -> Event:
    return Event("e1", "document_changed", "ustr", "USTR", "https://ustr.gov/fs", title,
                 clock(), {"doc_type": "fact sheet", **payload})  # fmt: skip


CHANGE = {"words": [["=", "EPA will invest"], ["-", "$474"], ["+", "$520"], ["=", "million."]]}


def test_multipart_message_with_a_coloured_diff(
    smtp: tuple[Mailbox, dict[str, str]], clock: Clock
) -> None:
    mailbox, env = smtp
    (notifier,) = build_notifiers(settings(), env)
    assert notifier.channel == "email:analyst@example.org,desk@example.org"
    notifier.send(event(clock, changes=[CHANGE]))
    (message,) = mailbox.messages
    assert message["Subject"] == "[HLED] HLED document changed: FACT SHEET: 2023 HLED"
    assert message["From"] == "hled-monitor@example.org"
    assert mailbox.envelopes == [("hled-monitor@example.org", TO)]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "[-$474-] {+$520+}" in text
    assert "https://ustr.gov/fs" in text
    assert "<del" in html
    assert "$474</del>" in html
    assert "<ins" in html
    assert "$520</ins>" in html


def test_page_text_cannot_inject_headers_or_html(
    smtp: tuple[Mailbox, dict[str, str]], clock: Clock
) -> None:
    mailbox, env = smtp
    (notifier,) = build_notifiers(settings(), env)
    title = "Readout\r\nBcc: victim@evil.example\r\n\r\n<script>alert(1)</script>"
    notifier.send(event(clock, title=title, changes=[{"words": [["+", "<img src=x onerror=y>"]]}]))
    (message,) = mailbox.messages
    assert message["Bcc"] is None
    assert "\n" not in message["Subject"]
    assert "\r" not in message["Subject"]
    assert mailbox.envelopes[0][1] == TO
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html


def test_smtp_5xx_is_permanent_and_4xx_is_retried(
    smtp: tuple[Mailbox, dict[str, str]], store: Store, clock: Clock
) -> None:
    mailbox, env = smtp
    notifiers = build_notifiers(settings(), env)
    channel = notifiers[0].channel
    store.record_events([event(clock)], clock(), lambda e: [channel])
    mailbox.answers = ["451 try again later"]
    assert deliver_pending(store, notifiers, clock()).retrying == 1
    clock.advance(minutes=2)
    assert deliver_pending(store, notifiers, clock()).sent == 1
    assert len(mailbox.messages) == 1

    second = Event("e2", "new_document", "ustr", "USTR", "https://ustr.gov/2", "T", clock())
    store.record_events([second], clock(), lambda e: [channel])
    mailbox.answers = ["550 mailbox unavailable"]
    report = deliver_pending(store, notifiers, clock())
    assert report.failed == 1
    assert "550" in report.errors[0]


def test_one_channel_down_never_blocks_another(
    smtp: tuple[Mailbox, dict[str, str]], store: Store, clock: Clock
) -> None:
    mailbox, env = smtp
    slack = FakeSlack()
    with slack.serve() as base:
        slack.fail_next(Scripted(500, "down"), Scripted(500, "down"))  # one inline retry
        both = make_settings(
            notify={"email": {"to": TO, "from": "m@example.org"}, "slack": {"channel": "#a"}}
        )
        notifiers = build_notifiers(
            both, {**env, "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": f"{base}/api/"}
        )
        channels = [n.channel for n in notifiers]
        store.record_events([event(clock)], clock(), lambda e: channels)
        report = deliver_pending(store, notifiers, clock())
        assert (report.sent, report.retrying) == (1, 1)
        assert len(mailbox.messages) == 1
        clock.advance(minutes=5)
        assert deliver_pending(store, notifiers, clock()).sent == 1
    assert len(slack.posts) == 1
    assert len(mailbox.messages) == 1  # the email was not sent again


def test_email_without_smtp_host_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="SMTP_HOST"):
        build_notifiers(settings(), {})


def test_destination_filters_by_event_type_and_agency(
    smtp: tuple[Mailbox, dict[str, str]], clock: Clock
) -> None:
    _, env = smtp
    ops = make_settings(
        notify={
            "email": {
                "to": ["ops@example.org"],
                "from": "m@example.org",
                "events": ["source_error"],
                "agencies": ["USTR"],
            }
        }
    )
    (notifier,) = build_notifiers(ops, env)
    assert not notifier.accepts(event(clock))
    error = Event("e3", "source_error", "ustr", "USTR", "https://ustr.gov", "ustr", clock())
    assert notifier.accepts(error)
    assert not notifier.accepts(Event("e4", "source_error", "s", "State", "u", "t", clock()))
