"""Headless Chromium as a fetch mode, for sites that answer plain HTTP clients with challenges.

- ``_launch``: find the system's Chromium and start it through Playwright;
- ``_guard``: the source's link policy at the browser's request interception;
- ``_render``: load one page, wait for its main text, within the deadline and memory limit;
- ``_pool``: the pass's one browser, its concurrency and per-host turns, sessions;
- ``_fallback``: the ``Fetches`` a source with ``fetch = "auto"|"browser"`` uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from monitor.config import Settings, SourceConfig
from monitor.fetch.browser._fallback import BrowserFallback, soft_failure
from monitor.fetch.browser._launch import find_chromium
from monitor.fetch.browser._pool import PassBrowser
from monitor.fetch.browser._render import Wanted
from monitor.identity.urls import LinkPolicy
from monitor.pipeline.context import CheckContext
from store.repo import Store

__all__ = [
    "BrowserFallback",
    "PassBrowser",
    "Wanted",
    "find_chromium",
    "for_source",
    "pass_browser",
    "session_dir_for",
    "soft_failure",
]


def for_source(context: CheckContext, source: SourceConfig, policy: LinkPolicy) -> CheckContext:
    """The context a source is checked with: its fetches go through the browser when asked."""
    if source.fetch == "plain" or context.browser is None:
        return context
    fallback = BrowserFallback(context.fetcher, context.browser, source, policy)
    return replace(context, fetcher=fallback)


def session_dir_for(configured: str | None, sqlite_file: str | None) -> Path:
    """Where sessions are kept: as configured, else beside the SQLite database, else ./data."""
    if configured:
        return Path(configured)
    if sqlite_file and sqlite_file != ":memory:":
        return Path(sqlite_file).parent / "browser-sessions"
    return Path("data") / "browser-sessions"


def pass_browser(
    settings: Settings, store: Store, sources: Iterable[SourceConfig]
) -> PassBrowser | None:
    """The browser for a pass over ``sources``; None when none of them may use one."""
    if all(source.fetch == "plain" for source in sources):
        return None
    url = store.engine.url
    sqlite_file = url.database if url.get_backend_name() == "sqlite" else None
    directory = session_dir_for(settings.browser.session_dir, sqlite_file)
    return PassBrowser(settings.browser, settings.fetch, directory)
