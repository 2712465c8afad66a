"""Email against a real local SMTP server: headers, both parts, escaping, failures."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace

import pytest

from monitor.config import EmailDestination
from monitor.errors import ConfigError, NotifyError, PermanentNotifyError
from monitor.models import Event, Routed
from monitor.pipeline.deliver import deliver_pending
from notifiers import build_notifiers
from notifiers.smtp import SmtpNotifier, SmtpSettings
from store.repo import Store
from tests.conftest import Clock, make_settings
from tests.fakeslack import FakeSlack, Scripted
from tests.service_process import free_port
from tests.smtpserver import Mailbox, client_tls_context, smtp_server

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
    store.record_events([Routed(event(clock), (channel,))], clock())
    mailbox.answers = ["451 try again later"]
    assert deliver_pending(store, notifiers, clock()).retrying == 1
    clock.advance(minutes=2)
    assert deliver_pending(store, notifiers, clock()).sent == 1
    assert len(mailbox.messages) == 1

    second = Event("e2", "new_document", "ustr", "USTR", "https://ustr.gov/2", "T", clock())
    store.record_events([Routed(second, (channel,))], clock())
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
        slack.fail_next(Scripted(500, "down"))  # one try per run here (no retries at once)
        both = make_settings(
            notify={"email": {"to": TO, "from": "m@example.org"}, "slack": {"channel": "#a"}}
        )
        notifiers = build_notifiers(
            both, {**env, "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_API_URL": f"{base}/api/"}
        )
        channels = [n.channel for n in notifiers]
        store.record_events([Routed(event(clock), tuple(channels))], clock())
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


def test_recipients_are_one_channel_whatever_their_order_or_filters() -> None:
    env = {"SMTP_HOST": "127.0.0.1"}
    two = make_settings(
        notify={
            "email": [
                {"to": ["b@example.org", "a@example.org"], "from": "m@example.org",
                 "events": ["source_error"]},
                {"to": ["a@example.org", "b@example.org"], "from": "m@example.org",
                 "agencies": ["USTR"]},
            ]
        }
    )  # fmt: skip
    (notifier,) = build_notifiers(two, env)
    assert notifier.channel == "email:a@example.org,b@example.org"
    clock = Clock()
    assert notifier.accepts(Event("e", "source_error", "s", "State", "u", "t", clock()))
    assert notifier.accepts(Event("e", "new_document", "s", "USTR", "u", "t", clock()))
    assert not notifier.accepts(Event("e", "new_document", "s", "State", "u", "t", clock()))


def test_the_same_recipients_with_two_senders_is_a_config_error() -> None:
    two = make_settings(
        notify={"email": [{"to": TO, "from": "a@example.org"}, {"to": TO, "from": "b@example.org"}]}
    )
    with pytest.raises(ConfigError, match="different from addresses"):
        build_notifiers(two, {"SMTP_HOST": "127.0.0.1"})


def direct(env: dict[str, str], **changes: object) -> SmtpNotifier:
    """A notifier that trusts the test CA (build_notifiers would use the system's CAs)."""
    server = replace(SmtpSettings.from_env({**env, "SMTP_STARTTLS": "auto"}, "test"), **changes)
    destination = EmailDestination.model_validate({"to": TO, "from": "m@example.org"})
    return SmtpNotifier([destination], server, 8, tls_context=client_tls_context())


def test_starttls_is_used_when_offered_and_login_happens_over_it(clock: Clock) -> None:
    users = {"monitor": "s3cret-smtp-password"}
    with smtp_server(starttls=True, users=users) as (mailbox, env):
        notifier = direct(env, username="monitor", password="s3cret-smtp-password")
        notifier.send(event(clock))
    assert mailbox.over_tls == [True]
    assert mailbox.logins == ["monitor"]


def test_implicit_tls(clock: Clock) -> None:
    with smtp_server(implicit_tls=True) as (mailbox, env):
        direct(env, implicit_tls=True).send(event(clock))
    assert mailbox.over_tls == [True]
    assert SmtpSettings.from_env({"SMTP_HOST": "h", "SMTP_PORT": "465"}, "t").implicit_tls


def test_starttls_required_but_not_offered_is_retried(
    smtp: tuple[Mailbox, dict[str, str]], clock: Clock
) -> None:
    mailbox, env = smtp
    with pytest.raises(NotifyError, match="STARTTLS") as caught:
        direct(env, starttls="true").send(event(clock))
    assert not isinstance(caught.value, PermanentNotifyError)
    assert mailbox.messages == []


def test_a_wrong_password_is_permanent_and_never_shown(
    clock: Clock, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    password = "wrong-password-4711"
    with (
        smtp_server(starttls=True, users={"monitor": "right"}) as (mailbox, env),
        caplog.at_level(logging.DEBUG),
    ):
        notifier = direct(env, username="monitor", password=password)
        with pytest.raises(PermanentNotifyError, match="535") as caught:
            notifier.send(event(clock))
    assert mailbox.messages == []
    captured = capsys.readouterr()
    shown = [str(caught.value), repr(notifier.server), caplog.text, captured.out, captured.err]
    assert all(password not in text for text in shown)


def test_an_unreachable_server_is_retried(clock: Clock) -> None:
    port = free_port()
    env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port)}  # nothing listens there
    (notifier,) = build_notifiers(settings(), env)
    with pytest.raises(NotifyError) as caught:
        notifier.send(event(clock))
    assert str(caught.value) == f"smtp: connection refused to 127.0.0.1:{port}"
    assert not isinstance(caught.value, PermanentNotifyError)


def test_commitments_and_their_changes_in_both_parts(
    smtp: tuple[Mailbox, dict[str, str]], clock: Clock
) -> None:
    mailbox, env = smtp
    (notifier,) = build_notifiers(settings(), env)
    change = {
        "type": "commitment_changed",
        "before": {"sentence": "EPA will invest $474 million.", "amounts": ["$474 million"]},
        "after": {"sentence": "EPA will invest $520 million.", "amounts": ["$520 million"]},
    }
    notifier.send(event(clock, commitment_changes=[change]))
    text = mailbox.messages[0].get_body(("plain",)).get_content()
    html = mailbox.messages[0].get_body(("html",)).get_content()
    assert "amounts: [-$474 million-] -> {+$520 million+}" in text
    assert "$474 million</del>" in html
    assert "$520 million</ins>" in html


def test_a_non_web_url_is_never_a_link(smtp: tuple[Mailbox, dict[str, str]], clock: Clock) -> None:
    mailbox, env = smtp
    (notifier,) = build_notifiers(settings(), env)
    notifier.send(replace(event(clock), url="javascript:alert(1)"))
    assert "href" not in mailbox.messages[0].get_body(("html",)).get_content()
