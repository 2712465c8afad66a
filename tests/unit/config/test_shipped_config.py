"""The shipped sources.toml loads and keeps its promises."""

from __future__ import annotations

from pathlib import Path

from monitor.config import load_settings

SHIPPED = Path(__file__).resolve().parents[3] / "sources.toml"


def test_the_shipped_config_is_valid_and_covers_the_four_publishers() -> None:
    settings = load_settings(SHIPPED)
    agencies = {source.agency for source in settings.sources if source.enabled}
    assert {"State", "White House", "Commerce", "USTR"} <= agencies
    kinds = {source.kind for source in settings.sources}
    assert {"page", "listing", "feed", "wp-json"} <= kinds
    aliases = {alias.host: alias.canonical for alias in settings.aliases}
    assert aliases["bidenwhitehouse.archives.gov"] == "www.whitehouse.gov"
    assert aliases["2021-2025.state.gov"] == "www.state.gov"
    mexican = [s for s in settings.sources if "gob.mx" in (s.url or "")]
    assert len(mexican) == 3
    for source in mexican:  # challenged: the browser when needed, and the Spanish names
        assert source.enabled
        assert source.fetch == "auto"
        assert {"Diálogo Económico de Alto Nivel", "DEAN"} <= set(source.match or ())


def test_every_shipped_source_has_a_comment() -> None:
    lines = SHIPPED.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if line == "[[source]]":
            assert lines[index - 1].startswith("#"), f"source at line {index + 1} has no comment"
