"""Text → candidate units: sentences with their section, bullet and list context.

Blocks are lines. Bullets (``•``, ``-``, ``*``, ``1.``) and run-in headings are stripped from
the unit; headings (short lines without a sentence end) become the section; lead-ins ending in
``:`` are context for the list that follows. Sentences come from sentencex (compiled, so the
splitting costs microseconds), with initialisms it cut ("Mexico-U." / "S. Entrepreneurship")
and numbered sub-objectives (``1) ...; 2) ...``) joined back into their sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sentencex import segment

from monitor.commitments.clauses import analyse

_BULLET = re.compile(r"^(\s*)(?:[•\-*\u2013\u25aa\u25cf\u00b7]|\d{1,2}[.)])\s+")
_CHROME = re.compile(
    r"(scroll to top|stay connected|^sign up$|we'll be in touch|opt in to send|^#+$|"
    r"historical material|^top$|^share\b|^print\b|^https?://\S+$|^<https?://|\u00bb|^\[.*\]\(.*\)$)",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .,]{2,40}|[A-Z][\w .]{2,30}, [A-Z][a-z]+\.? \d{1,2}, \d{4})\s*"
    r"[\u2013\u2014-]{1,2}\s*(?=[A-Z])"
)
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")
_LIST_CONJUNCTION = re.compile(r";\s+(?:and|or)$")
_LIST_ITEM_END = re.compile(r"[;,](?:\s+(?:and|or))?$")
_NUMBERED = re.compile(r"^\s*\d{1,2}\)\s")
_RUN_IN = re.compile(
    r"^(?:\*\*|__)?([A-Z][A-Za-z0-9 .,&'\u2019-]{2,60})(?:\*\*|__)?:(?:\*\*|__)?\s+(?=[A-Z])"
)
_PILLAR = re.compile(r"\bpillar\s+(i{1,3}|iv|[1-4])\b", re.IGNORECASE)
# The 2021 HLED pillars' names, as a heading of their own.
_PILLAR_NAMES = {
    "building back together": 1,
    "promoting sustainable economic and social development in southern mexico and central "
    "america": 2,
    "securing the tools for future prosperity": 3,
    "investing in our people": 4,
}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class Unit:
    text: str
    start: int
    end: int
    section: str | None
    pillar: int | None  # from a "PILLAR I" heading above, if any
    bullet: bool
    lead_in: str | None  # the "...:" line a list item completes
    topic: bool  # a one-sentence paragraph introducing the list below it
    workplan: bool  # under a "Work Plan" heading
    sub_items: tuple[str, ...] = ()
    run_in: bool = False  # after a run-in label ("Joint objective 1.1.1: Promote ...")


@dataclass
class _Context:
    section: str | None = None
    pillar: int | None = None
    lead_in: str | None = None
    workplan: bool = False
    pillars_seen: bool = False


def units(text: str) -> Iterator[Unit]:
    lines = _lines(text)
    context = _Context()
    for index, (offset, line) in enumerate(lines):
        content, start, bullet = _strip_bullet(line, offset)
        content = _LIST_CONJUNCTION.sub(";", content)  # "...; and": the unit ends at ";"
        if not content or _CHROME.search(content) or _is_dateline(content):
            continue
        if _is_heading(content):
            _enter_section(context, content, in_list=bullet or _follows_list(lines, index))
            continue
        if content.endswith(":") and not bullet:
            context.lead_in = content
            continue
        if not bullet:
            context.lead_in = None
        dateline = _DATELINE.match(content)
        if dateline:  # "MEXICO CITY\u2014" or "Mexico City, May 21, 2013 \u2013 ": not the unit's
            start, content = start + dateline.end(), content[dateline.end() :]
        section = context.section
        run_in = _RUN_IN.match(content)
        if run_in:
            section, start, content = run_in.group(1), start + run_in.end(), content[run_in.end() :]
        sentences = list(_sentences(content, start))
        topic = not bullet and len(sentences) == 1 and _next_is_bullet(lines, index)
        for sentence, begin, sub_items in sentences:
            yield Unit(sentence, begin, begin + len(sentence), section, context.pillar, bullet,
                       context.lead_in if bullet else None, topic, context.workplan,
                       sub_items, run_in is not None)  # fmt: skip


def _lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their offsets; a sentence wrapped over lines is one line again
    (its hard line breaks kept, so it still matches the text)."""
    found: list[tuple[int, str]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if found and bare.strip() and _continues_line(found[-1][1], bare):
            start = found[-1][0]
            found[-1] = (start, text[start : offset + len(bare)])
        else:
            found.append((offset, bare))
        offset += len(line)
    return [(start, line) for start, line in found if line.strip()]


def _continues_line(previous: str, line: str) -> bool:
    """ "... will launch a joint" + "workforce program ...": the sentence goes on."""
    if not previous.strip() or _BULLET.match(line) or _SENTENCE_END.search(previous.rstrip()):
        return False
    if previous.rstrip().endswith((":", ";")):
        return False
    return line[:1].islower() or (previous.rstrip()[-1:] in ",(" and not line[:1].isspace())


def _strip_bullet(line: str, offset: int) -> tuple[str, int, bool]:
    match = _BULLET.match(line)
    body_start = match.end() if match else len(line) - len(line.lstrip())
    content = line[body_start:].rstrip()
    return content, offset + body_start, match is not None


_CALENDAR = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:sday)?|"
    r"wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|[ap]\.?m\.?|"
    r"[A-Z]{1,2}[SD]?T|CET|UTC|GMT|published|updated|posted)\b|\d+",
    re.IGNORECASE,
)


