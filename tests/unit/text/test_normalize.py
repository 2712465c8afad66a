from __future__ import annotations

import random
import re
import unicodedata

import pytest

from monitor.text.normalize import _PUNCTUATION, normalize_text


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
