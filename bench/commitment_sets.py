"""The two labelled sets the extractor is scored on, read into one shape.

``devset`` keeps gold JSON files beside the seed texts' folder (``<stem>.json`` and
``<seeds>/<stem>.txt``, links in ``links.json``); ``devset2`` keeps ``docs/<doc>.txt`` (a header,
one blank line, then the text) and ``gold/<doc>.json`` (links in ``gold/links.json``). Both
label spans as offsets into the document text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@dataclass(frozen=True)
class GoldDocument:
    name: str
    date: str  # ISO, possibly partial ("2015-12"); "(inferred)" notes dropped
    text: str
    items: list[dict[str, Any]]


@dataclass(frozen=True)
class LabelledSet:
    name: str
    documents: list[GoldDocument]
    links: list[dict[str, Any]]


def load_set(name: str, fixtures: Path = FIXTURES) -> LabelledSet:
    """``devset`` (the five seeds) or ``devset2`` (twenty other documents)."""
    if name == "devset":
        return _load_seeds(fixtures / "devset", fixtures / "seeds")
    return _load_docs(name, fixtures / name)


def _load_seeds(devset: Path, seeds: Path) -> LabelledSet:
    documents = []
    for gold_file in sorted(devset.glob("0*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        text = (seeds / f"{gold_file.stem}.txt").read_text(encoding="utf-8")
        documents.append(GoldDocument(gold_file.stem, _date(gold["date"]), text, gold["items"]))
    links = json.loads((devset / "links.json").read_text(encoding="utf-8"))["links"]
    return LabelledSet("devset", documents, links)


def _load_docs(name: str, folder: Path) -> LabelledSet:
    documents = []
    for gold_file in sorted((folder / "gold").glob("d*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        raw = (folder / "docs" / f"{gold_file.stem}.txt").read_text(encoding="utf-8")
        text = raw.split("\n\n", 1)[1]
        documents.append(GoldDocument(gold_file.stem, _date(gold["date"]), text, gold["items"]))
    links = json.loads((folder / "gold" / "links.json").read_text(encoding="utf-8"))
    return LabelledSet(name, documents, links)


def _date(written: str) -> str:
    return written.split(" ", 1)[0]
