"""One document, several publishers: find a known document whose text a new page repeats.

A joint statement posted by State and by USTR differs only in chrome and small edits. Titles
narrow the search cheaply (rapidfuzz ``token_set_ratio`` over all titles), then the texts of the
few look-alikes are compared with rapidfuzz's normalised Indel similarity (``fuzz.ratio``).
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from monitor.models import Page
from store.models import Document
from store.repo import Store

TITLE_CUTOFF = 80
LOOKALIKES = 5


def find_twin(store: Store, page: Page, similarity: float) -> Document | None:
    """The known document whose latest text is at least ``similarity`` (0-1) like ``page``."""
    titles = store.titles()
    if not titles or not page.title:
        return None
    choices = {id_: title for id_, title in titles}
    lookalikes = process.extract(
        page.title,
        choices,
        scorer=fuzz.token_set_ratio,
        score_cutoff=TITLE_CUTOFF,
        limit=LOOKALIKES,
    )
    text = page.text
    for _title, _score, document_id in lookalikes:
        found = store.latest_text(int(document_id))
        if found and fuzz.ratio(text, found[1], score_cutoff=similarity * 100):
            twin: Document = found[0]
            return twin
    return None
