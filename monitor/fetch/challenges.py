"""Challenge answers: a host that answers with a bot check or 403 instead of the page.

state.gov and usembassy.gov decide by User-Agent (newsboat#2889, newsboat#2922, FreshRSS#6622),
so an operator must see a block as one: challenge answers are counted per host in each source's
report, in /healthz and in /metrics. Every failure reads ``"<url>: <reason>"``; the reasons
that mean "not let in" are a 403 and a challenge placeholder (not an outage page).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

CHALLENGE_MARKS = (
    "HTTP 403",
    "just a moment",
    "challenge validation",
    "verify you are human",
    "checking your browser",
    "attention required",
    "access denied",
    "request rejected",
)
_SEPARATE = re.compile(r";\s(?=https?://)")  # failures joined into one message


def challenged_hosts(errors: Iterable[str]) -> dict[str, int]:
    """Challenge answers per host among a check's failures."""
    counts: Counter[str] = Counter()
    for error in errors:
        for failure in _SEPARATE.split(error):
            url, separator, reason = failure.partition(": ")
            host = urlsplit(url).hostname if separator else None
            if host and any(mark in reason for mark in CHALLENGE_MARKS):
                counts[host] += 1
    return dict(counts)
