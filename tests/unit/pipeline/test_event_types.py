"""EventType is the one list of event types: what the pipeline emits, what alerts can title,
and what `[notify.*] events` may name (the config check is derived from it)."""

from __future__ import annotations

import ast
from pathlib import Path

from monitor.commitments import extract_items
from monitor.commitments.diff import diff_items
from monitor.config import load_settings
from monitor.models import EventType
from monitor.pipeline.events import LINK_EVENTS
from notifiers.format import TITLES

OLD = (
    "The United States will invest $474 million in border ports by 2025. "
    "Mexico will train 500 customs inspectors by 2024."
)
NEW = (
    "The United States will invest $520 million in border ports by 2025. "
    "The two governments will open a new semiconductor training center in Sonora by 2026."
)


def test_every_commitment_event_the_pipeline_emits_is_an_event_type() -> None:
    emitted = {change.type for change in diff_items(extract_items(OLD), extract_items(NEW))}
    assert emitted == {"commitment_added", "commitment_removed", "commitment_changed"}
    assert emitted | set(LINK_EVENTS.values()) <= set(EventType)


def test_every_event_type_has_an_alert_title() -> None:
    assert set(EventType) <= TITLES.keys()


def test_a_destination_may_filter_on_every_event_type(tmp_path: Path) -> None:
    events = ", ".join(f'"{kind}"' for kind in EventType)
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nname = "s"\nagency = "State"\nurl = "https://x.gov/"\n'
        f'[notify.slack]\nchannel = "#a"\nevents = [{events}]\n',
        encoding="utf-8",
    )
    assert load_settings(path).notify.slack[0].events == tuple(EventType)


def test_events_are_built_only_in_the_events_module() -> None:
    """One place builds Events, so ids and payloads cannot drift apart between stages."""
    root = Path(__file__).resolve().parents[3]
    builders = set()
    for path in [
        *root.glob("monitor/**/*.py"),
        *root.glob("notifiers/*.py"),
        *root.glob("store/*.py"),
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Event":
                builders.add(path.relative_to(root).as_posix())
    assert builders == {"monitor/pipeline/events.py"}
