"""lemminflect's lemma and inflection tables, kept as their lines and read one word at a time.

lemminflect's own loaders turn both tables into dicts of dicts of tuples for all 120,000
entries: +52 MB and ~0.3 s on the first changed document, when a check asks for a few hundred
words. Here each table is its lines, sorted by word as shipped (~10 MB, ~30 ms), and a word's
entry is parsed with lemminflect's own codec when asked for. Everything else (overrides,
alternative tags, out-of-vocabulary rules) stays lemminflect's: the two classes below only
replace where its lookups read their table from.
"""

from __future__ import annotations

import gzip
from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from lemminflect.codecs.InflectionLUCodec import InflectionLUCodec
from lemminflect.codecs.LemmaLUCodec import LemmaLUCodec
from lemminflect.core.Inflections import Inflections
from lemminflect.core.Lemmatizer import Lemmatizer
from lemminflect.core.LexicalUtils import categoryToUPos

Entry = dict[str, tuple[str, ...]]


class LineTable:
    """A gzipped table of ``word,category,...`` lines as a read-only map word -> entry, loaded
    when first asked. ``merge`` adds one line to a word's entry, as the codec's loader does;
    ``fixed`` entries replace the table's."""

    def __init__(
        self, path: str, merge: Callable[[Entry, str], None], fixed: dict[str, Entry] | None = None
    ) -> None:
        self._path, self._merge, self._fixed = path, merge, fixed or {}
        self._lines: list[str] | None = None

    def get(self, word: str, default: Any = None) -> Any:
        if word in self._fixed:
            return dict(self._fixed[word])
        lines = self._table()
        at = bisect_left(lines, word, key=_word)
        entry: Entry = {}
        while at < len(lines) and _word(lines[at]) == word:
            self._merge(entry, lines[at])
            at += 1
        return entry or default

    def _table(self) -> list[str]:
        if self._lines is None:
            # lemminflect ships both tables sorted by word, a word's lines in the order its
            # loader merges them (the test that compares every entry fails if that changes)
            with gzip.open(self._path, "rt", encoding="utf-8") as table:
                self._lines = table.read().splitlines()
        return self._lines


def _word(line: str) -> str:
    return line.split(",", 1)[0]


def _merge_lemmas(entry: Entry, line: str) -> None:
    _, category, forms = LemmaLUCodec.fromString(line)
    entry[categoryToUPos(category)] = forms


def _merge_inflections(entry: Entry, line: str) -> None:
    _, _, forms = InflectionLUCodec.fromString(line)
    entry.update(forms)


class Lemmas(Lemmatizer):  # type: ignore[misc]  # lemminflect is untyped
    """lemminflect's lemmatizer (``getAllLemmas``) over the lemma table's lines."""

    def _getLemmaDict(self) -> LineTable:  # lemminflect's name, overridden
        if not hasattr(self, "lines"):
            self.lines = LineTable(self.lemma_lu_fn, _merge_lemmas)
        return self.lines


class Forms(Inflections):  # type: ignore[misc]  # lemminflect is untyped
    """lemminflect's inflector (``getInflection``) over the inflection table's lines; the
    auxiliaries and modals its loader sets by hand are set the same way."""

    def _getInflDict(self) -> LineTable:  # lemminflect's name, overridden
        if not hasattr(self, "lines"):
            fixed = InflectionLUCodec.updateForAuxMod({})
            self.lines = LineTable(self.infl_lu_fn, _merge_inflections, fixed)
        return self.lines
