from __future__ import annotations

from monitor.text.textdiff import diff_blocks, word_diff


def test_an_amount_change_shows_word_by_word() -> None:
    old = ["Intro.", "EPA and CONAGUA will invest a combined $474 million in border water.", "End."]
    new = ["Intro.", "EPA and CONAGUA will invest a combined $520 million in border water.", "End."]
    diff = diff_blocks(old, new, "version 1", "version 2")
    (change,) = diff.changes
    assert ("-", "$474") in change.words
    assert ("+", "$520") in change.words
    assert "combined [-$474-] {+$520+} million" in change.compact()
    assert "-EPA and CONAGUA will invest a combined $474 million" in diff.line_diff
    assert "+EPA and CONAGUA will invest a combined $520 million" in diff.line_diff


def test_removed_and_added_blocks_are_separate_changes() -> None:
    diff = diff_blocks(["a", "b", "c", "d"], ["a", "c", "d", "e"], "1", "2")
    assert [(c.before, c.after) for c in diff.changes] == [("b", ""), ("", "e")]


def test_identical_text_has_no_changes() -> None:
    assert diff_blocks(["a"], ["a"], "1", "2").changes == ()


def test_compact_keeps_only_a_little_context() -> None:
    before = " ".join(f"w{i}" for i in range(40)) + " old"
    after = " ".join(f"w{i}" for i in range(40)) + " new"
    compact = diff_blocks([before], [after], "1", "2").changes[0].compact()
    assert compact.startswith("… w32")
    assert compact.endswith("[-old-] {+new+}")
    assert word_diff("a b", "a c") == (("=", "a"), ("-", "b"), ("+", "c"))
