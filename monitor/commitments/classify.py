"""Is a clause a commitment, an accomplishment, or neither? Decided from its structure.

The clause's main predicate (clauses.py) gives the tense or modality; its subject says who acts.
A commitment is a future, intended or agreed action by an actor, or a deliverable in progress;
an accomplishment is a completed action (past, present perfect, or a quantified present status).
Not items: meeting talk and stances ("discussed", "are committed to"), attendance, what a body,
plan, document or event is or will do, hypotheticals, context figures and a speaker's own
feelings. Bullets that carry no finite verb of their own inherit their lead-in's kind. Every
decision names its rule and the words that carried it (``Decision``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.commitments import morph
from monitor.commitments.amounts import find_amounts
from monitor.commitments.clauses import REPORTING, Clause, analyse
from monitor.commitments.embedded import dated_founding, listed_results
from monitor.commitments.leadins import lead_in_kind
from monitor.commitments.model import ACCOMPLISHMENT, COMMITMENT
from monitor.commitments.split import Unit
from monitor.commitments.subjects import (
    ACTOR,
    BODY,
    SPEAKER,
    STATISTIC,
    THING,
    head_noun,
    subject_kind,
)

ATTENDANCE_RULE = "attendance or who hosted or chaired"


def no_action_rule(form: str) -> str:
    """The rule that rejects a predicate form telling no act ("passive: no action")."""
    return f"{form.lower()}: no action"


# Who attended, or being "pleased to issue" a statement celebrating a meeting: no act, but
# a page's only word on its meeting (see `meetings`).
OCCASION_RULES = frozenset({ATTENDANCE_RULE, no_action_rule("PASSIVE")})

# Verbs that report talk or a stance, not an act ("we discussed", "reaffirmed our respect").
TALK = frozenset(
    "discuss consider explore review examine recognize acknowledge reiterate reaffirm affirm "
    "express emphasize underscore underline stress note remark celebrate applaud commend "
    "praise congratulate reflect observe hope believe say state add remark tell call urge "
    "recommend".split()
)
# Welcoming progress or efforts is a stance; welcoming a delegation or a signing tells an act.
WELCOME = frozenset({"welcome", "appreciate"})
_WELCOMED = re.compile(
    r"^\s*(?:(?:the|their|our|this|these|its|all|[A-Z][\w.-]*['\u2019]s)\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:progress|efforts?|work|results|advances|achievements|accomplishments|steps|"
    r"contributions|momentum|success|leadership|engagement)\b",
    re.IGNORECASE,
)
# What the welcomed thing will do or did: "the work of X, which will publish a report".
_TOLD_ACT = re.compile(r"\b(?:which|that|who)\s+(?:will|has|have|had|\w+ed)\b")
_VIEWS = re.compile(r"\s*(?:\w+\s+)?(?:views|ideas|opinions|perspectives|thoughts)\b", re.I)
ATTENDANCE = frozenset(
    "attend travel participate chair co-chair accompany speak comprise consist compose".split()
)
# Verbs of state, not of action: "has become", "has depended upon", "has continued its work".
STATIVE = frozenset(
    "become depend remain have seem appear exist need require mean come see include contain "
    "involve".split()
)
# What a relationship is, not an act: "deepened our integration", "committed to transforming
# our cooperation".
_RELATIONSHIP = re.compile(
    r"^\s*(?:\w+ing\s+)?(?:(?:our|their|the|its|an?|this|that)\s+)?"
    r"(?:(?!(?:memorand|letter|agreement|accord|arrangement|declaration|charter)\w*\s)"
    r"[\w-]+\s+){0,3}?"  # "a memorandum of cooperation" is a document, not an outcome
    r"(?:cooperation|partnership|relationship|ties|friendship|integration|collaboration|"
    r"alliance|bonds?|vision|values|understanding|awareness|trust)\b"  # lower case: a
)  # capitalised "Memorandum of Understanding" is a document, not an outcome
# What a body, plan, document or event does when it is described rather than acting.
DESCRIPTIVE = frozenset(
    "provide highlight spotlight identify improve allow help serve guide include focus support "
    "promote enhance benefit be become offer enable drive make give bring increase reduce "
    "contribute represent remain continue foster facilitate strengthen address ensure "
    "complement reflect build set advance achieve".split()
)
# Aims with no product of their own: "are working to strengthen regional supply chains".
BROAD_AIMS = frozenset(
    "strengthen improve enhance promote foster deepen advance address facilitate ensure".split()
)
# Making a deliverable: "are drafting a methodology" is work in progress towards a product.
CREATION = frozenset("draft craft prepare develop design build write create establish".split())
OCCURRENCE = frozenset("take begin start open convene meet launch hold".split())
_CONCRETE = re.compile(
    r"\b(?:working group|memorandum|mou|forum|summit|programs?|programmes?|projects?|plans?|"
    r"dialogue|campaign|glossary|course|delegation|pilot|mechanism|committee|exchange|"
    r"declaration|initiative|center|centre|roundtable|meetings?|workshops?|conferences?|map|"
    r"agreements?|report|study|benchmarks?|fund|grants?|strategy)\b|"
    r"\b[A-Z]\w+ (?:[A-Z]\w+ )*(?:Act|Programs?|Centers?|Plan|Initiative|Council|Group|Forum|"
    r"Agreement|Framework|Facility|Agenda|Dialogue|Declaration|Strategy)\b|\([A-Z]{2,}\)|"
    r"\bMemorand(?:um|a) of Understanding\b",
)
_REPORTED_INTENT = re.compile(
    r"^\s*(?:(?:its|their|our|his|her|the|[A-Z][\w.-]*['\u2019]s)\s+)?"
    r"(?:intention|plan|commitment|pledge|decision)\s+"
    r"to\b|\b(?:committing|pledging)\s+to\b",
    re.IGNORECASE,
)
_ABSTRACT_OBJECT = re.compile(
    r"^\s*(?:the\s+)?(?:importance|need|benefits?|value|significance|principles?)\b", re.I
)
_PERSON_AGENT = re.compile(
    r"\bby\s+(?:the\s+)?(?:[A-Z][\w.-]+\s+){0,4}(?:Secretary|President|Ambassador|Minister|"
    r"Director|Chairman|Chair|Administrator|Representative|Under\s?[Ss]ecretary|Advisor)\b"
    r"|\bby\s+(?:[A-Z][a-z]+\s+){1,3}[A-Z][a-z]+,\s+(?:Under|Assistant|Deputy)?\s?[A-Z]"
)


@dataclass(frozen=True)
class Decision:
    kind: str | None
    rule: str  # which rule decided, in a few words
    marker: str  # the words that carried the decision, as written


def decide(unit: Unit, text: str | None = None, lead_in: str | None = None) -> Decision:
    clause = analyse(text if text is not None else unit.text)
    decision = _by_structure(unit, clause, lead_in)
    if decision.kind is None and _quotation(clause.text):
        quoted = _inside_quotation(unit, clause.text)
        if quoted is not None:
            return quoted
    return decision


def _by_structure(unit: Unit, clause: Clause, lead_in: str | None) -> Decision:
    predicate = clause.predicate
    if predicate is None or predicate.form in {"GERUND", "IMPERATIVE"}:
        return _listed(unit, clause, lead_in)
    verb, marker = predicate.verb, predicate.marker
    who = subject_kind(clause.subject)
    if unit.topic and _summary(clause, who):
        return Decision(None, "topic sentence introducing a list", marker)
    if who == SPEAKER:
        return Decision(None, "the speaker's own remarks", marker)
    if _is_talk(verb, predicate.complement):
        return _talk(clause, marker)
    if verb in REPORTING and _quotation(predicate.complement):
        return Decision(None, "a quotation of praise or rhetoric", marker)
    if verb in ATTENDANCE or _hosted_by_person(predicate.form, verb, predicate.complement):
        return Decision(None, ATTENDANCE_RULE, marker)
    if who == STATISTIC:
        return Decision(None, "a context figure", marker)
    return _by_form(clause, who)


def _summary(clause: Clause, who: str) -> bool:
    """An actor's general claim that the list below details ("X advanced workforce
    development."): no deliverable, no figure of its own."""
    assert clause.predicate is not None
    complement = clause.predicate.complement
    head = _OBJECT_END.split(complement, 1)[0]  # "significant progress" under a named plan
    return (
        who == ACTOR
        and clause.predicate.form in {"PAST", "PERFECT", "PROGRESSIVE", "PRESENT"}
        and not _CONCRETE.search(head)
        and not find_amounts(complement)
    )


