"""Amounts as written: money (a currency sign, code or name, with its scale), percentages, and
counts in digits or words with the thing counted."""

from __future__ import annotations

import re

from monitor.commitments import morph
from monitor.commitments.model import Amount

_QUALIFIER = r"(?:(?:more than|over|nearly|almost|about|approximately|at least|up to|less than|" \
             r"an additional|some)\s+)?"  # fmt: skip
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9}  # "$12.5M", "EUR 2bn"  # fmt: skip
# A currency before the number ("$", "US$", "MXN", "EUR", "\u20ac") or after it ("pesos").
_CODES = {"$": "USD", "US$": "USD", "USD": "USD", "MX$": "MXN", "MXN": "MXN", "EUR": "EUR",
          "\u20ac": "EUR", "CAD": "CAD", "C$": "CAD", "BRL": "BRL", "R$": "BRL", "INR": "INR",
          "GBP": "GBP", "\u00a3": "GBP"}  # fmt: skip
_NAMES = {"pesos": "MXN", "dollars": "USD", "euros": "EUR", "reais": "BRL", "rupees": "INR",
          "pounds": "GBP"}  # fmt: skip
_MONEY = re.compile(
    _QUALIFIER + r"(US\$|MX\$|C\$|R\$|\$|\u20ac|\u00a3|(?:USD|MXN|EUR|CAD|BRL|INR|GBP)\b)\s?"
    r"(\d[\d,]*(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion)|(bn|mn|[MBKmbk])\b)?"
    r"(?:\s*(?:pesos|MXN|USD|dollars))?"
)
_MONEY_NAMED = re.compile(
    _QUALIFIER
    + r"(\d[\d,]*(?:\.\d+)?|"
    + "|".join(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"])
    + r")(?:\s*(thousand|million|billion|trillion))?\s+(pesos|dollars|euros|reais|rupees|pounds)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\b(\d+(?:\.\d+)?)\s?(?:%|percent\b)")
_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_WORD_NUMBER = (
    rf"(?:(?:{_TENS})-(?:{_UNITS})|(?:{'|'.join(sorted(_WORDS, key=len, reverse=True))}))"
    r"(?:\s+(?:hundred|thousand|million|billion))?"
)
_NUMBER = (
    r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s+(?:thousand|million|billion))?|" + _WORD_NUMBER + r")"
)
_COUNT = re.compile(
    r"(?<![\w$.,/-])" + _QUALIFIER + _NUMBER + r"(?![\w%,.-]*\d)(?=((?:\s+[\w'\u2019-]+){1,6}))",
    re.IGNORECASE,
)
_STOP = frozenset(
    "in from to of for on at with by through that who which were was are is across throughout "
    "as per under during between the a an including participating thus so while where when "
    "and or will shall would could should may might can must within over into after before "
    "since until around among toward towards via against".split()
)
_COUNTABLE_SINGULAR = frozenset("youth people staff personnel women men children".split())
_NOT_COUNTED = frozenset(
    "governments countries nations presidents pillars years months days weeks times sides "
    "leaders parties decades hours minutes goals objectives".split()
)


def find_amounts(sentence: str) -> tuple[Amount, ...]:
    text = sentence.replace("\\$", "$")
    found: list[tuple[int, Amount]] = []
    taken: list[tuple[int, int]] = []
    for match in _MONEY.finditer(text):
        currency = "MXN" if re.search(r"pesos", match.group(), re.I) else _CODES[match.group(1)]
        scale = (match.group(3) or match.group(4) or "").lower()
        value = _number(match.group(2)) * _SCALE.get(scale, 1)
        found.append((match.start(), Amount(match.group().strip(), value, currency)))
        taken.append(match.span())
    for match in _MONEY_NAMED.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        value = _number(match.group(1)) * _SCALE.get((match.group(2) or "").lower(), 1)
        currency = _NAMES[match.group(3).lower()]
        found.append((match.start(), Amount(match.group().strip(), value, currency)))
        taken.append(match.span())
    for match in _PERCENT.finditer(text):
        found.append((match.start(), Amount(match.group(), float(match.group(1)), "percent")))
        taken.append(match.span())
    for match in _COUNT.finditer(text):
        if any(start <= match.start() < end for start, end in taken) or _is_date(text, match):
            continue
        amount = _count(match)
        if amount is not None:
            found.append((match.start(), amount))
    return tuple(amount for _position, amount in sorted(found, key=lambda pair: pair[0]))


