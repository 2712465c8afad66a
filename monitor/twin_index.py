"""An index of known documents' openings, for finding copies of a page quickly."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from monitor.models import Page

TITLE_CUTOFF = 80
OPENING_CHARS = 1000
LOOKALIKES = 5
SHINGLE_WORDS = 3
SHARED_SHINGLES = 0.5  # of the page's opening word 3-grams, found in a look-alike's opening
COMMON_SHINGLE = 50  # a 3-gram in more openings than this is boilerplate: it tells nothing


def shingles(text: str) -> frozenset[int]:
    words = text.lower().split()
    last = max(1, len(words) - SHINGLE_WORDS + 1)
    return frozenset(hash(" ".join(words[i : i + SHINGLE_WORDS])) for i in range(last))


@dataclass
class TwinIndex:
    """Known documents' openings, indexed by word 3-grams, kept for one check pass.

    A copy of a document repeats most of its opening, so look-alikes are the documents sharing
    most of a page's opening 3-grams: found through the index in time proportional to the
    page, not to the number of documents (a first pass over N pages is no longer O(N^2)).
    """

    _openings: dict[int, tuple[str, str, frozenset[int]]] = field(default_factory=dict)
    _postings: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    def sync(self, known: list[tuple[int, str, str]]) -> None:
        """Bring the index up to ``known`` (id, title, opening): new, changed, renumbered."""
        current = {id_: (title, opening) for id_, title, opening in known}
        for id_ in [id_ for id_ in self._openings if id_ not in current]:
            self._drop(id_)
        for id_, (title, opening) in current.items():
            held = self._openings.get(id_)
            if held is None or held[1] != opening or held[0] != title:
                self._drop(id_)
                grams = shingles(opening)
                self._openings[id_] = (title, opening, grams)
                for gram in grams:
                    self._postings[gram].add(id_)

    def lookalikes(self, page: Page) -> list[int]:
        mine = shingles(page.text[:OPENING_CHARS])
        counts: Counter[int] = Counter()
        for gram in mine:
            holders = self._postings.get(gram)
            if holders and len(holders) <= COMMON_SHINGLE:
                counts.update(holders)
        need = SHARED_SHINGLES * len(mine)
        found = [id_ for id_, shared in counts.most_common(LOOKALIKES) if shared >= need]
        if len(page.text) < OPENING_CHARS:  # a short note: its title must look alike too
            found = [id_ for id_ in found if self._title_alike(page.title, id_)]
        return found

    def _title_alike(self, title: str, id_: int) -> bool:
        other = self._openings[id_][0]
        return bool(title and fuzz.token_set_ratio(title, other) >= TITLE_CUTOFF)

    def _drop(self, id_: int) -> None:
        held = self._openings.pop(id_, None)
        for gram in held[2] if held else ():
            holders = self._postings.get(gram)
            if holders is not None:
                holders.discard(id_)
