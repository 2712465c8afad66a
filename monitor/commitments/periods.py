"""Plans made for a period, read by their year: "adopted the 2012 Action Plan" (December 2011)
and, a year later, "approved a report summarizing the Actions completed during 2012" are one
plan and its report, whatever the other words. Dialogues that meet yearly work this way (an
action plan or work plan for the next year, a report on the last one)."""

from __future__ import annotations

import re
from functools import lru_cache

_PLAN = r"(?:action plans?|work ?plans?|plans?|action items?|actions|roadmaps?|work programs?)"
_YEAR = r"((?:19|20)\d\d)"
# Up to two modifiers between the year and the plan ("2015 bilateral action plans"): no
# function word or verb, so "in 2024 to review plans" names no plan for 2024.
_GAP = r"(?:(?!(?:to|and|or|will|would|shall|is|are|was|were|be|been|has|have|had)\b)[\w-]+\s+)"
# The year before the plan ("the 2012 Action Plan") or after it ("Action Items for 2013",
# "the Actions completed during 2012"); a plan noun, not the verb ("plans to meet").
_PERIOD_PLAN = re.compile(
    rf"\b{_YEAR}\s+{_GAP}{{0,2}}{_PLAN}\b(?!\s+to\b)|"
    rf"\b{_PLAN}\s+(?!to\b){_GAP}{{0,2}}(?:for|during|in|of)\s+{_YEAR}\b",
    re.IGNORECASE,
)
# What a report on a period's plan says of it.
_REPORTED = re.compile(
    r"\b(?:report\w*|complet\w*|accomplish\w*|implement\w*|achiev\w*|progress|results?|"
    r"review\w*|fulfill?\w*|carried out)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def plan_years(sentence: str) -> frozenset[str]:
    """The years of the plans a sentence names ("2012" for "the 2012 Action Plan")."""
    return frozenset(
        year for match in _PERIOD_PLAN.finditer(sentence) for year in match.groups() if year
    )


def reports_on_period_plan(earlier: str, later: str) -> bool:
    """The later sentence reports on ("completed", "a report on", "progress with") a plan for
    a year the earlier one names a plan for."""
    return bool(_REPORTED.search(later)) and bool(plan_years(earlier) & plan_years(later))
