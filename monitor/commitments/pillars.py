"""The HLED pillar of an item: its document's "PILLAR I" heading, else a keyword lexicon.

1 Building Back Together, 2 Southern Mexico and Central America, 3 Securing the Tools for
Future Prosperity, 4 Investing in Our People. None for HLED process items (meetings, relaunch,
stakeholder outreach) and when no pillar's words appear.
"""

from __future__ import annotations

import re

from monitor.commitments.split import Unit

_LEXICON = {
    1: r"supply chains?|semiconductor|border|ports? of entry|trade facilitation|infrastructure|"
    r"medical (?:device|equipment|supplies)|pharmaceutical|investors?|investment climate|cargo|"
    r"electric vehicles?|zero-emission|electrification|wastewater|methane|pollution|"
    r"competitiveness|crisis|emergency|critical industries|environmental technologies|"
    r"regulatory convergence|customs|sanitary",
    2: r"southern mexico|central america|northern central america|migration|root causes|"
    r"sembrando|farmers?|agricultur\w*|livelihoods|guatemala|honduras|el salvador|"
    r"agroforestry|selva maya|conservation|amexcid|rural|eco-?tourism",
    3: r"cyber\w*|\bict\b|information and communications? technolog\w*|5g|telecom\w*|"
    r"data flows|data protection|privacy|interoperability|networks|digital economy|"
    r"counterfeit|pirated|intellectual property",
    4: r"workforce|education\w*|training|students?|apprenticeships?|\bsmes?\b|\bmsmes?\b|"
    r"entrepreneur\w*|women|youth|labor rights|skills|talent|community college|"
    r"universit\w+|courses?|inclusive|gender|sbdcs?|small business|small and medium|"
    r"medium-sized enterprises",
}
_PATTERNS = {pillar: re.compile(words, re.IGNORECASE) for pillar, words in _LEXICON.items()}
_PROCESS = re.compile(
    r"\b(?:hled|high-level economic dialogue)\b(?! (?:framework|work plan))|stakeholder outreach|"
    r"meeting(?:s)? annually|cabinet[- ]level",
    re.IGNORECASE,
)


def find_pillar(unit: Unit, sentence: str) -> int | None:
    if _PROCESS.search(sentence):
        return None
    if unit.pillar is not None:
        return unit.pillar
    scores = {pillar: len(pattern.findall(sentence)) for pillar, pattern in _PATTERNS.items()}
    best = max(scores.values())
    if best == 0:
        return _section_pillar(unit)
    winners = [pillar for pillar, score in scores.items() if score == best]
    if len(winners) > 1:
        return None  # a unit spanning several pillars belongs to none
    return winners[0]


def _section_pillar(unit: Unit) -> int | None:
    if not unit.section:
        return None
    scores = {pillar: len(pattern.findall(unit.section)) for pillar, pattern in _PATTERNS.items()}
    best = max(scores, key=lambda pillar: scores[pillar])
    return best if scores[best] else None
