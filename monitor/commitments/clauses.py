"""A clause's structure: its opener, subject and main predicate (form, marker, verb).

The classifier decides from these, not from a sentence's wording. The predicate is the first
verb group after the opener that is not inside a parenthesis, a dash pair, a quotation or an
appositive (", launched in 2021,"), and not a reduced relative ("the Declaration issued by").
Its form is one of:

FUTURE ("will hold"), HYPOTHETICAL ("would help"), INTENT ("intend to", "agreed to",
"committed to" as an act), STANCE ("are committed to", "remain committed to": a state),
AGREED_ON ("agreed on the actions"), PROGRESSIVE ("are deploying"), PERFECT ("have set"),
PAST ("adopted"), PASSIVE_PAST ("was formalized"), PASSIVE ("is designed to"), PRESENT
("brings"), COPULA ("is a platform"), GERUND and IMPERATIVE (a bullet's "Organizing ...",
"Promote ..."), or None (a noun phrase).

A reporting verb with a "that" clause ("announced that the meeting will take place") hands
the decision to the reported clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from monitor.commitments import morph

_TOKEN = re.compile(
    r"[A-Za-z][A-Za-z'\u2019-]*|\\?\$?\d+(?:[.,]\d+)*|--|[,;:()\"\u201c\u201d\u2014]"
)
MODALS = {"will": "FUTURE", "shall": "FUTURE", "should": "FUTURE", "must": "FUTURE",
          "would": "HYPOTHETICAL", "could": "HYPOTHETICAL", "might": "HYPOTHETICAL",
          "may": "HYPOTHETICAL", "can": "HYPOTHETICAL"}  # fmt: skip
_BE = {"am", "is", "are", "was", "were", "remain", "remains", "remained", "be", "been"}
_HAVE = {"has", "have", "had"}
_ADVERB_LIKE = {"also", "not", "now", "soon", "jointly", "further", "still", "already", "today",
                "together", "then", "formally", "again", "both", "all", "each"}  # fmt: skip
INTENT_VERBS = {"intend", "plan", "seek", "aim", "expect", "pledge", "commit", "agree",
                "decide", "resolve", "endeavor", "strive", "vow", "promise", "propose", "direct",
                "instruct", "mandate", "task"}  # fmt: skip
_STATE_TO = {"committed": "STANCE", "dedicated": "STANCE", "set": "INTENT",
             "scheduled": "INTENT", "poised": "INTENT", "expected": "INTENT",
             "slated": "INTENT", "due": "INTENT", "ready": "INTENT"}  # fmt: skip
REPORTING = {"say", "announce", "note", "state", "add", "agree", "confirm", "report",
              "stress", "emphasize", "declare", "highlight"}  # fmt: skip
_DETERMINERS = {"the", "a", "an", "this", "these", "those", "that", "its", "their", "our",
                "his", "her", "of", "for", "to", "in", "on", "with", "by", "from", "and", "or",
                "as", "at", "into", "under", "new", "key", "any", "each", "every", "such",
                "some", "several", "many", "recently", "newly", "well"}  # fmt: skip
_OPENER = re.compile(
    r"^(?:as|in|during|under|between|since|through|with|to|after|following|among|from|for|"
    r"given|concurrently|consequently|additionally|moreover|subsequently|together|finally|"
    r"today|also|furthermore|meanwhile|building on|at|on|likewise|for example|thanks to|"
    r"by|before|over|within|while|two weeks|last|this year|earlier|of|if|once|when|unless|"
    r"although|because|until|upon)\b",
    re.IGNORECASE,
)


_WEAK = {"GERUND", "IMPERATIVE", "PRESENT", "COPULA"}


@dataclass(frozen=True)
class Predicate:
    start: int  # offsets into the clause text
    end: int
    form: str
    marker: str  # the words that decide the form, as written
    verb: str  # the main verb's lemma ("create"), or "" for a noun phrase
    complement: str  # what follows the verb group


@dataclass(frozen=True)
class Clause:
    text: str
    opener: str  # a leading phrase before the subject ("Founded in May 2013,"), or ""
    subject: str
    predicate: Predicate | None


@lru_cache(maxsize=4096)  # a unit's clauses are read by the classifier, actors and headings
def analyse(text: str) -> Clause:
    """The clause's opener, subject and predicate; a "that" clause replaces a reporting verb."""
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(text)]
    opener_end = _opener_end(text, tokens)
    predicate = _predicate(text, _visible(text, tokens, opener_end))
    if opener_end and (predicate is None or predicate.form in _WEAK):
        # "Ensuring ..., by pledging ...", "During the meetings\u2014...\u2014participants
        # finalized ..., as both sides prepare": the comma did not end an opener
        whole = _predicate(text, _visible(text, tokens, 0))
        if predicate is None or (whole is not None and whole.form not in _WEAK):
            opener_end, predicate = 0, whole
    if predicate is not None and predicate.verb in REPORTING:
        reported = _reported(text, predicate, text[opener_end : predicate.start].strip())
        if reported is not None:
            return reported
    subject_end = predicate.start if predicate else len(text)
    return Clause(text, text[:opener_end].strip(), text[opener_end:subject_end].strip(),
                  predicate)  # fmt: skip


