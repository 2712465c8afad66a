"""Slack through the real slack-sdk client against a local fake Slack API and webhook."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest

from monitor.errors import ConfigError, NotifyError, PermanentNotifyError
from monitor.models import Event, Routed
from monitor.pipeline.deliver import deliver_pending
from notifiers import build_notifiers
from store.repo import Store
from tests.conftest import Clock, make_settings
from tests.fakeslack import FakeSlack, Scripted
from tests.service_process import free_port

TOKEN = "xoxb-test-secret-token-123"
HOOK_SECRET = "T000/B000/hooksecretXYZ"


@pytest.fixture
def slack() -> Iterator[tuple[FakeSlack, str]]:
    fake = FakeSlack()
    with fake.serve() as base:
        yield fake, base


def bot_env(base: str) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": f"{base}/api/"}


def settings(**slack: object):  # type: ignore[no-untyped-def]
    return make_settings(notify={"slack": {"channel": "#hled-alerts", **slack}})


def event(clock: Clock, event_id: str = "e1", **payload: object) -> Event:
    title = str(payload.pop("title", "FACT SHEET: 2023 HLED"))
    return Event(event_id, str(payload.pop("type", "document_changed")), "ustr", "USTR",
                 "https://ustr.gov/fs", title, clock(), payload)  # fmt: skip


CHANGE = {"words": [["=", "EPA will invest"], ["-", "$474"], ["+", "$520"], ["=", "million."]]}


def test_posts_blocks_and_a_fallback_to_the_channel(
    slack: tuple[FakeSlack, str], clock: Clock
) -> None:
    fake, base = slack
    (notifier,) = build_notifiers(settings(), bot_env(base))
    assert notifier.channel == "slack:#hled-alerts"
    notifier.send(event(clock, doc_type="fact sheet", published="2023-09-29", changes=[CHANGE]))
    (post,) = fake.posts
    assert post["channel"] == "#hled-alerts"
    assert fake.tokens == [f"Bearer {TOKEN}"]
    assert "HLED document changed: FACT SHEET: 2023 HLED" in post["text"]
    blob = str(post["blocks"])
    assert "~$474~ *$520*" in blob
    assert "<https://ustr.gov/fs|FACT SHEET: 2023 HLED>" in blob
    assert "*Agency:* USTR" in blob
    assert "2023-09-29" in blob


def test_page_text_cannot_mention_or_disguise_links(
    slack: tuple[FakeSlack, str], clock: Clock
) -> None:
    fake, base = slack
    (notifier,) = build_notifiers(settings(), bot_env(base))
    evil = "<!channel> see <https://evil.example|click> & more"
    notifier.send(event(clock, title=evil, type="new_document", opening=evil))
    blob = str(fake.posts[0]["blocks"]) + fake.posts[0]["text"]  # blocks and the fallback
    assert "<!channel>" not in blob
    assert "<https://evil.example|click>" not in blob
    assert "&lt;!channel&gt; see &lt;https://evil.example|click&gt; &amp; more" in blob


def test_long_alerts_are_trimmed_to_slack_limits(
    slack: tuple[FakeSlack, str], clock: Clock
) -> None:
    fake, base = slack
    (notifier,) = build_notifiers(settings(), bot_env(base))
    changes = [{"words": [["-", "old " * 100], ["+", f"new {i} " * 100]]} for i in range(400)]
    notifier.send(event(clock, changes=changes))
    blocks = fake.posts[0]["blocks"]
    assert len(blocks) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert "more changes" in str(blocks)


def test_webhook_posts_to_the_hook(slack: tuple[FakeSlack, str], clock: Clock) -> None:
    fake, base = slack
    env = {"SLACK_WEBHOOK_URL": f"{base}/webhook/{HOOK_SECRET}"}
    (notifier,) = build_notifiers(settings(channel=None), env)
    assert notifier.channel == "slack:webhook"
    notifier.send(event(clock, changes=[CHANGE]))
    assert fake.posts[0]["path"] == f"/webhook/{HOOK_SECRET}"
    assert "blocks" in fake.posts[0]


def test_slack_configured_without_a_secret_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN or SLACK_WEBHOOK_URL"):
        build_notifiers(settings(), {})


class TestOutbox:
    """Exactly once: the outbox with a real Slack client and a real store."""

    def deliver(self, store: Store, base: str, clock: Clock):  # type: ignore[no-untyped-def]
        return deliver_pending(store, build_notifiers(settings(), bot_env(base)), clock())

    def record(self, store: Store, clock: Clock, *ids: str) -> None:
        store.record_events(
            [Routed(event(clock, i), ("slack:#hled-alerts",)) for i in ids], clock()
        )

    def test_delivered_once_across_runs_and_restarts(
        self, slack: tuple[FakeSlack, str], sqlite_url: str, clock: Clock
    ) -> None:
        fake, base = slack
        store = Store(sqlite_url)
        self.record(store, clock, "e1")
        assert self.deliver(store, base, clock).sent == 1
        assert self.deliver(store, base, clock).sent == 0
        store.close()
        restarted = Store(sqlite_url)
        self.record(restarted, clock, "e1")  # the same change found again: same id
        assert self.deliver(restarted, base, clock).sent == 0
        assert len(fake.posts) == 1
        restarted.close()

    def test_rate_limit_is_honoured_then_delivered_once(
        self, slack: tuple[FakeSlack, str], store: Store, clock: Clock
    ) -> None:
        fake, base = slack
        fake.fail_next(Scripted(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "120"}))
        self.record(store, clock, "e1")
        report = self.deliver(store, base, clock)
        assert (report.sent, report.retrying) == (0, 1)
        (row,) = store.deliveries("pending")
        assert row.next_attempt_at >= clock() + timedelta(seconds=120)
        clock.advance(seconds=60)
        assert self.deliver(store, base, clock).sent == 0  # not yet due
        clock.advance(seconds=61)
        assert self.deliver(store, base, clock).sent == 1
        assert len(fake.posts) == 1

    def test_a_server_error_is_retried_later(
        self, slack: tuple[FakeSlack, str], store: Store, clock: Clock
    ) -> None:
        fake, base = slack
        fake.fail_next(Scripted(500, "oops"))  # one try per run here (no retries at once)
        self.record(store, clock, "e1")
        assert self.deliver(store, base, clock).retrying == 1
        clock.advance(minutes=5)
        assert self.deliver(store, base, clock).sent == 1
        assert len(fake.attempts) == 2

    def test_invalid_auth_fails_permanently_without_leaking_the_token(
        self,
        slack: tuple[FakeSlack, str],
        store: Store,
        clock: Clock,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        fake, base = slack
        fake.fail_next(Scripted(200, {"ok": False, "error": "invalid_auth"}))
        self.record(store, clock, "e1")
        with caplog.at_level(logging.DEBUG):
            report = self.deliver(store, base, clock)
        assert report.failed == 1
        assert "invalid_auth" in report.errors[0]
        (row,) = store.deliveries("failed")
        assert row.last_error == "slack: invalid_auth"
        clock.advance(days=1)
        assert self.deliver(store, base, clock).sent == 0  # never retried
        assert TOKEN not in caplog.text
        assert all(TOKEN not in error for error in report.errors)


def test_page_text_is_verbatim_and_mentions_are_not_parsed(
    slack: tuple[FakeSlack, str], clock: Clock
) -> None:
    fake, base = slack
    (notifier,) = build_notifiers(settings(), bot_env(base))
    notifier.send(event(clock, title="@channel @here see #general", type="new_document"))
    (post,) = fake.posts
    assert post["link_names"] is False
    assert post["unfurl_links"] is False
    sections = [b["text"] for b in post["blocks"] if b["type"] == "section"]
    assert sections
    assert all(text["verbatim"] is True for text in sections)


def test_a_header_full_of_ampersands_stays_within_150_characters(
    slack: tuple[FakeSlack, str], clock: Clock
) -> None:
    fake, base = slack
    (notifier,) = build_notifiers(settings(), bot_env(base))
    notifier.send(event(clock, title="R&D <&> " * 40))
    header = fake.posts[0]["blocks"][0]["text"]["text"]
    assert len(header) <= 150
    assert header.endswith("…")
    assert "&amp;" in header
    assert "<" not in header


def test_destinations_that_share_a_channel_share_one_name(clock: Clock) -> None:
    both = make_settings(
        notify={
            "slack": [
                {"channel": "#hled", "events": ["source_error"]},
                {"channel": "#hled", "agencies": ["USTR"]},
                {"channel": "#ops"},
            ]
        }
    )
    notifiers = build_notifiers(both, {"SLACK_BOT_TOKEN": TOKEN})
    assert [n.channel for n in notifiers] == ["slack:#hled", "slack:#ops"]
    hled = notifiers[0]
    assert hled.accepts(event(clock, type="new_document"))  # USTR
    state_error = Event("e", "source_error", "s", "State", "u", "t", clock())
    assert hled.accepts(state_error)
    assert not hled.accepts(Event("e", "new_document", "s", "State", "u", "t", clock()))


def test_a_bot_channel_and_the_webhook_side_by_side(
    slack: tuple[FakeSlack, str], clock: Clock
) -> None:
    fake, base = slack
    config = make_settings(notify={"slack": [{"channel": "#ops"}, {"events": ["new_document"]}]})
    env = {**bot_env(base), "SLACK_WEBHOOK_URL": f"{base}/webhook/{HOOK_SECRET}"}
    ops, hook = build_notifiers(config, env)
    assert (ops.channel, hook.channel) == ("slack:#ops", "slack:webhook")
    ops.send(event(clock))
    hook.send(event(clock))
    assert [post["path"] for post in fake.posts] == [
        "/api/chat.postMessage",
        f"/webhook/{HOOK_SECRET}",
    ]


def test_a_channel_less_destination_needs_the_webhook() -> None:
    config = make_settings(notify={"slack": [{"channel": "#ops"}, {}]})
    with pytest.raises(ConfigError, match=r"notify\.slack #2: channel: is required"):
        build_notifiers(config, {"SLACK_BOT_TOKEN": TOKEN})


@pytest.mark.parametrize(
    ("answer", "permanent", "reason"),
    [
        (Scripted(403, "invalid_token"), True, "slack: invalid_token"),
        (Scripted(404, "no_service"), True, "slack: no_service"),
        (Scripted(400, "invalid_payload"), True, "slack: invalid_payload"),
        (Scripted(429, "rate_limited", {"Retry-After": "60"}), False, "slack: rate_limited"),
    ],
)
def test_webhook_errors(
    slack: tuple[FakeSlack, str], clock: Clock, answer: Scripted, permanent: bool, reason: str
) -> None:
    fake, base = slack
    fake.fail_next(answer)
    env = {"SLACK_WEBHOOK_URL": f"{base}/webhook/{HOOK_SECRET}"}
    (notifier,) = build_notifiers(settings(channel=None), env)
    with pytest.raises(NotifyError) as caught:
        notifier.send(event(clock))
    assert str(caught.value) == reason
    assert isinstance(caught.value, PermanentNotifyError) is permanent
    assert HOOK_SECRET not in str(caught.value)
    if not permanent:
        assert caught.value.retry_after == 60


def test_the_webhook_url_never_reaches_the_logs(
    slack: tuple[FakeSlack, str], clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    fake, base = slack
    # slack-sdk logs every request's URL at debug level (the webhook's URL is a secret)
    env = {"SLACK_WEBHOOK_URL": f"{base}/webhook/{HOOK_SECRET}"}
    (notifier,) = build_notifiers(settings(channel=None), env)
    with caplog.at_level(logging.DEBUG):
        notifier.send(event(clock))
    assert len(fake.posts) == 1
    assert "[redacted]" in caplog.text  # slack-sdk did log the request...
    assert HOOK_SECRET not in caplog.text  # ...without the secret


def test_an_unreachable_api_is_retried_without_showing_the_token(
    clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": f"http://127.0.0.1:{port}/api/"}
    (notifier,) = build_notifiers(settings(), env)
    with caplog.at_level(logging.DEBUG), pytest.raises(NotifyError) as caught:
        notifier.send(event(clock))
    # The underlying reason, not the wrapper's class name ("URLError").
    assert str(caught.value) == f"slack: connection refused to 127.0.0.1:{port}"
    assert not isinstance(caught.value, PermanentNotifyError)
    assert "Failed to send a request" in caplog.text
    assert TOKEN not in caplog.text


def test_a_rate_limited_channel_holds_its_other_alerts_until_the_retry(
    slack: tuple[FakeSlack, str], store: Store, clock: Clock
) -> None:
    fake, base = slack
    fake.fail_next(Scripted(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "120"}))
    notifiers = build_notifiers(settings(), bot_env(base))
    store.record_events(
        [Routed(event(clock, i), ("slack:#hled-alerts",)) for i in ("e1", "e2", "e3")], clock()
    )
    report = deliver_pending(store, notifiers, clock())
    assert (report.sent, report.retrying) == (0, 3)
    assert len(fake.attempts) == 1  # the other two were not tried against a limited API
    rows = store.deliveries("pending")
    assert [row.attempts for row in rows] == [1, 0, 0]
    assert all(row.next_attempt_at == clock() + timedelta(seconds=120) for row in rows)
    clock.advance(seconds=121)
    assert deliver_pending(store, notifiers, clock()).sent == 3
    assert len(fake.posts) == 3


def test_commitment_events_say_what_changed(slack: tuple[FakeSlack, str], clock: Clock) -> None:
    fake, base = slack
    (notifier,) = build_notifiers(settings(), bot_env(base))
    item = {"sentence": "EPA and CONAGUA committed to invest $520 million.", "kind": "commitment",
            "deadline": None, "amounts": [{"text": "$520 million"}]}  # fmt: skip
    changes = {"amounts": {"before": ["$474 million"], "after": ["$520 million"]}}
    notifier.send(event(clock, type="commitment_changed", commitment=item, changes=changes))
    blob = str(fake.posts[0]["blocks"])
    assert "Commitment changed" in fake.posts[0]["text"]
    assert "EPA and CONAGUA committed to invest $520 million." in blob
    assert "amounts: ~$474 million~ *$520 million*" in blob