_VISION = re.compile(
    r"\s*(?:\w+\s+){0,2}?(?:our|their|its|a|the)\s+(?:\w+\s+)?(?:vision|values|principles)\b"
)
_TOPICS = frozenset("topic issue question concern matter subject idea theme".split())
_OBJECT_END = re.compile(r"\s(?:under|in|for|with|on|across|at|through|since|during)\s")


def _by_form(clause: Clause, who: str) -> Decision:
    assert clause.predicate is not None
    form, marker = clause.predicate.form, clause.predicate.marker
    if form in {"FUTURE", "INTENT", "STANCE", "AGREED_ON"}:
        return _forward(clause, who)
    if form == "PROGRESSIVE":
        return _progressive(clause, who)
    if form == "PASSIVE_PROGRESSIVE":
        return Decision(COMMITMENT, "deliverable in progress", marker)
    if form in {"PAST", "PERFECT", "PASSIVE_PAST"}:
        return _completed(clause, who)
    if form == "PRESENT":
        return _present(clause)
    return Decision(None, no_action_rule(form), marker)


def _forward(clause: Clause, who: str) -> Decision:
    """Future, intended, agreed or committed: a commitment when an actor does something."""
    assert clause.predicate is not None
    form, verb, marker = clause.predicate.form, clause.predicate.verb, clause.predicate.marker
    complement = clause.predicate.complement
    if verb.startswith("be ") and re.match(r"[^.;]*?\bby\s+(?:the\s+)?[A-Z]", complement):
        who = ACTOR  # "Programs ... will be led by AMEXCID": the agent acts
    if form == "FUTURE":
        return _future(clause, who)
    if form == "INTENT":
        if who in {THING, BODY} and verb.split()[-1] in OCCURRENCE:
            return Decision(COMMITMENT, "a scheduled event", marker)
        if who in {THING, BODY}:
            return Decision(None, "the aim of a plan, document or project", marker)
        return Decision(COMMITMENT, "intended or agreed action", marker)
    if form == "STANCE":
        if _RELATIONSHIP.search(complement) or not re.match(r"\s*\w+ing\b", complement):
            return Decision(None, "a stance towards a relationship or principle", marker)
        return Decision(COMMITMENT, "committed to an action", marker)
    if _ABSTRACT_OBJECT.search(complement):
        return Decision(None, "agreement on a principle", marker)
    return Decision(COMMITMENT, "agreed actions", marker)