def _reported(text: str, predicate: Predicate, reporter: str) -> Clause | None:
    match = re.match(r"\s*(?:,\s*)?that\s+", text[predicate.end :])
    if not match:
        return None
    offset = predicate.end + match.end()
    inner = analyse(text[offset:])
    if inner.predicate is None:  # "agreed that <cut short>": nothing was reported yet
        unresolved = Predicate(predicate.start, predicate.end, "REPORTED", predicate.marker,
                               predicate.verb, predicate.complement)  # fmt: skip
        return Clause(text, "", text[: predicate.start].strip(), unresolved)
    moved = Predicate(inner.predicate.start + offset, inner.predicate.end + offset,
                      inner.predicate.form, inner.predicate.marker, inner.predicate.verb,
                      inner.predicate.complement)  # fmt: skip
    return Clause(text, "", _reported_subject(inner, reporter), moved)


def _reported_subject(inner: Clause, reporter: str) -> str:
    """ "Mexico's Secretariat of Economy announced that it will invest ...": "it" is the
    reporter when the reporter is a body, not a person, and "it" acts ("that it will be
    reviewed", "the Secretary announced that it will enter into force": "it" is a thing)."""
    assert inner.predicate is not None
    predicate = inner.predicate
    passive = predicate.form.startswith("PASSIVE") or (
        predicate.verb.startswith("be ") and morph.is_participle(predicate.marker.split()[-1])
    )  # "will be reviewed"
    if inner.subject.lower() in _PRONOUNS and not passive and not _PERSON.search(reporter):
        return reporter
    return inner.subject


_PRONOUNS = frozenset({"it", "they"})
_PERSON = re.compile(
    r"\b(?:Secretary|President|Minister|Ambassador|Director|Administrator|Chair|Governor|"
    r"Representative|Commissioner|Advisor|Undersecretary|Under Secretary|[Hh]e|[Ss]he)\b"
)


def _opener_end(text: str, tokens: list[tuple[str, int]]) -> int:
    """Where the subject starts: after a leading phrase that ends at a comma."""
    if not tokens or "," not in text:
        return 0
    first = tokens[0][0]
    starts = _OPENER.match(text) or (
        first[0].isupper() and (morph.is_participle(first) or morph.is_gerund(first))
    )
    if not starts:
        return 0
    depth = 0
    for word, start in tokens:
        depth += (word in ("(", "\u201c")) - (word in (")", "\u201d"))
        if word == "," and depth <= 0:
            return start + 1
    return 0


def _visible(text: str, tokens: list[tuple[str, int]], floor: int) -> list[tuple[str, int]]:
    """Tokens after ``floor`` outside parentheses, dash pairs, quotations and appositives."""
    kept: list[tuple[str, int]] = []
    hidden = False
    closing = ""
    for index, (word, start) in enumerate(tokens):
        if start < floor:
            continue
        if hidden:
            if word == closing or (closing == "," and word in ";:"):
                hidden = False
            continue
        paired = word not in ("--", "\u2014") or any(w == word for w, _s in tokens[index + 1 :])
        if paired and (word in ("(", "--", "\u2014", "\u201c") or word == '"'):
            hidden, closing = True, {"(": ")", "\u201c": "\u201d"}.get(word, word)
            continue
        if word == "," and _aside(tokens, index):
            hidden, closing = True, ","
            continue
        if start and text[start - 1] == "-":
            continue  # the second half of "U.S.-funded" is no verb
        kept.append((word, start))
    return kept


def _aside(tokens: list[tuple[str, int]], index: int) -> bool:
    """ ", launched by ... ," / ", which ... ," / ", involving ... ,": not the main clause."""
    if index + 1 >= len(tokens):
        return False
    following = tokens[index + 1][0]
    closes = any(word == "," for word, _start in tokens[index + 2 : index + 30])
    lowered = following.lower()
    then = tokens[index + 2][0].lower() if index + 2 < len(tokens) else ""
    participle = morph.is_participle(following) and not morph.is_base(following)
    return closes and (
        lowered in {"which", "who", "whose", "where", "including", "a", "an"}
        or (participle and then in {"by", "in", "at", "on", "for", "from", "under", "during"})
        or (lowered.endswith("ing") and morph.is_gerund(following))
    )


