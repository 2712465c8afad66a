"""The field types every config table shares: durations, CSS selectors, URLs, a strict base."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

import httpx
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

_DURATION = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_HTTP_URL = re.compile(r"^https?://[^/\s]+")


class Strict(BaseModel):
    """Unknown keys are errors and a loaded table never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def parse_duration(value: object) -> float:
    """Turn "30s", "15m", "2h" (or a bare number of seconds) into seconds."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration (use 30s, 15m, 2h)")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f'"{value}" is not a duration (use 30s, 15m, 2h)')
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds < 0:
        raise ValueError(f'"{value}" must be positive')
    return seconds


def format_duration(seconds: float) -> str:
    """The shortest exact spelling: 3600.0 -> "1h", 90.0 -> "90s"."""
    for unit in ("d", "h", "m", "s"):
        count = seconds / _UNIT_SECONDS[unit]
        if count >= 1 and count == int(count):
            return f"{int(count)}{unit}"
    return f"{seconds * 1000:g}ms"


def css_selector(value: str | None) -> str | None:
    """Parse a selector the way discovery and extraction will, so a typo fails at load."""
    if value is None:
        return value
    from selectolax.lexbor import LexborHTMLParser, SelectolaxError  # only when one is set

    try:
        LexborHTMLParser("<p></p>").css(value)
    except SelectolaxError:
        raise ValueError(f'"{value}" is not a valid CSS selector') from None
    return value


def is_http_url(value: str) -> bool:
    return bool(_HTTP_URL.match(value))


def http_url(url: str) -> str:
    """An http(s) URL the fetcher can request; ValueError naming it otherwise.

    What the request would refuse is refused here, at load: an invalid IPv6 literal
    (``http://[bad``), a port out of range, a control character, a bad IDNA label.
    """
    if not is_http_url(url):
        raise ValueError(f'"{url}" is not an http(s) URL')
    try:
        urlsplit(url).port  # noqa: B018  (the property raises for a port out of range)
        if not httpx.URL(url).host:
            raise ValueError("no host")
    except (ValueError, httpx.InvalidURL) as exc:
        raise ValueError(f'"{url}" is not a valid URL ({str(exc).rsplit(": ", 1)[-1]})') from None
    return url


Duration = Annotated[float, BeforeValidator(parse_duration)]
Selector = Annotated[str, AfterValidator(css_selector)]
