"""Word forms of English verbs, from lemminflect's lexicon (offline, shipped in its wheel;
read through ``lexicon``, which keeps it compact).

A word list of verbs misses every verb nobody thought of ("formalized", "allocated"); the
lexicon knows the forms of every common English verb, so tense is read from the form itself.
"""

from __future__ import annotations

from functools import lru_cache

from monitor.commitments.lexicon import Forms, Lemmas

_LEMMAS, _FORMS = Lemmas(), Forms()  # their tables are read when a word is first looked up
_PREFIX = ("re", "co-", "co", "pre", "un", "de", "over", "under", "out", "re-")


@lru_cache(maxsize=8192)
def verb_forms(word: str) -> frozenset[str]:
    """The Penn tags a word can have as a verb: VB, VBD, VBN, VBG, VBZ (empty if none).
    A prefixed verb the lexicon lacks ("relaunched") takes the forms of its stem."""
    lowered = word.lower()
    if not _LEMMAS.getAllLemmas(lowered):
        for prefix in _PREFIX:
            if lowered.startswith(prefix) and len(lowered) - len(prefix) > 3:
                stem = verb_forms(lowered[len(prefix) :])
                if stem:
                    return stem
    lemmas = _LEMMAS.getAllLemmas(lowered).get("VERB", ())
    found = set()
    for lemma in lemmas:
        if lemma == lowered:
            found.add("VB")
        for tag in ("VBD", "VBN", "VBG", "VBZ"):
            if lowered in _FORMS.getInflection(lemma, tag):
                found.add(tag)
    return frozenset(found)


@lru_cache(maxsize=8192)
def lemma(word: str) -> str:
    lowered = word.lower()
    lemmas = _LEMMAS.getAllLemmas(lowered).get("VERB", ())
    if not lemmas and not _LEMMAS.getAllLemmas(lowered):
        for prefix in _PREFIX:
            if lowered.startswith(prefix) and verb_forms(lowered[len(prefix) :]):
                return prefix + lemma(lowered[len(prefix) :])
    return lemmas[0] if lemmas else lowered


@lru_cache(maxsize=8192)
def other_readings(word: str) -> frozenset[str]:
    """Non-verb parts of speech the word can have (NOUN, ADJ, ...): "plans", "united"."""
    return frozenset(pos for pos in _LEMMAS.getAllLemmas(word.lower()) if pos != "VERB")


def is_past(word: str) -> bool:
    return bool(verb_forms(word) & {"VBD", "VBN"})


def is_participle(word: str) -> bool:
    return "VBN" in verb_forms(word)


def is_gerund(word: str) -> bool:
    return "VBG" in verb_forms(word)


def is_base(word: str) -> bool:
    return "VB" in verb_forms(word)


def is_third_person(word: str) -> bool:
    return "VBZ" in verb_forms(word)
