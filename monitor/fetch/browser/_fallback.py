"""The browser as a fetch mode: the plain fetch asks first, the browser renders when needed.

A source with ``fetch = "auto"`` is rendered in the browser only when the plain answer is a
soft failure: a challenge or placeholder page, an article without main text (or whose
``content_selector`` matches nothing), an index page without links (a script-only shell), or
a 403 (bot detection). With ``fetch = "browser"`` every page that answers with a body is
rendered. Either way the plain fetch keeps its conditional GET: a 304 (or a 404/410) is the
answer, and the browser is not started. Feeds, sitemaps and JSON are never rendered.
"""

from __future__ import annotations

from dataclasses import replace

from monitor.config import SourceConfig
from monitor.errors import BrowserUnavailable, ExtractError
from monitor.fetch.browser._pool import PassBrowser
from monitor.fetch.browser._render import Wanted
from monitor.fetch.client import HTML_TYPES, Fetches, UrlGuard
from monitor.identity.urls import LinkPolicy
from monitor.models import ExtractHint, FetchResult, FetchStatus, Validators
from monitor.text.article import decode_html, page_of, parse_html, reject_soft_failure

BOT_DETECTION_STATUS = 403


class BrowserFallback:
    """One source's fetcher: ``Fetches`` over the pass's fetcher and its browser."""

    def __init__(
        self, plain: Fetches, browser: PassBrowser, source: SourceConfig, policy: LinkPolicy
    ) -> None:
        self.plain, self.browser, self.source, self.policy = plain, browser, source, policy

    async def fetch(
        self,
        url: str,
        validators: Validators | None = None,
        accept: tuple[str, ...] = HTML_TYPES,
        guard: UrlGuard | None = None,
        extract: ExtractHint | None = None,
        source: str = "",
    ) -> FetchResult:
        result = await self.plain.fetch(url, validators, accept, guard, extract, source)
        if not set(accept) & set(HTML_TYPES):
            return result  # a feed or an API: nothing for a browser to render
        wanted = Wanted(extract is not None, self.source.content_selector, _items_of(self.source))
        result, why = self._needs_browser(result, wanted)
        if why is None:
            return result
        try:
            rendered = await self.browser.render(self.source, self.policy, url, wanted)
        except BrowserUnavailable as exc:
            reason = f"{why}; the browser could not be used: {exc}"
            return FetchResult(
                url, FetchStatus.ERROR, result.final_url, result.status_code, reason=reason
            )
        if rendered.status is FetchStatus.ERROR:
            reason = f"{why}; in the browser: {rendered.reason}"
            return replace(rendered, reason=reason)
        return rendered

    def _needs_browser(self, result: FetchResult, wanted: Wanted) -> tuple[FetchResult, str | None]:
        """The plain result (with its page, when extracted here) and why to render, or None."""
        if result.status_code == BOT_DETECTION_STATUS and not result.has_body:
            return result, f"HTTP {BOT_DETECTION_STATUS} (bot detection?)"
        if not result.has_body:
            return result, None  # 304, 404/410, refused, 5xx: the browser cannot do better
        if self.source.fetch == "browser":
            return result, 'the source says fetch = "browser"'
        return soft_failure(result, wanted)

    async def aclose(self) -> None:
        """The pass closes the plain fetcher and the browser; this wrapper holds nothing."""


def soft_failure(result: FetchResult, wanted: Wanted) -> tuple[FetchResult, str | None]:
    """Whether a plain answer with a body is a soft failure, and which."""
    if wanted.document:
        try:
            page = page_of(result, wanted.content_selector)
        except ExtractError as exc:
            return result, str(exc)
        return replace(result, page=page), None  # extracted once: check_document reuses it
    try:
        tree = parse_html(decode_html(result.body, result.encoding))  # too deep: fails here
        reject_soft_failure(tree)
    except ExtractError as exc:
        return result, str(exc)
    if not tree.css_first(wanted.item_selector or "a[href]"):
        return result, "no links on the page (built by scripts?)"
    return result, None


def _items_of(source: SourceConfig) -> str | None:
    return source.item_selector if source.kind == "listing" else None
