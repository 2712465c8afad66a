"""The link policy inside the browser: two layers of request interception, and a third below.

- ``guard_context``: Playwright's ``route()`` on the source's context. Playwright pauses every
  new target (a popup, a worker, a cross-site frame) until its routes are in place, so every
  first request anywhere is checked; but routes never see redirect hops.
- ``RequestGuard``: the page's own CDP ``Fetch`` interception, which pauses every request of
  the page, each redirect hop included (a script's request redirected to 169.254.169.254).

Both check with the source's ``LinkPolicy``, the same one plain fetches use, and fail a refused
request before anything is sent. Beneath them, ``network_allowlist``: Chromium's network stack
itself sends every host outside the policy to a proxy that refuses connections, for what no
interception sees (a speculation rule's prefetch or prerender, a popup's redirect hops).
Images, media and fonts are not needed for text and are never requested: fewer requests to
the site, less memory. Frames are never loaded either: the article is the main document's, and
a cross-site frame's redirect hops would be outside the page's interception.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from monitor.identity.urls import LinkPolicy, Origin, is_internal_address, log_refusal_once

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, CDPSession, ProxySettings, Route

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


def refusing_socket() -> socket.socket:
    """A loopback port held but never listened on: every connection to it is refused at once."""
    held = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    held.bind(("127.0.0.1", 0))
    return held


def network_allowlist(policy: LinkPolicy, refusing_port: int) -> ProxySettings:
    """A context's proxy: the policy's hosts go direct, every other host to a refused port.

    Chromium's own network stack applies it to every request of the context, those no
    interception sees included (speculation rules' prefetches and prerenders, a popup's redirect
    hops). ``<-loopback>`` first: loopback addresses are not exempt unless listed.
    """
    origins = sorted(
        origin
        for origin in policy.own | policy.allowed
        if origin in policy.own or not is_internal_address(origin[1])
    )
    bypass = ["<-loopback>", *(_bypass_rule(origin) for origin in origins)]
    return {"server": f"http://127.0.0.1:{refusing_port}", "bypass": ",".join(bypass)}


def _bypass_rule(origin: Origin) -> str:
    """Chromium's bypass rule for exactly one origin: scheme, host and port (another port on
    the same host is another host, as in the link policy)."""
    scheme, host, port = origin
    return f"{scheme}://{f'[{host}]' if ':' in host else host}:{port}"
