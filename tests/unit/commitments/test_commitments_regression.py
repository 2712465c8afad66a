"""The extractor on both labelled sets must not get worse (bench/eval_commitments.py).

The seeds (devset) and twenty other documents of the genre (devset2) are scored separately:
a change that lifts one and drops the other is memorising.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from bench.commitment_sets import load_set  # noqa: E402
from bench.eval_commitments import evaluate, extract_set  # noqa: E402
from monitor.commitments import extract_items  # noqa: E402

# Measured with `python bench/eval_commitments.py` (devset F1 0.980, actors set F1 0.955;
# devset2 F1 0.960, actors set F1 0.869), minus a little slack. Raise them when the extractor
# improves; never lower them to make a test pass.
FLOORS = {
    "devset": {"f1": 0.97, "kind": 0.96, "actors_set_f1": 0.94, "deadline": 0.93, "amounts": 0.98},
    "devset2": {
        "f1": 0.95,
        "kind": 0.98,
        "actors_set_f1": 0.865,
        "deadline": 0.96,
        "amounts": 0.98,
    },
}
GOLD = {"devset": 123, "devset2": 89}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def measured(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    labelled = load_set(request.param)
    return request.param, evaluate(labelled, extract_set(labelled)[0])


def test_item_detection_and_fields_keep_their_floors(measured: tuple[str, dict[str, Any]]) -> None:
    name, result = measured
    total = result["all"]
    assert total.gold == GOLD[name]
    floors = FLOORS[name]
    assert total.f1 >= floors["f1"]
    for field in ("kind", "deadline", "amounts"):
        assert total.accuracy(field) >= floors[field], field
    assert total.as_json()["actors_set_f1"] >= floors["actors_set_f1"]


def test_no_pillar_outside_hled_documents(measured: tuple[str, dict[str, Any]]) -> None:
    name, result = measured
    if name == "devset2":  # other dialogues and pre-2021 HLED pages: no pillar applies
        assert result["pillars"] == 0
    else:
        assert result["all"].accuracy("pillar") >= 0.95


def test_spans_point_into_the_text() -> None:
    text = (ROOT / "tests/fixtures/seeds/004_a20941b6d00797d0.txt").read_text(encoding="utf-8")
    for item in extract_items(text):
        assert text[item.span[0] : item.span[1]] == item.sentence
        assert item.why is not None
        assert item.why.rule
