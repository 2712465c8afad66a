"""Commitments across versions of one fact sheet: one event of each kind, with values."""

from __future__ import annotations

import subprocess
import sys

from monitor.commitments import extract_items
from monitor.commitments.diff import diff_items

BEFORE = """FACT SHEET: U.S.-Mexico High-Level Economic Dialogue
  • EPA and CONAGUA signed a statement of intent committing to invest a combined $474 million in priority projects to address Tijuana River pollution.
  • The U.S. Department of Labor will host a virtual technical exchange on apprenticeships with Mexico's Ministry of Labor on October 24.
  • The United States and Mexico plan to convene a series of dialogues with Mexican states on semiconductor supply chains.
  • USAID launched a new project in four southern Mexican states.
"""
AFTER = """FACT SHEET: U.S.-Mexico High-Level Economic Dialogue
  • EPA and CONAGUA signed a statement of intent committing to invest a combined $520 million in priority projects to address Tijuana River pollution.
  • The United States and Mexico plan to convene a series of dialogues with Mexican states on semiconductor supply chains.
  • USAID launched a new project in four southern Mexican states.
  • The United States and Mexico will convene a bilateral workshop on critical minerals by March 2025.
"""


def test_an_amount_change_a_removal_and_an_addition() -> None:
    changes = diff_items(extract_items(BEFORE), extract_items(AFTER))
    by_type = {change.type: change for change in changes}
    assert sorted(by_type) == ["commitment_added", "commitment_changed", "commitment_removed"]
    assert len(changes) == 3
    changed = by_type["commitment_changed"]
    assert changed.changes == {"amounts": {"before": ["$474 million"], "after": ["$520 million"]}}
    removed = by_type["commitment_removed"].before
    assert removed is not None
    assert "apprenticeships" in removed.sentence
    added = by_type["commitment_added"].after
    assert added is not None
    assert (added.deadline, "critical minerals" in added.sentence) == ("by March 2025", True)


def test_identical_and_reworded_versions_give_nothing() -> None:
    assert diff_items(extract_items(BEFORE), extract_items(BEFORE)) == []
    reworded = BEFORE.replace(
        "plan to convene a series of dialogues", "plan to convene a set of dialogues"
    )
    assert diff_items(extract_items(BEFORE), extract_items(reworded)) == []


def test_a_moved_deadline_is_a_change() -> None:
    later = BEFORE.replace("on October 24", "on November 7")
    (change,) = diff_items(extract_items(BEFORE), extract_items(later))
    assert change.changes == {"deadline": {"before": "on October 24", "after": "on November 7"}}


def test_versions_whose_commitments_are_equal_never_load_deepdiff() -> None:
    reworded = BEFORE.replace("a series of dialogues", "a set of dialogues")
    code = (
        "import sys\n"
        "from monitor.commitments import extract_items\n"
        "from monitor.commitments.diff import diff_items\n"
        f"assert diff_items(extract_items({BEFORE!r}), extract_items({reworded!r})) == []\n"
        "print('deepdiff' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["False"]
