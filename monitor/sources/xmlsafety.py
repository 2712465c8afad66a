"""Refuse XML that declares entities or a DTD: no external entities (XXE), no entity bombs."""

from __future__ import annotations

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring


class UnsafeXML(Exception):
    """The document declares entities or a DTD; we do not parse it."""


def refuse_entities(body: bytes) -> None:
    """Raise UnsafeXML for entity or DTD declarations; malformed XML is left to the parser."""
    try:
        fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeXML(f"refused: the XML declares entities ({type(exc).__name__})") from None
    except ParseError:
        pass  # feedparser copes with (and reports) malformed feeds
