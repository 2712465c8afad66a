"""What kind of thing a clause's subject is: an actor, a body, a thing, a figure or the speaker.

The head noun of the subject decides: the last word before its first modifier ("This special
working group" -> group, "The Roadmap" -> roadmap, "total trade in goods" -> trade). Pronouns
that stand for the parties ("we", "they", "both countries") are actors; "I" is the speaker.
A subject with a capitalised name that is not a thing word is taken as an actor.
"""

from __future__ import annotations

import re

ACTOR, BODY, THING, STATISTIC, SPEAKER, NONE = "actor", "body", "thing", "statistic", "speaker", ""

_BODY = frozenset(
    "council committee subcommittee group dialogue commission forum mechanism body network "
    "alliance force hled board panel".split()
)
_THING = frozenset(
    "plan roadmap framework strategy agreement program programme project initiative mapping "
    "map event meeting summit participation attendance aim idea goal objective purpose facility "
    "approach document statement report study effort cooperation collaboration partnership "
    "update course pilot agenda vision priority memorandum mou declaration grant fund it this "
    "these those which result step entry budget process relationship work mission platform "
    "opportunity system action plenary edition session visit trip resource glossary guide "
    "tool campaign stage".split()
)
_STATISTIC = frozenset(
    "trade exports imports gdp commerce number figure total rate flows volume share growth "
    "deficit surplus population amount billion million thousand percent dollar".split()
)
_PARTY_WORDS = frozenset(
    "we they our us governments government countries nations sides leaders presidents "
    "officials ministers delegations delegation agencies partners states parties ministry "
    "department agency secretariat embassy administration bureau office institute authority "
    "authorities regulator regulators secretary minister president ambassador team country "
    "nation side leader official party".split()
)
_CUT = re.compile(
    r"\s(?:of|on|for|with|to|in|into|at|that|which|who|between|from|under|by|across|"
    r"including|involving)\s|[,(\u2014]|\s--"
)
_ADVERB = frozenset("now also still further jointly together today currently recently".split())


def head_noun(subject: str) -> str:
    """The subject's head word, lower case and crudely singular."""
    text = _CUT.split(f" {subject} ", 1)[0]
    if not text.strip():  # "in 2020 both governments": the head is at the end
        text = subject
    words = [w for w in re.findall(r"[A-Za-z][\w'\u2019.-]*", text) if w.lower() not in _ADVERB]
    if not words:
        return ""
    word = words[-1].lower().rstrip(".")
    word = re.sub(r"['\u2019]s$", "", word)
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"  # "agencies" -> agency
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


def subject_kind(subject: str) -> str:
    stripped = subject.strip()
    if not stripped:
        return NONE
    if re.match(r"^(?:I|my)\b", stripped):
        return SPEAKER
    head = head_noun(stripped)
    lowered = stripped.lower()
    if head in _STATISTIC:
        return STATISTIC
    if head in _BODY:
        return BODY
    if head in _THING:
        return THING
    if head in _PARTY_WORDS or f"{head}s" in _PARTY_WORDS or re.search(r"\b(?:we|they)\b", lowered):
        return ACTOR
    if re.match(r"^(?:The|This|These|That)\s+[A-Z]\w+$", stripped) and not _known(stripped):
        return THING  # "The Observatory", "This Charter": a thing named, no actor in it
    named = re.sub(r"^(?:The|This|These|Those|That|A|An|Its|Our|Their)\s+", "", stripped)
    if re.search(r"[A-Z]", named):  # a capital after the determiner: a name
        return ACTOR
    return THING


def _known(subject: str) -> bool:
    from monitor.commitments.actors import find_actors  # the alias table of named actors

    return bool(find_actors(subject, (), ()))