def _future(clause: Clause, who: str) -> Decision:
    """ "will": an actor's act is a commitment; a body's or a thing's only when it is an event
    that takes place, or a concrete or counted deliverable."""
    assert clause.predicate is not None
    verb, marker = clause.predicate.verb, clause.predicate.marker
    complement = clause.predicate.complement
    if who != ACTOR and verb in DESCRIPTIVE:
        return Decision(None, "what a body, plan, document or event does", marker)
    if _VISION.match(complement):
        return Decision(None, "a vision or values, not an act", marker)
    counted = _quantified(complement) or _quantified(clause.subject)  # "2,000 students will"
    if who == THING and not (
        verb.split()[-1] in OCCURRENCE or _CONCRETE.search(complement) or counted
    ):
        return Decision(None, "what a plan, document or event will do", marker)
    return Decision(COMMITMENT, "future action (will/shall)", marker)


def _completed(clause: Clause, who: str) -> Decision:
    assert clause.predicate is not None
    form, verb, marker = clause.predicate.form, clause.predicate.verb, clause.predicate.marker
    complement = clause.predicate.complement
    if _REPORTED_INTENT.search(complement):
        return Decision(COMMITMENT, "a completed act that creates an obligation", marker)
    if verb in STATIVE or (verb == "continue" and not re.match(r"\s*to\s", complement)):
        return Decision(None, "a state, not an action", marker)
    last = clause.subject.rsplit(", ", 1)[-1]  # after a long opening phrase
    if form == "PASSIVE_PAST" and {head_noun(clause.subject), head_noun(last)} & _TOPICS:
        return Decision(None, "a topic raised: talk, not an act", marker)
    acted = (verb == "help" and _acts_after(complement)) or _measured_result(clause)
    if form != "PASSIVE_PAST" and who in {THING, BODY} and verb in DESCRIPTIVE and not acted:
        return Decision(None, "what a body, plan or event did (a description)", marker)
    if form != "PASSIVE_PAST" and _RELATIONSHIP.search(complement):
        return Decision(None, "an outcome for the relationship, not an act", marker)
    return Decision(ACCOMPLISHMENT, "completed action", marker)


