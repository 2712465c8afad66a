"""`history URL` and `diff URL`: what the store holds about one document."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING

from monitor.cli import command, open_store
from monitor.commands.columns import local_time, print_table
from monitor.errors import ConfigError
from monitor.identity.urls import canonical_url
from monitor.text.textdiff import diff_blocks
from store.tables import Document, Version

if TYPE_CHECKING:
    from monitor.commitments.diff import ItemChange
    from store.repo import Store

WIDTH = 100  # long sentences wrap at this width; nothing is cut


def _location_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--location",
        metavar="URL",
        help="another address of the document (a publisher's copy); default: its own",
    )


def _history_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", metavar="URL", help="the document's URL")
    _location_argument(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object per version")


def _diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", metavar="URL", help="the document's URL")
    _location_argument(parser)
    parser.add_argument("--from", dest="old", type=int, metavar="N", help="older version number")
    parser.add_argument("--to", dest="new", type=int, metavar="M", help="newer version number")


@command("history", "list the stored versions of a document", _history_arguments)
def history_command(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    document, location, versions = _load(args, env)
    if args.json:
        for version in versions:
            row = {
                "version": version.number,
                "fetched_at": version.fetched_at.isoformat(),
                "fingerprint": version.fingerprint,
                "characters": len(version.text),
                "fetched_url": version.fetched_url,
                "extractor": version.extractor,
            }
            print(json.dumps(row))
        return 0
    print(f"{document.title} ({document.agency}, {document.doc_type})")
    print(f"versions at {location}", file=sys.stderr)
    rows = [
        (v.number, local_time(v.fetched_at), v.fingerprint[:12], f"{len(v.text):,}", v.fetched_url)
        for v in versions
    ]
    header = ("version", "fetched (local time)", "fingerprint", "characters", "fetched URL")
    print_table(header, rows, sys.stdout, right=(0, 3))
    return 0


@command("diff", "show what changed between two versions of a document", _diff_arguments)
def diff_command(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from monitor.pipeline.commitment_news import (
        version_changes,
    )  # commitments: imported only for this command

    document, location, versions = _load(args, env)
    by_number = {version.number: version for version in versions}
    numbers = list(by_number)
    new_number = args.new or numbers[-1]
    # The one before it at this location (numbers are the document's: another location's
    # versions are not this one's edits).
    earlier = [n for n in numbers if n < new_number]
    old_number = args.old or (earlier[-1] if earlier else new_number - 1)
    missing = [n for n in (old_number, new_number) if n not in by_number]
    if missing:
        known = ", ".join(str(n) for n in by_number)
        raise ConfigError(f"{args.url}: no version {missing[0]} (versions: {known})")
    old, new = by_number[old_number], by_number[new_number]
    diff = diff_blocks(
        old.text.split("\n\n"),
        new.text.split("\n\n"),
        f"version {old_number}",
        f"version {new_number}",
    )
    print(f"{document.title}: version {old_number} -> {new_number} at {location}")
    for item_change in version_changes(old.text.split("\n\n"), new.text.split("\n\n")):
        print(textwrap.indent(_describe(item_change), "  "))
    for change in diff.changes:
        print(textwrap.fill(change.compact(), WIDTH, initial_indent="  ", subsequent_indent="    "))
    print(diff.line_diff or "(no difference)")
    return 0


def _describe(change: ItemChange) -> str:
    """One commitment change, wrapped (never cut), its values as text: "$474 million"."""
    from notifiers.commitment_text import value_text

    item = change.after or change.before
    sentence = item.sentence if item else ""
    fields = "; ".join(
        f"{name}: {value_text(values['before'])} -> {value_text(values['after'])}"
        for name, values in change.changes.items()
    )
    text = f"{change.type}: {sentence}" + (f" ({fields})" if fields else "")
    return textwrap.fill(text, WIDTH - 2, subsequent_indent="    ", break_on_hyphens=False)


def _load(args: argparse.Namespace, env: Mapping[str, str]) -> tuple[Document, str, list[Version]]:
    """The document known at ``args.url``, the location shown (``--location``, else its own),
    and that location's versions."""
    url, location = args.url, args.location
    store = open_store(args, env, create=False)
    try:
        document = store.document(canonical_url(url))
        if document is None or document.id is None:
            raise ConfigError(f"{url}: no such document in the store")
        where = _location(store, document, location)
        versions = store.location_versions(document.id, where)
        if not versions and location is None:
            versions = store.versions(document.id)  # recorded before versions had locations
        if not versions:
            raise ConfigError(f"{location or url}: no versions stored at that location")
        return document, where, versions
    finally:
        store.close()


def _location(store: Store, document: Document, asked: str | None) -> str:
    assert document.id is not None
    known = {row.url: row for row in store.locations(document.id)}
    if asked is None:
        return store.home_location(document.id) or document.url
    where = canonical_url(asked)
    if where not in known:
        listed = ", ".join(known) or "none"
        raise ConfigError(f"{asked}: not a location of {document.url} (locations: {listed})")
    # A location that moved on keeps no versions of its own: they moved with it.
    seen: set[str] = set()
    while known[where].status == "moved" and known[where].last_url and where not in seen:
        seen.add(where)
        following = canonical_url(known[where].last_url or "")
        if following not in known:
            break
        where = following
    return where
