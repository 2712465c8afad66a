"""Keyword matching, case- and accent-insensitive: "Diálogo Económico" ~ "dialogo economico"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache


def fold(text: str) -> str:
    """Lower case, no accents, hyphens and underscores as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[-_\u2010-\u2015/]+", " ", bare).split())


@lru_cache(maxsize=64)
def _pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(fold(keyword)) for keyword in keywords if keyword.strip())
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if alternatives else re.compile(r"$^")


def matches(texts: Iterable[str | None], keywords: tuple[str, ...]) -> bool:
    """Whether any keyword occurs, as whole words, in any of ``texts``."""
    pattern = _pattern(keywords)
    return any(pattern.search(fold(text)) for text in texts if text)


VERIFY_BLOCKS = 3  # a vague link's page is kept when its title or these first blocks match


def opening_matches(title: str | None, blocks: Sequence[str], keywords: tuple[str, ...]) -> bool:
    """Whether a vague link's page is about the subject: the check's rule, and the dry run's."""
    return matches([title, *blocks[:VERIFY_BLOCKS]], keywords)


def first_match(texts: Iterable[str | None], keywords: tuple[str, ...]) -> tuple[str, str] | None:
    """(keyword, text) of the first keyword found in ``texts``: why a link was kept."""
    for text in texts:
        if text:
            for keyword in keywords:
                if keyword.strip() and _pattern((keyword,)).search(fold(text)):
                    return keyword, text
    return None
