"""Who may read the view, and the headers every answer carries.

With ``MONITOR_VIEW_TOKEN`` set, a request needs it: as ``Authorization: Bearer <token>``, or
once as ``?token=<token>``, which answers a page with a cookie and a redirect to the same
address without the token (so it does not stay in the address bar, history or Referer); the
feed and the API take ``?token=`` on every request, as feed readers keep no cookies. /healthz and
/metrics stay open: probes and scrapers carry no token, and they show no document text.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from urllib.parse import urlencode

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

COOKIE = "hled_view_token"
OPEN_PATHS = frozenset({"/healthz", "/metrics"})
# No script at all, styles only from our own stylesheet, nothing framed or posted elsewhere.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class Guard:
    """ASGI middleware: the token check (when a token is set) and the security headers."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app, self.token = app, token or None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        refusal = self._refusal(Request(scope)) if self.token else None
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _refusal(self, request: Request) -> Response | None:
        """None when the request may pass; else the answer it gets instead."""
        if request.url.path in OPEN_PATHS:
            return None
        bearer = request.headers.get("authorization", "")
        if bearer[:7].lower() == "bearer " and self._is_token(bearer[7:].strip()):
            return None
        if self._is_token(request.cookies.get(COOKIE, "")):
            return None
        machine = request.url.path.startswith("/api/") or request.url.path == "/feed.atom"
        if self._is_token(request.query_params.get("token", "")):
            # Feed readers and scripts keep no cookies: their address carries the token.
            return None if machine else self._remember(request)
        if machine:
            return JSONResponse({"error": "a token is needed"}, 401, {"WWW-Authenticate": "Bearer"})
        return PlainTextResponse(
            "A token is needed: open this address with ?token=... once.",
            401,
            {"WWW-Authenticate": "Bearer"},
        )

    def _is_token(self, given: str) -> bool:
        assert self.token is not None
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    def _remember(self, request: Request) -> Response:
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
        response = RedirectResponse(target, 303)
        response.set_cookie(
            COOKIE,
            self.token or "",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            max_age=30 * 24 * 3600,
        )
        return response


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def warn_if_exposed(host: str, token: str | None) -> None:
    """Binding beyond this machine without a token shows every document to the network."""
    if not token and not is_loopback(host):
        log.warning(
            "the web view listens on %s without MONITOR_VIEW_TOKEN: anyone who can reach this "
            "address can read it; set MONITOR_VIEW_TOKEN or bind 127.0.0.1",
            host,
        )
