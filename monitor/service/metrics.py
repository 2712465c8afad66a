"""Prometheus metrics of the service, and the state /healthz reports."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics

from monitor.errors import StoreError
from monitor.pipeline.check import PassResult
from monitor.pipeline.deliver import DeliveryReport

CRASHED = "crashed"  # the outcome of a check that raised instead of finishing


def is_store_failure(exc: BaseException) -> bool:
    """Whether a crash says the database cannot be written (disk full, read-only, gone).

    An integrity or data error is about one row, not the store, and counts as a plain crash.
    """
    if isinstance(exc, sa.exc.IntegrityError | sa.exc.DataError):
        return False
    return isinstance(exc, StoreError | sa.exc.DBAPIError)


class Metrics:
    """Everything /metrics shows; one registry per service so tests stay independent."""

    def __init__(self) -> None:
        disable_created_metrics()  # type: ignore[no-untyped-call]  # *_created series add nothing
        self.registry = CollectorRegistry()
        self.checks = Counter(
            "hled_checks", "Source checks, by outcome (ok, baseline, error, crashed)",
            ["source", "outcome"], registry=self.registry,
        )  # fmt: skip
        self.failures = Counter(
            "hled_check_failures", "Failed source checks", ["source"], registry=self.registry
        )
        self.check_seconds = Histogram(
            "hled_check_duration_seconds", "Wall time of one source check, fetches included",
            ["source"], registry=self.registry,
        )  # fmt: skip
        self.events = Counter("hled_events", "Events recorded, by type", ["type"],
                              registry=self.registry)  # fmt: skip
        self.deliveries = Counter(
            "hled_deliveries", "Delivery attempts, by outcome (sent, retrying, failed)",
            ["outcome"], registry=self.registry,
        )  # fmt: skip
        self.challenges = Counter(
            "hled_challenges", "Bot checks and 403s instead of a page, by host", ["host"],
            registry=self.registry,
        )  # fmt: skip
        self.pending = Gauge(
            "hled_deliveries_pending", "Alerts waiting to be delivered", registry=self.registry
        )

    def record_pass(self, result: PassResult) -> None:
        for report in result.reports:
            self.checks.labels(report.name, report.status).inc()
            if report.errors:
                self.failures.labels(report.name).inc()
            self.check_seconds.labels(report.name).observe(report.elapsed)
            for host, count in report.challenges.items():
                self.challenges.labels(host).inc(count)
        for event in result.events:
            self.events.labels(event.type).inc()

    def record_crash(self, source: str) -> None:
        """A check that crashed is a failed check, counted at once."""
        self.checks.labels(source, CRASHED).inc()
        self.failures.labels(source).inc()

    def record_delivery(self, report: DeliveryReport, pending: int) -> None:
        self.deliveries.labels("sent").inc(report.sent)
        self.deliveries.labels("retrying").inc(report.retrying)
        self.deliveries.labels("failed").inc(report.failed)
        self.pending.set(pending)


@dataclass
class Health:
    """What /healthz answers; written by the scheduler, read by the HTTP thread."""

    stale_after: timedelta
    running: bool = False
    last_pass_at: datetime | None = None
    failing: dict[str, str] = field(default_factory=dict)
    challenged: dict[str, int] = field(default_factory=dict)  # host -> challenges since start
    pending_deliveries: int = 0
    store_error: str | None = None  # the last check could not write the store: unhealthy
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record_pass(self, result: PassResult, now: datetime) -> None:
        with self._lock:
            self.last_pass_at = now
            self.store_error = None  # the pass was written
            for report in result.reports:
                if report.errors:
                    self.failing[report.name] = "; ".join(report.errors)[:300]
                else:
                    self.failing.pop(report.name, None)
                for host, count in report.challenges.items():
                    self.challenged[host] = self.challenged.get(host, 0) + count

    def record_crash(self, source: str, error: str, store_failed: bool) -> None:
        """A crashed check: its source is failing; a store that cannot be written, unhealthy."""
        with self._lock:
            self.failing[source] = error[:300]
            if store_failed:
                self.store_error = error[:300]

    def snapshot(self, now: datetime) -> tuple[bool, dict[str, Any]]:
        with self._lock:
            fresh = self.last_pass_at is not None and now - self.last_pass_at <= self.stale_after
            healthy = self.running and fresh and self.store_error is None
            body = {
                "status": "ok" if healthy else "unhealthy",
                "scheduler_running": self.running,
                "last_pass_at": self.last_pass_at.isoformat() if self.last_pass_at else None,
                "failing_sources": dict(self.failing),
                "challenged_hosts": dict(self.challenged),
                "pending_deliveries": self.pending_deliveries,
                "store_error": self.store_error,
            }
        return healthy, body
