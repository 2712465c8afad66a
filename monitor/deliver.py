"""The outbox: send pending deliveries, once each, and schedule retries for failures."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor.errors import NotifyError, PermanentNotifyError
from monitor.models import Event
from notifiers.base import Notifier
from store.models import Delivery, EventRecord
from store.repo import Store

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
CLAIM_LEASE = timedelta(minutes=5)  # a sender that dies mid-send frees its rows after this
LAST_RETRY = timedelta(hours=1)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def deliver_pending(
    store: Store, notifiers: Sequence[Notifier], now: datetime, digest_threshold: int = 10
) -> DeliveryReport:
    """Send what is due on every channel; one failing channel never blocks another."""
    report = DeliveryReport()
    for notifier in notifiers:
        due = store.claim_deliveries(now, [notifier.channel], CLAIM_LEASE)
        if not due:
            continue
        records = store.event_records([delivery.event_id for delivery in due])
        batch = [(delivery, to_event(records[delivery.event_id])) for delivery in due]
        if len(batch) > digest_threshold:
            _send(store, notifier, batch, now, report, digest=True)
        else:
            for item in batch:
                _send(store, notifier, [item], now, report, digest=False)
    return report


def _send(
    store: Store,
    notifier: Notifier,
    batch: list[tuple[Delivery, Event]],
    now: datetime,
    report: DeliveryReport,
    *,
    digest: bool,
) -> None:
    ids = [delivery.id for delivery, _ in batch if delivery.id is not None]
    try:
        if digest:
            notifier.send_digest([event for _, event in batch])
        else:
            notifier.send(batch[0][1])
    except PermanentNotifyError as exc:
        store.mark_failed(ids, now, str(exc), retry_in=None)
        report.failed += len(ids)
        report.errors.append(f"{notifier.channel}: {exc} (gave up)")
    except NotifyError as exc:
        store.mark_failed(ids, now, str(exc), retry_in=_backoff(batch[0][0], exc.retry_after))
        report.retrying += len(ids)
        report.errors.append(f"{notifier.channel}: {exc} (will retry)")
    except Exception as exc:  # the per-channel boundary: a bug in one channel spares the others
        log.exception("channel %s: unexpected error", notifier.channel)
        store.mark_failed(ids, now, repr(exc), retry_in=_backoff(batch[0][0], None))
        report.retrying += len(ids)
        report.errors.append(f"{notifier.channel}: {exc!r} (will retry)")
    else:
        store.mark_sent(ids, now)
        report.sent += len(ids)


def _backoff(delivery: Delivery, retry_after: float | None) -> timedelta:
    exponential: timedelta = min(FIRST_RETRY * 2**delivery.attempts, LAST_RETRY)
    return max(exponential, timedelta(seconds=retry_after or 0))


def to_event(record: EventRecord) -> Event:
    return Event(
        id=record.id,
        type=record.type,
        source=record.source,
        agency=record.agency,
        url=record.url,
        title=record.title,
        detected_at=record.detected_at,
        payload=dict(record.payload),
    )
