"""Render one page in a browser context: load it, run its scripts, wait for its main text.

The page is read (``page.content()``) a few times a second and handed to the same extraction
as a plain fetch. It is ready when its main text (the source's ``content_selector``, else the
extractor's article text; for an index page, its links) is there and has not changed for
``SETTLE`` seconds, so a page still being built is never recorded half-built. The deadline
covers everything; a page that never settles, over the memory limit, or crashed is abandoned
and reported, never recorded.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from selectolax.lexbor import LexborHTMLParser

from monitor.errors import ExtractError
from monitor.fetch.browser._guard import RequestGuard
from monitor.identity.urls import LinkPolicy
from monitor.models import FetchResult, FetchStatus, Page, Validators
from monitor.text.article import MIN_BODY_CHARS, extract_page, parse_html, reject_soft_failure

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, CDPSession, Response
    from playwright.async_api import Page as BrowserPage

POLL = 0.25  # seconds between looks at the page
SETTLE = 0.75  # seconds the main text must stay the same
CLOSE_DEADLINE = 5.0
PERMANENT_REDIRECTS = (301, 308)
HTML_SIZE = "document.documentElement ? document.documentElement.outerHTML.length : 0"


@dataclass(frozen=True)
class Wanted:
    """What the page must show to count as there."""

    document: bool  # an article (else an index page: links)
    content_selector: str | None = None
    item_selector: str | None = None


@dataclass(frozen=True)
class Limits:
    timeout: float
    max_memory_mb: int
    max_bytes: int


class PageAbandoned(Exception):
    """The page broke a limit or crashed: stop waiting for it."""


@dataclass
class _Watch:
    """What one render has seen so far."""

    page: BrowserPage
    session: CDPSession
    wanted: Wanted
    limits: Limits
    responses: list[Response] = field(default_factory=list)
    crashed: bool = False
    why: str = "nothing rendered yet"
    key: str | None = None
    since: float = 0.0


async def render(
    context: BrowserContext, url: str, policy: LinkPolicy, wanted: Wanted, limits: Limits
) -> FetchResult:
    """The rendered page as a FetchResult (the extracted ``page`` with it), or why not."""
    page = await context.new_page()
    try:
        session = await context.new_cdp_session(page)
        watch = _Watch(page, session, wanted, limits)
        page.on("response", lambda response: _main_response(watch, response))
        page.on("crash", lambda _page: setattr(watch, "crashed", True))
        await RequestGuard(session, policy).start()
        await session.send("Performance.enable")
        try:
            async with asyncio.timeout(limits.timeout):
                return await _load(watch, url)
        except TimeoutError:
            return _failed(url, watch, _timeout_reason(watch, limits.timeout))
        except PageAbandoned as exc:
            return _failed(url, watch, str(exc))
    finally:
        await _close(page)


async def _load(watch: _Watch, url: str) -> FetchResult:
    from playwright.async_api import Error

    try:
        await watch.page.goto(url, wait_until="commit")
    except Error as exc:
        raise PageAbandoned(f"the browser could not load it: {_first_line(exc)}") from None
    final = _final_response(watch)
    if final is not None and final.status in (404, 410):
        return FetchResult(url, FetchStatus.GONE, final.url, final.status, reason=_http(final))
    html, page = await _settle(watch)
    return _result(url, watch, html, page)


async def _settle(watch: _Watch) -> tuple[str, Page | None]:
    """Poll until the main text is there and unchanged for SETTLE seconds."""
    while True:
        await _check_memory(watch)
        html = await _content(watch)
        if html is not None:
            key, page = _readiness(watch, html)
            now = time.monotonic()
            if key is not None and key == watch.key and now - watch.since >= SETTLE:
                return html, page
            if key != watch.key:
                watch.key, watch.since = key, now
        await asyncio.sleep(POLL)


def _readiness(watch: _Watch, html: str) -> tuple[str | None, Page | None]:
    """A fingerprint of the main text when the page has one, else None (``why`` says why)."""
    wanted = watch.wanted
    try:
        tree = parse_html(html)  # nested too deep to parse in bounded time: not ready, ever
    except ExtractError as exc:
        watch.why = str(exc)
        return None, None
    if not _has_text(tree):  # a shell still loading: not worth a full extraction yet
        watch.why = "no text on the page"
        return None, None
    try:
        if wanted.document:
            page = extract_page(html, watch.page.url, wanted.content_selector)
            return page.fingerprint, page
        reject_soft_failure(tree)
        items = tree.css(wanted.item_selector or "a[href]")
    except ExtractError as exc:
        watch.why = str(exc)
        return None, None
    if not items:
        watch.why = "no links on the page"
        return None, None
    text = "\n".join(item.text(separator=" ", strip=True) for item in items)
    return hashlib.sha256(text.encode()).hexdigest(), None


def _has_text(tree: LexborHTMLParser) -> bool:
    body = tree.body
    if body is None:
        return False
    for node in body.css("script, style, noscript, template"):
        node.decompose()
    return len(body.text(separator=" ", strip=True)) >= MIN_BODY_CHARS


async def _content(watch: _Watch) -> str | None:
    """The page's HTML now; None while it navigates (a challenge reloading itself)."""
    from playwright.async_api import Error

    if watch.crashed:
        raise PageAbandoned(_crash_reason(watch.limits))
    try:
        # Measured in the renderer first: a page over max_bytes is never copied out whole.
        size = await watch.page.evaluate(HTML_SIZE)
        if isinstance(size, int) and size > watch.limits.max_bytes:
            raise PageAbandoned(
                f"abandoned: the rendered page grew to {size} characters, over "
                f"[fetch] max_bytes ({watch.limits.max_bytes})"
            )
        return await watch.page.content()
    except Error:
        if watch.crashed:
            raise PageAbandoned(_crash_reason(watch.limits)) from None
        return None


