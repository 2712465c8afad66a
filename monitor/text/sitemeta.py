"""What a page says about itself, read before any chrome is stripped.

Agency sites label their posts in the hero block above the body (State: ``<p
class="article-meta__content-type">Readout</p>``, or ``article-meta doctype-meta``; USTR's
Drupal: ``field--name-field-content-type``), in breadcrumbs (``Press Office > Fact Sheets``)
and in metadata (``og:type``, ``article:published_time``, ``<time datetime>``). Those blocks are
chrome to the text extractor, which drops them, so they are read first.
"""

from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from monitor.text.normalize import normalize_text

# The hero block's type label, breadcrumb links and og:type, found in one walk of the tree.
_FACTS = (
    '[class*="content-type"], [class*="doctype"], [class*="breadcrumb"] a, meta[property="og:type"]'
)
MAX_LABEL_CHARS = 40  # a label is a few words; a longer text is a container of other things


@dataclass(frozen=True)
class SiteMeta:
    labels: tuple[str, ...] = ()  # the page's own type labels, hero block first
    crumbs: tuple[str, ...] = ()  # breadcrumb links, outermost first
    og_type: str | None = None


def site_meta(tree: LexborHTMLParser) -> SiteMeta:
    """The page's own labels; call it before the tree loses its chrome."""
    labels: list[str] = []
    crumbs: list[str] = []
    og_type = None
    for node in tree.css(_FACTS):
        if node.tag == "meta":
            og_type = og_type or node.attributes.get("content") or None
            continue
        text = normalize_text(node.text(separator=" "))
        if node.tag == "a":
            crumbs.append(text)  # a link inside a breadcrumb trail
        elif text and len(text) <= MAX_LABEL_CHARS and text not in labels:
            labels.append(text)
    return SiteMeta(tuple(labels), tuple(filter(None, crumbs)), og_type)
