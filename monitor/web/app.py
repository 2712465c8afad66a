"""The Starlette application of the view: routes, templates, error pages, access guard."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from monitor.config import SourceConfig
from monitor.web.access import HEADERS, Guard
from notifiers.format import TITLES, is_web_url
from store.queries import ReadStore

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
EVENT_TYPES = tuple(sorted(kind for kind in TITLES if kind != "notify_test"))


@dataclass(frozen=True)
class ViewContext:
    """What the view reads: the store, and (when known) the configured sources."""

    store: ReadStore
    sources: Callable[[], Sequence[SourceConfig]] = field(default=lambda: ())
    next_run: Callable[[str], datetime | None] = field(default=lambda name: None)
    public_url: str | None = None  # absolute links (the feed) use it; else the request's own

    @property
    def base_is_https(self) -> bool:
        """Readers come over https: behind a TLS proxy the request itself may say http."""
        return (self.public_url or "").startswith("https:")

    def base_url(self, request: Request) -> str:
        return (self.public_url or str(request.base_url)).rstrip("/")


def templates() -> Jinja2Templates:
    # Autoescaping everywhere (HTML and the Atom XML): page text is hostile input.
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.ChainableUndefined,  # payloads differ by event type
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(web_url=is_web_url, titles=TITLES, with_query=with_query)
    environment.filters["when"] = _when
    environment.filters["xml"] = xml_text
    environment.filters["shown"] = shown
    environment.filters["clip"] = clip
    return Jinja2Templates(env=environment)


def with_query(request: Request, **changes: Any) -> str:
    """This page's address with some parameters changed (None removes one)."""
    params = dict(request.query_params)
    params.update({k: str(v) for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        params.pop(key, None)
    return request.url.path + (f"?{urlencode(params)}" if params else "")


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """Text without the characters XML 1.0 forbids (escaping cannot make them legal)."""
    return _NOT_XML.sub("\ufffd", str(value))


def shown(value: object) -> str:
    """A field's value for people: lists joined, nothing as a dash."""
    if value is None or value == []:
        return "—"
    return "; ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


MAX_TITLE = 300  # characters of a title shown; the API has it whole


def clip(value: object, limit: int = MAX_TITLE) -> str:
    """A title as shown: a page's 1 MB title took Chromium 2 minutes to lay out a list with it."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def build_app(
    context: ViewContext, token: str | None, extra: Sequence[BaseRoute] = ()
) -> Starlette:
    """The view's application; ``extra`` routes (the service's /healthz, /metrics) go first."""
    from monitor.web import api, atom, pages

    rendering = templates()
    routes = [
        *extra,
        *pages.routes(context, rendering),
        *api.routes(context),
        *atom.routes(context, rendering),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_page(rendering, request, exc.status_code, str(exc.detail))

    async def crash(request: Request, exc: Exception) -> Response:
        log.error("view: %s %s failed", request.method, request.url.path, exc_info=exc)
        response = error_page(rendering, request, 500, "something went wrong; it has been logged")
        response.headers.update(HEADERS)  # this handler runs outside the Guard middleware
        return response

    return Starlette(
        routes=routes,
        middleware=[Middleware(Guard, token=token, https=context.base_is_https)],
        exception_handlers={HTTPException: http_error, Exception: crash},
    )


def error_page(rendering: Jinja2Templates, request: Request, status: int, message: str) -> Response:
    """A short page (JSON under /api/): never a traceback."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status)
    return rendering.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message, "page_name": ""},
        status_code=status,
    )