async def _check_memory(watch: _Watch) -> None:
    from playwright.async_api import Error

    try:
        metrics = await watch.session.send("Performance.getMetrics")
    except Error:
        return  # between documents; the next look measures again
    used = next((m["value"] for m in metrics["metrics"] if m["name"] == "JSHeapUsedSize"), 0)
    if used > watch.limits.max_memory_mb * 1_000_000:
        raise PageAbandoned(
            f"abandoned: the page used {used / 1e6:.0f} MB of JavaScript heap, over "
            f"[browser] max_memory ({watch.limits.max_memory_mb} MB)"
        )


def _main_response(watch: _Watch, response: Response) -> None:
    request = response.request
    if request.is_navigation_request() and response.frame == watch.page.main_frame:
        watch.responses.append(response)


def _final_response(watch: _Watch) -> Response | None:
    answers = [r for r in watch.responses if not 300 <= r.status < 400]
    return answers[-1] if answers else None


def _result(url: str, watch: _Watch, html: str, page: Page | None) -> FetchResult:
    final = _final_response(watch)
    code = final.status if final is not None else None
    final_url = final.url if final is not None else watch.page.url
    if code is not None and not 200 <= code < 300:
        return FetchResult(url, FetchStatus.ERROR, final_url, code, reason=_http(final))
    body = html.encode("utf-8")
    if len(body) > watch.limits.max_bytes:
        reason = f"rendered page of {len(body)} bytes is over max_bytes ({watch.limits.max_bytes})"
        return FetchResult(url, FetchStatus.ERROR, final_url, code, reason=reason)
    moved = any(r.status in PERMANENT_REDIRECTS for r in watch.responses)
    headers: dict[str, str] = final.headers if final is not None else {}
    return FetchResult(
        url,
        FetchStatus.MOVED if moved else FetchStatus.OK,
        final_url,
        code,
        body=body,
        content_type="text/html",
        encoding="utf-8",
        validators=Validators(headers.get("etag"), headers.get("last-modified")),
        moved=moved,
        page=page,
    )


def _failed(url: str, watch: _Watch, reason: str) -> FetchResult:
    final = _final_response(watch)
    return FetchResult(
        url,
        FetchStatus.ERROR,
        final.url if final is not None else None,
        final.status if final is not None else None,
        reason=reason,
    )


def _timeout_reason(watch: _Watch, timeout: float) -> str:
    if watch.key is not None:
        return f"the page did not settle within {timeout:g}s: its main text kept changing"
    return f"no main text within {timeout:g}s in the browser: {watch.why}"


def _crash_reason(limits: Limits) -> str:
    return (
        f"abandoned: the page crashed in the browser (over [browser] max_memory, "
        f"{limits.max_memory_mb} MB?)"
    )


def _http(response: Response | None) -> str:
    return f"HTTP {response.status} in the browser" if response is not None else ""


def _first_line(exc: Any) -> str:
    text = str(getattr(exc, "message", "") or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


async def _close(page: BrowserPage) -> None:
    """Close the page; one whose renderer is stuck in a loop is left to the context's close."""
    from playwright.async_api import Error

    try:
        async with asyncio.timeout(CLOSE_DEADLINE):
            await page.close(run_before_unload=False)
    except (Error, TimeoutError):
        pass
