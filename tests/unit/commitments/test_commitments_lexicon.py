"""The compact reading of lemminflect's tables gives what lemminflect's own loaders give."""

from __future__ import annotations

import lemminflect
import pytest
from lemminflect import config
from lemminflect.codecs.InflectionLUCodec import InflectionLUCodec
from lemminflect.codecs.LemmaLUCodec import LemmaLUCodec

from monitor.commitments.lexicon import Forms, Lemmas


def test_every_lemma_entry_is_the_loaders() -> None:
    full = LemmaLUCodec.load(config.lemma_lu_fn)
    table = Lemmas()._getLemmaDict()
    assert all(table.get(word) == entry for word, entry in full.items())


def test_every_inflection_entry_is_the_loaders() -> None:
    full = InflectionLUCodec.load(config.inflection_lu_fn)
    table = Forms()._getInflDict()
    assert all(table.get(word) == entry for word, entry in full.items())
    assert table.get("be")["VBZ"] == ("is",)  # set by hand in the loader, not in the table


def test_a_word_not_in_the_table_has_no_entry() -> None:
    table = Lemmas()._getLemmaDict()
    assert table.get("frobnicated", {}) == {}
    assert table.get("plan,verb") is None  # a comma never makes a word match another's line


@pytest.mark.parametrize(
    "word", ["planned", "launches", "was", "can", "united", "Council", "xyzzy"]
)
def test_lemmas_are_lemminflects(word: str) -> None:
    assert Lemmas().getAllLemmas(word) == lemminflect.getAllLemmas(word)


@pytest.mark.parametrize(
    ("lemma", "tag"), [("plan", "VBD"), ("run", "VBN"), ("be", "VBZ"), ("frobnicate", "VBD")]
)
def test_inflections_are_lemminflects(lemma: str, tag: str) -> None:
    assert Forms().getInflection(lemma, tag) == lemminflect.getInflection(lemma, tag)


def test_both_tables_are_sorted_by_word_as_the_lookup_needs() -> None:
    for table in (Lemmas()._getLemmaDict(), Forms()._getInflDict()):
        words = [line.split(",", 1)[0] for line in table._table()]
        assert words == sorted(words)
