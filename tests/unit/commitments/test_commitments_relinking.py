"""Re-linking the ledger when a document arrives: the same links as linking from scratch, and
a newest document compared alone against the rest (not the whole ledger again)."""

from __future__ import annotations

import pytest

from monitor.commitments import extract_items, linking
from monitor.commitments.linking import DatedDocument, link_documents

TEXTS = {
    "plan": ("2021-01-10", "The two ministries intend to create a Desert Water Reuse Program "
             "in Sonora. A bilateral virtual Forum on Lithium and Beyond is scheduled to take "
             "place in March."),
    "first": ("2021-06-01", "The two ministries established the Desert Water Reuse Program in "
              "Sonora. The two ministries organized a forum on lithium, cobalt and grid "
              "storage in April."),
    "second": ("2022-06-01", "The two ministries launched the Desert Water Reuse Program in "
               "Sonora in 2021."),
    "third": ("2023-06-01", "The two ministries launched the Desert Water Reuse Program in "
              "Sonora in 2021. The two ministries will fund 12 desalination pilots by 2026."),
}  # fmt: skip


def documents() -> list[DatedDocument]:
    return [DatedDocument(name, date, extract_items(text)) for name, (date, text) in TEXTS.items()]


def linked(found: list[linking.DocumentLink]) -> set[tuple[str, int, str, int, str]]:
    return {(k.from_doc, k.from_index, k.to_doc, k.to_index, k.relation) for k in found}


@pytest.fixture(autouse=True)
def _fresh() -> None:
    linking._RESUMABLE.clear()


def scratch(docs: list[DatedDocument]) -> set[tuple[str, int, str, int, str]]:
    linking._RESUMABLE.clear()
    return linked(link_documents(docs))


@pytest.mark.parametrize("arrival", [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2]])
def test_documents_arriving_in_any_order_link_as_from_scratch(arrival: list[int]) -> None:
    docs = documents()
    every = scratch(docs)
    assert ("plan", 0, "first", 0, "fulfilled") in every
    known: list[DatedDocument] = []
    for index in arrival:
        known.append(docs[index])
        resumed = linked(link_documents(known))
        assert resumed == scratch(list(known))
        link_documents(known)  # leave this call's prefixes for the next arrival
    assert linked(link_documents(known)) == every


def test_the_newest_document_is_compared_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = documents()
    link_documents(docs[:3])
    pairs: list[object] = []
    real = linking.relate_readings

    def counted(old, new):  # type: ignore[no-untyped-def]
        pairs.append((old, new))
        return real(old, new)

    monkeypatch.setattr(linking, "relate_readings", counted)
    link_documents(docs)
    older = sum(len(d.items) for d in docs[:3])
    newest = len(docs[3].items)
    assert len(pairs) == newest * older + newest * (newest - 1) // 2


def test_a_changed_older_document_is_linked_again() -> None:
    docs = documents()
    link_documents(docs)
    changed = DatedDocument("first", "2021-06-01", extract_items(
        "The two ministries mapped groundwater wells in Chihuahua in 2021."))  # fmt: skip
    again = linked(link_documents([docs[0], changed, docs[2], docs[3]]))
    assert ("plan", 0, "first", 0, "fulfilled") not in again
    assert again == scratch([docs[0], changed, docs[2], docs[3]])
