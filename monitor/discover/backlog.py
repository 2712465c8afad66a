"""Which new candidates one check of a source fetches: at most ``new_per_check``.

A sitemap of 100,000 URLs must not cost 100,000 requests on every check. Candidates the source
does not know yet are fetched up to the cap, those never asked before first (in the order the
index lists them), then those asked before without result (a 404: not published yet), the
longest ago first; the rest wait for the next check. Only the cap's worth of candidates is
kept in memory: the others are counted as they stream past.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from monitor.discover import Candidate

Asked = Callable[[Sequence[str]], Mapping[str, datetime]]  # url -> when it was last asked
CHUNK = 500  # candidates looked up together in the store


@dataclass
class NewCandidates:
    cap: int
    asked: Asked
    pending: dict[str, Candidate] = field(default_factory=dict)  # not looked up yet
    fresh: dict[str, Candidate] = field(default_factory=dict)  # never asked: at most ``cap``
    # Asked before: the ``cap`` asked longest ago, as a heap of (-asked at, url), newest on top.
    again: list[tuple[float, str]] = field(default_factory=list)
    again_candidates: dict[str, Candidate] = field(default_factory=dict)
    left_fresh: int = 0  # never asked, past the cap: the index must be read again next check
    left_again: int = 0  # asked before, past the cap: asked again when the index changes

    def add(self, candidate: Candidate) -> None:
        url = candidate.url
        for kept in (self.pending, self.fresh, self.again_candidates):
            if url in kept:
                if not candidate.verify:  # a matching link beats a vague one to verify
                    kept[url] = candidate
                return
        self.pending[url] = candidate
        if len(self.pending) >= CHUNK:
            self._sort()

    def chosen(self) -> list[Candidate]:
        """The candidates to fetch in this check (call once, after the last ``add``)."""
        self._sort()
        room = self.cap - len(self.fresh)
        oldest = sorted(self.again, reverse=True)  # -asked at, descending: asked longest ago
        self.left_again += max(0, len(oldest) - room)
        return [*self.fresh.values(), *(self.again_candidates[url] for _, url in oldest[:room])]

    @property
    def left(self) -> int:
        return self.left_fresh + self.left_again

    def _sort(self) -> None:
        asked = self.asked(list(self.pending)) if self.pending else {}
        for url, candidate in self.pending.items():
            when = asked.get(url)
            if when is None:
                if len(self.fresh) < self.cap:
                    self.fresh[url] = candidate
                else:
                    self.left_fresh += 1
                continue
            heapq.heappush(self.again, (-when.timestamp(), url))
            self.again_candidates[url] = candidate
            if len(self.again) > self.cap:  # keep those asked longest ago
                _, newest = heapq.heappop(self.again)
                del self.again_candidates[newest]
                self.left_again += 1
        self.pending.clear()
