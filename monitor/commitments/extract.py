"""The extractor: text → items (commitments and accomplishments) with their fields."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from monitor.commitments import morph
from monitor.commitments.actors import DefiniteBodies, find_actors, whose_work
from monitor.commitments.amounts import find_amounts
from monitor.commitments.classify import OCCASION_RULES, Decision, decide
from monitor.commitments.clauses import analyse
from monitor.commitments.deadlines import find_deadline
from monitor.commitments.meetings import meeting_told, reports_meeting_held
from monitor.commitments.model import ACCOMPLISHMENT, COMMITMENT, Item, Why
from monitor.commitments.parties import is_hled, joint_bodies, parties
from monitor.commitments.pillars import find_pillar
from monitor.commitments.split import Unit, units

# Where independent clauses meet: ";" and ", and" / ", but" / ", while" before a new subject.
_CLAUSE = re.compile(
    r";\s+(?:and\s+)?|,\s+(?:and|but|while)\s+(?=(?:as such,\s+)?[a-z]*\s*[a-zA-Z])"
)


def extract_items(text: str, whole: str | None = None) -> list[Item]:
    """Every commitment and accomplishment in ``text``, in order, with offsets into it.
    ``whole`` is the document ``text`` is a passage of (its parties and whether it is an
    HLED document are read from its title and opening)."""
    found: list[Item] = []
    previous: tuple[str, ...] = ()
    context = whole if whole is not None else text
    document = Document(
        parties(context), is_hled(context), joint_bodies(context), DefiniteBodies(context)
    )
    occasion: Item | None = None  # the first attendance line naming a meeting
    for unit in units(text):
        if _starts_block(text, unit.start):
            previous = ()  # a new paragraph or bullet: "The effort" refers within one block
        clauses = _clauses(unit)
        if not clauses and occasion is None:
            occasion = _occasion(unit, previous, document)
        for begin, end, decision in clauses:
            item = _item(unit, begin, end, decision, previous, document)
            if begin > unit.start and not analyse(item.sentence).subject:
                item = replace(item, actors=previous)  # "..., and as such, requested $46 billion"
            found.append(item)
            previous = found[-1].actors
        if not found or found[-1].span[1] != unit.end:
            named = find_actors(unit.text, previous, document.parties)
            if named and named != document.parties:  # "The effort" may refer to who it names
                previous = named
    if occasion and not any(reports_meeting_held(item.sentence) for item in found):
        found = sorted([*found, occasion], key=lambda item: item.span)
    return found


_PAST_FORMS = frozenset({"PAST", "PERFECT", "PASSIVE_PAST"})


def _occasion(unit: Unit, previous: tuple[str, ...], document: Document) -> Item | None:
    """An attendance line that names a meeting, as the report of that meeting (kept only
    when no item of the page says the meeting took place)."""
    decision = decide(unit)
    predicate = analyse(unit.text).predicate
    if decision.rule not in OCCASION_RULES or predicate is None:
        return None
    if not meeting_told(predicate.complement, past=predicate.form in _PAST_FORMS):
        return None
    told = Decision(ACCOMPLISHMENT, "the page's only report of its meeting", decision.marker)
    return _item(unit, unit.start, unit.end, told, previous, document)


def _starts_block(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip(" \t\u2022-*0123456789.)")


def _clauses(unit: Unit) -> list[tuple[int, int, Decision]]:
    """The unit, or its clauses when their kinds differ (not inside numbered lists). A unit
    whose main clause is no item takes the kind of its first clause that is one."""
    whole = decide(unit)
    pieces = _pieces(unit) if not unit.sub_items else []
    if len(pieces) > 1:
        decisions = [decide(unit, unit.text[b:e]) for b, e in pieces]
        if len({d.kind for d in decisions if d.kind}) > 1:
            return [
                (unit.start + b, unit.start + e, d)
                for (b, e), d in zip(pieces, decisions, strict=True)
                if d.kind
            ]
        if whole.kind is None:
            whole = next((d for d in decisions if d.kind), whole)
    return [(unit.start, unit.end, whole)] if whole.kind else []


def _pieces(unit: Unit) -> list[tuple[int, int]]:
    pieces, begin = [], 0
    matches = list(_CLAUSE.finditer(unit.text))
    for position, match in enumerate(matches):
        after = matches[position + 1].start() if position + 1 < len(matches) else len(unit.text)
        if (
            match.group().startswith(",")
            and _ends_series(unit.text[begin : match.start()])
            and not _independent(unit.text[match.end() : after])
        ):
            continue  # "better educated, more competitive, and better trained": one list
        pieces.append((begin, match.start()))
        begin = match.end()
    pieces.append((begin, len(unit.text)))
    return [(b, e) for b, e in pieces if len(unit.text[b:e].split()) >= 6]


SERIES_ITEM = 3  # words of a series' item ("more competitive") between its commas


def _ends_series(text: str) -> bool:
    """The text ends with the middle item of an "A, B, and C" series: a few words after a
    comma, none of them a verb. The "and" that follows joins the series' last item, not a
    clause of its own."""
    if "," not in text:
        return False
    words = text.rsplit(",", 1)[1].split()
    return 0 < len(words) <= SERIES_ITEM and not any(morph.verb_forms(w) for w in words)


# Words that modify what follows rather than name a doer: "better trained", "more skilled".
_DEGREE = frozenset(
    "more most less least better best worse worst very well fully highly increasingly".split()
)


def _independent(piece: str) -> bool:
    """The piece is a clause of its own: a main verb, with no subject (a second predicate:
    "..., 2023, and agreed to ...") or a subject that is no degree word ("better trained")."""
    clause = analyse(piece)
    if clause.predicate is None:
        return False
    words = clause.subject.split()
    return not words or not (words[0].lower() in _DEGREE or words[0].lower().endswith("ly"))


def _actors(
    unit: Unit, sentence: str, previous: tuple[str, ...], document: Document
) -> tuple[str, ...]:
    """Who acts; a bullet without a subject of its own takes its lead-in's."""
    owner = whose_work(unit.lead_in, sentence) if unit.bullet and unit.lead_in else ()
    if owner:
        return owner
    if unit.bullet and unit.lead_in and not analyse(sentence).subject:
        return find_actors(
            unit.lead_in, previous, document.parties, document.joint, document.bodies
        )
    return find_actors(sentence, previous, document.parties, document.joint, document.bodies)


