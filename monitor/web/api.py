"""The JSON API under /api/: events, documents, versions, diffs, commitments, sources.

The records carry the same fields as the CLI's ``--json`` output (see ``records``); lists are
paged like the pages (``?page=N``, 50 a page) and say whether there is a ``next`` page.
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
from monitor.web.pages import DOCUMENT_STATUSES, LEDGER_STATUSES, event_filter, source_rows
from monitor.web.records import (
    NoSuchVersion,
    commitment_record,
    diff_record,
    document_record,
    event_record,
    location_record,
    version_pair,
    version_record,
)
from store.view import DocumentFilter, LedgerFilter, Page, Row


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
        names = sorted({s.name for s in self.context.sources()} | self._state_names())
        where = event_filter(request, self.store.agencies(), names)
        number = params.page(request.query_params)
        found = self.store.events(where, params.PAGE_SIZE, params.offset(number))
        return listing(request, "events", found, [event_record(row) for row in found.rows])

    def event(self, request: Request) -> Response:
        row = self.store.event(request.path_params["event_id"])
        if row is None:
            raise HTTPException(404, "no such event")
        return JSONResponse(event_record(row))

    def documents(self, request: Request) -> Response:
        query = request.query_params
        where = DocumentFilter(
            agency=params.text(query, "agency"),
            doc_type=params.text(query, "type"),
            status=params.text(query, "status", DOCUMENT_STATUSES),
            q=params.text(query, "q"),
        )
        number = params.page(query)
        found = self.store.documents(where, params.PAGE_SIZE, params.offset(number))
        return listing(request, "documents", found, [document_record(r) for r in found.rows])

    def document(self, request: Request) -> Response:
        document = self._document(request)
        ledger = self.store.ledger(LedgerFilter(document_id=document.id), 10_000).rows
        return JSONResponse({
            **document_record(document),
            "locations": [location_record(row) for row in self.store.locations(document.id)],
            "history": [version_record(row) for row in self.store.versions(document.id)],
            "commitments": [commitment_record(row) for row in ledger],
        })  # fmt: skip

    def versions(self, request: Request) -> Response:
        document = self._document(request)
        return JSONResponse([version_record(row) for row in self.store.versions(document.id)])

    def diff(self, request: Request) -> Response:
        document = self._document(request)
        query = request.query_params
        try:
            pair = version_pair(
                self.store.versions(document.id),
                params.number(query, "from"),
                params.number(query, "to"),
            )
        except NoSuchVersion as exc:
            raise params.bad(str(exc)) from None
        if pair is None:
            raise params.bad("the document has a single version: nothing to compare")
        return JSONResponse(diff_record(self.store, document.id, pair))

    def commitments(self, request: Request) -> Response:
        query = request.query_params
        where = LedgerFilter(
            pillar=params.number(query, "pillar", 1, 4),
            status=params.text(query, "status", LEDGER_STATUSES),
            agency=params.text(query, "agency"),
            document_id=params.number(query, "document"),
        )
        number = params.page(query)
        found = self.store.ledger(where, params.PAGE_SIZE, params.offset(number))
        records = [commitment_record(row) for row in found.rows]
        return listing(request, "commitments", found, records)

    def sources(self, request: Request) -> Response:
        rows = source_rows(self.context)
        for row in rows:
            for key in ("last_checked", "next_run"):
                row[key] = row[key].isoformat() if row[key] else None
        return JSONResponse(rows)

    def _document(self, request: Request) -> Row:
        document = self.store.document(params.path_id(request.path_params["document_id"]))
        if document is None:
            raise HTTPException(404, "no such document")
        return document

    def _state_names(self) -> set[str]:
        return {row.name for row in self.store.sources()}
