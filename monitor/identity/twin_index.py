"""An index of known documents' openings, for finding copies of a page quickly."""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from monitor.models import Page
from store.repo import Openings

OPENING_CHARS = 1000
# A page is looked up by a longer opening than the one indexed, so that a copy with a preface
# (a publisher's note of up to ~1,000 characters) still contains the original's opening.
QUERY_CHARS = 2 * OPENING_CHARS
LOOKALIKES = 5
SHINGLE_WORDS = 3
# One 3-gram in SAMPLE is kept (chosen by its hash, so the same ones on both sides): a quarter of
# the memory and lookups, and the shared share is still estimated from dozens of grams. A text
# that would keep fewer than MIN_SAMPLE grams keeps them all, so a short note stays findable.
SAMPLE = 4
MIN_SAMPLE = 16
SHARED_SHINGLES = 0.5  # of the smaller set of 3-grams (the page's, or the look-alike's opening)
COMMON_SHINGLE = 50  # a 3-gram in more openings than this is boilerplate: it tells nothing


def shingles(text: str) -> frozenset[int]:
    """Hashes of the word 3-grams of ``text``, sampled (a text of fewer words: one gram).

    Words are hashed with CRC-32, not ``hash()``, whose value for strings changes with every
    process: the same page must find the same look-alikes on every run.
    """
    words = list(map(zlib.crc32, text.lower().encode().split()))
    if len(words) < SHINGLE_WORDS:
        return frozenset((hash(tuple(words)),))
    grams = frozenset(map(hash, zip(words, words[1:], words[2:], strict=False)))
    sampled = frozenset(gram for gram in grams if gram % SAMPLE == 0)
    return sampled if len(sampled) >= MIN_SAMPLE else grams


@dataclass
class TwinIndex:
    """Known documents' openings, indexed by word 3-grams, kept for one check pass.

    A copy of a document repeats most of its opening, so look-alikes are the documents sharing
    most of a page's opening 3-grams: found through the index in time proportional to the
    page, not to the number of documents.
    """

    _held: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (title, opening)
    _grams: dict[int, frozenset[int]] = field(default_factory=dict)
    _postings: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    _following: Openings | None = None  # the openings last synced with
    _read: int = 0  # how many of their changes were read

    def sync(self, known: Openings) -> None:
        """Bring the index up to ``known`` (id -> title, opening): new, changed, removed.

        Called before every search. Following the same ``known`` as last time, only the ids it
        lists as changed since are looked at; anything else is compared whole (set operations
        on dict views, in C).
        """
        if known is self._following:
            ids = set(known.changed[self._read :])
            gone = [id_ for id_ in ids if id_ not in known and id_ in self._held]
            fresh = [(id_, known[id_]) for id_ in ids if id_ in known]
        else:
            gone = list(self._held.keys() - known.keys())
            fresh = list(known.items() - self._held.items())
            self._following = known
        self._read = len(known.changed)
        for id_ in gone:
            self._drop(id_)
        for id_, held in fresh:
            if self._held.get(id_) == held:
                continue
            self._drop(id_)  # its opening changed
            grams = shingles(held[1])
            self._held[id_], self._grams[id_] = held, grams
            for gram in grams:
                self._postings[gram].add(id_)

    def lookalikes(self, page: Page) -> list[int]:
        """Up to LOOKALIKES ids whose opening shares at least SHARED_SHINGLES of its 3-grams."""
        mine = shingles(page.text[:QUERY_CHARS])
        counts: Counter[int] = Counter()
        for gram in mine:
            holders = self._postings.get(gram)
            if holders and len(holders) <= COMMON_SHINGLE:
                counts.update(holders)
        return [
            id_
            for id_, shared in counts.most_common(LOOKALIKES)
            if shared >= SHARED_SHINGLES * min(len(mine), len(self._grams[id_]))
        ]

    def title(self, id_: int) -> str:
        """The title of a document the index holds (as of the last ``sync``)."""
        return self._held[id_][0]

    def _drop(self, id_: int) -> None:
        self._held.pop(id_, None)
        for gram in self._grams.pop(id_, frozenset()):
            holders = self._postings.get(gram)
            if holders is not None:
                holders.discard(id_)
