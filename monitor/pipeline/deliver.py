"""The outbox: send pending deliveries, once each, and schedule retries for failures."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor.errors import NotifyError, PermanentNotifyError
from monitor.models import Event
from monitor.pipeline.events import from_record
from notifiers.base import Notifier
from notifiers.grouping import combine, in_messages
from notifiers.retry import RetryPolicy
from store.repo import Store
from store.tables import Delivery

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=5)  # a sender that dies mid-send frees its rows after this
ONE_TRY = RetryPolicy()


@dataclass
class DeliveryReport:
    sent: int = 0  # events delivered
    messages: int = 0  # messages they went out in (one per document, or a digest)
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def deliver_pending(
    store: Store,
    notifiers: Sequence[Notifier],
    now: datetime,
    digest_threshold: int = 10,
    policy: RetryPolicy = ONE_TRY,
) -> DeliveryReport:
    """Send what is due on every channel; one failing channel never blocks another.

    ``policy`` says how often a failure is retried at once and how long the outbox then waits
    (notifiers/retry.py); the default tries once.
    """
    report = DeliveryReport()
    for notifier in notifiers:
        _deliver_channel(store, notifier, now, digest_threshold, report, policy)
    return report


def _deliver_channel(
    store: Store,
    notifier: Notifier,
    now: datetime,
    digest_threshold: int,
    report: DeliveryReport,
    policy: RetryPolicy,
) -> None:
    """One channel's due alerts: one message per document, or one digest above the threshold.

    A document's events (a new fact sheet and the commitments it reports on; a change and its
    commitment changes) make one message (``notifiers.grouping``); events stay one per fact in
    the store. After a failure worth retrying (the channel is down or rate-limited) the rest
    wait for the same retry time instead of each waiting out its own timeout: a check never
    hangs on Slack.
    """
    due = store.claim_deliveries(now, [notifier.channel], CLAIM_LEASE, policy.horizon)
    if not due:
        return
    records = store.event_records([delivery.event_id for delivery in due])
    groups = in_messages(
        [(d, from_record(records[d.event_id]), records[d.event_id].document_id) for d in due]
    )
    digest = len(groups) > digest_threshold
    # A message is one or more documents' groups: one each, or all of them in a digest.
    messages = [groups] if digest else [[group] for group in groups]
    for index, message in enumerate(messages):
        retry_at = _send(store, notifier, message, now, report, policy, digest=digest)
        if retry_at is not None:
            rest = [
                d.id
                for later in messages[index + 1 :]
                for group in later
                for d, _ in group
                if d.id is not None
            ]
            if rest:
                store.postpone_deliveries(rest, retry_at)
                report.retrying += len(rest)
                report.errors.append(f"{notifier.channel}: {len(rest)} more wait for that retry")
            return


def _send(
    store: Store,
    notifier: Notifier,
    message: list[list[tuple[Delivery, Event]]],
    now: datetime,
    report: DeliveryReport,
    policy: RetryPolicy,
    *,
    digest: bool,
) -> datetime | None:
    """Send one message; return when to try again if it failed in a way worth retrying."""
    batch = [item for group in message for item in group]
    ids = [delivery.id for delivery, _ in batch if delivery.id is not None]
    attempts = batch[0][0].attempts
    alerts = [combine([event for _, event in group]) for group in message]
    try:
        if digest:
            policy.send(lambda: notifier.send_digest(alerts))
        else:
            policy.send(lambda: notifier.send(alerts[0]))
    except PermanentNotifyError as exc:
        store.mark_failed(ids, now, str(exc), retry_in=None)
        report.failed += len(ids)
        report.errors.append(f"{notifier.channel}: {exc} (gave up)")
    except NotifyError as exc:
        retry_in = policy.deferral(attempts, exc.retry_after)
        store.mark_failed(ids, now, str(exc), retry_in=retry_in)
        report.retrying += len(ids)
        report.errors.append(f"{notifier.channel}: {exc} (will retry)")
        return now + retry_in
    except Exception as exc:  # the per-channel boundary: a bug in one channel spares the others
        log.exception("channel %s: unexpected error", notifier.channel)
        store.mark_failed(ids, now, repr(exc), retry_in=policy.deferral(attempts, None))
        report.retrying += len(ids)
        report.errors.append(f"{notifier.channel}: {exc!r} (will retry)")
    else:
        store.mark_sent(ids, now)  # every event of the message at once: never sent twice
        report.sent += len(ids)
        report.messages += 1
    return None
