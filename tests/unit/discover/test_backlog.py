"""Which new candidates one check fetches (monitor/discover/backlog.py; issue 13, item 12)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from monitor.discover import Candidate
from monitor.discover.backlog import CHUNK, NewCandidates

ASKED = {  # asked before (404): /old longest ago
    "/old": datetime(2026, 1, 1, tzinfo=UTC),
    "/older": datetime(2025, 1, 1, tzinfo=UTC),
    "/recent": datetime(2026, 6, 1, tzinfo=UTC),
}


def lookup(urls: Sequence[str]) -> dict[str, datetime]:
    return {url: ASKED[url] for url in urls if url in ASKED}


def test_never_asked_first_in_order_then_the_longest_ago() -> None:
    new = NewCandidates(4, lookup)
    for url in ["/recent", "/a", "/old", "/b", "/older", "/c"]:
        new.add(Candidate(url))
    assert [c.url for c in new.chosen()] == ["/a", "/b", "/c", "/older"]
    assert (new.left_fresh, new.left_again, new.left) == (0, 2, 2)


def test_past_the_cap_candidates_are_counted_not_kept() -> None:
    new = NewCandidates(3, lookup)
    for n in range(CHUNK * 3):
        new.add(Candidate(f"/doc-{n}"))
    assert [c.url for c in new.chosen()] == ["/doc-0", "/doc-1", "/doc-2"]
    assert new.left_fresh == CHUNK * 3 - 3
    assert len(new.pending) + len(new.fresh) + len(new.again_candidates) == 3


def test_a_link_seen_twice_is_one_candidate_and_a_match_beats_a_vague_link() -> None:
    new = NewCandidates(5, lookup)
    new.add(Candidate("/a", verify=True))
    new.add(Candidate("/a", title="HLED statement"))
    new.add(Candidate("/a", verify=True))
    assert new.chosen() == [Candidate("/a", title="HLED statement")]
