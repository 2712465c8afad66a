"""Links made by ``check`` (the incremental path) follow the same rules as the benchmark's."""

from __future__ import annotations

from store.repo import Store
from tests.conftest import Clock
from tests.fakesite import FakeSite, article
from tests.unit.discover.test_discovery import check
from tests.unit.pipeline.test_check_commitments import dated, settings


def _publish(site: FakeSite, store: Store, clock: Clock, pages: list[tuple[str, str, str]]):  # type: ignore[no-untyped-def]
    """Publish ``pages`` (path, date, sentence) one check at a time; the first is the baseline."""
    results = []
    for count, (path, date, sentence) in enumerate(pages, start=1):
        site.pages[path] = dated(article(f"Readout {date}", sentence), date)
        results.append(check(settings(*(p for p, _d, _s in pages[:count])), store, site, clock))
    return results


def _promise_links(store: Store) -> list[tuple[str, str]]:
    (promise,) = [row for row, _doc in store.ledger() if row.kind == "commitment"]
    return [(link["document"].rsplit("/", 1)[-1], link["relation"]) for link in promise.links]


def test_a_promise_is_fulfilled_once_through_check(store: Store, clock: Clock) -> None:
    results = _publish(FakeSite({}), store, clock, [
        ("/plan", "2021-01-10",
         "The two ministries intend to create a Desert Water Reuse Program in Sonora."),
        ("/done", "2021-06-01",
         "The two ministries established the Desert Water Reuse Program in Sonora."),
        ("/later", "2023-06-01",
         "The Desert Water Reuse Program held its annual review in Hermosillo in May."),
    ])  # fmt: skip
    assert _promise_links(store) == [("done", "fulfilled")]
    assert "commitment_fulfilled" not in {event.type for event in results[-1].events}


def test_a_retelling_is_not_linked_to_a_promise_already_linked_through_check(
    store: Store, clock: Clock
) -> None:
    told = ("The United States and Mexico trained 150 technicians in cross-border clean energy "
            "training in Sonora and Chihuahua.")  # fmt: skip
    results = _publish(FakeSite({}), store, clock, [
        ("/plan", "2021-01-10",
         "The United States and Mexico will expand cross-border clean energy training for 400 "
         "technicians in Sonora and Chihuahua."),
        ("/first", "2022-06-01", told),
        ("/again", "2023-06-01", told),
    ])  # fmt: skip
    assert _promise_links(store) == [("first", "progressed")]
    assert "commitment_progressed" not in {event.type for event in results[-1].events}
