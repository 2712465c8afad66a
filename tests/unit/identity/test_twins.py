"""Finding the known document a new page repeats, among many that look alike."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import UTC, datetime

from rapidfuzz import fuzz

from monitor.identity.twin_index import TwinIndex, shingles
from monitor.identity.twins import _alike, find_twin
from monitor.models import Page, Validators
from store.repo import NewVersion, Openings, Store

NOW = datetime(2026, 11, 24, tzinfo=UTC)
TOPICS = ["semiconductors", "border infrastructure", "telecommunications", "workforce",
          "southern Mexico", "cybersecurity", "medical devices", "clean energy"]  # fmt: skip


def body(topic: str) -> tuple[str, ...]:
    return tuple(
        f"Paragraph {n}: the U.S.-Mexico High-Level Economic Dialogue advanced work on {topic}, "
        f"with milestone {n * 7} for {topic} and a review of {topic} next year."
        for n in range(12)
    )


def save(store: Store, url: str, title: str, blocks: tuple[str, ...]) -> int:
    page = Page(title=title, blocks=blocks)
    new = NewVersion("s", "State", url, page, str(hash(blocks)), b"", url, Validators())
    document = store.save_version(new, NOW)
    assert document.id is not None
    return document.id


def test_a_copy_is_found_among_look_alike_titles(any_store: Store) -> None:
    ids = {
        topic: save(
            any_store,
            f"https://www.state.gov/{n}",
            f"2023 U.S.-Mexico High-Level Economic Dialogue: {topic}",
            body(topic),
        )
        for n, topic in enumerate(TOPICS)
    }
    blocks = body("workforce")
    copy = Page(
        title="Media Note: 2023 U.S.-Mexico High Level Economic Dialogue: workforce | USTR",
        blocks=(*blocks[:-1], blocks[-1] + " USTR."),
    )
    twin = find_twin(any_store, copy, 0.92, TwinIndex())
    assert twin is not None
    assert twin.id == ids["workforce"]


def test_a_retitled_page_is_not_a_copy(any_store: Store) -> None:
    """When unsure, a new document: a duplicate alert costs less than a missed statement."""
    save(any_store, "https://www.state.gov/1", "2023 HLED: workforce", body("workforce"))
    retitled = Page(title="USTR on Investing in Our People", blocks=body("workforce"))
    assert find_twin(any_store, retitled, 0.92, TwinIndex()) is None


def test_a_different_document_with_the_same_title_is_not_a_twin(any_store: Store) -> None:
    save(
        any_store, "https://www.state.gov/a", "Joint Statement on the HLED", body("semiconductors")
    )
    other = Page(title="Joint Statement on the HLED", blocks=body("clean energy"))
    assert find_twin(any_store, other, 0.92, TwinIndex()) is None


def test_alike_answers_what_fuzz_ratio_answers() -> None:
    rng = random.Random(3)
    words = "the united states and mexico agreed to invest million in supply chains".split()
    for _ in range(3000):
        a = " ".join(rng.choices(words, k=rng.randint(0, 40)))
        b = a if rng.random() < 0.3 else " ".join(rng.choices(words, k=rng.randint(0, 40)))
        if rng.random() < 0.3:  # a near copy: a few words more or fewer
            b = " ".join(a.split()[: rng.randint(0, len(a.split()) + 1)] + words[:2])
        similarity = rng.choice((0.5, 0.8, 0.92, 1.0))
        assert _alike(a, b, similarity) is bool(fuzz.ratio(a, b, score_cutoff=similarity * 100))


def test_texts_of_very_different_lengths_are_not_alike() -> None:
    text = "HLED joint statement " * 50
    assert not _alike(text, text[: len(text) // 2], 0.92)
    assert _alike(text, text, 0.92)


def test_the_index_follows_new_changed_and_removed_documents() -> None:
    index = TwinIndex()
    opening = " ".join(f"word{i}" for i in range(200))
    index.sync(Openings({1: ("HLED fact sheet", opening)}.items()))
    page = Page(title="HLED copy", blocks=(opening + " and more text at the end",))
    assert index.lookalikes(page) == [1]
    index.sync(Openings({7: ("HLED fact sheet", opening)}.items()))  # other openings: whole
    assert index.lookalikes(page) == [7]
    index.sync(Openings({7: ("HLED fact sheet", "something else entirely " * 40)}.items()))
    assert index.lookalikes(page) == []


def test_the_index_follows_the_changes_the_openings_list() -> None:
    index, openings = TwinIndex(), Openings()
    first = " ".join(f"alpha{i}" for i in range(200))
    second = " ".join(f"beta{i}" for i in range(200))
    openings[3] = ("HLED fact sheet", first)
    index.sync(openings)
    assert index.lookalikes(Page(title="copy", blocks=(first,))) == [3]
    openings[4] = ("HLED readout", second)  # written in this pass
    index.sync(openings)
    assert index.lookalikes(Page(title="copy", blocks=(first,))) == [3]
    assert index.lookalikes(Page(title="copy", blocks=(second,))) == [4]
    openings[3] = ("HLED fact sheet", "an edit replaced the whole opening " * 20)
    del openings[4]
    index.sync(openings)
    assert index.lookalikes(Page(title="copy", blocks=(first,))) == []
    assert index.lookalikes(Page(title="copy", blocks=(second,))) == []
    index.sync(Openings([(9, ("HLED fact sheet", first))]))  # other openings: compared whole
    assert index.lookalikes(Page(title="copy", blocks=(first,))) == [9]
    assert index.lookalikes(Page(title="copy", blocks=(second,))) == []


def test_a_copy_with_a_preface_is_found_by_the_opening_it_repeats() -> None:
    index = TwinIndex()
    opening = " ".join(f"word{i}" for i in range(200))
    index.sync(
        Openings(
            {1: ("HLED fact sheet", opening), 2: ("HLED readout", "other words " * 100)}.items()
        )
    )
    preface = " ".join(f"note{i}" for i in range(110))  # ~800 characters the original lacks
    assert index.lookalikes(Page(title="USTR", blocks=(preface, opening))) == [1]
    unrelated = " ".join(f"note{i}" for i in range(400))
    assert index.lookalikes(Page(title="USTR", blocks=(unrelated,))) == []


def test_long_openings_are_sampled_and_short_ones_kept_whole() -> None:
    short = " ".join(f"w{i}" for i in range(20))
    assert len(shingles(short)) == 18  # every 3-gram
    long = " ".join(f"w{i}" for i in range(400))
    assert 50 < len(shingles(long)) < 150  # about a quarter of 398, by hash


def test_the_same_text_gives_the_same_grams_in_every_process() -> None:
    text = "The United States and Mexico will invest in semiconductors and border infrastructure."
    code = f"from monitor.identity.twin_index import shingles; print(sorted(shingles({text!r})))"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1


def test_a_short_note_is_a_copy_only_under_the_same_title(any_store: Store) -> None:
    note = "Secretary Blinken will travel to Mexico City for the High-Level Economic Dialogue."
    save(any_store, "https://www.state.gov/n", "Media Note: Secretary Blinken's Travel to Mexico",
         (note,))  # fmt: skip
    same = Page(title="Secretary Blinken's Travel to Mexico", blocks=(note,))
    assert find_twin(any_store, same, 0.92, TwinIndex()) is not None
    other = Page(title="Deputy Secretary's travel to Canada", blocks=(note,))
    assert find_twin(any_store, other, 0.92, TwinIndex()) is None


def test_boilerplate_shared_by_many_openings_finds_nobody() -> None:
    index = TwinIndex()
    boilerplate = "The United States and Mexico held the High-Level Economic Dialogue " * 20
    index.sync(Openings((n, (f"Doc {n}", boilerplate)) for n in range(60)))
    assert index.lookalikes(Page(title="Doc", blocks=(boilerplate,))) == []
