"""`python -m monitor run`: one APScheduler job per source, the outbox on its own schedule.

Jobs never overlap for one source (max_instances=1), missed runs are coalesced, and the first
pass runs at start-up. SIGTERM/SIGINT stop new work, let in-flight checks finish within
``[service] shutdown_grace`` (then cancel them: what they wrote stays written), flush due alerts
and exit 0; a second signal exits at once. SIGHUP re-reads the configuration and builds all of
it (settings, notifiers) before anything is swapped, keeping the old one when the new one is
broken; the scheduler's jobs are then reconciled by id.
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

from monitor.config import Settings, SourceConfig, load_settings
from monitor.errors import ConfigError
from monitor.logs import STARTUP_LOGGER
from monitor.models import Event
from monitor.pipeline.check import Clock, run_check, utc_now
from monitor.pipeline.deliver import deliver_pending
from monitor.service.http import health_routes
from monitor.service.metrics import Health, Metrics, is_store_failure
from monitor.service.webview import service_server
from notifiers import Notifier, build_notifiers
from notifiers.retry import RetryPolicy
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
        self._delivering = asyncio.Lock()  # one outbox run at a time: claims would race
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
            next_run_time=datetime.now(UTC),  # alerts left due by the last run go out at once
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
            if source.enabled:
                self._add_source_job(source, first_run)

    def _add_source_job(self, source: SourceConfig, first_run: bool) -> None:
        self.scheduler.add_job(
            self._check,
            _source_trigger(source),
            args=[source.name],
            id=source_job_id(source.name),
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
        except asyncio.CancelledError:  # the shutdown's grace ran out; what was written stays
            log.warning("source %s: check cancelled: shutdown_grace ran out", name)
        except Exception as exc:  # the per-source boundary: the scheduler must keep running
            self.metrics.record_crash(name)  # before the log line: a reader of it sees both
            self.health.record_crash(name, f"check crashed: {exc!r}", is_store_failure(exc))
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
        job = self.scheduler.get_job(source_job_id(name))
        return job.next_run_time if job is not None else None

    def _channels(self, event: Event) -> list[str]:
        return [n.channel for n in self.notifiers if n.accepts(event)]

    async def _deliver(self) -> None:
        async with self._delivering:
            report = await asyncio.to_thread(
                deliver_pending,
                self.store,
                self.notifiers,
                self.now(),
                self.settings.notify.digest_threshold,
                RetryPolicy.for_runs(self.settings.notify.max_retry_after),
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
        """Re-read the configuration; swap only when all of it was built, then reconcile jobs."""
        try:
            settings = load_settings(self.config_path)
            notifiers = build_notifiers(settings, self.env)
        except ConfigError as exc:
            log.error("reload refused, keeping the running configuration: %s", exc)
            return
        except Exception:  # a channel that cannot be built any other way: keep the old one
            log.exception("reload refused, keeping the running configuration")
            return
        self.settings, self.notifiers = settings, notifiers
        self.health.stale_after = stale_after(settings)
        self._reconcile_jobs(settings)
        log.info("configuration reloaded: %d sources", len(settings.sources))

    def _reconcile_jobs(self, settings: Settings) -> None:
        """Jobs by id: remove what is no longer wanted, add what is new, reschedule changes."""
        wanted = {source_job_id(s.name): s for s in settings.sources if s.enabled}
        jobs = {job.id: job for job in self.scheduler.get_jobs()}
        for job_id in jobs.keys() - wanted.keys() - {DELIVERY_JOB}:
            self.scheduler.remove_job(job_id)
        for job_id, source in wanted.items():
            job = jobs.get(job_id)
            if job is None:
                self._add_source_job(source, first_run=True)  # newly enabled: check it now
            elif job.trigger.interval != timedelta(seconds=source.interval):
                self.scheduler.reschedule_job(job_id, trigger=_source_trigger(source))
        delivery = jobs.get(DELIVERY_JOB)
        every = timedelta(seconds=settings.service.delivery_interval)
        if delivery is not None and delivery.trigger.interval != every:
            self.scheduler.reschedule_job(
                DELIVERY_JOB, trigger=IntervalTrigger(seconds=every.total_seconds())
            )

    async def _shutdown(self) -> None:
        """No new checks; running ones get the grace, then are cancelled; due alerts go out.

        APScheduler's asyncio executor cancels running jobs on shutdown, so the scheduler is
        only paused here and shut down once the checks are over.
        """
        self.scheduler.pause()
        self.health.running = False
        running = set(self._running)
        if running:
            _, late = await asyncio.wait(running, timeout=self.settings.service.shutdown_grace)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)  # their clean-up (the pass's buffered writes) runs
        self.scheduler.shutdown(wait=False)
        await self._deliver()
        self.http.stop()
        log.info("stopped")


def source_job_id(name: str) -> str:
    return f"source:{name}"


def _source_trigger(source: SourceConfig) -> IntervalTrigger:
    return IntervalTrigger(seconds=source.interval, jitter=min(source.interval * 0.1, MAX_JITTER))
