"""Refuse XML that declares entities or a DTD: no external entities (XXE), no entity bombs."""

from __future__ import annotations

import re

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

# An entity declaration anywhere, even where a strict parser gives up before reaching it.
_ENTITY_DECLARATION = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)


class UnsafeXML(Exception):
    """The document declares entities or a DTD; we do not parse it."""


def refuse_entities(body: bytes) -> None:
    """Raise UnsafeXML for entity or DTD declarations; malformed XML is left to the parser.

    A malformed feed goes on to feedparser's lenient parser, which does not expand entities
    either; refusing any declaration it would see keeps us from relying on that alone.
    """
    try:
        fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeXML(f"refused: the XML declares entities ({type(exc).__name__})") from None
    except ParseError:
        if _ENTITY_DECLARATION.search(body):
            raise UnsafeXML("refused: the XML declares entities (malformed)") from None
