"""Plans made for a period, read by their year: "adopted the 2012 Action Plan" (December 2011)
and, a year later, "approved a report summarizing the Actions completed during 2012" are one
plan and its report, whatever the other words. Dialogues that meet yearly work this way (an
action plan or work plan for the next year, a report on the last one)."""

from __future__ import annotations

import re
from functools import lru_cache

_PLAN = r"(?:action plans?|work ?plans?|plans?|action items?|actions|roadmaps?|work programs?)"
_YEAR = r"((?:19|20)\d\d)"
_GAP = r"(?:[\w'\u2019-]+\s+){0,2}"  # "2012 Action Plan", "2015 bilateral action plans"
# The year before the plan ("the 2012 Action Plan") or after it ("Action Items for 2013",
# "the Actions completed during 2012").
_PERIOD_PLAN = re.compile(
    rf"\b{_YEAR}\s+{_GAP}{_PLAN}\b|\b{_PLAN}\s+{_GAP}(?:for|during|in|of)\s+{_YEAR}\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def plan_years(sentence: str) -> frozenset[str]:
    """The years of the plans a sentence names ("2012" for "the 2012 Action Plan")."""
    return frozenset(
        year for match in _PERIOD_PLAN.finditer(sentence) for year in match.groups() if year
    )


def same_period_plan(earlier: str, later: str) -> bool:
    """The later sentence reports on a plan for a year the earlier one names a plan for."""
    return bool(plan_years(earlier) & plan_years(later))
