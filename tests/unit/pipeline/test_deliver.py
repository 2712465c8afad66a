"""The outbox, driven directly: each event to each channel once, digests, retries, failures."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from monitor.cli import _channel_selector
from monitor.errors import NotifyError, PermanentNotifyError
from monitor.models import Event
from monitor.pipeline.context import route
from monitor.pipeline.deliver import deliver_pending
from notifiers import MemoryNotifier, build_notifiers
from notifiers.retry import RetryPolicy
from store.repo import Store
from tests.conftest import Clock, make_settings


def events(clock: Clock, *ids: str) -> list[Event]:
    return [
        Event(i, "new_document", "ustr", "USTR", f"https://ustr.gov/{i}", i, clock()) for i in ids
    ]


def record(store: Store, clock: Clock, *ids: str, channels: tuple[str, ...] = ("memory",)) -> None:
    store.record_events(route(events(clock, *ids), lambda e: channels), clock())


class Broken(MemoryNotifier):
    def send(self, event: Event) -> None:
        raise KeyError("a bug in this channel")


def test_each_event_is_sent_once_across_passes_and_restarts(any_store: Store, clock: Clock) -> None:
    memory = MemoryNotifier()
    record(any_store, clock, "a", "b")
    assert deliver_pending(any_store, [memory], clock()).sent == 2
    assert deliver_pending(any_store, [memory], clock()).sent == 0
    record(any_store, clock, "a", "b")  # the same changes found again
    clock.advance(days=1)
    assert deliver_pending(any_store, [memory], clock()).sent == 0
    assert [e.id for e in memory.sent] == ["a", "b"]


def test_a_restart_sends_what_the_last_run_could_not(sqlite_url: str, clock: Clock) -> None:
    first = Store(sqlite_url)
    record(first, clock, "a")
    down = MemoryNotifier(fail_with=NotifyError("slack: internal_error"))
    assert deliver_pending(first, [down], clock()).retrying == 1
    first.close()
    clock.advance(minutes=2)
    again, memory = Store(sqlite_url), MemoryNotifier()
    assert deliver_pending(again, [memory], clock()).sent == 1
    assert deliver_pending(again, [memory], clock()).sent == 0
    assert [e.id for e in memory.sent] == ["a"]
    (row,) = again.deliveries("sent")
    assert row.attempts == 2
    again.close()


def test_more_than_the_threshold_goes_as_one_digest_per_channel(store: Store, clock: Clock) -> None:
    ops, desk = MemoryNotifier("ops"), MemoryNotifier("desk")
    record(store, clock, "a", "b", "c", channels=("ops", "desk"))
    record(store, clock, "d", channels=("desk",))
    report = deliver_pending(store, [ops, desk], clock(), digest_threshold=3)
    assert report.sent == 7
    assert ops.digests == []  # three is not more than three
    assert len(ops.sent) == 3
    assert [[e.id for e in digest] for digest in desk.digests] == [["a", "b", "c", "d"]]


def test_backoff_doubles_and_respects_retry_after(store: Store, clock: Clock) -> None:
    down = MemoryNotifier(fail_with=NotifyError("down"))
    record(store, clock, "a")
    for wait in (1, 2, 4):
        deliver_pending(store, [down], clock())
        (row,) = store.deliveries("pending")
        assert row.next_attempt_at == clock() + timedelta(minutes=wait)
        clock.advance(minutes=wait)
    down.fail_with = NotifyError("limited", retry_after=600)  # more than the backoff's 8 minutes
    deliver_pending(store, [down], clock())
    assert store.deliveries("pending")[0].next_attempt_at == clock() + timedelta(minutes=10)


def test_a_retry_after_is_capped(store: Store, clock: Clock) -> None:
    limited = MemoryNotifier(fail_with=NotifyError("limited", retry_after=100_000))
    record(store, clock, "a")
    deliver_pending(store, [limited], clock())  # the default cap: 15 minutes
    assert store.deliveries("pending")[0].next_attempt_at == clock() + timedelta(minutes=15)
    clock.advance(minutes=15)
    deliver_pending(store, [limited], clock(), policy=RetryPolicy(max_retry_after=7200))
    assert store.deliveries("pending")[0].next_attempt_at == clock() + timedelta(hours=2)


def test_a_permanent_failure_is_recorded_and_never_retried(store: Store, clock: Clock) -> None:
    dead = MemoryNotifier(fail_with=PermanentNotifyError("slack: channel_not_found"))
    record(store, clock, "a", "b")
    report = deliver_pending(store, [dead], clock())
    assert (report.failed, report.sent) == (2, 0)
    assert report.errors[0] == "memory: slack: channel_not_found (gave up)"
    clock.advance(days=2)
    dead.fail_with = None
    assert deliver_pending(store, [dead], clock()).sent == 0
    assert [row.last_error for row in store.deliveries("failed")] == [
        "slack: channel_not_found"
    ] * 2


def test_a_bug_in_one_channel_spares_the_others(
    store: Store, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    broken, fine = Broken("broken"), MemoryNotifier("fine")
    record(store, clock, "a", channels=("broken", "fine"))
    with caplog.at_level(logging.ERROR):
        report = deliver_pending(store, [broken, fine], clock())
    assert (report.sent, report.retrying) == (1, 1)
    assert [e.id for e in fine.sent] == ["a"]
    assert "channel broken: unexpected error" in caplog.text


def test_filters_choose_the_channels_and_a_shared_channel_gets_one_row(
    store: Store, clock: Clock
) -> None:
    config = make_settings(
        notify={
            "slack": [
                {"channel": "#ops", "events": ["source_error"]},
                {"channel": "#hled", "agencies": ["USTR"]},
                {"channel": "#hled", "events": ["new_document"]},
            ]
        }
    )
    notifiers = build_notifiers(config, {"SLACK_BOT_TOKEN": "xoxb-1"})
    store.record_events(
        route(events(clock, "a"), _channel_selector(notifiers, enabled=True)), clock()
    )
    assert [row.channel for row in store.deliveries()] == ["slack:#hled"]
