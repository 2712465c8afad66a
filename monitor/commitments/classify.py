"""Is a sentence a commitment, an accomplishment, or neither? Explainable rules, in order.

1. Negatives: meeting talk ("we discussed"), quotations, principles, the HLED as subject,
   purposes of things ("This project aims to..."), statistics, attendance.
2. Commitment markers: will/shall (not in a relative clause), intend/plan/seek/aim to, set or
   scheduled to, committed/agreed/decided to, concrete reaffirmed commitments, deliverables in
   progress, and imperative work-plan bullets.
3. Accomplishment markers: completed actions in the past (or present perfect) by an actor, and
   present status with a quantified result.
A one-sentence paragraph that introduces a list is a topic sentence: only a strong commitment
marker makes it an item.
"""

from __future__ import annotations

import re

from monitor.commitments.split import Unit

COMMITMENT, ACCOMPLISHMENT = "commitment", "accomplishment"

_NEGATIVE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(?:(?:in our meeting today|finally|during the meeting),?\s+)?(?:we|they|participants|"
        r"both (?:countries|governments|sides)|the (?:two )?(?:governments|countries|delegations)|"
        r"the united states and mexico)\s+(?:also\s+)?(?:discussed|considered|explored|reviewed)\b",
        r"\b(?:remarked|stated|noted|added|emphasized|underscored|said)\b.*[\"\u201c]|"
        r"[\"\u201c][^\"\u201d]{20,}[\"\u201d]\s*,?\s*(?:\w+\s){0,4}(?:said|stated|noted|added)",
        r"^[\"\u201c]|^as the (?:vice )?president noted",
        r"\b(?:acknowledged|recognized?|recognizes) (?:the need|that|the importance)",
        r"\bshould benefit\b|^our goal is\b|\bprinciples? of\b.*\bshould\b",
        r"^(?:as [^,]+,\s+|since \d{4},\s+)?(?:the\s+|our\s+|this\s+)?hled(?:'s|\u2019s)?\s"
        r"(?!(?:meeting|meetings)\b)",
        r"^(?:the|this|these|that|it)\s+(?:[\w.-]+\s+){0,3}(?:project|program|programme|"
        r"mechanism|action plan|update|initiative|course|summit|forum|collaboration|cooperation|"
        r"effort|endeavor|document|approach|pilot|plan|agenda|dialogue|partnership)s?\s+"
        r"(?:aims?|is intended|are intended|is designed|intends|provides?|is available|"
        r"will be (?:a|an|the)|has the potential|have the potential|was made possible|"
        r"focuse[sd]|increases)\b",
        r"^(?:it|this) (?:provides|is|was|consists|represents a)\b(?!.*\baims? to\b)",
        r"^(?:with this cooperation|as a result),",
        r"\b(?:total trade|trade in goods|largest (?:trading )?partner|all-time high)\b",
        r"\bchaired the hled\b|\bdelegation (?:was comprised|consisted)\b|\bin attendance\b|"
        r"\bwill (?:attend|travel|co-chair|lead the delegation)\b",
        r"\bcommitment to (?:regional|the longstanding|our (?:shared|strategic))\b",
        r"^(?:work|activities) under this pillar\b",
        r"\b(?:coordinate|collaborate) on a daily basis\b",
    )
]

_STRONG = re.compile(
    r"\b(?:intends?|intended|intention|plans?|planned)\s+to\b|\bseeks?\s+to\b|"
    r"\b(?:is|are)\s+(?:set|scheduled)\s+to\b|\bscheduled\s+(?:to|for)\b|\bon track to\b|"
    r"\b(?:committed|commits?|committing|pledged?)(?:,[^,]{0,40},)?\s+to\b|\bagreed\s+to\b|\bdecided\s+to\b|"
    r"\bjoined the (?:collective )?goal\b|\bannounced (?:its|their) intention\b|"
    r"\breaffirm(?:ed|s)? (?:our|their|its) commitment to (?:\w+ing|work|continue|hold)\b",
    re.IGNORECASE,
)
_WILL = re.compile(r"(?<!\bthat )(?<!\bwhich )(?<!\bwho )\b(?:will|shall)\s+(?!be (?:a|an|the)\b)",
                   re.IGNORECASE)  # fmt: skip
