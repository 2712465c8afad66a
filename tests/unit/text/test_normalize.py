from __future__ import annotations

import random
import re
import unicodedata

import pytest

from monitor.text.normalize import (
    _PUNCTUATION,
    clean_blocks,
    clean_normalized,
    is_breadcrumb,
    normalize_text,
)


def reference(text: str) -> str:
    """normalize_text as first written, without the ASCII fast path."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION)
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  plain\tASCII \n text  ", "plain ASCII text"),
        ("\u201cQuoted\u201d \u2013 it\u2019s\u00a0here", '"Quoted" - it\'s here'),
        ("\ufb01nance\u00ad \u2003 co\u200bop", "finance coop"),
        ("", ""),
    ],
)
def test_normalize_text(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


def test_the_fast_paths_give_what_the_full_normalisation_gives() -> None:
    spaces = [chr(i) for i in range(0x3000 + 1) if chr(i).isspace()]
    punctuation = [chr(key) for key in _PUNCTUATION]
    alphabet = [
        *spaces,
        *"aZ9-'\"",
        *punctuation,
        "\ufb01",
        "\u00bd",
        "\u2022",
        "e\u0301",
        "\u00e9",
    ]
    rng = random.Random(7)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert normalize_text(text) == reference(text), repr(text)


def test_cleaning_normalised_blocks_gives_what_cleaning_raw_ones_gives() -> None:
    # A dropped soft hyphen brings combining marks together: normalising once is not enough.
    alphabet = [" ", "a", "e", ".", "\u00ad", "\u0301", "\u0316", "\u2019", "\u2022 ", " \u00bb "]
    rng = random.Random(11)
    blocks = ["e\u00ad\u0301", "a\u0301\u00ad\u0316", "Back to top", "A \u00bb B \u00bb C \u00bb D"]
    blocks += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(5000)
    ]
    assert clean_normalized(map(normalize_text, blocks)) == clean_blocks(blocks)
    assert clean_normalized([normalize_text("e\u00ad\u0301")]) == ["\u00e9"]


@pytest.mark.parametrize(
    ("text", "trail"),
    [
        ("Home \u00bb About Us \u00bb Press Office \u00bb Fact Sheets", True),
        ("Home \u00bb About Us \u00bb Press Office \u00bb Fact Sheets.", False),
        ("Home / Trade / Pillars / Pillar I:", False),
        ("Home / Trade / Pillars / Pillar I", True),
        ("", False),
    ],
)
def test_a_trail_never_ends_like_a_sentence(text: str, trail: bool) -> None:
    assert is_breadcrumb(text) is trail
