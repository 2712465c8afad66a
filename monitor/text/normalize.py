"""Text normalisation: the same article always yields the same blocks and fingerprint."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2032": "'",
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
        "\ufeff": None,
    }
)
_CRUMB_SEPARATOR = re.compile(r"\s[\u00bb\u203a>/|]\s")  # guillemet, angle quote, >, /, |
_SENTENCE_ENDS = frozenset(".!?:")
_PUNCTUATION_FOUND = re.compile("[" + "".join(re.escape(chr(key)) for key in _PUNCTUATION) + "]")

# Whole blocks that are site chrome when they leak into an article container.
_BOILERPLATE = re.compile(
    r"^(?:scroll to top|back to top|stay connected|sign up|subscribe|share|share this|print|"
    r"tweet|email|facebook|x|twitter|linkedin|copy link|"
    r"(?:last )?updated:? .{0,40}|"
    r"this is historical material \"?frozen in time\"?.*|"
    r"we'll be in touch with the latest information.*)$",
    re.IGNORECASE,
)


def normalize_text(text: str) -> str:
    """NFKC, straight quotes and dashes, no soft hyphens, single spaces."""
    # Each step only when it would change something: ASCII is already NFKC and holds none of
    # _PUNCTUATION's keys, and both checks run in C, unlike translate() on non-ASCII text.
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        if _PUNCTUATION_FOUND.search(text):
            text = text.translate(_PUNCTUATION)
    # str.split() splits on exactly the characters \s matches in a str pattern
    return " ".join(text.split())


def clean_blocks(blocks: Iterable[str]) -> list[str]:
    """Normalise blocks and drop empty ones and leaked chrome lines."""
    return clean_normalized(map(normalize_text, blocks))


def clean_normalized(blocks: Iterable[str]) -> list[str]:
    """``clean_blocks`` of blocks ``normalize_text`` made already: the same blocks, cheaper.

    ``normalize_text`` of its own output changes nothing unless NFKC would: the quotes and
    dashes are replaced already and the spaces single. NFKC can, where a dropped soft hyphen
    brought combining marks together; only such blocks are normalised again.
    """
    cleaned = []
    for block in blocks:
        settled = block.isascii() or unicodedata.is_normalized("NFKC", block)
        text = block if settled else normalize_text(block)
        bare = text.removeprefix("• ")
        if text and not _BOILERPLATE.match(bare) and not is_breadcrumb(bare):
            cleaned.append(text)
    return cleaned


def is_breadcrumb(text: str) -> bool:
    """ "Home » About Us » Press Office » Fact Sheets": a trail that leaked into the body."""
    if text[-1:] in _SENTENCE_ENDS:
        return False  # the last crumb would end like a sentence (most blocks do): no split
    crumbs = _CRUMB_SEPARATOR.split(text)
    return len(crumbs) >= 4 and all(
        0 < len(c) <= 90 and c[-1] not in _SENTENCE_ENDS for c in crumbs
    )


def fingerprint(blocks: Iterable[str]) -> str:
    """Decides "changed": a hash of the normalised blocks, never of raw HTML."""
    return hashlib.sha256("\n".join(blocks).encode("utf-8")).hexdigest()
