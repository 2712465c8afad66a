"""What a list's lead-in line carries into the items that complete it: "plan to ... by:" and
"the two governments will:" a commitment, "have:" and "Results include:" an accomplishment."""

from __future__ import annotations

import re

from monitor.commitments.clauses import analyse
from monitor.commitments.model import ACCOMPLISHMENT, COMMITMENT

_RESULTS = re.compile(
    r"\b(?:results|accomplishments|achievements|developments|highlights|progress|outcomes)\b",
    re.IGNORECASE,
)


# A lead-in that names what comes next or what was agreed: "Next steps include:", "Among the
# agreements reached are:" (the items are agreed actions, as after "agreed to:").
_FORWARD_LIST = re.compile(
    r"^(?:the\s+)?next steps\b|\bagreements (?:reached|made)\b", re.IGNORECASE
)


def lead_in_kind(lead_in: str | None) -> str | None:
    """What a lead-in's marker carries into its list: "plan to ... by:", "have:", "results"."""
    if not lead_in:
        return None
    text = lead_in.rstrip().rstrip(":").rstrip()
    if re.search(r"\b(?:will|shall)$", text) or _FORWARD_LIST.search(text):
        return COMMITMENT  # "the two governments will:", "Next steps to build on ... include:"
    if re.search(r"\b(?:have|has)$", text) or _RESULTS.search(text):
        return ACCOMPLISHMENT
    clause = analyse(text)
    form = clause.predicate.form if clause.predicate else None
    if text.endswith(" by") or form in {"FUTURE", "INTENT", "AGREED_ON"}:
        return COMMITMENT
    if form in {"PAST", "PERFECT", "PASSIVE_PAST"}:
        return ACCOMPLISHMENT
    return None
