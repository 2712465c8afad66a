"""One document, several publishers: find a known document a new page is a copy of.

A joint statement posted by State and by USTR differs only in chrome and small edits. A cheap
first look picks a few look-alikes among all documents by their opening text (an index of word
3-grams). Each look-alike must then pass every rule of ``monitor.identity.sameness``: the same title
(once publisher prefixes and site suffixes are removed), the same publication date (within a
few days, when both are known), and near-identical whole text (rapidfuzz's normalised Indel
similarity of at least ``[defaults] same_document``) without a substantive difference (a
changed year, date, ordinal or amount, or a passage of its own). The title is compared before
any text is read, and a check pass reads each look-alike's text once (``Batch.latest_text``).
"""

from __future__ import annotations

import logging

from rapidfuzz import fuzz

from monitor.identity.sameness import same_date, same_title, substantive_difference
from monitor.identity.twin_index import OPENING_CHARS, TwinIndex
from monitor.models import Page
from store import Batch
from store.repo import Store
from store.tables import Document

log = logging.getLogger(__name__)


def find_twin(
    store: Store | Batch, page: Page, similarity: float, index: TwinIndex
) -> Document | None:
    """The known document ``page`` is a copy of (see the module's rules), or None."""
    index.sync(store.openings(OPENING_CHARS))
    for document_id in index.lookalikes(page):
        if not same_title(page.title, index.title(document_id)):
            continue
        found = store.latest_text(document_id)
        if found is not None and _same_document(page, found, similarity):
            twin: Document = found[0]
            return twin
    return None


def _same_document(page: Page, found: tuple[Document, str], similarity: float) -> bool:
    document, text = found
    if not same_date(page.published, document.published):
        log.info("%s: not a copy of %s: published %s, %s", page.title, document.url,
                 page.published, document.published)  # fmt: skip
        return False
    if not _alike(page.text, text, similarity):
        return False
    difference = substantive_difference(text, page.text)
    if difference is not None:
        log.info("%s: not a copy of %s: %s", page.title, document.url, difference[:200])
    return difference is None


def _alike(text: str, other: str, similarity: float) -> bool:
    """``fuzz.ratio(text, other) >= similarity``, without computing it when lengths rule it out.

    The ratio is 2 * LCS / (len + len), and the LCS is at most the shorter length, so texts of
    very different lengths cannot be alike. The margin leaves float edge cases to rapidfuzz.
    """
    total = len(text) + len(other)
    if 2 * min(len(text), len(other)) < similarity * total * (1 - 1e-9):
        return False
    return bool(fuzz.ratio(text, other, score_cutoff=similarity * 100))
