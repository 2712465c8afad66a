"""The Starlette application of the view: routes, templates, error pages, access guard.

The route modules (pages, api, atom) never import this one: what they share with it is in
``view`` (the context) and ``params`` (query parameters and links).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from monitor.web import api, atom, pages
from monitor.web.access import HEADERS, Guard
from monitor.web.params import with_query
from monitor.web.view import ViewContext
from notifiers.format import TITLES, is_web_url

log = logging.getLogger(__name__)

HERE = Path(__file__).parent


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
