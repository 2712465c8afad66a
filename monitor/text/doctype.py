"""Small classifiers of page metadata: the document type and dates written in prose."""

from __future__ import annotations

import re
from datetime import date

_TYPES = (
    ("joint statement", re.compile(r"\bjoint (?:statement|declaration|communiqu)", re.I)),
    ("fact sheet", re.compile(r"\bfact[ -]?sheets?\b", re.I)),
    ("readout", re.compile(r"\breadout\b", re.I)),
    ("remarks", re.compile(r"\bremarks\b", re.I)),
    ("media note", re.compile(r"\bmedia notes?\b", re.I)),
    ("press release", re.compile(r"\bpress releases?\b", re.I)),
)
DEFAULT_TYPE = "press release"
CONTAINERS = frozenset({"media note", "press release"})  # labels of a kind of post, not a type

_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH_ABBREVIATIONS = {name[:3]: index + 1 for index, name in enumerate(_MONTHS)}
_PROSE_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")


def document_type(
    title: str,
    blocks: list[str] | tuple[str, ...],
    url: str = "",
    labels: tuple[str, ...] = (),
) -> str:
    """joint statement, fact sheet, readout, remarks, media note, or press release.

    ``labels`` are the page's own (its type label, breadcrumbs, ``og:type``: see
    ``monitor.text.sitemeta``). A label naming a type decides; a container label ("Media Note",
    "Press Releases") only when the title, opening and address name nothing more specific
    (State publishes its joint statements as media notes).
    """
    for text in (*labels, title, " ".join(blocks[:2]), url.replace("-", " ")):
        for name, pattern in _TYPES:
            if name not in CONTAINERS and pattern.search(text):
                return name
    for text in (*labels, title):
        for name, pattern in _TYPES:
            if pattern.search(text):
                return name
    return DEFAULT_TYPE


def find_date(text: str) -> str | None:
    """The first date in ``text`` ("September 29, 2023", "Sept. 9, 2021", ISO) as YYYY-MM-DD."""
    iso = _ISO_DATE.search(text)
    if iso:
        return _valid(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    prose = _PROSE_DATE.search(text)
    if prose:
        month = _MONTH_ABBREVIATIONS[prose.group(1).lower()[:3]]
        return _valid(int(prose.group(3)), month, int(prose.group(2)))
    return None


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
