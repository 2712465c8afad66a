"""The benchmark's policy pages: deterministic, in their size range, and edited as promised."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import sitegen

_ARTICLE = re.compile(r"<div class='(?:entry-content|clearfix [^']*)'>(.*)</div></article>")
PAGES = range(40)


def _article(index: int, article_version: int, chrome_version: int = 0) -> str:
    found = _ARTICLE.search(sitegen.build_page(index, article_version, chrome_version, "policy"))
    assert found is not None
    return found.group(1)


def _sentences(html: str) -> list[str]:
    paragraphs = re.findall(r"<p>(.*?)</p>", html)
    return [s for p in paragraphs for s in re.split(r"(?<=\.) ", p)]


def test_policy_pages_are_deterministic_and_sized_as_stated() -> None:
    for index in PAGES:
        for versions in ((0, 0), (1, 1)):
            page = sitegen.build_page(index, *versions, "policy")
            assert page == sitegen.build_page(index, *versions, "policy")
            size = len(page.encode())
            assert sitegen.POLICY_MIN_BYTES <= size <= sitegen.POLICY_MAX_BYTES, (index, size)


def test_policy_pages_are_mostly_sentences_with_amounts_and_bullets() -> None:
    for index in PAGES:
        page, article = sitegen.build_page(index, 0, 0, "policy"), _article(index, 0)
        assert len(article) > 0.6 * len(page)
        assert article.count("<li>") >= 10
        assert sum("$" in sentence for sentence in _sentences(article)) >= 50


def test_an_edit_rewords_one_sentence_and_adds_one_bullet() -> None:
    for index in PAGES:
        old, new = _article(index, 0), _article(index, 1)
        old_sentences, new_sentences = _sentences(old), _sentences(new)
        assert len(old_sentences) == len(new_sentences)
        assert sum(a != b for a, b in zip(old_sentences, new_sentences, strict=True)) == 1
        old_bullets, new_bullets = (
            re.findall(r"<li>.*?</li>", old),
            re.findall(r"<li>.*?</li>", new),
        )
        assert len(new_bullets) == len(old_bullets) + 1
        assert set(old_bullets) <= set(new_bullets)


def test_new_chrome_leaves_the_policy_article_alone() -> None:
    for index in PAGES:
        assert sitegen.build_page(index, 0, 0, "policy") != sitegen.build_page(
            index, 0, 1, "policy"
        )
        assert _article(index, 0, 0) == _article(index, 0, 1)
        assert _article(index, 1, 0) == _article(index, 1, 1)
