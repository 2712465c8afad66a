"""The HTML pages: events, documents, one document, its diff, the ledger, the sources."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from monitor.web import params
from monitor.web.app import EVENT_TYPES, ViewContext
from monitor.web.records import (
    NoSuchVersion,
    commitment_record,
    diff_record,
    event_record,
    version_pair,
)
from store.view import DocumentFilter, EventFilter, LedgerFilter, Row

DOCUMENT_STATUSES = ("active", "removed")
LEDGER_STATUSES = ("open", "progressed", "fulfilled", "removed", "reported")
MAX_COMMITMENTS_SHOWN = 500

Endpoint = Callable[[Request], Response]


def routes(context: ViewContext, rendering: Jinja2Templates) -> list[Route]:
    pages = Pages(context, rendering)
    table: list[tuple[str, Endpoint]] = [
        ("/", pages.events),
        ("/events/{event_id}", pages.event),
        ("/documents", pages.documents),
        ("/documents/{document_id}", pages.document),
        ("/documents/{document_id}/diff", pages.diff),
        ("/commitments", pages.commitments),
        ("/sources", pages.sources),
    ]
    return [Route(path, endpoint, methods=["GET", "HEAD"]) for path, endpoint in table]


class Pages:
    def __init__(self, context: ViewContext, rendering: Jinja2Templates) -> None:
        self.context, self.store, self.rendering = context, context.store, rendering

    def render(self, request: Request, name: str, **values: Any) -> Response:
        return self.rendering.TemplateResponse(request, name, {"page_name": name, **values})

    def events(self, request: Request) -> Response:
        where = event_filter(request, self.store.agencies(), self.source_names())
        number = params.page(request.query_params)
        found = self.store.events(where, params.PAGE_SIZE, params.offset(number))
        return self.render(
            request, "events.html", events=[event_record(row) for row in found.rows],
            more=found.more, number=number, where=where, types=EVENT_TYPES,
            agencies=self.store.agencies(), sources=self.source_names(),
        )  # fmt: skip

    def event(self, request: Request) -> Response:
        """An event's page is its document's (the diff for a change): alerts link here."""
        row = self.store.event(request.path_params["event_id"])
        if row is None:
            raise HTTPException(404, "no such event")
        payload = row.payload or {}
        if row.document_id is None:
            return RedirectResponse("/sources", 303)
        target = f"/documents/{row.document_id}"
        versions = (payload.get("from_version"), payload.get("to_version"))
        if row.type == "document_changed" and all(isinstance(v, int) for v in versions):
            target += f"/diff?from={versions[0]}&to={versions[1]}"
        return RedirectResponse(target, 303)

    def documents(self, request: Request) -> Response:
        query = request.query_params
        agencies, types = self.store.agencies(), self.store.doc_types()
        where = DocumentFilter(
            agency=params.text(query, "agency", agencies),
            doc_type=params.text(query, "type", types),
            status=params.text(query, "status", DOCUMENT_STATUSES),
            q=params.text(query, "q"),
        )
        number = params.page(query)
        found = self.store.documents(where, params.PAGE_SIZE, params.offset(number))
        return self.render(
            request, "documents.html", documents=found.rows, more=found.more, number=number,
            where=where, agencies=agencies, types=types, statuses=DOCUMENT_STATUSES,
        )  # fmt: skip

    def document(self, request: Request) -> Response:
        document = self.load_document(request)
        ledger = self.store.ledger(
            LedgerFilter(document_id=document.id), MAX_COMMITMENTS_SHOWN
        ).rows
        commitments = [commitment_record(row) for row in ledger]
        linked = self.store.documents_at(
            [link["document"] for c in commitments for link in c["links"] if "document" in link]
        )
        return self.render(
            request, "document.html", document=document,
            locations=self.store.locations(document.id),
            versions=self.store.versions(document.id), commitments=commitments, linked=linked,
        )  # fmt: skip

    def diff(self, request: Request) -> Response:
        document = self.load_document(request)
        versions = self.store.versions(document.id)
        query = request.query_params
        try:
            pair = version_pair(versions, params.number(query, "from"), params.number(query, "to"))
        except NoSuchVersion as exc:
            raise params.bad(str(exc)) from None
        diff = diff_record(self.store, document.id, pair) if pair else None
        return self.render(request, "diff.html", document=document, versions=versions, diff=diff)

    def commitments(self, request: Request) -> Response:
        query = request.query_params
        agencies = self.store.agencies()
        where = LedgerFilter(
            pillar=params.number(query, "pillar", 1, 4),
            status=params.text(query, "status", LEDGER_STATUSES),
            agency=params.text(query, "agency", agencies),
            document_id=params.number(query, "document"),
        )
        number = params.page(query)
        found = self.store.ledger(where, params.PAGE_SIZE, params.offset(number))
        rows = [commitment_record(row) for row in found.rows]
        linked = self.store.documents_at(
            [link["document"] for c in rows for link in c["links"] if "document" in link]
        )
        return self.render(
            request, "commitments.html", commitments=rows, linked=linked, more=found.more,
            number=number, where=where, agencies=agencies, statuses=LEDGER_STATUSES,
        )  # fmt: skip

    def sources(self, request: Request) -> Response:
        return self.render(request, "sources.html", sources=source_rows(self.context))

    def load_document(self, request: Request) -> Row:
        document = self.store.document(params.path_id(request.path_params["document_id"]))
        if document is None:
            raise HTTPException(404, "no such document")
        return document

    def source_names(self) -> list[str]:
        configured = [source.name for source in self.context.sources()]
        return sorted({*configured, *(row.name for row in self.store.sources())})


def event_filter(request: Request, agencies: list[str], sources: list[str]) -> EventFilter:
    query = request.query_params
    return EventFilter(
        agency=params.text(query, "agency", agencies),
        source=params.text(query, "source", sources),
        type=params.text(query, "type", EVENT_TYPES),
    )


def source_rows(context: ViewContext) -> list[dict[str, Any]]:
    """Each source's health: configured sources first, then any the store alone knows."""
    states = {row.name: row for row in context.store.sources()}
    counts = context.store.documents_per_source()
    configured = {source.name: source for source in context.sources()}
    rows = []
    for name in [*configured, *sorted(set(states) - set(configured))]:
        state, source = states.get(name), configured.get(name)
        last = state.last_checked_at if state else None
        failures = state.consecutive_failures if state else 0
        next_run = context.next_run(name)
        if next_run is None and source and source.enabled and last:
            next_run = last + timedelta(seconds=source.interval)  # an estimate: `serve` alone
        rows.append({
            "name": name, "agency": source.agency if source else "", "kind":
            source.kind if source else "", "enabled": source.enabled if source else None,
            "interval": source.interval if source else None, "last_checked": last,
            "status": "never checked" if last is None else ("failing" if failures else "ok"),
            "failures": failures, "last_error": state.last_error if state else None,
            "documents": counts.get(name, 0), "next_run": next_run,
        })  # fmt: skip
    return rows
