"""/feed.atom: the newest events as an Atom 1.0 feed, with the same filters as the events page.

Entry ids are ``urn:uuid:`` forms of the event ids (which are stable: the same change always has
the same id), so a feed reader never shows one event twice, whatever the filter.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from monitor.web.app import ViewContext
from monitor.web.pages import event_filter
from monitor.web.records import event_record
from monitor.web.summary import summary

FEED_SIZE = 50
ATOM = "application/atom+xml; charset=utf-8"
_HEX_ID = re.compile(r"[0-9a-f]{32}")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def entry_id(event_id: str) -> str:
    """The event's id as a URN: its 128 bits as a UUID, or (another shape) a name-based UUID."""
    if _HEX_ID.fullmatch(event_id):
        return uuid.UUID(hex=event_id).urn
    return uuid.uuid5(uuid.NAMESPACE_URL, f"hled-monitor:event:{event_id}").urn


def routes(context: ViewContext, rendering: Jinja2Templates) -> list[Route]:
    def feed(request: Request) -> Response:
        query = request.query_params
        where = event_filter(request, None, None)
        events = [event_record(row) for row in context.store.events(where, FEED_SIZE).rows]
        base = context.base_url(request)
        shown = urlencode([(k, v) for k, v in query.multi_items() if k != "token"])
        self_url = base + request.url.path + (f"?{shown}" if shown else "")
        values = {
            "feed_id": uuid.uuid5(uuid.NAMESPACE_URL, self_url).urn,
            "self_url": self_url,
            "base": base,
            "where": where,
            "updated": max((e["detected_at"] for e in events), default=_EPOCH.isoformat()),
            "entries": [
                {**event, "entry_id": entry_id(event["id"]), "summary": summary(event)}
                for event in events
            ],
        }
        response = rendering.TemplateResponse(request, "feed.atom", values, media_type=ATOM)
        return response

    return [Route("/feed.atom", feed, methods=["GET", "HEAD"])]
