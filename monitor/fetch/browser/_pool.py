"""One headless Chromium per check pass: started on first use, closed with the pass.

It renders at most ``[browser] concurrency`` pages at once and keeps the plain fetches'
politeness per host: ``[fetch] per_host_concurrency`` pages at once, their starts
``per_host_delay`` apart. Each source gets its own browser context
(cookies, storage, cache), thrown away at the end of the pass unless the source has
``session = true``: then its cookies and storage are saved for the next pass.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.config import BrowserConfig, FetchConfig, SourceConfig
from monitor.errors import BrowserUnavailable
from monitor.fetch.browser._guard import guard_context, network_allowlist, refusing_socket
from monitor.fetch.browser._launch import start_browser
from monitor.fetch.browser._render import Limits, Wanted, render
from monitor.identity.urls import LinkPolicy
from monitor.models import FetchResult, FetchStatus

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Playwright, ProxySettings

log = logging.getLogger(__name__)

CLOSE_DEADLINE = 10.0
NO_SHARED_WORKERS = "delete window.SharedWorker;"


@dataclass
class _HostTurn:
    """A host's renders: ``per_host_concurrency`` at once, starting ``per_host_delay`` apart."""

    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


class PassBrowser:
    """The browser of one check pass. Nothing starts until a page needs rendering."""

    def __init__(
        self, config: BrowserConfig, fetch: FetchConfig, session_dir: Path | None = None
    ) -> None:
        self.config = config
        self.limits = Limits(config.timeout, config.max_memory, fetch.max_bytes)
        self._user_agent_suffix = fetch.user_agent
        self._delay = fetch.per_host_delay
        self._per_host = fetch.per_host_concurrency
        self._session_dir = session_dir
        self._slots = asyncio.Semaphore(config.concurrency)
        self._hosts: dict[str, _HostTurn] = {}
        self._starting = asyncio.Lock()
        self._opening = asyncio.Lock()
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._agent = ""
        self._failure: BrowserUnavailable | None = None
        self._contexts: dict[str, BrowserContext] = {}
        self._refused_port: socket.socket | None = None  # the proxy of hosts outside a policy
        self._sessions: dict[str, SourceConfig] = {}
        self.rendered = 0

    async def render(
        self, source: SourceConfig, policy: LinkPolicy, url: str, wanted: Wanted
    ) -> FetchResult:
        """Render ``url`` for ``source``; BrowserUnavailable when there is no browser."""
        context = await self._context(source, policy)
        from playwright.async_api import Error  # importable: the browser started

        host = _host(url)
        if host not in self._hosts:
            self._hosts[host] = _HostTurn(asyncio.Semaphore(self._per_host))
        turn = self._hosts[host]
        async with self._slots, turn.slots:
            async with turn.lock:  # starts are spaced; the renders themselves overlap
                wait = turn.next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                turn.next_start = time.monotonic() + self._delay
            self.rendered += 1
            try:
                return await render(context, url, policy, wanted, self.limits)
            except Error as exc:  # the browser itself failed (crashed, killed): this page only
                reason = f"the browser failed: {str(exc).strip().splitlines()[0]}"
                return FetchResult(url, FetchStatus.ERROR, reason=reason)

    async def _started(self) -> Browser:
        async with self._starting:
            if self._failure is not None:
                raise self._failure  # one failed start per pass, not one per page
            if self._browser is None:
                try:
                    self._playwright, self._browser = await start_browser(self.config)
                    self._agent = await _user_agent(self._browser, self._user_agent_suffix)
                except BrowserUnavailable as exc:
                    self._failure = exc
                    raise
                log.info("browser started: Chromium %s", self._browser.version)
            return self._browser

    async def _context(self, source: SourceConfig, policy: LinkPolicy) -> BrowserContext:
        browser = await self._started()
        async with self._opening:  # a source's documents render concurrently: one context
            if source.name not in self._contexts:
                self._contexts[source.name] = await self._new_context(browser, source, policy)
        return self._contexts[source.name]

    async def _new_context(
        self, browser: Browser, source: SourceConfig, policy: LinkPolicy
    ) -> BrowserContext:
        state = self._session_file(source)
        context = await browser.new_context(
            accept_downloads=False,
            service_workers="block",  # a service worker's requests would escape interception
            user_agent=self._agent,
            storage_state=state if state is not None and state.is_file() else None,
            proxy=self._proxy(policy),
        )
        # WebSockets are not request interception's: none is ever connected. A shared worker
        # would be a target of its own, outside the page's interception.
        await context.route_web_socket(re.compile(".*"), lambda socket: None)
        await context.add_init_script(NO_SHARED_WORKERS)
        await guard_context(context, policy)
        if state is not None:
            self._sessions[source.name] = source
        return context

    def _proxy(self, policy: LinkPolicy) -> ProxySettings | None:
        if any(arg.startswith("--proxy-server") for arg in self.config.args):
            return None  # the configured proxy carries every request; interception still holds
        if self._refused_port is None:  # held from the first context to the pass's end
            self._refused_port = refusing_socket()
        return network_allowlist(policy, self._refused_port.getsockname()[1])

    def _session_file(self, source: SourceConfig) -> Path | None:
        if not source.session or self._session_dir is None:
            return None
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", source.name)
        if safe != source.name:  # "a/b" and "a_b" must not share one source's cookies
            safe += "-" + hashlib.sha256(source.name.encode()).hexdigest()[:12]
        return self._session_dir / f"{safe}.json"

    async def aclose(self) -> None:
        """Save the sessions asked for, then close every context and the browser."""
        try:
            if self._playwright is not None:  # else never started: maybe no Playwright at all
                await self._close_browser()
        finally:
            if self._refused_port is not None:  # released only once no context can use it
                self._refused_port.close()
                self._refused_port = None

    async def _close_browser(self) -> None:
        from playwright.async_api import Error

        try:
            for name, context in self._contexts.items():
                try:  # each context on its own deadline: one stuck page keeps no other session
                    async with asyncio.timeout(CLOSE_DEADLINE):
                        await self._save_session(name, context)
                        await context.close()
                except (Error, TimeoutError) as exc:
                    log.warning("browser context of %s did not close cleanly: %r", name, exc)
            if self._browser is not None:
                async with asyncio.timeout(CLOSE_DEADLINE):
                    await self._browser.close()
        except (Error, TimeoutError) as exc:
            log.warning("browser did not close cleanly: %r", exc)
        finally:
            self._contexts.clear()
            self._browser = None
            if self._playwright is not None:
                await self._playwright.stop()  # ends the driver, and with it any Chromium left
                self._playwright = None

    async def _save_session(self, name: str, context: BrowserContext) -> None:
        source = self._sessions.get(name)
        path = self._session_file(source) if source is not None else None
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)  # cookies are credentials: owner only
        await context.storage_state(path=path)


async def _user_agent(browser: Browser, contact: str) -> str:
    """Chromium's own User-Agent, not flagged "Headless", with the monitor's contact after it."""
    from playwright.async_api import Error

    try:
        page = await browser.new_page()
        try:
            agent = str(await page.evaluate("navigator.userAgent"))
        finally:
            await page.close()
    except Error as exc:
        raise BrowserUnavailable(f"Chromium started but does not answer: {exc}") from None
    return f"{agent.replace('HeadlessChrome', 'Chrome')} {contact}"


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").lower()
