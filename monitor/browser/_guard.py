"""The link policy inside the browser: Chromium's own request interception (CDP ``Fetch``).

Playwright's ``route()`` is not used because it never sees redirect hops: a page that
redirects (or whose script's request redirects) to 169.254.169.254 would get there. The
``Fetch`` domain pauses every request of the page and its frames and workers, each redirect
hop included, before anything is sent; each is checked with the source's ``LinkPolicy`` (the
same one plain fetches use) and failed or let go. Images, media and fonts are not needed for
text and are never requested: fewer requests to the site, less memory.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from monitor.identity import LinkPolicy, log_refusal_once

if TYPE_CHECKING:
    from playwright.async_api import CDPSession

log = logging.getLogger(__name__)

SKIPPED_TYPES = frozenset({"Image", "Media", "Font", "Ping", "CSPViolationReport"})


@dataclass
class RequestGuard:
    """Checks every request of one page; ``refused`` lists what it stopped (for the log)."""

    session: CDPSession
    policy: LinkPolicy
    refused: list[str] = field(default_factory=list)
    _pending: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self) -> None:
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
            elif event.get("resourceType") in SKIPPED_TYPES:
                await self._fail(request_id)
            else:
                await self.session.send("Fetch.continueRequest", {"requestId": request_id})
        except Error as exc:  # the page closed while the request waited: nothing to answer
            log.debug("request %s not answered: %s", url, exc)

    async def _fail(self, request_id: str) -> None:
        await self.session.send(
            "Fetch.failRequest", {"requestId": request_id, "errorReason": "BlockedByClient"}
        )
