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
    VersionPair,
    commitment_record,
    diff_record,
    event_record,
    version_pair,
)
from store.queries import DocumentFilter, EventFilter, LedgerFilter, ReadStore, Row

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
        agencies, sources = self.store.agencies(), source_names(self.context)
        where = event_filter(request, agencies, sources)
        number = params.page(request.query_params)
        found = self.store.events(where, params.PAGE_SIZE, params.offset(number))
        return self.render(
            request, "events.html", events=[event_record(row) for row in found.rows],
            more=found.more, number=number, where=where, types=EVENT_TYPES,
            agencies=agencies, sources=sources,
        )  # fmt: skip

    def event(self, request: Request) -> Response:
        """An event's page is its document's (the diff for a change): alerts link here."""
        row = self.store.event(params.event_id(request.path_params["event_id"]))
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
        agencies, types = self.store.agencies(), self.store.doc_types()
        where = document_filter(request, agencies, types)
        number = params.page(request.query_params)
        found = self.store.documents(where, params.PAGE_SIZE, params.offset(number))
        return self.render(
            request, "documents.html", documents=found.rows, more=found.more, number=number,
            where=where, agencies=agencies, types=types, statuses=DOCUMENT_STATUSES,
        )  # fmt: skip

    def document(self, request: Request) -> Response:
        document = load_document(self.store, request)
        ledger = self.store.ledger(
            LedgerFilter(document_id=document.id), MAX_COMMITMENTS_SHOWN
        ).rows
        commitments = [commitment_record(row) for row in ledger]
        return self.render(
            request, "document.html", document=document,
            locations=self.store.locations(document.id),
            versions=self.store.versions(document.id), commitments=commitments,
            linked=self.linked(commitments),
        )  # fmt: skip

    def diff(self, request: Request) -> Response:
        document = load_document(self.store, request)
        versions = self.store.versions(document.id)
        pair = requested_pair(request, versions)
        diff = diff_record(self.store, document.id, pair) if pair else None
        return self.render(request, "diff.html", document=document, versions=versions, diff=diff)

    def commitments(self, request: Request) -> Response:
        agencies = self.store.agencies()
        where = ledger_filter(request, agencies)
        number = params.page(request.query_params)
        found = self.store.ledger(where, params.PAGE_SIZE, params.offset(number))
        rows = [commitment_record(row) for row in found.rows]
        linked = self.linked(rows)
        return self.render(
            request, "commitments.html", commitments=rows, linked=linked, more=found.more,
            number=number, where=where, agencies=agencies, statuses=LEDGER_STATUSES,
        )  # fmt: skip

    def sources(self, request: Request) -> Response:
        return self.render(request, "sources.html", sources=source_rows(self.context))

    def linked(self, commitments: list[dict[str, Any]]) -> dict[str, int]:
        """The ids of the documents the commitments' links name, for links inside the view."""
        urls = [link["document"] for c in commitments for link in c["links"] if "document" in link]
        return self.store.documents_at(urls)


# What a request asks for, checked (pages and API alike). ``None`` choices: any value.


def load_document(store: ReadStore, request: Request) -> Row:
    document = store.document(params.path_id(request.path_params["document_id"]))
    if document is None:
        raise HTTPException(404, "no such document")
    return document


def source_names(context: ViewContext) -> list[str]:
    configured = [source.name for source in context.sources()]
    return sorted({*configured, *(row.name for row in context.store.sources())})


def event_filter(
    request: Request, agencies: list[str] | None, sources: list[str] | None
) -> EventFilter:
    query = request.query_params
    return EventFilter(
        agency=params.text(query, "agency", agencies),
        source=params.text(query, "source", sources),
        type=params.text(query, "type", EVENT_TYPES),
    )


def document_filter(
    request: Request, agencies: list[str] | None, types: list[str] | None
) -> DocumentFilter:
    query = request.query_params
    return DocumentFilter(
        agency=params.text(query, "agency", agencies),
        doc_type=params.text(query, "type", types),
        status=params.text(query, "status", DOCUMENT_STATUSES),
        q=params.text(query, "q"),
    )


def ledger_filter(request: Request, agencies: list[str] | None) -> LedgerFilter:
    query = request.query_params
    return LedgerFilter(
        pillar=params.number(query, "pillar", 1, 4),
        status=params.text(query, "status", LEDGER_STATUSES),
        agency=params.text(query, "agency", agencies),
        document_id=params.number(query, "document"),
    )


def requested_pair(request: Request, versions: list[Row]) -> VersionPair | None:
    """The versions ``?from=&to=`` name (by default the last two); a 400 for unknown ones."""
    query = request.query_params
    try:
        return version_pair(versions, params.number(query, "from"), params.number(query, "to"))
    except NoSuchVersion as exc:
        raise params.bad(str(exc)) from None


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