def _predicate(text: str, tokens: list[tuple[str, int]]) -> Predicate | None:
    for index, (_word, start) in enumerate(tokens):
        found = _group(text, tokens, index)
        if found is not None:
            form, marker_end, verb = found
            complement = text[marker_end:]
            return Predicate(start, marker_end, form, text[start:marker_end], verb, complement)
        if index == 0:
            first = _first_word(text, tokens)
            if first is not None:
                return first
    return None


def _first_word(text: str, tokens: list[tuple[str, int]]) -> Predicate | None:
    """A bullet or list item that starts with its verb: "Organizing ...", "Promote ..."."""
    word, start = tokens[0]
    end = start + len(word)
    if word.endswith("ing") and morph.is_gerund(word):
        return Predicate(start, end, "GERUND", word, morph.lemma(word), text[end:])
    if word[0].isupper() and morph.is_base(word) and not morph.is_past(word):
        if "NOUN" not in morph.other_readings(word) or word.lower() in INTENT_VERBS:
            return Predicate(start, end, "IMPERATIVE", word, morph.lemma(word), text[end:])
    return None


def _group(text: str, tokens: list[tuple[str, int]], index: int) -> tuple[str, int, str] | None:
    """(form, end of the verb group, main verb's lemma) when a verb group starts here."""
    word, _start = tokens[index]
    lowered = word.lower()
    previous = tokens[index - 1][0].lower() if index else ""
    if lowered in MODALS and word.islower():
        return _after_modal(tokens, index)
    if lowered in _BE and previous not in {"to", "will", "would"}:
        return _after_be(tokens, index)
    if lowered in _HAVE:
        return _after_have(tokens, index)
    if previous in _DETERMINERS or (index == 0 and not morph.is_past(word)):
        return None  # a clause that starts with a past verb shares the subject before it
    return _finite(tokens, index)


def _next(tokens: list[tuple[str, int]], index: int) -> int:
    """The index of the next token that is not an adverb."""
    index += 1
    while index < len(tokens) and (
        tokens[index][0].lower() in _ADVERB_LIKE
        or (tokens[index][0].endswith("ly") and len(tokens[index][0]) > 4)
    ):
        index += 1
    return index


def _end(tokens: list[tuple[str, int]], index: int) -> int:
    word, start = tokens[min(index, len(tokens) - 1)]
    return start + len(word)


def _after_modal(tokens: list[tuple[str, int]], index: int) -> tuple[str, int, str] | None:
    form = MODALS[tokens[index][0].lower()]
    verb_index = _next(tokens, index)
    if verb_index >= len(tokens):
        return None
    verb = tokens[verb_index][0]
    if verb.lower() == "be" and verb_index + 1 < len(tokens):
        following = (
            tokens[_next(tokens, verb_index)][0] if _next(tokens, verb_index) < len(tokens) else ""
        )
        if morph.is_participle(following):
            return form, _end(tokens, _next(tokens, verb_index)), "be " + morph.lemma(following)
        return form, _end(tokens, verb_index), "be"
    return form, _end(tokens, verb_index), morph.lemma(verb)


def _after_be(tokens: list[tuple[str, int]], index: int) -> tuple[str, int, str] | None:
    be = tokens[index][0].lower()
    past = be in {"was", "were"}
    at = _next(tokens, index)
    if at >= len(tokens):
        return "COPULA", _end(tokens, index), "be"
    word = tokens[at][0]
    lowered = word.lower()
    if lowered == "on" and [w.lower() for w, _s in tokens[at + 1 : at + 3]] == ["track", "to"]:
        return "INTENT", _end(tokens, at + 2), _lemma_after(tokens, at + 3) or "track"
    if lowered in _STATE_TO and at + 1 < len(tokens) and tokens[at + 1][0].lower() == "to":
        form = _STATE_TO[lowered]
        return form, _end(tokens, at + 1), _lemma_after(tokens, at + 2) or lowered
    if lowered == "being" and at + 1 < len(tokens):
        return "PASSIVE_PROGRESSIVE", _end(tokens, at + 1), morph.lemma(tokens[at + 1][0])
    if at + 2 < len(tokens) and tokens[at + 1][0].lower() == "to" and not morph.verb_forms(word):
        verb = tokens[at + 2][0]  # "am happy to announce", "are pleased to issue"
        return "PRESENT", _end(tokens, at + 2), morph.lemma(verb)
    if lowered.endswith("ing") and morph.is_gerund(word):
        return ("PAST" if past else "PROGRESSIVE"), _end(tokens, at), morph.lemma(word)
    if morph.is_participle(word):
        form = "PASSIVE_PAST" if past else "PASSIVE"
        return form, _end(tokens, at), morph.lemma(word)
    return "COPULA", _end(tokens, index), "be"