def _measured_result(clause: Clause) -> bool:
    """A program's result measured as a change: "The pilot program has reduced wait times by
    30 percent" (a trend's, "The nearshoring trend has reduced costs by 20 percent", is none)."""
    assert clause.predicate is not None
    return bool(_MEASURED.search(clause.predicate.complement) and _RUN.search(clause.subject))


_RUN = re.compile(r"\b(?:programs?|programmes?|projects?|pilots?|initiatives?|centers?)\b", re.I)
_MEASURED = re.compile(
    r"\bby\s+(?:up to\s+|about\s+|nearly\s+|more than\s+|over\s+)?\d[\d,.]*\s*(?:percent\b|%)"
)


def _acts_after(complement: str) -> bool:
    """ "helped establish 13 centers", "helped to create jobs": the act is the next verb."""
    words = complement.split()
    if words and words[0] == "to":
        words = words[1:]
    return bool(words) and morph.is_base(words[0])


def _talk(clause: Clause, marker: str) -> Decision:
    """Talk is not an act; a reaffirmed commitment to a concrete deliverable is."""
    assert clause.predicate is not None
    commitment = re.search(r"\bcommitment to\b(.*)", clause.predicate.complement)
    if (
        clause.predicate.verb in {"reaffirm", "reiterate"}
        and commitment
        and _CONCRETE.search(commitment.group(1))
        and subject_kind(clause.subject) == ACTOR
    ):
        return Decision(COMMITMENT, "reaffirmed commitment to a concrete action", marker)
    if listed_results(clause.predicate.verb, clause.predicate.complement):
        return Decision(ACCOMPLISHMENT, "results recognized and listed as acts", marker)
    return Decision(None, "meeting talk or a stance", marker)


def _progressive(clause: Clause, who: str) -> Decision:
    assert clause.predicate is not None
    marker, complement = clause.predicate.marker, clause.predicate.complement
    if who == THING:
        return Decision(None, "what a plan or program is doing", marker)
    if _quantified(complement, direct=True):
        return Decision(ACCOMPLISHMENT, "present status with a quantified result", marker)
    aim = re.match(r"\s*to\s+(\w+)", complement)  # "are working to strengthen supply chains"
    if aim and morph.lemma(aim[1]) in BROAD_AIMS and not _measurable(complement):
        return Decision(None, "broad ongoing work, no deliverable", marker)
    if (
        re.match(r"\s*to\s", complement)
        or _CONCRETE.search(complement)
        or (clause.predicate.verb in CREATION and re.match(r"\s*an?\s", complement))
    ):
        return Decision(COMMITMENT, "deliverable in progress", marker)
    return Decision(None, "broad ongoing work, no deliverable", marker)


