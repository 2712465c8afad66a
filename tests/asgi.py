"""Requests to an ASGI app in-process, through httpx's ASGI transport (no socket, no thread)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx


def request(app: Any, method: str, path: str, **options: Any) -> httpx.Response:
    """One request to ``app``; redirects are returned, not followed."""

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://view.test") as client:
            return await client.request(method, path, **options)

    return asyncio.run(send())


def get(app: Any, path: str, **options: Any) -> httpx.Response:
    return request(app, "GET", path, **options)
