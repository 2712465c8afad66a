"""The nesting measure taken before parsing (monitor/text/htmldepth.py; issue 13, item 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ExtractError
from monitor.text.article import extract_page, html_blocks, parse_html
from monitor.text.htmldepth import MAX_DEPTH, UNMEASURED, too_deep

N = 6000  # more tags than UNMEASURED, so every shape below is measured
PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"

DEEP = {
    "nested divs": "<body>" + "<div>" * N,
    "nested and closed": "<body>" + "<div>" * N + "x" + "</div>" * N,
    "nested spans": "<body>" + "<span>" * N,
    "formatting with attributes": "<body><p>" + "".join(f"<b id={i}>" for i in range(N)),
    "items in sections": "<body><ul>" + "<li><section>" * N,
    "cells in svg": "<body><table><td><svg>" + "<td>" * N,
    "paragraphs closed by divs": "<body>" + "<p><div>" * N,
    "end tags outside their scope": "<body>" + "<div><table></div></table>" * N,
    "end tags of nothing open": "<body>" + "<div></span>" * N,
    "comments between": "<body>" + "<div><!-- </div> -->" * N,
}
FLAT = {
    "unclosed paragraphs": "<body>" + "<p>x" * N,
    "unclosed list items": "<body><ul>" + "<li>x" * N,
    "unclosed cells and rows": "<body><table>" + "<tr><td>x<td>y" * N,
    "unclosed definitions": "<body><dl>" + "<dt>a<dd>b" * N,
    "unclosed options": "<body><select>" + "<option>a" * N,
    "unclosed links in paragraphs": "<body>" + "<p><a name=x>x" * N,
    "unclosed bold in paragraphs": "<body>" + "<p><b>x" * N,
    "self-closed svg paths": "<body><svg>" + "<path d='M0 0'/>" * N + "</svg>",
    "closed siblings": "<body>" + "<div><span>x</span></div>" * N,
    "markup in scripts": "<body><script>" + "'<div>' + " * N + "''</script><p>x",
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_a_deep_shape_is_measured_as_deep(name: str) -> None:
    assert too_deep(DEEP[name])


@pytest.mark.parametrize("name", sorted(FLAT))
def test_a_shape_that_builds_a_flat_tree_is_not(name: str) -> None:
    assert not too_deep(FLAT[name])


def test_real_pages_are_far_from_the_limit() -> None:
    for path in PAGES.glob("*.html"):
        html = path.read_text(encoding="utf-8")
        padded = "<!--" + "<" * UNMEASURED + "-->" + html  # measured, whatever its size
        assert not too_deep(padded, limit=60), path.name


def test_a_page_too_deep_to_parse_fails_before_parsing() -> None:
    # lexbor alone takes minutes to build this tree: it is refused unparsed.
    with pytest.raises(ExtractError, match=f"nested deeper than {MAX_DEPTH}: not parsed"):
        extract_page("<html><body><article>" + "<div>" * 100_000 + "HLED")


def test_the_walk_never_recurses_and_bounds_the_depth() -> None:
    shallow = parse_html("<body><div>" + "<span>" * 900 + "HLED" + "</span>" * 900 + "</div>")
    root = shallow.css_first("div")
    assert root is not None
    with pytest.raises(ExtractError, match="nested deeper"):
        html_blocks(root)  # 900 deep: the old recursive walk raised RecursionError here
    ok = parse_html("<body><div>" + "<span>" * 400 + "HLED" + "</span>" * 400 + "</div>")
    node = ok.css_first("div")
    assert node is not None
    assert html_blocks(node) == ["HLED"]
