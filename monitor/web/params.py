"""Query parameters, checked (a bad value is a 400 that names it, never a traceback), and
links to the same page with other parameters."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request

PAGE_SIZE = 50
MAX_PAGE = 10_000
MAX_TEXT = 200


def bad(message: str) -> HTTPException:
    return HTTPException(400, message)


def text(params: QueryParams, name: str, choices: Collection[str] | None = None) -> str | None:
    """A text parameter; empty means absent. ``choices``: the only values allowed."""
    value = params.get(name, "").strip()
    if not value:
        return None
    if len(value) > MAX_TEXT or "\x00" in value:
        raise bad(f"{name}: too long or not text")
    if choices is not None and value not in choices:
        raise bad(f"{name}: unknown value {value!r}")
    return value


def number(params: QueryParams, name: str, low: int = 1, high: int = 1_000_000_000) -> int | None:
    """A whole-number parameter within [low, high]; empty means absent."""
    raw = params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise bad(f"{name}: expected a whole number from {low} to {high}, got {raw[:40]!r}")
    return int(raw)


def page(params: QueryParams) -> int:
    return number(params, "page", 1, MAX_PAGE) or 1


def offset(page_number: int) -> int:
    return (page_number - 1) * PAGE_SIZE


MAX_ID = 2**31 - 1  # PostgreSQL's integer: a larger id is no row, not an "out of range" 500


def path_id(raw: str) -> int:
    """A document id from the path: anything but a positive number is a 404 (no such page)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12 or int(raw) > MAX_ID:
        raise HTTPException(404, "no such document")
    return int(raw)


def event_id(raw: str) -> str:
    """An event id from the path; one no event can have (PostgreSQL refuses NUL) is a 404."""
    if not raw.isascii() or not raw.isprintable() or len(raw) > MAX_TEXT:
        raise HTTPException(404, "no such event")
    return raw


def with_query(request: Request, **changes: Any) -> str:
    """This page's address with some parameters changed (None removes one)."""
    params = dict(request.query_params)
    params.update({k: str(v) for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        params.pop(key, None)
    return request.url.path + (f"?{urlencode(params)}" if params else "")