def _is_dateline(content: str) -> bool:
    """A date, a time or a timestamp on its own line ("2:50 P.M. CET"): neither heading nor unit."""
    rest = re.findall(r"[A-Za-z]{2,}", _CALENDAR.sub(" ", content))
    if len(rest) == 0 and re.search(r"\d", content):
        return True
    # "Washington, D.C. \u2013 September 20, 2013": a place, then the date, on its own line
    return bool(_PLACE_DATE.match(content))


_PLACE_DATE = re.compile(
    r"^[A-Z][\w.]*(?:[ ,]+[A-Z][\w.]*){0,4}\s*[,\u2013\u2014-]+\s*"
    r"(?:[A-Z][a-z]+day,?\s+)?[A-Z][a-z]+\.? \d{1,2},? \d{4}\s*$"
)


def _is_heading(content: str) -> bool:
    """A short line without a sentence end; a long one only when it has no finite verb (a
    sentence cut short, "Today the ESC adopted the 2012 Action Plan that", is no heading)."""
    words = content.split()
    if _SENTENCE_END.search(content) or content.endswith(":") or len(words) > 16:
        return False
    if _LIST_ITEM_END.search(content):  # "Develop a strategy ...;": a list goes on
        return False
    if len(words) < 7:
        return True
    predicate = analyse(content).predicate
    return predicate is None or predicate.form in {"GERUND", "IMPERATIVE", "COPULA", "PRESENT"}


def _follows_list(lines: list[tuple[int, str]], index: int) -> bool:
    """The line before is a lead-in ("... four pillars:") or a pillar's name without a bullet
    mark: this line is an item of that list even when its bullet mark was lost."""
    if index == 0:
        return False
    before, _start, marked = _strip_bullet(lines[index - 1][1], 0)
    return before.endswith(":") or (not marked and _pillar_named(before) is not None)


def _pillar_named(heading: str) -> int | None:
    return _PILLAR_NAMES.get(heading.lower().strip(" .:"))


def _enter_section(context: _Context, heading: str, in_list: bool = False) -> None:
    context.section, context.lead_in = heading, None
    pillar = _PILLAR.search(heading)
    named = None if in_list else _pillar_named(heading)
    if pillar or named:  # "Pillar I: ...", or the pillar's name as a heading (not in a list)
        context.pillar = _ROMAN[pillar.group(1).lower()] if pillar else named
        context.pillars_seen = True
    lowered = heading.lower()
    if "work plan" in lowered or "workplan" in lowered:
        context.workplan = True
    elif not pillar and not context.pillars_seen:
        context.workplan = context.workplan and len(heading.split()) < 12


def _next_is_bullet(lines: list[tuple[int, str]], index: int) -> bool:
    for _offset, line in lines[index + 1 : index + 3]:
        if _BULLET.match(line):
            return True
        if not _is_heading(line.strip()):
            return False
    return False


def _sentences(content: str, start: int) -> Iterator[tuple[str, int, tuple[str, ...]]]:
    spans = _spans(content)
    merged: list[list[int]] = []
    for begin, end in spans:
        piece = content[begin:end]
        if merged and (
            _NUMBERED.match(piece) or _continues(content[merged[-1][0] : merged[-1][1]])
        ):
            merged[-1][1] = end
        else:
            merged.append([begin, end])
    for begin, end in merged:
        sentence = content[begin:end].rstrip()
        lead = len(sentence) - len(sentence.lstrip())
        sentence = sentence.strip()
        if sentence:
            yield sentence, start + begin + lead, _sub_items(sentence)


def _spans(content: str) -> list[tuple[int, int]]:
    """Sentence offsets in ``content``; a cut inside an initialism ("U." | "S. ...") undone."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in segment("en", content):
        begin = content.find(piece.strip(), cursor)
        if begin < 0 or not piece.strip():
            continue
        end = begin + len(piece.strip())
        if (
            spans
            and _INITIAL.search(content[spans[-1][0] : spans[-1][1]])
            and (_INITIAL_NEXT.match(content, begin))
        ):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((begin, end))
        cursor = end
    return spans


_INITIAL = re.compile(r"(?:^|[\s(-])[A-Z]\.$")
_INITIAL_NEXT = re.compile(r"[A-Z]\.")


def _continues(previous: str) -> bool:
    """The segmenter split a sentence with numbered sub-objectives ("...: 1) ...; 2) ...")."""
    return bool(re.search(r"(?:\d\)\s[^.]*;\s*(?:and\s*)?|:\s*)$", previous.rstrip()))


def _sub_items(sentence: str) -> tuple[str, ...]:
    parts = re.split(r"(?:^|[\s;:])(\d{1,2})\)\s+", sentence)
    if len(parts) < 5:
        return ()
    items = [parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)]
    return tuple(re.sub(r";?\s*(?:and\s*)?$", "", item).strip() for item in items)