def _count(match: re.Match[str]) -> Amount | None:
    """A number and the noun phrase it counts ("seven customs teams", "1.2 million jobs")."""
    words = match.group(2).split()
    kept: list[str] = []
    for index, word in enumerate(words):
        bare = word.strip(",.;:()")
        lowered = bare.lower()
        if lowered in _STOP and not (lowered == "and" and kept and _goes_on(words[index:])):
            break
        if kept and _is_verb(bare):
            break  # "two governments hosted ...": the count ended at the verb
        kept.append(bare)
        if word != bare or (_countable(bare) and not _continues(words[index + 1 :])):
            break  # punctuation, or a counted noun the phrase does not go on from
    while kept and not _countable(kept[-1]):
        kept.pop()
    if not kept or kept[-1].lower() in _NOT_COUNTED or kept[0].lower() == "and":
        return None
    number_text = match.group(1)
    prefix = match.group()[: match.group().lower().find(number_text.lower())]
    text = f"{prefix}{number_text} {' '.join(kept)}".strip()
    return Amount(text, _number(number_text), kept[-1].lower())


def _continues(following: list[str]) -> bool:
    """After a counted noun: another noun ("customs teams") or "and" + more."""
    if not following:
        return False
    nxt = following[0].strip(",.;:()").lower()
    if nxt == "and":
        return _and_more(following)
    return nxt not in _STOP and not _is_verb(nxt)


def _goes_on(following: list[str]) -> bool:
    """ "construction and modernization projects": "and" joins modifiers, not a new count."""
    if len(following) < 2:
        return False
    nxt = following[1].strip(",.;").lower()
    return nxt not in _WORDS and not nxt[:1].isdigit() and nxt not in _STOP


def _is_verb(word: str) -> bool:
    forms = morph.verb_forms(word)
    return bool(forms & {"VBD", "VBZ"}) and "NOUN" not in morph.other_readings(word)


def _and_more(following: list[str]) -> bool:
    """ "youth and farmers": the phrase goes on through "and" to another counted noun, but not
    to another number ("teams and twenty-five inspectors")."""
    if len(following) < 2 or following[0] != "and":
        return False
    nxt = following[1].strip(",.;").lower()
    return _countable(nxt) and nxt not in _WORDS and not nxt[:1].isdigit() and "-" not in nxt


def _countable(word: str) -> bool:
    lowered = word.lower()
    return lowered in _COUNTABLE_SINGULAR or (lowered.endswith("s") and len(lowered) > 3
                                             and not lowered.endswith("ss"))  # fmt: skip


def _is_date(text: str, match: re.Match[str]) -> bool:
    number = match.group(1)
    before = text[max(0, match.start() - 12) : match.start()]
    return bool(
        re.fullmatch(r"(?:19|20)\d\d", number)
        or re.search(r"(?:January|February|March|April|May|June|July|August|September|October|"
                     r"November|December|Orders?|Law|No\.|Section|Title|Article)\s*$", before)
    )  # fmt: skip


def _number(text: str) -> float:
    """ "1.2 million", "twenty-five", "one hundred", "12,000" as a value."""
    parts = text.lower().split()
    scale = _SCALE.get(parts[-1], 100.0 if parts[-1] == "hundred" else 1.0) if len(parts) > 1 else 1
    head = parts[0]
    if "-" in head and head.split("-")[0] in _WORDS:
        tens, units = head.split("-", 1)
        value = float(_WORDS[tens] + _WORDS.get(units, 0))
    elif head in _WORDS:
        value = float(_WORDS[head])
    else:
        value = float(head.replace(",", ""))
    return value * scale
