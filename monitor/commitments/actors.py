"""Who acts: actor names normalised through an alias table; "we" is the document's parties.

The doers are looked for where doers are written: before the main verb (the subject, and a
leading "In collaboration with X,"), and in "with X" / "together with X" after it. Quoted
titles never name actors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

from monitor.commitments.verbs import LEADING, main_verb_position

US, MX = "United States", "Mexico"

# (normalised name, pattern), most specific first: a matched span is masked before the next.
_ALIASES: tuple[tuple[str, str], ...] = (
    ("USAID", r"(?:U\.S\.|United States) Agency for International Development|\bUSAID\b"),
    ("AMEXCID", r"Mexican Agency for International Development Cooperation|\bAMEXCID\b"),
    ("EPA", r"(?:U\.S\. )?Environmental Protection Agency|\bEPA\b"),
    ("CONAGUA", r"(?:Mexican )?National Water (?:Council|Commission)|\bCONAGUA\b"),
    ("SEMARNAT", r"(?:Mexican )?Secretariat of Environment and Natural Resources|\bSEMARNAT\b"),
    ("COFEPRIS", r"Federal Commission for (?:the )?Protection Against Sanitary Risks|\bCOFEPRIS\b"),
    ("North American Development Bank", r"North American Development Bank|\bNADB(?:ank)?\b"),
    ("CONALEP", r"National College of Professional Technical Education|\bCONALEP\b"),
    ("U.S. Embassy Mexico City", r"U\.S\. Embassy(?: in)? Mexico City"),
    ("Department of Commerce", r"(?:U\.S\. )?Department of Commerce|Commerce Department|"
                               r"Secretary of Commerce|\bITA\b|International Trade Administration"),
    ("Department of State", r"(?:U\.S\. )?Department of State|State Department|Secretary of State"),
    ("Department of Labor", r"(?:U\.S\. )?Department of Labor|Labor Department"),
    ("Department of Education", r"(?:U\.S\. )?Department of Education"),
    ("Department of Energy", r"(?:U\.S\. )?Department of Energy"),
    ("Secretariat of Public Education",
     r"(?:Mexico['\u2019]s |Mexican )?(?:Secretariat|Ministry) of Public Education|\bSEP\b"),
    ("Secretariat of Foreign Relations",
     r"(?:Mexico['\u2019]s |Mexican )?(?:Secretariat|Ministry|Secretary) of (?:Foreign|External) "
     r"Relations|\bSRE\b"),
    ("Secretariat of Energy",
     r"(?:Mexico['\u2019]s )?(?:Secretariat|Ministry) of Energy|\bSENER\b"),
    ("Secretariat of Economy",
     r"(?:Mexico['\u2019]s |Mexican )?(?:Secretariat|Ministry|Secretary) of (?:the )?Economy|"
     r"Secretar[ií]a de Econom[ií]a"),
    ("Secretariat of Labor", r"(?:Mexico['\u2019]s )?(?:Secretariat|Ministry) of Labor"),
    ("Mexican state governments",
     r"(?:Mexican |southern Mexico(?:'s)? )?state governments|"
     r"secretaries of \w+ of Mexico['\u2019]s [\w ]*states|"
     r"Directors of the southern Mexico states"),
    ("Mexican companies", r"Mexican [\w ,]{0,40}compan(?:y|ies)"),
    ("Campos de Esperanza", r"Campos de Esperanza"),
    ("Canada", r"\bCanada\b|\bCanadian (?:government|officials|delegation|counterparts)\b"),
    ("European Union", r"\bEuropean (?:Union|Commission|Council)\b|\bEU\b"),
    ("India", r"\bIndia\b|\bIndian (?:government|officials|delegation)\b"),
    ("Brazil", r"\bBrazil\b(?!['\u2019]s)|\bBrazilian (?:government|officials|delegation)\b"),
    (US, r"\bUnited States(?: Government)?\b|"
         r"\bU\.?S\.?(?= (?:and|[Gg]overnment|President|Vice)\b)|"
         r"(?:(?<=\band )|(?<=\band the ))US\b(?![$-])|"  # "Mexico and the US"
         r"\bUSG\b|\bU\.S\.-(?:funded|led|sponsored|backed|supported)\b|\bPresident Biden\b|"
         r"\bVice President (?:Kamala )?Harris\b|\bU\.S\. (?:officials|delegation)\b|"
         r"\bPresident (?:Joseph R\. |Joe )?Biden\b|\bAmerican government\b|"
         r"\bPresident (?:Barack )?Obama\b|\bPresident (?:Donald (?:J\. )?)?Trump\b|"
         r"\bVice President (?:Mike )?Pence\b"),
    (MX, r"\bGovernment of Mexico\b|\bMexican (?:governments?|President|\w+ governments?|"
         r"officials|delegation|counterparts|(?:[A-Z]\w+ )?(?:Secretary|Minister)|"
         r"Under ?[Ss]ecretary|Ambassador)\b|"  # "Mexican Foreign Secretary"
         r"(?<![-\u2010\u2011])(?<!southern )(?<!northern )(?<!southeastern )(?<!\bin )"
         r"(?<!across )(?<!throughout )\b(?<!Southern )Mexico\b(?!['\u2019]s)(?![-\u2010\u2011])"
         r"(?! City)|"
         r"\bPresident (?:Andr[eé]s Manuel )?L[oó]pez Obrador\b|"
         r"\bPresident (?:Enrique )?Pe[ñn]a Nieto\b|\bPresident (?:Felipe )?Calder[oó]n\b|"
         r"\bPresident (?:Claudia )?Sheinbaum\b"),  # the presidents of the dialogue's years
)  # fmt: skip
_PATTERNS = tuple((name, re.compile(pattern)) for name, pattern in _ALIASES)
_INSTITUTION = re.compile(
    r"\b(?:University of [A-Z][\w]+(?: [A-Z][\w]+)*|[A-Z][\w]+ State University|"
    r"[A-Z][\w]+ Community College|(?:Department|Office) of (?:the )?[A-Z]\w+"
    r"(?: and [A-Z]\w+(?!['\u2019]s\b)| [A-Z]\w+)*)\b"  # not "... and Mexico's Secretariat"
)
# An acronym that names a body acting ("MUSEIC sponsored", "USPTO and INPI"); not these.
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{2,7}\b")
_NOT_ACTORS = frozenset(
    "HLED COVID MOU ICT SME SMES MSME MSMES USMCA NAFTA GDP CEO USA FY CET PM AM UTC "
    "THE AND".split()
)
_MINISTRIES_OF = re.compile(r"Ministries of (\w+) and (\w+)")
_QUOTED = re.compile(r"[\u201c\"][^\u201d\"]*[\u201d\"]")
_JOINT = re.compile(
    r"\b(?:we|our|both (?:countries|governments|nations|sides)|the two (?:governments|countries)|"
    r"the (?:two )?governments|together|jointly|bilateral)\b",
    re.IGNORECASE,
)
_CO_ACTOR = re.compile(
    r"\b(?:together with|in collaboration with|with|(?:led|hosted|organized|funded|implemented|"
    r"sponsored|run|managed|signed|launched) by)\s+(?:the\s+)?",
    re.IGNORECASE,
)


_LEADING_PHRASE = re.compile(r"^(?:in collaboration with|together with|along with)\b", re.I)
# "The HLED" is the dialogue's name, no anaphor ("The USMCA-funded program" is one).
_NAMED = re.compile(r"[Tt]he\s+[A-Z]{2,}")
_ANAPHORIC = re.compile(r"^(?:the|this|these|those|it|they|such)\b", re.IGNORECASE)


def find_actors(
    sentence: str,
    previous: tuple[str, ...] = (),
    parties: tuple[str, ...] = (),
    joint: frozenset[str] = frozenset(),
    bodies: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """Normalised actor names; ``previous`` (the sentence before's) resolves "The effort ...";
    ``parties`` (the document's) are who "we", "both countries" and the binational bodies in
    ``joint`` (their acronyms) are; ``bodies`` (see ``definite_bodies``) who "the Council" is."""
    owner = _OWNED_PROMISE.search(sentence)  # "welcomed Mexico's commitment to expand ..."
    owners = tuple(_names(owner.group(1))) if owner else ()
    found = (
        owners
        or _definite(sentence, {} if bodies is None else bodies)
        or _find(sentence, previous, parties)
    )
    if not joint & set(found):
        return found
    merged = [name for name in found if name not in joint]
    return tuple(dict.fromkeys([*merged, *parties]))


def _find(sentence: str, previous: tuple[str, ...], parties: tuple[str, ...]) -> tuple[str, ...]:
    text = _QUOTED.sub(lambda m: " " * len(m.group()), sentence)
    verb, subject = _clause_subject(text)
    regions = [subject]
    if verb is not None:
        regions += [text[m.end() : m.end() + 90] for m in _CO_ACTOR.finditer(text, verb)][:2]
    found: list[str] = []
    for region in regions:
        for name in _names(region):
            if name not in found:
                found.append(name)
    if not _names(subject):
        implicit = _implicit(text, subject, parties)
        if implicit is not None:
            return implicit
        agents = _agents(text, verb)
        if agents:  # "The Council was formalized ... between X and Y": the passive's doers
            return agents
        if previous and _ANAPHORIC.match(subject.strip()) and not _NAMED.fullmatch(subject.strip()):
            return previous
        return tuple(found) or parties  # no subject at all: the document's parties
    return tuple(found)


def _implicit(text: str, subject: str, parties: tuple[str, ...]) -> tuple[str, ...] | None:
    """ "We", "the two governments", "the leaders": the document's parties; "we ... with
    Mexico" in one party's text: the others."""
    partner = _WITH_PARTY.search(text)
    if re.search(r"\bwe\b", subject, re.I) and partner and len(parties) > 1:
        others = tuple(p for p in parties if p not in _names(partner.group()))
        if others and len(others) < len(parties):
            return others
    if _JOINT.search(subject) or _LEADERS.search(subject):
        return parties
    return None


_PASSIVE = re.compile(r"^(?:was|were|is|are|has been|have been|had been)\s+(?:\w+ly\s+)?\w+ed\b")
_AGENT = re.compile(r"\b(?:by|between)\s+(?:the\s+)?")


def _agents(text: str, verb: int | None) -> tuple[str, ...]:
    """The doers a passive clause names after its verb ("by X", "between X and Y")."""
    if verb is None or not _PASSIVE.match(text[verb:]):
        return ()
    found: list[str] = []
    for match in _AGENT.finditer(text, verb):
        for name in _names(text[match.end() : match.end() + 120]):
            if name not in found:
                found.append(name)
    return tuple(found)


_OWNED_PROMISE = re.compile(
    r"\b([A-Z][\w.-]*(?: [A-Z][\w.-]*)*)['\u2019]s (?:intention|commitment|pledge|decision|plan)s? "
    r"to\b"
)
_WITH_PARTY = re.compile(r"\bwith (?:the )?[A-Z][\w.]*(?: [A-Z][\w.]*)*")
_LEADERS = re.compile(
    r"\b(?:leaders|presidents|ministers|delegations|three countries|our (?:two )?countries)\b",
    re.IGNORECASE,
)


def _clause_subject(text: str) -> tuple[int | None, str]:
    """Where the main verb is and who its subject is, from the clause analysis (a reported
    clause's own subject: "announced that the next MUSEIC meeting will ...")."""
    from monitor.commitments.clauses import analyse

    clause = analyse(text)
    if (
        clause.predicate is None
        or clause.predicate.form in {"GERUND", "IMPERATIVE"}
        or ", where " in text  # "This represents ..., where AMEXCID aims to": the doer
    ):
        verb = main_verb_position(text)
        return verb, _subject(text[:verb] if verb is not None else text)
    opener = clause.opener if _LEADING_PHRASE.match(clause.opener) else ""
    if re.match(r"^[A-Z]\w+ed by\b", clause.opener):  # "Launched by X, ..., the Council held"
        opener = clause.opener
    return clause.predicate.start, f"{opener} {clause.subject}".strip()


def _subject(before_verb: str) -> str:
    """The subject: without an opening phrase (but keeping "In collaboration with X")."""
    if ", where " in before_verb:
        return before_verb.rsplit(", where ", 1)[1]
    if not LEADING.match(before_verb) or ", " not in before_verb:
        return before_verb
    lead, subject = before_verb.split(", ", 1)
    if LEADING.match(subject):  # "Between May 1, 2021 and June 2, 2022, the two ..."
        subject = subject.rsplit(", ", 1)[-1]
    return f"{lead} {subject}" if _LEADING_PHRASE.match(lead) else subject


@lru_cache(maxsize=4096)
def _names(region: str) -> list[str]:
    names: list[tuple[int, str]] = []
    masked = region
    for match in _MINISTRIES_OF.finditer(region):
        for word in match.groups():
            names.append((match.start(), _ministry(word)))
        masked = _blank(masked, match)
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(masked):
            names.append((match.start(), name))
            masked = _blank(masked, match)
    for match in _DEFINED_BODY.finditer(masked):
        acronym, full = match.group(2), match.group(1)
        named = region[max(0, match.start() - _BEFORE) : match.end()]
        if acronym in _NOT_ACTORS or not _BODY_WORD.search(full) or _BINATIONAL.search(named):
            continue
        names.append((match.start(), acronym))
        masked = _blank(masked, match)
    for match in _INSTITUTION.finditer(masked):
        names.append((match.start(), re.sub(r"\s+", " ", match.group())))
        masked = _blank(masked, match)
    for match in _ACRONYM.finditer(_PARENTHESES.sub(lambda m: " " * len(m.group()), masked)):
        if match.group() not in _NOT_ACTORS:
            names.append((match.start(), match.group()))
    return [name for _position, name in sorted(names)]


def _blank(text: str, match: re.Match[str]) -> str:
    """The text with the match's span blanked out: a name found is not found again."""
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


_PARENTHESES = re.compile(r"\([^)]*\)")
# "the Bureau of Alcohol, Tobacco, Firearms and Explosives (ATF)": one country's body that a
# text names with an acronym is that acronym. A Department or Office keeps its full name (as
# the alias table writes them); a binational body's doers are the parties (`joint_bodies`).
_DEFINED_BODY = re.compile(
    r"((?:\b[A-Z][a-z][\w'\u2019.-]*,?\s+(?:(?:of|for|and|on|the|de|del|la)\s+)?){1,8})"
    r"\(([A-Z]{2,8})\)"
)
_BODY_WORD = re.compile(
    r"^(?!.*\b(?:Department|Office)\b).*\b(?:Bureau|Institute|Agency|Administration|"
    r"Commission|Council|Committee|Secretariat|Ministry|Service|Cent(?:er|re)|Bank|Authority|"
    r"Board|Fund|Corporation|Foundation|Organization|Association|Chamber)\b"
)
_BINATIONAL = re.compile(
    r"\b(?:[Bb]inational|[Bb]ilateral|[Jj]oint|(?:U\.S\.|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
    r"[-\u2010\u2011](?:U\.S\.|[A-Z][a-z]+))\b"  # "U.S.-Mexico ...", "Mexico-United States"
)
# How far before a body's name its "U.S.-Mexico" may stand: a few words that are no part of
# the name ("U.S.-Mexico 21st Century Border Management Executive Steering Committee (ESC)").
_BEFORE = 40


def _ministry(word: str) -> str:
    return {"Economy": "Secretariat of Economy", "Labor": "Secretariat of Labor",
            "Energy": "Secretariat of Energy"}.get(word, f"Secretariat of {word}")  # fmt: skip


_COUNTRIES = frozenset({US, MX, "Canada", "European Union", "India", "Brazil"})
_BODY_HEADS = r"Council|Committee|Commission|Department|Agency|Office|Bureau|Institute|Secretariat"
_NAMED_BODY = re.compile(
    r"\b[A-Z][\w.\u2019'-]*(?:\s+(?:(?:of|for|and|on|the)\s+)*[A-Z][\w.\u2019'-]*)*?\s+"
    rf"({_BODY_HEADS})(?:\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)?"
    r"(?:\s*\(([A-Z][A-Za-z]{1,9})\))?"
)
# "This Council will": the kind alone, then the verb ("The Office of X" is a name, not this).
_DEFINITE = re.compile(
    rf"^(?:[A-Z][\w ,]*?,\s*)?(?:[Tt]he|[Tt]his)\s+({_BODY_HEADS})\s+(?!(?:of|for|on|and)\b)[a-z]"
)


def definite_bodies(text: str) -> dict[str, str]:
    """Who "the Council" or "this Department" is in a document: the one body of that kind it
    names (by its acronym when it gives one, else as the alias table names it). A kind the
    document names two bodies of is left out: "the Department" is then ambiguous."""
    seen: dict[str, set[str]] = {}
    for match in _NAMED_BODY.finditer(text):
        head = match.group(1).lower()
        named = _names(match.group())
        name = match.group(2) or (named[0] if len(named) == 1 else None)
        if name is not None and name.lower() != head and name not in _COUNTRIES:
            seen.setdefault(head, set()).add(name)
    return {head: names.pop() for head, names in seen.items() if len(names) == 1}


class DefiniteBodies(Mapping[str, str]):
    """``definite_bodies`` of a text, found when a clause first asks: only a clause that starts
    "The Council ..." does, and the scan costs ~2.5 ms on a 60 KB page."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._found: dict[str, str] | None = None

    def _bodies(self) -> dict[str, str]:
        if self._found is None:
            self._found = definite_bodies(self._text)
        return self._found

    def __getitem__(self, head: str) -> str:
        return self._bodies()[head]

    def __iter__(self) -> Iterator[str]:
        return iter(self._bodies())

    def __len__(self) -> int:
        return len(self._bodies())


def _definite(sentence: str, bodies: Mapping[str, str]) -> tuple[str, ...]:
    """ "This Council will ..." / "For example, the Department is ...": the body of that kind
    the document names, when the clause's subject is just that definite description."""
    match = _DEFINITE.match(sentence)
    if not match or _PASSIVE.match(sentence[match.end(1) :].strip()):
        return ()
    body = bodies.get(match.group(1).lower())
    return (body,) if body else ()


_WHOSE_WORK = re.compile(
    r"\b(?:meetings?|work|achievements|developments|results|progress|accomplishments)\s+"
    r"(?:\w+\s+)?(?:of|by)\s+(?:the\s+)?([^,:;]{2,90})",
    re.IGNORECASE,
)


def whose_work(lead_in: str, bullet: str) -> tuple[str, ...]:
    """A bullet whose subject names nobody ("The organization of conferences ...") under a
    lead-in about one body's work ("Among the developments presented at the meeting of X
    are:"): that body did it."""
    from monitor.commitments.clauses import analyse

    if _names(analyse(bullet).subject):
        return ()
    match = _WHOSE_WORK.search(lead_in)
    names = [n for n in _names(match.group(1)) if n not in _COUNTRIES] if match else []
    return (names[0],) if names else ()
