"""The JSON API under /api/: events, documents, versions, diffs, commitments, sources.

The records carry the same fields as the CLI's ``--json`` output (see ``records``); lists are
paged like the pages (``?page=N``, 50 a page) and say whether there is a ``next`` page.
Filters take any agency, source or type of document, as the feed does (an unknown one finds
nothing); the pages offer only the known ones. Event types and statuses must be known ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from monitor.web import params
from monitor.web.app import ViewContext, with_query
from monitor.web.pages import (
    document_filter,
    event_filter,
    ledger_filter,
    load_document,
    requested_pair,
    source_rows,
)
from monitor.web.records import (
    commitment_record,
    diff_record,
    document_record,
    event_record,
    location_record,
    version_record,
)
from store.queries import LedgerFilter, Page


def routes(context: ViewContext) -> list[Route]:
    api = Api(context)
    table: list[tuple[str, Callable[[Request], Response]]] = [
        ("/api/events", api.events),
        ("/api/events/{event_id}", api.event),
        ("/api/documents", api.documents),
        ("/api/documents/{document_id}", api.document),
        ("/api/documents/{document_id}/versions", api.versions),
        ("/api/documents/{document_id}/diff", api.diff),
        ("/api/commitments", api.commitments),
        ("/api/sources", api.sources),
    ]
    return [Route(path, endpoint, methods=["GET", "HEAD"]) for path, endpoint in table]


def listing(request: Request, key: str, found: Page, records: list[dict[str, Any]]) -> Response:
    number = params.page(request.query_params)
    following = with_query(request, page=number + 1) if found.more else None
    return JSONResponse({key: records, "page": number, "next": following})


class Api:
    def __init__(self, context: ViewContext) -> None:
        self.context, self.store = context, context.store

    def events(self, request: Request) -> Response:
        where = event_filter(request, None, None)  # any value: an unknown one finds nothing
        number = params.page(request.query_params)
        found = self.store.events(where, params.PAGE_SIZE, params.offset(number))
        return listing(request, "events", found, [event_record(row) for row in found.rows])

    def event(self, request: Request) -> Response:
        row = self.store.event(params.event_id(request.path_params["event_id"]))
        if row is None:
            raise HTTPException(404, "no such event")
        return JSONResponse(event_record(row))

    def documents(self, request: Request) -> Response:
        where = document_filter(request, None, None)
        number = params.page(request.query_params)
        found = self.store.documents(where, params.PAGE_SIZE, params.offset(number))
        return listing(request, "documents", found, [document_record(r) for r in found.rows])

    def document(self, request: Request) -> Response:
        document = load_document(self.store, request)
        ledger = self.store.ledger(LedgerFilter(document_id=document.id), 10_000).rows
        return JSONResponse({
            **document_record(document),
            "locations": [location_record(row) for row in self.store.locations(document.id)],
            "history": [version_record(row) for row in self.store.versions(document.id)],
            "commitments": [commitment_record(row) for row in ledger],
        })  # fmt: skip

    def versions(self, request: Request) -> Response:
        document = load_document(self.store, request)
        return JSONResponse([version_record(row) for row in self.store.versions(document.id)])

    def diff(self, request: Request) -> Response:
        document = load_document(self.store, request)
        pair = requested_pair(request, self.store.versions(document.id))
        if pair is None:
            raise params.bad("no earlier version to compare with")
        return JSONResponse(diff_record(self.store, document.id, pair))

    def commitments(self, request: Request) -> Response:
        where = ledger_filter(request, None)
        number = params.page(request.query_params)
        found = self.store.ledger(where, params.PAGE_SIZE, params.offset(number))
        records = [commitment_record(row) for row in found.rows]
        return listing(request, "commitments", found, records)

    def sources(self, request: Request) -> Response:
        rows = source_rows(self.context)
        for row in rows:
            for key in ("last_checked", "next_run"):
                row[key] = row[key].isoformat() if row[key] else None
        return JSONResponse(rows)
