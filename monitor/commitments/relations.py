"""How a later item reports on an earlier one (restated, changed, progressed, fulfilled), read
from the two items alone and the names their documents give things. Conservative: a link needs
a shared named thing (a program, body or acronym) or near-identical wording; omission alone
never means anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from monitor.commitments.deliverables import like_thing, same_thing
from monitor.commitments.diff import record
from monitor.commitments.model import Item
from monitor.commitments.names import (
    NO_ALIASES,
    Aliases,
    abbreviates,
    contains,
    is_deliverable,
    named_things,
)
from monitor.commitments.periods import reports_on_period_plan

SAME = 88  # token_set_ratio of the salient words: the same statement
OVERLAP = 0.4  # share of the shorter item's salient words found in the other
MIN_SHARED = 4
RESTATE_OVERLAP = 0.6  # a promise made again shares most of its words (chosen on both sets)
_STOP = frozenset(
    "the and of to in for on with a an by our their its both two united states mexico mexican "
    "will have has been is are was were this that these those as at from through including "
    "government governments countries nations u.s us also new more than other such into across "
    "between among under over hled high-level economic dialogue promote support enhance "
    "strengthen improve develop work working collaborate collaboration cooperation coordinate "
    "efforts effort initiatives initiative opportunities opportunity region regional shared "
    "joint bilateral together intend intends plan plans seek committed commit continue "
    "continued advance advanced established launched hosted held which while where who what "
    "during since year years today first second third related issues areas area sectors sector "
    "priority priorities".split()
)
# A sentence is read once, not once per pair compared: `check` re-links the whole ledger.
_READ_CACHE = 8192


@dataclass(frozen=True)
class Reading:
    """An item as the linker compares it: its content words, the things it names and the
    things it tells the founding of, names resolved by its own document's aliases."""

    item: Item
    words: frozenset[str]
    names: frozenset[str]
    deliverables: frozenset[str]
    founded: frozenset[str]


# A trailing reason ("..., recognizing the importance of X") is why, not what, was promised.
_REASON = re.compile(
    r",\s+(?:recognizing|recognising|noting|acknowledging|in recognition of)\b.*$", re.S
)


def read(item: Item, aliases: Aliases = NO_ALIASES) -> Reading:
    names = aliases.resolve(named_things(item.sentence))
    return Reading(
        item,
        salient_words(_REASON.sub("", item.sentence)),
        names,
        aliases.deliverables(names),
        aliases.resolve(founded_names(item.sentence)),
    )


def relate(old: Item, new: Item) -> str | None:
    """How ``new`` (later) reports on ``old`` (earlier), or None."""
    return relate_readings(read(old), read(new))


def relate_readings(old: Reading, new: Reading) -> str | None:
    a, b = old.words, new.words
    same = same_wording(a, b)
    if old.item.kind == "accomplishment":
        return _retold(old, new, same)
    if old.item.pillar and new.item.pillar and old.item.pillar != new.item.pillar:
        return None
    if new.item.kind == "accomplishment":
        done = _promise_done(old, new)
        if done:
            return done
    shared = _shared_words(old, new)
    overlap = len(shared) / max(1, min(len(a), len(b)))
    if not same and (len(shared) < MIN_SHARED or overlap < OVERLAP):
        return None
    if new.item.kind == "accomplishment":
        return "progressed"
    if not same and overlap < RESTATE_OVERLAP:
        return None  # two promises sharing a few topic words are two promises
    return "restated" if _same_terms(old.item, new.item) else "changed"


def _retold(old: Reading, new: Reading, same: bool) -> str | None:
    """A report told again, or later work of a named project or of a plan for a year."""
    if new.item.kind != "accomplishment":
        return None
    if same or old.founded & new.founded:
        return "restated"
    if _same_project(old, new) or _period_plan_reported(old, new):
        return "progressed"
    return None


def _promise_done(old: Reading, new: Reading) -> str | None:
    """A report of the very thing promised (fulfilled), or of a thing of its kind, of the
    same effort under another kind, of the parties meeting as they promised to meet, or of
    the year a plan was agreed for (progressed), whatever the other words."""
    if same_deliverable(old, new) or same_thing(old.item.sentence, new.item.sentence):
        return "fulfilled"  # the body or event promised is reported done, however worded
    if like_thing(old.item.sentence, new.item.sentence) or _same_core(old, new) or _met(old, new):
        return "progressed"  # an event of the promised kind on part of its subject
    if _period_plan_reported(old, new):
        return "progressed"  # the year's actions agreed, then reported on
    return None


def _period_plan_reported(old: Reading, new: Reading) -> bool:
    """One body's plan for a year, then its report on that year: the year's plan in both,
    and a body or program both name ("the ESC", "the Steering Committee")."""
    return reports_on_period_plan(old.item.sentence, new.item.sentence) and any(
        contains(a, b) or abbreviates(a, b) or abbreviates(b, a)
        for a in old.names
        for b in new.names
    )


# Verb forms only: "information", "formal" and "foundation" found nothing.
_FOUNDING = re.compile(
    r"\b(?:(?:re)?launch(?:ed|es|ing)?|found(?:ed|ing)|establish(?:ed|es|ing)?|"
    r"creat(?:e|ed|es|ing)|form(?:ed|s|ing)?|adopt(?:ed|s|ing)?|formali[sz](?:e|ed|es|ing))\b",
    re.I,
)
_FOUNDED_OPENER = re.compile(r"^(?:Founded|Established|Launched|Created|Formed)\b[^,]*,\s*")
FOUNDING_REACH = 8  # words between a founding verb and the name it founds
# What makes the name before a founding verb the thing founded, not its founder.
_PASSIVE_BEFORE = re.compile(r"(?:\b(?:was|were|is|are|been|being)(?:\s+\w+ly)?|,)\s*$")