def _present(clause: Clause) -> Decision:
    assert clause.predicate is not None
    marker = clause.predicate.marker
    if _quantified(clause.predicate.complement, direct=True):
        return Decision(ACCOMPLISHMENT, "present status with a quantified result", marker)
    opener = analyse(clause.opener.rstrip(",")) if clause.opener else None
    if opener and opener.predicate and opener.predicate.form == "IMPERATIVE":
        return Decision(None, "description", marker)
    first = clause.opener.split(" ", 1)[0] if clause.opener else ""
    if first and first[0].isupper() and first.endswith("ed"):
        return Decision(ACCOMPLISHMENT, "concrete act in a participial opener", first)
    founding = dated_founding(clause.subject)
    if founding:
        return Decision(ACCOMPLISHMENT, "dated founding in an appositive participle", founding)
    return Decision(None, "habitual present: a description", marker)


def _quantified(complement: str, direct: bool = False) -> bool:
    """A count or sum in what follows the verb; ``direct``: as its object ("assisting 2,400
    people", not "a pilot at three ports")."""
    head = " ".join(complement.split()[:8])
    amounts = [amount for amount in find_amounts(head) if amount.unit != "percent"]
    if not direct or not amounts:
        return bool(amounts)
    return head.lstrip().startswith(amounts[0].text) or bool(
        re.match(r"\s*(?:a total of|nearly|more than|over|about|some)\s", complement)
    )


def _measurable(complement: str) -> bool:
    """A named deliverable, a figure or a date: "to build 12 lanes", "to improve ... by 2025"."""
    return bool(
        _CONCRETE.search(complement) or find_amounts(complement) or _DATED.search(complement)
    )


_DATED = re.compile(r"\b(?:19|20)\d\d\b")


def _is_talk(verb: str, complement: str) -> bool:
    """Talk or a stance: "discussed", "welcomed the progress", "exchanged views"."""
    if verb in WELCOME:
        return bool(_WELCOMED.match(complement)) and not _TOLD_ACT.search(complement)
    return verb in TALK or (verb == "exchange" and bool(_VIEWS.match(complement)))


def _hosted_by_person(form: str, verb: str, complement: str) -> bool:
    if verb == "join" and form in {"PASSIVE", "PASSIVE_PAST"}:
        return True
    return verb in {"host", "chair", "lead", "attend"} and bool(_PERSON_AGENT.search(complement))


def _listed(unit: Unit, clause: Clause, lead_in: str | None) -> Decision:
    """A bullet without a finite verb: its lead-in's kind, or a work-plan item."""
    marker = clause.predicate.marker if clause.predicate else ""
    inherited = lead_in_kind(lead_in if lead_in is not None else unit.lead_in)
    # Only the bullet's opening words complete the lead-in; a verbless piece after ", and"
    # inside the bullet ("..., and consult on trade issues") continues the bullet's own clause.
    if unit.bullet and inherited and unit.text.startswith(clause.text):
        return Decision(inherited, "bullet completing its lead-in", marker or "lead-in")
    if clause.predicate and clause.predicate.form == "IMPERATIVE":
        if unit.bullet or unit.workplan or unit.run_in:
            return Decision(COMMITMENT, "work-plan or objective item", marker)
    if unit.workplan and unit.bullet:
        return Decision(COMMITMENT, "work-plan item", "work plan")
    return Decision(None, "no main verb", marker)


def _quotation(text: str) -> bool:
    return bool(re.search(r"[\u201c\"][^\u201d\"]{20,}", text))


def _inside_quotation(unit: Unit, text: str) -> Decision | None:
    """A commitment announced inside a quotation ("..., and we agreed to make it permanent")."""
    match = re.search(r"[\u201c\"]([^\u201d\"]{20,})", text)
    assert match is not None
    for piece in re.split(r",\s+and\s+|;\s+", match.group(1)):
        clause = analyse(piece)
        if clause.predicate is None or subject_kind(clause.subject) != ACTOR:
            continue
        marker, complement = clause.predicate.marker, clause.predicate.complement
        if clause.predicate.form == "INTENT":
            return Decision(COMMITMENT, "agreed action inside a quotation", marker)
        concrete = _CONCRETE.search(complement) or _quantified(complement)
        if clause.predicate.form == "FUTURE" and concrete and clause.predicate.verb != "be":
            return Decision(COMMITMENT, "concrete action announced in a quotation", marker)
    return None
