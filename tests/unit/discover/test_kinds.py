"""Config names the kinds a source may have; discovery has one reader for each, no more."""

from __future__ import annotations

from monitor.config import SOURCE_KINDS
from monitor.discover import get_kind, kind_names


def test_every_configurable_kind_has_a_reader_and_no_other() -> None:
    assert kind_names() == sorted(SOURCE_KINDS)
    assert all(callable(get_kind(name)) for name in SOURCE_KINDS)