_AIM = re.compile(r"\b(?:aims?|seeks?)\s+to\b", re.IGNORECASE)
_IN_PROGRESS = re.compile(
    r"\b(?:is|are)\s+(?:\w+ly\s+)?(?:working to (?:develop|hold|create|establish|launch|design|"
    r"prepare|build|draft)|crafting|drafting|preparing|developing a|coordinating with|"
    r"focusing on enhancing)\b|\b(?:is|are)\s+being\s+(?:developed|drafted|prepared|designed)\b",
    re.IGNORECASE,
)
_PAST = (
    r"established|launched|signed|hosted|held|organized|organised|convened|awarded|trained|"
    r"selected|identified|approved|submitted|restarted|resumed|relaunched|met|helped|created|"
    r"completed|conducted|delivered|published|executed|collaborated|boosted|responded|presented|"
    r"sponsored|shared|exchanged|reached|mobilized|implemented|supported|introduced|unveiled|"
    r"began|developed|provided|funded|expanded|opened|adopted|finalized|concluded|joined|"
    r"worked|partnered|advanced|continued to advance|assisted|benefited|generated|formed"
)
_ACCOMPLISHED = re.compile(
    rf"(?<![-\w])(?:(?:have|has)\s+(?:\w+ly\s+)?(?:also\s+)?(?:been\s+)?\w+ed|{_PAST})\b|"
    r"\b(?:were|was)\s+(?:\w+ly\s+)?(?:selected|trained|established|launched|signed|hosted|held|"
    r"awarded|approved|created|completed)\b",
    re.IGNORECASE,
)
_QUANTIFIED_STATUS = re.compile(
    r"\b(?:is|are)\s+(?:\w+ly\s+)?(?:assisting|supporting|training|serving|reaching)\s+"
    r"(?:more than |over |nearly |about )?\d",
    re.IGNORECASE,
)
_IMPERATIVE = re.compile(
    r"^(?:coordinate|explore|promote|build|improve|develop|facilitate|enhance|consider|"
    r"collaborate|strengthen|support|establish|expand|create|increase|identify|advance|"
    r"foster|encourage|share|launch|convene|hold|work|provide|mitigate|address|deepen|"
    r"align|modernize|invest|prioritize|implement|design|prepare|exchange|pursue|continue)\b",
    re.IGNORECASE,
)
_GENERAL_TOPIC = re.compile(
    r"\b(?:are|is)\s+(?:\w+ly\s+)?(?:working|cooperating|collaborating|partnering|leading efforts|"
    r"strengthening|supporting|using|implementing)\b(?!\s+to (?:develop|hold|create|establish))",
    re.IGNORECASE,
)


def classify(unit: Unit, text: str | None = None) -> str | None:
    """The kind of ``unit`` (or of one of its clauses, ``text``), or None for a negative."""
    sentence = text if text is not None else unit.text
    if any(pattern.search(sentence) for pattern in _NEGATIVE):
        return None
    if _STRONG.search(sentence):
        return COMMITMENT
    if unit.topic:
        return COMMITMENT if _WILL.search(sentence) else None
    if _WILL.search(sentence) and not _accomplished_first(sentence):
        return COMMITMENT
    if _AIM.search(sentence) or _IN_PROGRESS.search(sentence):
        return COMMITMENT
    if unit.bullet and (_IMPERATIVE.match(sentence) or unit.workplan):
        return COMMITMENT
    if _QUANTIFIED_STATUS.search(sentence):
        return ACCOMPLISHMENT
    if _GENERAL_TOPIC.search(sentence):
        return None
    if _ACCOMPLISHED.search(sentence):
        return ACCOMPLISHMENT
    return None


def _accomplished_first(sentence: str) -> bool:
    """A completed main action before a "will" in a clause that describes its result."""
    will = _WILL.search(sentence)
    done = _ACCOMPLISHED.search(sentence)
    return bool(will and done and done.start() < will.start())
