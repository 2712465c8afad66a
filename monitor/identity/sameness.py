"""When two pages are one document: the rules a copy ("twin") must pass, each on its own.

A copy is the same document published at another address: the same title once publisher
prefixes and site suffixes are removed, the same publication date (within a few days, when both
pages give one), and near-identical whole text. HLED statements are annual and reuse last
year's wording, so a page that changes a year, a date, a meeting's ordinal or an amount, or adds
a passage of its own, is a new document however alike the rest is. When unsure, the answer is
"not the same": a duplicate alert costs less than a missed statement.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from monitor.text.article import strip_site_suffix

DATE_DAYS = 3  # publication dates further apart than this: two documents
TITLE_CUTOFF = 90  # token_sort_ratio of two titles with the same facts (a word or two differ)
# A passage one text has and the other lacks, in words: inside the text, a phrase at most (a
# name spelled out, a word dropped); at either end, a publisher's dateline, preface or sign-off.
MIDDLE_WORDS = 6
EDGE_WORDS = 60
DATELINE_WORDS = 12  # "The following joint statement was released on September 29, 2023."

# Who published it, or the kind of post it is, written before the title: "Media Note: ...".
_PUBLISHER_PREFIX = re.compile(
    r"^(?:(?:the )?white house|briefing room|statements? (?:and|&) releases|"
    r"office of the spokesperson|(?:u\.?s\.? )?department of (?:state|commerce)|"
    r"state department|ustr|(?:office of the )?united states trade representative|"
    r"international trade administration|u\.?s\.? embassy[\w .,-]{0,40}|"
    r"media notes?|press releases?|news(?: releases?)?|fact sheets?)\s*[:|\u2013\u2014-]\s+",
    re.IGNORECASE,
)
_UNITED_STATES = re.compile(r"\bunited states\b|\bu\.\s?s\.(?=\W|$)|\bu\.s\b")
_NON_WORD = re.compile(r"[\W_]+")
_ORDINALS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
    "inaugural".split()
)
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_DAY = re.compile(r"0?[1-9]|[12]\d|3[01]")
_DAY_SUFFIXES = frozenset(("st", "nd", "rd", "th"))
_YEAR = re.compile(r"(?:19|20)\d\d")
_NUMBER_START = frozenset("$0123456789")  # amounts, years, dates, 3rd
# Words of a text: amounts and numbers whole ($1.5, 2,000), else runs of letters and digits.
_TOKEN = re.compile(r"\$?\d(?:[\d,.]*\d)?%?|\w+")


def title_key(title: str) -> str:
    """A title as compared: no publisher prefix or site suffix, case, accents or punctuation."""
    text = strip_site_suffix(unicodedata.normalize("NFKC", title).strip())
    while True:
        stripped = _PUBLISHER_PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    text = _UNITED_STATES.sub(" us ", text.casefold())
    return " ".join(_NON_WORD.sub(" ", text).split())


def same_title(title: str, other: str) -> bool:
    """The same title, but for wording; never when years, dates or ordinals differ."""
    first, second = title_key(title), title_key(other)
    if not first or not second:
        return False  # a page that says nothing of itself: not provably the same
    if first == second:
        return True
    facts = _facts(first.split()) == _facts(second.split())
    return facts and fuzz.token_sort_ratio(first, second) >= TITLE_CUTOFF


def same_date(published: str | None, other: str | None) -> bool:
    """Within DATE_DAYS of each other, when both are known; unknown on either side: no veto."""
    if not published or not other:
        return True
    try:
        gap = date.fromisoformat(published[:10]) - date.fromisoformat(other[:10])
    except ValueError:
        return True
    return abs(gap.days) <= DATE_DAYS


def substantive_difference(text: str, other: str) -> str | None:
    """What makes two near-identical texts two documents, or None when nothing does.

    Compared word by word: a changed number, date, ordinal or month (2023 -> 2024, third ->
    fourth); a number one text has that the other never mentions; or a passage longer than a
    phrase that only one text has (MIDDLE_WORDS inside, EDGE_WORDS at either end, where a
    publisher's dateline or preface goes). A dateline only one copy opens with ("WASHINGTON,
    September 29, 2023 -") is the publisher's, not the statement's: no difference.
    """
    if text == other:
        return None
    first, second = words(text), words(other)
    everywhere: tuple[set[str], set[str]] | None = None  # each text's facts, when needed
    for i1, i2, j1, j2 in _differences(first, second):
        removed, added = first[i1:i2], second[j1:j2]
        at_edge = (i1 == 0 and j1 == 0) or (i2 == len(first) and j2 == len(second))
        limit = EDGE_WORDS if at_edge else MIDDLE_WORDS
        if max(len(removed), len(added)) > limit:
            return f"a passage of {max(len(removed), len(added))} words only one text has"
        one_sided = removed if not added else added if not removed else []
        if i1 == 0 and j1 == 0 and _dateline(one_sided):
            continue  # one copy's own dateline: "WASHINGTON, September 29, 2023 -"
        gone, new = _facts(removed), _facts(added)
        if removed and added and gone != new:
            return f"{' '.join(removed)} -> {' '.join(added)}"
        if gone or new:
            everywhere = everywhere or (set(_facts(first)), set(_facts(second)))
            unmatched = (set(new) - everywhere[0]) | (set(gone) - everywhere[1])
            if unmatched:
                return f"{', '.join(sorted(unmatched))} in one text only"
    return None


def _differences(first: list[str], second: list[str]) -> Iterator[tuple[int, int, int, int]]:
    """Each run of words that differs: (start, end) in ``first``, then in ``second``.

    rapidfuzz aligns the two word lists (an LCS, in C++; difflib took ~75 ms for two copies
    of a 5,000-character statement); its deletions and insertions next to each other are one
    run.
    """
    run: list[int] | None = None
    for op in Indel.opcodes(first, second):
        if op.tag == "equal":
            if run is not None:
                yield run[0], run[1], run[2], run[3]
            run = None
        elif run is None:
            run = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            run[1], run[3] = op.src_end, op.dest_end
    if run is not None:
        yield run[0], run[1], run[2], run[3]


def words(text: str) -> list[str]:
    """The words compared: case-folded, numbers whole, punctuation and markup gone."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def _dateline(tokens: Sequence[str]) -> bool:
    """A short opening whose only facts are one date, written together: a publisher's dateline."""
    if not tokens or len(tokens) > DATELINE_WORDS:
        return False
    tokens = [token for token in tokens if token not in _DAY_SUFFIXES]  # 29th: "29", "th"
    places = [i for i, token in enumerate(tokens) if _is_fact(token)]
    if not places or places[-1] - places[0] != len(places) - 1:
        return False  # no facts, or facts apart from each other: a sentence, not a date
    date = [tokens[i] for i in places]
    months = [token for token in date if token in _MONTHS]
    days = [token for token in date if _DAY.fullmatch(token)]
    years = [token for token in date if _YEAR.fullmatch(token)]
    return (
        len(months) == 1
        and len(days) <= 1
        and len(years) <= 1
        and len(date) == len(months + days + years)
    )


def _facts(tokens: Sequence[str]) -> list[str]:
    """The tokens that make a statement another one: numbers, ordinals and months, in order."""
    return [token for token in tokens if _is_fact(token)]


def _is_fact(token: str) -> bool:
    if token[0] in _NUMBER_START:
        return True
    return token in _ORDINALS or token in _MONTHS
