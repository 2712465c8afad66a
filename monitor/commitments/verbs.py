"""Where the main verb of a sentence is: the boundary between its subject and the rest."""

from __future__ import annotations

import re

_MAIN_VERB = re.compile(
    r"\b(?:will|shall|intends?|intended|plans?|seeks?|aims?|committed|commits?|agreed|decided|"
    r"reaffirm(?:ed|s)?|is set|are set|is scheduled|are scheduled|is on track|joined|announced|"
    r"(?:is|are|was|were|have|has)\s+(?:\w+ly\s+)?(?:also\s+)?\w+(?:ed|ing)|"
    r"held|met|began|led|took|sent|made|brought|gave|won|built|sought|set up|spent|grew|"
    r"(?<![-\w])(?!(?:red|united|based|related|advanced|limited|skilled|indeed|need|speed|seed|"
    r"feed|interested|hundred)\b)[a-z]+ed)\b"
)
# Sentences that open with a phrase before their subject: "Between May 1, 2021 and ..., X did".
LEADING = re.compile(
    r"^(?:as|in|during|under|between|since|through|with|to|after|following|addressing|"
    r"advancing|among|from|given|concurrently|consequently|additionally|moreover|subsequently|"
    r"together|finally|today|also|furthermore|meanwhile|building on|at)\b",
    re.IGNORECASE,
)


def main_verb_position(sentence: str) -> int | None:
    """The offset of the first verb-like word after the subject, or None."""
    floor = 1
    if LEADING.match(sentence) and ", " in sentence:
        floor = sentence.index(", ") + 2  # a verb inside the opening phrase is not the main one
    for match in _MAIN_VERB.finditer(sentence, floor):
        return match.start()
    for match in _MAIN_VERB.finditer(sentence, 1):
        return match.start()
    return None
