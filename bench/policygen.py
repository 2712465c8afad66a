"""The text of the benchmark's policy pages: long implementation plans, mostly sentences.

Agency pages (sitegen) are mostly chrome around a short article. Policy pages are the other
kind an agency publishes: a fact sheet or implementation plan whose article is most of the
page, every sentence an actor, an action, an amount and often a deadline, with bullet lists of
funded items. The words are this module's own; the text is a pure function of the index and
the article version. An edit (version 1) rewords one sentence and adds one bullet, as a
published correction does; everything else stays byte for byte.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_ACTORS = (
    "The Department of Transportation",
    "The Secretariat of Economy",
    "The Treasury",
    "Both governments",
    "The binational task force",
    "The Small Business Administration",
    "The Office of Trade Policy",
    "The North American Development Bank",
    "The customs administrations",
    "The Department of Energy",
    "The Secretariat of Infrastructure",
    "The joint steering committee",
    "The Export-Import Bank",
    "The Department of Labor",
)
_VERBS = (
    "will provide",
    "will allocate",
    "intends to invest",
    "has committed",
    "plans to disburse",
    "will make available",
    "agreed to contribute",
    "will direct",
)
_REWORDED = {  # the edit's new wording for each verb: same meaning, other words
    "will provide": "is set to provide",
    "will allocate": "has now allocated",
    "intends to invest": "will invest",
    "has committed": "confirmed",
    "plans to disburse": "has begun to disburse",
    "will make available": "is making available",
    "agreed to contribute": "will contribute",
    "will direct": "has directed",
}
_PURPOSES = (
    "to modernize inspection lanes at land ports of entry",
    "for technical assistance to customs brokers and freight forwarders",
    "in loan guarantees for battery cell manufacturers",
    "to expand apprenticeships in advanced manufacturing",
    "for grid interconnection studies along the border",
    "to digitize certificates of origin for agricultural shipments",
    "for water treatment upgrades in border municipalities",
    "to train inspectors in non-intrusive scanning equipment",
    "in working capital for women-owned exporters",
    "to map critical mineral deposits and processing capacity",
    "for cybersecurity audits of port management systems",
    "to pilot shared cargo pre-inspection facilities",
    "for scholarships in semiconductor packaging and testing",
    "to upgrade rail crossings and approach roads",
)
_PLACES = (
    "in Nogales and Ciudad Juarez",
    "at the Otay Mesa crossing",
    "across the Bajio manufacturing corridor",
    "in the Rio Grande Valley",
    "in Sonora and Arizona",
    "at the Laredo and Nuevo Laredo bridges",
    "in the Monterrey metropolitan area",
    "across northern Mexico",
    "in El Paso County",
    "at ports on the Gulf of Mexico",
)
_DEADLINES = (
    "by the end of fiscal year 2027",
    "within 18 months",
    "before December 31, 2026",
    "over the next five years",
    "by June 2028",
    "in the first half of 2027",
    "no later than the next annual review",
    "",
    "",
)
_BACKGROUND = (
    "Two-way trade in {thing} reached ${amount} billion last year, up {share} percent.",
    "Roughly {share} percent of these shipments cross at fewer than ten ports of entry.",
    "An evaluation found that waiting times fell by {share} percent where lanes were added.",
    "Program partners reported {amount},000 jobs supported in {thing} since the plan began.",
    "Demand for {thing} is expected to grow by {share} percent a year through 2030.",
)
_THINGS = (
    "auto parts", "medical devices", "fresh produce", "electrical equipment", "steel products",
    "semiconductors", "aerospace components", "batteries", "textiles", "processed foods",
)  # fmt: skip
_SECTIONS = (
    "Border Infrastructure", "Supply Chain Resilience", "Workforce and Skills",
    "Clean Energy", "Small Business Finance", "Trade Facilitation", "Digital Customs",
    "Water and Environment", "Critical Minerals", "Regulatory Cooperation",
)  # fmt: skip


@dataclass(frozen=True)
class Commitment:
    actor: str
    verb: str
    amount: str
    purpose: str
    place: str
    deadline: str

    def sentence(self) -> str:
        when = f" {self.deadline}" if self.deadline else ""
        return f"{self.actor} {self.verb} {self.amount} {self.purpose} {self.place}{when}."

    def bullet(self) -> str:
        when = f", {self.deadline}" if self.deadline else ""
        return f"{self.amount} {self.purpose} {self.place}{when};"


def _amount(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return f"${rng.randint(1, 9)}.{rng.randint(1, 9)} billion"
    if rng.random() < 0.15:
        return f"MXN {rng.randint(20, 900)} million"
    return f"${rng.randint(2, 480)}.{rng.randint(0, 9)} million"


def _commitment(rng: random.Random) -> Commitment:
    return Commitment(
        rng.choice(_ACTORS), rng.choice(_VERBS), _amount(rng), rng.choice(_PURPOSES),
        rng.choice(_PLACES), rng.choice(_DEADLINES),
    )  # fmt: skip


def _background(rng: random.Random) -> str:
    template = rng.choice(_BACKGROUND)
    return template.format(
        thing=rng.choice(_THINGS), amount=rng.randint(3, 95), share=rng.randint(4, 38)
    )


def article(index: int, version: int, budget: int) -> list[str]:
    """The article's HTML blocks, about ``budget`` characters. Version 1 rewords one sentence
    and adds one bullet; both are chosen from the index alone, so every round agrees."""
    rng = random.Random(f"policy/{index}")
    blocks: list[str] = []
    size = 0
    edit = random.Random(f"policy-edit/{index}").randint(0, 40)
    sentences = section = 0
    while size < budget:
        start = len(blocks)
        section += 1
        blocks.append(f"<h2>{rng.choice(_SECTIONS)}: Action {section}</h2>")
        for _ in range(rng.randint(2, 4)):
            said = []
            for _ in range(rng.randint(3, 6)):
                if rng.random() < 0.25:
                    said.append(_background(rng))
                    continue
                item = _commitment(rng)
                if version and sentences == edit:
                    item = _reworded(item)
                sentences += 1
                said.append(item.sentence())
            blocks.append(f"<p>{' '.join(said)}</p>")
        bullets = [_commitment(rng).bullet() for _ in range(rng.randint(3, 7))]
        size += sum(len(block) for block in blocks[start:]) + sum(map(len, bullets))
        if version and section == 1:  # not counted: the edit must not move where the text ends
            bullets.append(_commitment(random.Random(f"policy-bullet/{index}")).bullet())
        items = "".join(f"<li>{bullet}</li>" for bullet in bullets)
        blocks.append(f"<p>The following will be funded under this action:</p><ul>{items}</ul>")
    return blocks


def _reworded(item: Commitment) -> Commitment:
    return Commitment(
        item.actor, _REWORDED[item.verb], item.amount, item.purpose, item.place, item.deadline
    )