@lru_cache(maxsize=_READ_CACHE)
def founded_names(sentence: str) -> frozenset[str]:
    """The names a founding verb is about: those within a few words of it (its object, or
    its subject in the passive), and the subject after a participial opener ("Founded in
    2013, X ..."). Two items founding one name tell the same fact ("MUSEIC was formally
    launched ...", "Founded in May 2013, MUSEIC ..."); a name they merely both mention (an
    agency, a technology) is not enough."""
    found: set[str] = set()
    opener = _FOUNDED_OPENER.match(sentence)
    if opener:
        found |= named_things(" ".join(sentence[opener.end() :].split()[:FOUNDING_REACH]))
    for verb in _FOUNDING.finditer(sentence):
        before = sentence[: verb.start()].split()[-FOUNDING_REACH:]
        after = sentence[verb.end() :].split()[:FOUNDING_REACH]
        by_agent = bool(after) and after[0] == "by"  # "launched by our governments"
        passive = by_agent or bool(_PASSIVE_BEFORE.search(sentence[: verb.start()]))
        if passive or verb.group() == "launch":
            found |= named_things(" ".join(before))  # "X was launched", "the X launch"
        if not passive:  # "X, adopted at the meeting of Y": Y is where, not what
            found |= named_things(" ".join(after))  # "USAID launched X": X, not USAID
    return frozenset(found)


def _same_terms(old: Item, new: Item) -> bool:
    a, b = record(old), record(new)
    return (a["amounts"], a["deadline"]) == (b["amounts"], b["deadline"]) or not (
        a["amounts"] or a["deadline"]
    )


def same_deliverable(old: Reading, new: Reading) -> bool:
    """The body or program ``old`` promises to found is the one ``new`` reports founded
    ("create a Bilateral Supply Chain Working Group", "established a Supply Chain Working
    Group"; an acronym and the name it stands for are one). A later item that only mentions
    the body ("hosted by MUSEIC") reports on the body, not on the promise."""
    promised = old.founded & old.deliverables
    return any(contains(a, b) for a in promised for b in new.founded)


@lru_cache(maxsize=_READ_CACHE)
def salient_words(sentence: str) -> frozenset[str]:
    """Content words, crudely singular: what two items must share to be about one thing."""
    found = set()
    for word in re.findall(r"[a-z][a-z0-9-]{2,}", sentence.lower()):
        if word not in _STOP:
            found.add(re.sub(r"(?<!s)s$", "", re.sub(r"ies$", "y", word)))
    return frozenset(found)


SAME_SHARE = 0.5  # of the longer item's words: below it, one item only contains the other


def same_wording(a: frozenset[str], b: frozenset[str]) -> bool:
    """The same statement: near-identical content words, and most of the longer item's. A
    short summary whose few words all recur in a long report is not that report told again
    ("advanced semiconductor workforce development", then the delegation that did it)."""
    if len(a & b) < SAME_SHARE * max(len(a), len(b)):
        return False
    return fuzz.token_set_ratio(" ".join(sorted(a)), " ".join(sorted(b))) >= SAME


def _shared_words(old: Reading, new: Reading) -> set[str]:
    """The content words both items use, a name both carry counted as one word: a report
    that mentions the promised council shares its name, not four words of its topic."""
    shared = set(old.words & new.words)
    for name in old.names:
        if any(contains(name, other) for other in new.names):
            words = salient_words(name)
            if words & shared:
                shared = (shared - words) | {name}
    return shared


CORE_WORDS = 2  # a name's words besides its kind that make it one effort under two kinds


def _same_core(old: Reading, new: Reading) -> bool:
    """One effort named with two kinds ("the 21st Century Border Management Initiative", "the
    21st Century Border Management Process"): the words before the kind are the same."""
    cores = {_core(name): name for name in old.deliverables}
    cores.pop("", None)
    return any(cores.get(_core(name), name) != name for name in new.deliverables)


def _core(name: str) -> str:
    words = name.split()
    if len(words) <= CORE_WORDS or not is_deliverable(name):
        return ""
    core = " ".join(words[:-2] if name.endswith("working group") else words[:-1])
    return core if len(core.split()) >= CORE_WORDS else ""


_PROJECT = re.compile(r"\b(?:project|program|programme)$")


def _same_project(old: Reading, new: Reading) -> bool:
    """A later report of one named project's work ("worked with COFEPRIS through the Medical
    Devices ... Project", then "the MDRC project trained 1,400 participants"): a project is
    a deliverable that advances; a council or committee acting again is news of its own."""
    projects = {name for name in old.names if _PROJECT.search(name)}
    return any(contains(a, b) for a in projects for b in new.names)


# A promise of a series of meetings, and a report that the same parties met: each meeting is
# a step. (One next meeting, "will meet again in 2024", is kept by one meeting, not progressed.)
_TO_MEET = re.compile(
    r"\b(?:meet|meeting|meetings)\b[^.]*\b(?:annually|regularly|semi-annually|quarterly|"
    r"each year|every year)\b",
    re.IGNORECASE,
)
_MET = re.compile(r"\bmet\b")


def _met(old: Reading, new: Reading) -> bool:
    """One meeting of a series promised ("committed to meeting annually ..." and "met today
    ... for the third meeting"): held by the same parties, it is progress on the promise."""
    return bool(
        old.item.actors
        and set(old.item.actors) == set(new.item.actors)
        and _TO_MEET.search(old.item.sentence)
        and _MET.search(new.item.sentence)
    )
