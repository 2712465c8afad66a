"""The link policy inside the browser, at its request interception, in two layers.

- ``guard_context``: Playwright's ``route()`` on the source's context. Playwright pauses every
  new target (a popup, a worker, a cross-site frame) until its routes are in place, so every
  first request anywhere is checked; but routes never see redirect hops.
- ``RequestGuard``: the page's own CDP ``Fetch`` interception, which pauses every request of
  the page, each redirect hop included (a script's request redirected to 169.254.169.254).

Both check with the source's ``LinkPolicy``, the same one plain fetches use, and fail a refused
request before anything is sent. Images, media and fonts are not needed for text and are never
requested: fewer requests to the site, less memory. Frames are never loaded either: the
article is the main document's, and a cross-site frame's redirect hops would be outside the
page's interception.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from monitor.identity import LinkPolicy, log_refusal_once

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, CDPSession, Route

log = logging.getLogger(__name__)

SKIPPED_TYPES = frozenset({"Image", "Media", "Font", "Ping", "CSPViolationReport"})


@dataclass
class RequestGuard:
    """Checks every request of one page; ``refused`` lists what it stopped (for the log)."""

    session: CDPSession
    policy: LinkPolicy
    refused: list[str] = field(default_factory=list)
    main_frame: str = ""
    _pending: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self) -> None:
        tree = await self.session.send("Page.getFrameTree")
        self.main_frame = str(tree["frameTree"]["frame"]["id"])
        self.session.on("Fetch.requestPaused", self._paused)
        await self.session.send(
            "Fetch.enable", {"patterns": [{"urlPattern": "*", "requestStage": "Request"}]}
        )

    def _paused(self, event: dict[str, Any]) -> None:
        # The event callback is synchronous: answer in a task, and keep it referenced.
        task = asyncio.ensure_future(self._answer(event))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _answer(self, event: dict[str, Any]) -> None:
        url = str(event["request"]["url"])
        request_id = event["requestId"]
        reason = self.policy.refusal(url)
        from playwright.async_api import Error

        try:
            if reason is not None:
                log_refusal_once(url, f"{reason} (asked for by the page in the browser)")
                self.refused.append(url)
                await self._fail(request_id)
            elif event.get("resourceType") in SKIPPED_TYPES or self._subframe(event):
                await self._fail(request_id)
            else:
                await self.session.send("Fetch.continueRequest", {"requestId": request_id})
        except Error as exc:  # the page closed while the request waited: nothing to answer
            log.debug("request %s not answered: %s", url, exc)

    def _subframe(self, event: dict[str, Any]) -> bool:
        return event.get("resourceType") == "Document" and event.get("frameId") != self.main_frame

    async def _fail(self, request_id: str) -> None:
        await self.session.send(
            "Fetch.failRequest", {"requestId": request_id, "errorReason": "BlockedByClient"}
        )


async def guard_context(context: BrowserContext, policy: LinkPolicy) -> None:
    """The policy on every first request of every page, popup and worker of ``context``.

    Playwright pauses each new target (a popup, a cross-site frame, a worker) until its routes
    are in place, which a page's own CDP session cannot do; its routes never see redirect
    hops, which ``RequestGuard`` does. Together they cover both.
    """

    async def route(route: Route) -> None:
        url = route.request.url
        reason = policy.refusal(url)
        if reason is None:
            await route.fallback()
            return
        log_refusal_once(url, f"{reason} (asked for by the page in the browser)")
        await route.abort("blockedbyclient")

    await context.route("**/*", route)
