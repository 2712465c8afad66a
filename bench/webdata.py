"""A store the size of years of monitoring, for the web view's benchmark.

    python bench/webdata.py PATH [--documents 10000] [--versions 5]

Writes a migrated SQLite store at PATH: ``documents`` documents across four agencies and twenty
sources, ``versions`` versions each (50,000 by default) of 3-6 KB of HLED-like text, every
version after the first an edit with its ``document_changed`` event (a word-level diff in its
payload, as `check` records it), a ``new_document`` event per document, three commitments per
document (some linked to a later document), one or two locations each, and source states.
Rows are inserted with SQLAlchemy Core in large batches: ~1 minute on the 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from monitor.pipeline.events import event_id
from monitor.text.textdiff import diff_blocks
from store.repo import Store
from store.tables import (
    Commitment,
    Document,
    EventRecord,
    Location,
    SourceState,
    Version,
)

AGENCIES = ("State", "USTR", "Commerce", "Treasury")
TYPES = ("joint statement", "fact sheet", "readout", "remarks", "media note", "press release")
TOPICS = (
    "semiconductor supply chains", "border infrastructure", "clean energy", "workforce training",
    "critical minerals", "cybersecurity", "water projects", "trade facilitation",
)  # fmt: skip
START = datetime(2021, 9, 9, tzinfo=UTC)
BATCH = 2000


def paragraphs(doc: int, rng: random.Random) -> list[str]:
    count = rng.randint(20, 40)
    return [
        f"Under the U.S.-Mexico High-Level Economic Dialogue, the {rng.choice(AGENCIES)} team "
        f"advanced work on {rng.choice(TOPICS)} (item {doc}.{n}), with "
        f"${rng.randint(5, 900)} million committed for {2022 + n % 5}."
        for n in range(count)
    ]


def edit(blocks: list[str], rng: random.Random) -> list[str]:
    """One amount changed in one paragraph, as most real edits are."""
    changed = list(blocks)
    index = rng.randrange(len(changed))
    changed[index] = changed[index].replace(" million", f"{rng.randint(1, 9)} million", 1)
    return changed


def document_rows(doc: int, rng: random.Random, versions: int) -> Iterator[tuple[str, Any]]:
    """Every row of one document, as (table, values)."""
    agency, source = AGENCIES[doc % 4], f"{AGENCIES[doc % 4].lower()}-{doc % 20}"
    url = f"https://www.{agency.lower()}.gov/hled/{doc}"
    first = START + timedelta(hours=doc * 3)
    title = f"{rng.choice(TYPES).title()}: U.S.-Mexico High-Level Economic Dialogue, item {doc}"
    yield "document", {
        "id": doc, "url": url, "source": source, "agency": agency, "title": title,
        "doc_type": rng.choice(TYPES), "published": first.date().isoformat(),
        "status": "removed" if doc % 97 == 0 else "active", "current_url": url,
        "fingerprint": f"f{doc}", "version_count": versions, "first_seen_at": first,
        "last_seen_at": first + timedelta(days=versions * 30),
        "last_changed_at": first + timedelta(days=(versions - 1) * 30),
    }  # fmt: skip
    yield "location", {"document_id": doc, "url": url, "source": source, "agency": agency,
                       "status": "active", "first_seen_at": first}  # fmt: skip
    if doc % 5 == 0:
        yield "location", {"document_id": doc, "url": f"https://ustr.gov/copy/{doc}",
                           "source": "ustr-0", "agency": "USTR", "status": "active",
                           "first_seen_at": first}  # fmt: skip
    yield from history(doc, url, title, (agency, source), first, versions, rng)
    for n in range(3):
        links = [{"document": f"https://www.state.gov/hled/{doc + 4}", "sentence": "Done.",
                  "relation": "fulfilled"}] if n == 0 and doc % 3 == 0 else []  # fmt: skip
        yield "commitment", {
            "document_id": doc, "fingerprint": f"c{n}", "kind": "commitment",
            "sentence": f"The governments will advance {rng.choice(TOPICS)} by {2025 + n}.",
            "actors": ["United States", "Mexico"], "pillar": 1 + (doc + n) % 4,
            "deadline": str(2025 + n), "amounts": [f"${rng.randint(5, 900)} million"],
            "status": "fulfilled" if links else "open", "links": links,
            "first_seen_at": first, "last_seen_at": first,
        }  # fmt: skip


def history(
    doc: int, url: str, title: str, publisher: tuple[str, str], first: datetime, versions: int,
    rng: random.Random,
) -> Iterator[tuple[str, Any]]:  # fmt: skip
    agency, source = publisher
    blocks = paragraphs(doc, rng)
    for number in range(1, versions + 1):
        when = first + timedelta(days=(number - 1) * 30)
        old, blocks = blocks, (blocks if number == 1 else edit(blocks, rng))
        text = "\n\n".join(blocks)
        yield "version", {
            "document_id": doc, "number": number, "fingerprint": f"v{doc}.{number}", "text": text,
            "raw_body": zlib.compress(text.encode()[:2000]), "fetched_url": url,
            "extractor": "bench", "fetched_at": when,
        }  # fmt: skip
        kind = "new_document" if number == 1 else "document_changed"
        payload: dict[str, Any] = {"doc_type": "readout", "published": None}
        if number == 1:
            payload |= {"opening": "\n\n".join(blocks[:3])[:600], "locations": [url]}
        else:
            diff = diff_blocks(old, blocks, f"version {number - 1}", f"version {number}")
            payload |= {"from_version": number - 1, "to_version": number, **diff.as_json(),
                        "commitment_changes": []}  # fmt: skip
        yield "event", {
            "id": event_id(kind, url, number), "type": kind, "source": source, "agency": agency,
            "url": url, "title": title, "document_id": doc, "payload": payload,
            "detected_at": when,
        }  # fmt: skip


def build(path: Path, documents: int, versions: int) -> None:
    store = Store(f"sqlite:///{path}")
    tables = {
        "document": Document, "location": Location, "version": Version,
        "commitment": Commitment, "event": EventRecord,
    }  # fmt: skip
    pending: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
    rng = random.Random(15)
    with store.engine.begin() as connection:
        for doc in range(1, documents + 1):
            for table, values in document_rows(doc, rng, versions):
                pending[table].append(values)
            if doc % 500 == 0 or doc == documents:
                for name in tables:  # parents first: documents, then what refers to them
                    if pending[name]:
                        connection.execute(sa.insert(tables[name]), pending[name])
                        pending[name] = []
        states = [
            {"name": f"{agency.lower()}-{n}", "baseline_done": True,
             "last_checked_at": START + timedelta(days=1000), "last_ok_at": START,
             "consecutive_failures": 3 if n == 7 else 0,
             "last_error": "HTTP 503 from the listing" if n == 7 else None}
            for agency in AGENCIES for n in range(20)
        ]  # fmt: skip
        connection.execute(sa.insert(SourceState), states)
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=5)
    args = parser.parse_args()
    if args.path.exists():
        parser.error(f"{args.path} exists")
    started = time.perf_counter()
    build(args.path, args.documents, args.versions)
    size = args.path.stat().st_size / 1e6
    print(f"{args.path}: {args.documents} documents, {args.documents * args.versions} versions, "
          f"{size:.0f} MB in {time.perf_counter() - started:.0f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
