"""Word forms of English verbs, from lemminflect's lexicon (offline, shipped in its wheel).

A word list of verbs misses every verb nobody thought of ("formalized", "allocated"); the
lexicon knows the forms of every common English verb, so tense is read from the form itself.
"""

from __future__ import annotations

from functools import lru_cache

from lemminflect import getAllLemmas, getInflection


@lru_cache(maxsize=8192)
def verb_forms(word: str) -> frozenset[str]:
    """The Penn tags a word can have as a verb: VB, VBD, VBN, VBG, VBZ (empty if none)."""
    lowered = word.lower()
    lemmas = getAllLemmas(lowered).get("VERB", ())
    found = set()
    for lemma in lemmas:
        if lemma == lowered:
            found.add("VB")
        for tag in ("VBD", "VBN", "VBG", "VBZ"):
            if lowered in getInflection(lemma, tag):
                found.add(tag)
    return frozenset(found)


@lru_cache(maxsize=8192)
def lemma(word: str) -> str:
    lemmas = getAllLemmas(word.lower()).get("VERB", ())
    return lemmas[0] if lemmas else word.lower()


@lru_cache(maxsize=8192)
def other_readings(word: str) -> frozenset[str]:
    """Non-verb parts of speech the word can have (NOUN, ADJ, ...): "plans", "united"."""
    return frozenset(pos for pos in getAllLemmas(word.lower()) if pos != "VERB")


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
