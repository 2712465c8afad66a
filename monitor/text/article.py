"""HTML → the article's main text as normalised blocks, plus title, date and document type.

Fast path: the source's ``content_selector``, else a structural pass over the containers that
government CMSs use for article bodies (WordPress ``.entry-content``, Drupal ``.field--name-body``,
``<article>``, ``<main>``), both with selectolax (lexbor). Only when neither finds an article do
we pay for trafilatura's full main-text extraction.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

from monitor.errors import ExtractError
from monitor.models import FetchResult, Page
from monitor.text.doctype import document_type, find_date
from monitor.text.htmldepth import MAX_DEPTH, too_deep
from monitor.text.normalize import clean_blocks, clean_normalized, normalize_text
from monitor.text.sitemeta import SiteMeta, site_meta

EXTRACTOR_VERSION = "1"

# Article containers of the CMSs behind state.gov, whitehouse.gov (WordPress), ustr.gov and
# commerce.gov (Drupal), then generic HTML5 ones. The first that holds enough text wins.
ARTICLE_SELECTORS = (
    ".entry-content",
    ".body-content",
    ".field--name-body",
    ".field-name-body",
    "[itemprop=articleBody]",
    ".article-body",
    ".post-content",
    "article",
    "[role=main]",
    "main",
    "#main-content",
    "#content",
)
MIN_ARTICLE_CHARS = 200
PAGE_SECONDS = 5.0  # reading one page's tree for longer than this fails that page
MIN_BODY_CHARS = 40

DROP_TAGS = (
    "script, style, noscript, template, svg, nav, header, footer, aside, form, button, "
    "iframe, select, input, dialog"
)
# class/id words of chrome inside article containers: share bars, related links, timestamps...
_CHROME_WORD = re.compile(
    r"(?:^|[-_])(?:share|sharing|social|related|breadcrumbs?|sidebar|newsletter|signup|"
    r"subscribe|stay|scroll|skip|cookie|banner|print|tags?|pagination|pager|comments?|widget|"
    r"promo|featured|sr|visually|screen|updated|timestamp|modified)(?:[-_]|$)",
    re.IGNORECASE,
)
BLOCK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 li blockquote pre dt dd figcaption td th tr div section article "
    "ul ol dl table caption address".split()
)
SOFT_FAILURE_PHRASES = (
    "just a moment",
    "challenge validation",
    "technical difficulties",
    "verify you are human",
    "checking your browser",
    "attention required",
    "access denied",
    "request rejected",
)
_SITE_SUFFIX_WORDS = re.compile(
    r"white house|department|representative|\.gov|trade administration|embassy|ustr",
    re.IGNORECASE,
)


class Deadline:
    """The time one page may take to read; past it, the page fails (and only that page)."""

    def __init__(self, seconds: float = PAGE_SECONDS) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise ExtractError(f"the page took longer than {self.seconds:g}s to read")


def parse_html(html: str) -> LexborHTMLParser:
    """The page's tree; ExtractError, before any parsing, for a page nested too deep to parse
    in bounded time (see monitor/text/htmldepth.py)."""
    if too_deep(html):
        raise ExtractError(f"elements nested deeper than {MAX_DEPTH}: not parsed")
    return LexborHTMLParser(html)


def html_text(html: str | None) -> str | None:
    """The text of an HTML fragment (a feed entry's summary); None when it cannot be read."""
    if not html:
        return None
    try:
        return parse_html(html).text(separator=" ")
    except ExtractError:
        return None


def extract_page(html: str, url: str = "", content_selector: str | None = None) -> Page:
    """The main text of an article page; raise ExtractError for pages we must not trust."""
    deadline = Deadline()
    tree = parse_html(html)
    reject_soft_failure(tree)
    title = page_title(tree)
    # The site's own facts first: chrome removal drops the hero label, <header><time> and
    # the breadcrumbs.
    published = _published_in_markup(tree)
    meta = site_meta(tree)
    root = _article_root(tree, content_selector, deadline)
    if root is not None:
        extractor = "selector" if content_selector else "structure"
        blocks = clean_normalized(html_blocks(root, deadline))  # html_blocks normalises
    else:
        deadline.check()
        extractor, blocks = "trafilatura", _trafilatura_blocks(html)
    if blocks and blocks[0] == title:
        blocks = blocks[1:]  # the <h1> is the title, not article text
    if not blocks:
        raise ExtractError("no article text found")
    return Page(
        title=title,
        blocks=tuple(blocks),
        published=published or next(filter(None, map(find_date, blocks[:5])), None),
        doc_type=document_type(title, blocks, url, _labels(meta)),
        extractor=f"{extractor}/{EXTRACTOR_VERSION}",
    )


def _labels(meta: SiteMeta) -> tuple[str, ...]:
    """Type labels in the order they are trusted: the hero label, then the breadcrumbs."""
    return (*meta.labels, *reversed(meta.crumbs), *filter(None, [meta.og_type]))


def page_of(result: FetchResult, content_selector: str | None = None) -> Page:
    """The main text of a fetched page: as the fetcher extracted it already, else extracted now."""
    if result.page is not None:
        return result.page
    html = decode_html(result.body, result.encoding)
    return extract_page(html, result.final_url or result.url, content_selector)


def decode_html(body: bytes, declared: str | None) -> str:
    """Bytes → text, by the HTTP charset, else a <meta charset>, else UTF-8."""
    encoding = declared
    if not encoding:
        found = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", body[:4096], re.IGNORECASE)
        encoding = found.group(1).decode("ascii") if found else "utf-8"
    try:
        return body.decode(encoding, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def reject_soft_failure(tree: LexborHTMLParser) -> None:
    """Raise ExtractError for a challenge or outage placeholder (articles and listings alike)."""
    # A challenge page is short; an article that merely mentions "technical difficulties" is not.
    title_node = tree.css_first("title")
    title = title_node.text().lower() if title_node is not None else ""
    body = tree.body.text(separator=" ")[:4000].lower() if tree.body else ""
    for phrase in SOFT_FAILURE_PHRASES:
        if phrase in title or (len(body) < 3000 and phrase in body):
            raise ExtractError(f'soft failure: the page is a placeholder ("{phrase}")')


def _article_root(
    tree: LexborHTMLParser, content_selector: str | None, deadline: Deadline
) -> LexborNode | None:
    if content_selector:
        root = tree.css_first(content_selector)
        if root is None:
            raise ExtractError(f"content_selector {content_selector!r} matches nothing")
        _strip_chrome(root, deadline)
        return root
    short: LexborNode | None = None  # a CMS body that is merely short beats a broad container
    for selector in ARTICLE_SELECTORS:
        for node in tree.css(selector):
            _strip_chrome(node, deadline)
            length = len(node.text(separator=" ", strip=True))
            if length >= MIN_ARTICLE_CHARS:
                return short or node
            if short is None and length >= MIN_BODY_CHARS:
                short = node
    return short


def _strip_chrome(root: LexborNode, deadline: Deadline) -> None:
    deadline.check()
    for node in root.css(DROP_TAGS):
        node.decompose()
    for count, node in enumerate(list(_descendants(root))):
        if count % 1024 == 1023:
            deadline.check()
        attributes = node.attributes  # built anew at each read
        names = f"{attributes.get('class') or ''} {attributes.get('id') or ''}"
        if any(_CHROME_WORD.search(word) for word in names.split()):
            node.decompose()


def _descendants(root: LexborNode) -> Iterator[LexborNode]:
    for node in root.traverse():
        if node is not root and node.tag != "-text" and node.mem_id != root.mem_id:
            yield node


def html_blocks(root: LexborNode, deadline: Deadline | None = None) -> list[str]:
    """The text of ``root`` as blocks: one per paragraph, heading or list item.

    The tree is walked with a stack of our own, never by recursion, so no nesting depth can
    raise RecursionError; deeper than ``MAX_DEPTH`` (or past ``deadline``) the page fails.
    """
    blocks: list[str] = []
    current: list[str] = []
    # Each open element: its children still to read, and whether it ends a block when done.
    open_: list[tuple[Iterator[LexborNode], bool]] = [(root.iter(include_text=True), False)]
    steps = 0
    while open_:
        child = next(open_[-1][0], None)
        if child is None:
            if open_.pop()[1]:
                _flush(blocks, current)
            continue
        steps += 1
        if deadline is not None and steps % 1024 == 0:
            deadline.check()
        tag = child.tag
        if tag == "-text":
            current.append(child.text_content or "")
        elif tag == "br":
            current.append(" ")
        else:
            if len(open_) > MAX_DEPTH:
                raise ExtractError(f"elements nested deeper than {MAX_DEPTH}")
            block = tag in BLOCK_TAGS
            if block:
                _flush(blocks, current)
                if tag == "li":
                    current.append("• ")
            open_.append((child.iter(include_text=True), block))
    _flush(blocks, current)
    return blocks


def _flush(blocks: list[str], current: list[str]) -> None:
    if not current:
        return  # most elements end with no text of their own
    text = normalize_text("".join(current))
    if text == "•":
        return  # a list item whose text sits in a nested <p>: keep the bullet for it
    if text:
        blocks.append(text)
    current.clear()


def page_title(tree: LexborHTMLParser) -> str:
    """The article title: its <h1>, else og:title or <title> without the site's suffix."""
    for selector in ("main h1", "article h1", "h1"):
        node = tree.css_first(selector)
        if node is not None and node.text(strip=True):
            return normalize_text(node.text(separator=" "))
    og = tree.css_first('meta[property="og:title"]')
    raw = og.attributes.get("content") if og is not None else None
    title_node = tree.css_first("title")
    if not raw and title_node is not None:
        raw = title_node.text()
    return strip_site_suffix(normalize_text(raw or ""))


def strip_site_suffix(title: str) -> str:
    parts = re.split(r"\s+[|\u2013\u2014-]\s+", title)
    while len(parts) > 1 and _SITE_SUFFIX_WORDS.search(parts[-1]):
        parts.pop()
    return " - ".join(parts)


_DATE_META = (
    'meta[property="article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[name="dcterms.date"]',
    'meta[name="DC.date.issued"]',
    'meta[name="date"]',
    'meta[name="pubdate"]',
)


def _published_in_markup(tree: LexborHTMLParser) -> str | None:
    for selector in _DATE_META:
        node = tree.css_first(selector)
        found = find_date(node.attributes.get("content") or "") if node is not None else None
        if found:
            return found
    for node in tree.css("time")[:20]:  # the page's own date is near its top
        found = find_date(node.attributes.get("datetime") or node.text())
        if found:
            return found
    return None


def _trafilatura_blocks(html: str) -> list[str]:
    import trafilatura  # heavy: only for pages no selector or structure could read

    text = trafilatura.extract(html, include_comments=False, include_tables=True)
    return clean_blocks(text.splitlines()) if text else []
