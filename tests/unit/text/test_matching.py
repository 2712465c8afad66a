"""Keyword matching: case, accents, hyphen variants and whole words."""

from __future__ import annotations

import pytest

from monitor.config import DEFAULT_MATCH, parse_settings
from monitor.errors import ConfigError
from monitor.text.keywords import fold, matches


@pytest.mark.parametrize(
    "text",
    [
        "Joint Statement on the U.S.-Mexico High-Level Economic Dialogue",
        "FACT SHEET: U.S.-MEXICO HIGH LEVEL ECONOMIC DIALOGUE",
        "the high\u2011level economic dialogue (non-breaking hyphen)",
        "High-Level\n  Economic\tDialogue across lines",
        "Readout of the 2024 HLED mid-year review",
        "HLED's third meeting",
        "Diálogo Económico de Alto Nivel México-Estados Unidos",
        "DIALOGO ECONOMICO DE ALTO NIVEL",
        "Dia\u0301logo Econo\u0301mico de Alto Nivel (decomposed accents)",
        "u-s-mexico-high-level-economic-dialogue (a slug)",
    ],
)
def test_the_default_keywords_match(text: str) -> None:
    assert matches([text], DEFAULT_MATCH)


@pytest.mark.parametrize(
    "text",
    [
        "Readout of the Secretary's Meeting with the Foreign Minister of Norway",
        "SHLED is not a word we watch",
        "HLEDGER accounting",
        "High-Level Dialogue on Security",
        "Economic Dialogue with Canada",
        "",
    ],
)
def test_unrelated_texts_do_not(text: str) -> None:
    assert not matches([text], DEFAULT_MATCH)


def test_any_text_may_match_and_empty_texts_are_skipped() -> None:
    assert matches([None, "", "Norway", "The HLED met"], DEFAULT_MATCH)
    assert not matches([None, ""], DEFAULT_MATCH)


def test_a_source_keyword_list_replaces_the_defaults() -> None:
    assert matches(["Semiconductor supply chain forum"], ("supply chain",))
    assert not matches(["The HLED met"], ("supply chain",))
    assert not matches(["The HLED met"], ())  # no keywords: nothing matches


def test_fold() -> None:
    assert fold("  Diálogo  Económico\u2014de_Alto/Nivel ") == "dialogo economico de alto nivel"


@pytest.mark.parametrize(
    "raw",
    [
        {"defaults": {"match": []}},
        {"source": [{"name": "s", "agency": "A", "kind": "feed", "url": "https://x.gov/feed/",
                     "match": []}]},
    ],
)  # fmt: skip
def test_an_empty_keyword_list_is_a_configuration_error(raw: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match=r"match: \[\] must not be empty"):
        parse_settings(raw)