def _after_have(tokens: list[tuple[str, int]], index: int) -> tuple[str, int, str] | None:
    at = _next(tokens, index)
    if at < len(tokens) and tokens[at][0].lower() == "been":
        at = _next(tokens, at)
    if at >= len(tokens) or not morph.is_participle(tokens[at][0]):
        return None
    verb = morph.lemma(tokens[at][0])
    if verb in INTENT_VERBS and _to_follows(tokens, at):
        return "INTENT", _end(tokens, at + 1), _lemma_after(tokens, at + 2) or verb
    return "PERFECT", _end(tokens, at), verb


def _finite(tokens: list[tuple[str, int]], index: int) -> tuple[str, int, str] | None:
    word = tokens[index][0]
    if not word[0].isalpha() or (not word[0].islower() and not _leading_verb(tokens, index)):
        return None  # a capital is a name, except a first verb: "- Launched a program ..."
    verb = morph.lemma(word)
    following = tokens[index + 1][0].lower() if index + 1 < len(tokens) else ""
    if _verb_follows(following):
        return None  # "stakeholder input remains": a noun before the verb
    noun = "NOUN" in morph.other_readings(word)
    if verb in INTENT_VERBS and (morph.verb_forms(word) - {"VBN"}):
        if following == "to" if noun else _to_follows(tokens, index):
            return "INTENT", _end(tokens, index + 1), _lemma_after(tokens, index + 2) or verb
        if verb == "agree" and following in {"on", "upon"}:
            return "AGREED_ON", _end(tokens, index + 1), verb
    if morph.is_past(word) and "VBD" in morph.verb_forms(word):
        after_by = tokens[index + 2][0] if index + 2 < len(tokens) else ""
        if following == "by" and not morph.is_gerund(after_by):
            return None  # a reduced relative: "the Declaration issued by ..."
        return "PAST", _end(tokens, index), verb
    if (
        "VB" in morph.verb_forms(word)
        and _plural_subject(tokens, index)
        and _verb_here(tokens, index)
    ):
        return "PRESENT", _end(tokens, index), verb
    if morph.is_third_person(word) and word.endswith("s") and _verb_here(tokens, index):
        return "PRESENT", _end(tokens, index), verb
    return None


_PLURAL = {"we", "they", "countries", "governments", "nations", "leaders", "sides", "partners",
           "delegations", "ministers", "presidents", "states", "officials", "agencies"}  # fmt: skip


def _plural_subject(tokens: list[tuple[str, int]], index: int) -> bool:
    """A base-form verb is a present-tense predicate after "we", "the two countries", "X and Y"."""
    before = [word for word, _start in tokens[:index]]
    if not before:
        return False
    last = before[-1]
    return last.lower() in _PLURAL or (last[0].isupper() and "and" in before)


_OBJECT_START = {"a", "an", "the", "its", "their", "our", "his", "her", "together", "new",
                 "more", "all", "some", "several", "this", "these", "that"}  # fmt: skip


def _verb_here(tokens: list[tuple[str, int]], index: int) -> bool:
    """ "brings together" is a verb, "the preliminary stages to create" a noun."""
    word = tokens[index][0]
    if "NOUN" not in morph.other_readings(word):
        return True
    following = tokens[index + 1][0].lower() if index + 1 < len(tokens) else ""
    previous = tokens[index - 1][0].lower() if index else ""
    if previous in _ADVERB_LIKE or previous.endswith("ly"):
        return True  # "now hosts", "regularly meets"
    return following in _OBJECT_START or following[:1] in set("0123456789$\\")


def _leading_verb(tokens: list[tuple[str, int]], index: int) -> bool:
    """ "Launched a program", "Hosted 12 missions": a first word in the past with its object
    (not "Increased technical cooperation", an adjective)."""
    following = tokens[index + 1][0].lower() if index + 1 < len(tokens) else ""
    starts_object = following in _OBJECT_START or following[:1].isdigit()
    return index == 0 and morph.is_past(tokens[index][0]) and starts_object


def _verb_follows(word: str) -> bool:
    """The next word is a finite verb, so this one is its subject's last word."""
    if word in _BE or word in _HAVE or word in MODALS:
        return True
    return "VBZ" in morph.verb_forms(word) and "NOUN" not in morph.other_readings(word)


def _to_follows(tokens: list[tuple[str, int]], index: int) -> bool:
    """ "agreed to", "agreed at this meeting to", "committed, ..., to"."""
    for word, _start in tokens[index + 1 : index + 6]:
        if word.lower() == "to":
            return True
        if word in {",", ";", ":"} or word.lower() in {"that", "on", "and"}:
            return False
    return False


def _lemma_after(tokens: list[tuple[str, int]], index: int) -> str:
    for word, _start in tokens[index : index + 3]:
        if word.lower() == "to":
            continue
        return morph.lemma(word)
    return ""
