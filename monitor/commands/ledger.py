"""`extract FILE` (the extractor on one file) and `commitments` (the ledger)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from monitor.cli import command, open_store
from monitor.commands.columns import local_time, plural
from monitor.errors import ConfigError
from monitor.pipeline.check import utc_now
from monitor.pipeline.events import cut_at_word
from monitor.text.article import decode_html, extract_page

if TYPE_CHECKING:
    from monitor.commitments import Item

# Every status a ledger entry can have: commitments start open and may become progressed,
# fulfilled, restated or changed (a later document's report) or removed; accomplishments are
# reported (store/_ledger.py, monitor/commitments/linking.py).
STATUSES = ("open", "progressed", "fulfilled", "restated", "changed", "removed", "reported")
SENTENCE_WIDTH = 90
_COLUMNS = "{:10} {:14} {!s:2} {:10} {:10}  "  # status, kind, pillar, published, first seen


def _extract_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a text or HTML file")
    parser.add_argument("--json", action="store_true", help="print a JSON array of the items")


def _ledger_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--document", metavar="URL", help="only this document's commitments")
    parser.add_argument("--pillar", type=int, choices=(1, 2, 3, 4), help="only this HLED pillar")
    parser.add_argument(
        "--status",
        choices=STATUSES,
        metavar="STATUS",
        help=f"only entries with this status: {', '.join(STATUSES)}",
    )
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")


@command("extract", "list the commitments and accomplishments in a local file", _extract_arguments)
def extract_command(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    text = decode_html(raw, None)
    if path.suffix.lower() in (".html", ".htm") or text.lstrip()[:1] == "<":
        text = extract_page(text, str(path)).text  # the same main text the monitor keeps
    from monitor.commitments import extract_items  # imported only for this command

    items = extract_items(text)
    if args.json:
        print(json.dumps([item.as_json() for item in items], ensure_ascii=False, indent=2))
        return 0
    print_items(items, sys.stdout)
    print(plural(len(items), "item"), file=sys.stderr)
    return 0


def print_items(items: Sequence[Item], out: TextIO) -> None:
    """Commitments and accomplishments, one sentence and one line of details each."""
    for item in items:
        details = [", ".join(item.actors), f"pillar {item.pillar}" if item.pillar else ""]
        details += [item.deadline or "", "; ".join(a.text for a in item.amounts)]
        print(f"[{item.kind}] {item.sentence}", file=out)
        print("    " + " | ".join(part for part in details if part), file=out)


@command("commitments", "the ledger of commitments across documents", _ledger_arguments)
def commitments_command(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    store = open_store(args, env, create=False)
    try:
        from monitor.pipeline.commitment_news import fill_ledger  # imported only for this command

        fill_ledger(store, utc_now())
        document_id = None
        if args.document:
            document = store.document(args.document)
            if document is None:
                raise ConfigError(f"{args.document}: no such document in the store")
            document_id = document.id
        rows = [_row(c, d) for c, d in store.ledger(document_id, args.pillar, args.status)]
    finally:
        store.close()
    _print(rows, args.format)
    return 0


def _row(commitment: Any, document: Any) -> dict[str, Any]:
    return {
        "status": commitment.status,
        "kind": commitment.kind,
        "sentence": commitment.sentence,
        "actors": commitment.actors,
        "pillar": commitment.pillar,
        "deadline": commitment.deadline,
        "amounts": commitment.amounts,
        "document": document.current_url or document.url,
        "document_title": document.title,
        "published": document.published,
        "first_seen": commitment.first_seen_at.isoformat(),
        "last_seen": commitment.last_seen_at.isoformat(),
        "links": commitment.links,
    }


def _print(rows: list[dict[str, Any]], style: str) -> None:
    if style == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif style == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["status"])
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}
            )
    else:
        _print_table(rows)


def _print_table(rows: list[dict[str, Any]]) -> None:
    """A header, then two lines per entry: the sentence (cut with "…"), then its details
    under it."""
    print(_COLUMNS.format("status", "kind", "P", "published", "first seen") + "sentence")
    indent = " " * len(_COLUMNS.format(*[""] * 5))
    for row in rows:
        published = (row["published"] or "-")[:10]
        first_seen = local_time(datetime.fromisoformat(row["first_seen"]))[:10]
        columns = (row["status"], row["kind"], row["pillar"] or "-", published, first_seen)
        print(_COLUMNS.format(*columns) + cut_at_word(row["sentence"], SENTENCE_WIDTH))
        extra = [row["deadline"] or "", "; ".join(row["amounts"]), row["document"]]
        print(indent + " | ".join(part for part in extra if part))
    print(plural(len(rows), "entry", "entries"), file=sys.stderr)
