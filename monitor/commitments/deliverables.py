"""What a promise promises and a report reports, as a thing: the phrase around a kind of
deliverable ("a first virtual technical dialogue on technical education", "a Virtual
Technical Education Dialogue"), capitalised or not, read as its content words. Two items about
one deliverable share the kind and the words that tell it from others of its kind, in any
order and case: the verb that promised it or reported it is left out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from monitor.commitments.morph import lemma, other_readings, verb_forms
from monitor.commitments.names import normal_name

_KINDS = (
    r"working groups?|dialogues?|forums?|fora|summits?|workshops?|conferences?|"
    r"trainings?|courses?|programs?|programmes?|campaigns?|councils?|committees?|"
    r"mechanisms?|plans?|roadmaps?|exchanges?|missions?|delegations?|centers?|centres?"
)
# Up to four modifiers before the kind (no verbs or function words), and one "on/for/of ..."
# complement of up to three words after it.
_NOT_MODIFIER = r"(?!(?:is|are|was|were|be|to|will|and|or|in|on|at|by|with|has|have|had)\b)"
_PHRASE = re.compile(
    r"\b((?:" + _NOT_MODIFIER + r"[\w\u2019'-]+\s+){0,4})(" + _KINDS + r")\b"
    r"((?:\s+(?:on|for|of)\s+(?:" + _NOT_MODIFIER + r"[\w\u2019'-]+(?:,\s*|\s+)?){1,3}))?",
    re.IGNORECASE,
)
_MONTHS = "january february march april may june july august september october november december"
# Words that do not tell one deliverable from another of its kind.
_PLAIN = frozenset(
    "a an the first second third new bilateral joint annual our their its this that these "
    "and or of on for in to with by two both between mexico mexican united states u.s. us "
    "will would held hosted host hold organized organize organizing launched launch created "
    "create established establish convened convene executing in".split()
) | frozenset(_MONTHS.split())
LIKE_SHARE = 0.5  # of the promised deliverable's words that a like one must share
MIN_NAMED = 2  # words besides the kind that tell one deliverable ("educational program": none)


Phrase = tuple[str, frozenset[str], bool]  # kind, distinguishing words, done by the sentence
DONE_REACH = 3  # words before the phrase where the verb that did it stands


@lru_cache(maxsize=8192)
def deliverable_phrases(sentence: str) -> tuple[Phrase, ...]:
    """Each deliverable the sentence names: its kind, the words that tell it apart, and
    whether the sentence did it (the object of a completed verb: "hosted a ... Dialogue",
    "by organizing a forum"), not merely named its doer ("hosted by ... the Council")."""
    found = []
    for match in _PHRASE.finditer(sentence):
        kind = normal_name(match.group(2))
        modifiers = _own_modifiers(match.group(1).split())
        words = normal_name(f"{' '.join(modifiers)} {match.group(3) or ''}").split()
        distinct = frozenset(
            word
            for word in (w.strip(",") for w in words)
            if word not in _PLAIN and not word.isdigit() and not _only_verb(word)
        )
        before = sentence[: match.start()].split()[-DONE_REACH:] + match.group(1).split()
        done = any(_is_done(word) for word in before)
        if distinct:
            found.append((kind, distinct, done))
    return tuple(found)


_DETERMINERS = frozenset("a an the their our its this these that both each".split())


def _own_modifiers(words: list[str]) -> list[str]:
    """The words after the last determiner or verb: "will update their 2015 action" ->
    "2015 action"; "delegations adopted Action" -> "Action"."""
    start = 0
    for position, word in enumerate(words):
        if word.lower() in _DETERMINERS or _is_done(word):
            start = position + 1
    return words[start:]


# Completed verbs that say the thing was not done.
_UNDONE = frozenset("postpone delay cancel suspend pause halt defer terminate".split())


def _is_done(word: str) -> bool:
    lowered = word.lower()
    return (
        bool(verb_forms(lowered) & {"VBD", "VBN", "VBG"})
        and not other_readings(lowered)
        and lemma(lowered) not in _UNDONE
    )


def same_thing(promised: str, reported: str) -> bool:
    """The report did the promised deliverable: same kind, every distinguishing word."""
    return any(
        kind == other and done and len(words) >= MIN_NAMED and words <= found
        for kind, words, _ in deliverable_phrases(promised)
        for other, found, done in deliverable_phrases(reported)
    )


def like_thing(promised: str, reported: str) -> bool:
    """The report did a deliverable of the promised kind sharing half the words that tell
    the promised one apart ("a virtual Forum on 5G", "organizing a forum on 5G, ICT")."""
    return any(
        kind == other
        and done
        and len(words) >= MIN_NAMED
        and len(words & found) >= LIKE_SHARE * len(words)
        for kind, words, _ in deliverable_phrases(promised)
        for other, found, done in deliverable_phrases(reported)
    )


def _only_verb(word: str) -> bool:
    """ "organizing", "scheduled": a verb form with no other reading tells no thing apart."""
    return bool(verb_forms(word) - {"VB"}) and not other_readings(word)
