"""`python -m monitor run`: one APScheduler job per source, the outbox on its own schedule.

Jobs never overlap for one source (max_instances=1), missed runs are coalesced, and the first
pass runs at start-up. SIGTERM/SIGINT stop new work, let in-flight checks finish within
``[service] shutdown_grace``, flush due alerts and exit 0; a second signal exits at once.
SIGHUP re-reads the configuration, keeping the old one when the new one is broken.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import httpx
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from monitor.check import Clock, run_check, utc_now
from monitor.config import Settings, SourceConfig, load_settings
from monitor.deliver import deliver_pending
from monitor.errors import ConfigError
from monitor.logs import STARTUP_LOGGER
from monitor.models import Event
from monitor.service.http import health_routes
from monitor.service.metrics import Health, Metrics
from monitor.service.view import service_server
from notifiers import Notifier, build_notifiers
from store.locks import source_lock
from store.repo import Store

log = logging.getLogger(__name__)

DELIVERY_JOB = "deliveries"
MAX_JITTER = 300.0


def stale_after(settings: Settings) -> timedelta:
    if settings.service.stale_after is not None:
        return timedelta(seconds=settings.service.stale_after)
    longest = max((s.interval for s in settings.sources if s.enabled), default=3600.0)
    return timedelta(seconds=2 * longest + 300)


class Service:
    def __init__(
        self,
        config_path: str,
        settings: Settings,
        store: Store,
        env: Mapping[str, str],
        *,
        now: Clock = utc_now,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.config_path, self.settings, self.store, self.env = config_path, settings, store, env
        self.now, self.transport = now, transport
        self.notifiers: list[Notifier] = build_notifiers(settings, env)
        self.metrics = Metrics()
        self.health = Health(stale_after(settings))
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self._stopping = asyncio.Event()
        self._signals = 0
        self._running: set[asyncio.Task[None]] = set()
        self.pass_done = asyncio.Event()  # set after every finished check: tests wait on it
        listen = env.get("MONITOR_LISTEN") or settings.service.listen
        routes = health_routes(self.health, self.metrics, now)
        self.http = service_server(listen, lambda: self.settings, env, routes, self._next_run)

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self._on_stop_signal)
        loop.add_signal_handler(signal.SIGHUP, self.reload)
        self._schedule_sources(self.settings.sources)
        self.scheduler.add_job(
            self._deliver,
            IntervalTrigger(seconds=self.settings.service.delivery_interval),
            id=DELIVERY_JOB,
            max_instances=1,
            coalesce=True,
        )
        self.http.start()
        self.scheduler.start()
        self.health.running = True
        # The one line `run` prints at the default level (monitor.logs lets this logger through).
        logging.getLogger(STARTUP_LOGGER).info(
            "service started: %d source%s, web view and health at http://%s/",
            len(self.settings.sources),
            "" if len(self.settings.sources) == 1 else "s",
            self.http.address,
        )
        await self._stopping.wait()
        await self._shutdown()
        return 0

    # -- jobs ------------------------------------------------------------------------------------

    def _schedule_sources(self, sources: tuple[SourceConfig, ...], first_run: bool = True) -> None:
        for source in sources:
            if not source.enabled:
                continue
            self.scheduler.add_job(
                self._check,
                IntervalTrigger(
                    seconds=source.interval, jitter=min(source.interval * 0.1, MAX_JITTER)
                ),
                args=[source.name],
                id=f"source:{source.name}",
                max_instances=1,
                coalesce=True,
                next_run_time=datetime.now(UTC) if first_run else None,
                replace_existing=True,
            )

    async def _check(self, name: str) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await self._check_unguarded(name)
        except Exception:  # the per-source boundary: the scheduler must keep running
            log.exception("source %s: check crashed", name)
        finally:
            if task is not None:
                self._running.discard(task)

    async def _check_unguarded(self, name: str) -> None:
        if self._stopping.is_set():
            return
        with source_lock(self.store.engine, name) as mine:
            if not mine or self._checked_elsewhere(name):
                return  # another replica has it, or just had it
            result = await run_check(
                self.settings,
                self.store,
                source_names=[name],
                now=self.now,
                channels=self._channels,
                transport=self.transport,
            )
        self.metrics.record_pass(result)
        self.health.record_pass(result, self.now())
        self.pass_done.set()
        for report in result.reports:
            fields = {
                "source": report.name,
                "status": report.status,
                "documents": report.documents,
                "new": report.new,
                "changed": report.changed,
                "seconds": round(report.elapsed, 3),
                "errors": report.errors,
            }
            log.info("check %s: %s", report.name, report.status, extra=fields)
        if result.events:
            await self._deliver()

    def _checked_elsewhere(self, name: str) -> bool:
        """A replica checked this source moments ago: don't check it twice per interval."""
        last = self.store.source_state(name).last_checked_at
        interval = self.settings.source(name).interval
        return last is not None and self.now() - last < timedelta(seconds=interval / 2)

    def _next_run(self, name: str) -> datetime | None:
        """When the scheduler will check this source next (the view's sources page asks)."""
        job = self.scheduler.get_job(f"source:{name}")
        return job.next_run_time if job is not None else None

    def _channels(self, event: Event) -> list[str]:
        return [n.channel for n in self.notifiers if n.accepts(event)]

    async def _deliver(self) -> None:
        report = await asyncio.to_thread(
            deliver_pending,
            self.store,
            self.notifiers,
            self.now(),
            self.settings.notify.digest_threshold,
        )
        pending = self.store.pending_count()
        self.metrics.record_delivery(report, pending)
        self.health.pending_deliveries = pending
        for error in report.errors:
            log.warning("delivery: %s", error)

    # -- signals ---------------------------------------------------------------------------------

    def _on_stop_signal(self) -> None:
        self._signals += 1
        if self._signals > 1:
            log.warning("second signal: exiting now")
            os._exit(1)
        log.info("stopping: finishing in-flight checks")
        self._stopping.set()

    def reload(self) -> None:
        try:
            settings = load_settings(self.config_path)
        except ConfigError as exc:
            log.error("reload refused, keeping the running configuration: %s", exc)
            return
        old = {f"source:{s.name}" for s in self.settings.sources}
        new = {f"source:{s.name}" for s in settings.sources if s.enabled}
        for job_id in old - new:
            if self.scheduler.get_job(job_id):
                self.scheduler.remove_job(job_id)
        self.settings = settings
        self.notifiers = build_notifiers(settings, self.env)
        self.health.stale_after = stale_after(settings)
        self._schedule_sources(tuple(s for s in settings.sources if f"source:{s.name}" not in old))
        for source in settings.sources:
            if f"source:{source.name}" in old & new:
                self.scheduler.reschedule_job(
                    f"source:{source.name}",
                    trigger=IntervalTrigger(
                        seconds=source.interval, jitter=min(source.interval * 0.1, MAX_JITTER)
                    ),
                )
        log.info("configuration reloaded: %d sources", len(settings.sources))

    async def _shutdown(self) -> None:
        self.scheduler.shutdown(wait=False)
        self.health.running = False
        if self._running:
            await asyncio.wait(set(self._running), timeout=self.settings.service.shutdown_grace)
        await self._deliver()
        self.http.stop()
        log.info("stopped")