@dataclass(frozen=True)
class Document:
    parties: tuple[str, ...]  # who "we" and "both countries" are
    hled: bool  # only an HLED document's items have a pillar
    joint: frozenset[str]  # acronyms of binational bodies: the parties acting together
    bodies: Mapping[str, str]  # "council" -> the one council the document names


def _item(
    unit: Unit,
    start: int,
    end: int,
    decision: Decision,
    previous: tuple[str, ...],
    document: Document,
) -> Item:
    sentence = unit.text[start - unit.start : end - unit.start]
    kind = decision.kind or ""
    amounts = find_amounts(sentence)
    deadline = find_deadline(sentence) if kind == COMMITMENT else None
    return Item(
        sentence=sentence,
        kind=kind,
        actors=_actors(unit, sentence, previous, document),
        action=_action(sentence),
        pillar=find_pillar(unit, sentence) if document.hled else None,
        deadline=deadline,
        amounts=amounts,
        specific=_specific(sentence, amounts, deadline),
        section=unit.section,
        span=(start, end),
        sub_items=unit.sub_items,
        why=Why(decision.marker, sentence, decision.rule),
    )


_VERB_PHRASE = re.compile(
    r"\b((?:will|intends? to|plans? to|seeks? to|committed to|agreed to|is set to|aims? to)\s+"
    r"[\w.-]+(?:\s+[\w.-]+){0,5}|[a-z]+ed\s+(?:an?|the)?\s*[\w.-]+(?:\s+[\w.-]+){0,4})"
)


def _action(sentence: str) -> str:
    match = _VERB_PHRASE.search(sentence)
    return match.group(1).strip() if match else " ".join(sentence.split()[:8])


_CONCRETE = re.compile(
    r"\b(?:working group|memorandum|forum|summit|program|programme|project|plan|dialogue|"
    r"campaign|glossary|course|delegation|pilot|mechanism|sub-committee|committee|exchange|"
    r"declaration|initiative|center|centre|roundtable|meetings?)\b|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)


def _specific(sentence: str, amounts: tuple[object, ...], deadline: str | None) -> bool:
    return bool(amounts or deadline or _CONCRETE.search(sentence))
