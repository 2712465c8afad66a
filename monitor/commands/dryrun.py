"""`test SOURCE [--url URL]`: a dry run of one source, to tune `match` and the selectors.

It runs discovery as a check would and shows every link with its verdict and why, then fetches
one document (the first match, or ``--url``) and shows what the monitor would keep of it. It
writes nothing and sends nothing: discovery reads from an empty store in memory (so no index
page answers 304 from what the real store remembers), and the real store is never opened.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from collections.abc import Mapping
from typing import TextIO

import httpx

from monitor.cli import EXIT_OK, EXIT_SOURCE_FAILED, add_config_argument, command, settings_from
from monitor.commands.columns import plural
from monitor.commands.ledger import print_items
from monitor.config import Settings, SourceConfig
from monitor.discover import Candidate, DiscoverContext, LinkNote, get_kind
from monitor.errors import ExtractError
from monitor.fetch.client import Fetcher
from monitor.identity.urls import LinkPolicy
from monitor.models import ExtractHint, FetchResult, Page
from monitor.pipeline.events import cut_at_word
from monitor.text.article import page_of
from monitor.text.keywords import first_match, opening_matches
from store.repo import Store

TEXT_WIDTH = 70  # link texts are cut here in the verdict list


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="SOURCE", help="the name of a configured source")
    parser.add_argument(
        "--url", metavar="URL", help="show this document instead of the first match"
    )
    add_config_argument(parser)


@command("test", "dry run of one source: links found and why, and one document's text", _arguments)
def test_command(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    settings = settings_from(args, env)
    source = settings.source(args.source)
    return asyncio.run(dry_run(settings, source, args.url, sys.stdout))


async def dry_run(
    settings: Settings,
    source: SourceConfig,
    url: str | None,
    out: TextIO,
    transport: httpx.AsyncBaseTransport | None = None,
) -> int:
    """Show discovery and one document; exit 1 when the source or the document failed."""
    scratch = Store("sqlite://")  # empty and in memory: the dry run's only store
    fetcher = Fetcher(settings.fetch, transport=transport)
    policy = LinkPolicy.for_source(source.targets, source.allow_hosts, settings.aliases)
    try:
        candidates, failed = await _discover(settings, source, fetcher, scratch, policy, out)
        chosen = Candidate(url) if url else next(iter(candidates), None)
        if chosen is None:
            print("\nno document to show: nothing matched (try --url URL)", file=out)
            return EXIT_SOURCE_FAILED if failed else EXIT_OK
        shown = await _show_document(settings, source, chosen, fetcher, policy, out)
    finally:
        await fetcher.aclose()
        scratch.close()
    return EXIT_SOURCE_FAILED if failed or not shown else EXIT_OK


async def _discover(
    settings: Settings,
    source: SourceConfig,
    fetcher: Fetcher,
    scratch: Store,
    policy: LinkPolicy,
    out: TextIO,
) -> tuple[list[Candidate], bool]:
    """Run the source's kind; print each link's verdict. Matches first, vague links after."""
    keywords = source.keywords(settings.defaults.match)
    print(f"source {source.name} ({source.kind}, {source.agency})", file=out)
    if source.kind == "page":
        print("  kind page: the configured addresses are the documents (no keywords)", file=out)
        return [Candidate(url) for url in source.targets], False
    print(f"  keywords: {', '.join(keywords)}", file=out)
    notes: list[LinkNote] = []
    context = DiscoverContext(settings, fetcher, scratch, policy, trace=notes.append)
    discovery = await get_kind(source.kind)(source, context)
    _print_notes(notes, keywords, out)
    if discovery.error:
        print(f"  error: {discovery.error}", file=out)
    found = sorted(discovery.candidates, key=lambda candidate: candidate.verify)
    return found, discovery.error is not None


def _print_notes(notes: list[LinkNote], keywords: tuple[str, ...], out: TextIO) -> None:
    verdicts: dict[str, LinkNote] = {}
    for note in notes:  # one line per address: a match anywhere beats a miss elsewhere
        if note.url not in verdicts or note.verdict == "match":
            verdicts[note.url] = note
    tally = Counter(note.verdict.split(":")[0] for note in verdicts.values())
    counts = ", ".join(f"{count} {kind}" for kind, count in tally.items())
    print(f"  {plural(len(verdicts), 'link')}: {counts or 'none'}", file=out)
    for note in verdicts.values():
        kind = note.verdict.split(":")[0]
        print(f"  {kind:<9} {note.url}", file=out)
        print(f"            {_why(note, keywords)}", file=out)


def _why(note: LinkNote, keywords: tuple[str, ...]) -> str:
    if note.verdict == "match":
        found = first_match(note.texts, keywords)
        if found:
            return f'"{found[0]}" in "{_cut(found[1])}"'
    if note.verdict == "verify":
        return f'vague link text "{_cut(note.texts[0] if note.texts else "")}": its page decides'
    if note.verdict.startswith("refused"):
        return note.verdict.partition(": ")[2]
    shown = " | ".join(_cut(text) for text in note.texts) or "(no text)"
    return f"no keyword in {shown}"


def _cut(text: str) -> str:
    return cut_at_word(" ".join(text.split()), TEXT_WIDTH)


async def _show_document(
    settings: Settings,
    source: SourceConfig,
    candidate: Candidate,
    fetcher: Fetcher,
    policy: LinkPolicy,
    out: TextIO,
) -> bool:
    """Fetch and extract one document as the check would; False when that failed."""
    print(f"\ndocument {candidate.url}", file=out)
    hint = ExtractHint(source.content_selector)
    result = await fetcher.fetch(candidate.url, guard=policy.check, extract=hint)
    print(f"  fetch: {_outcome(result)}", file=out)
    if not result.has_body:
        return False
    try:
        page = page_of(result, source.content_selector)
    except ExtractError as exc:
        print(f"  extract: error: {exc}", file=out)
        return False
    _print_page(page, out)
    if candidate.verify:
        keywords = source.keywords(settings.defaults.match)
        verdict = opening_matches(page.title, page.blocks, keywords)
        print(f"  keywords in its title or opening: {'yes' if verdict else 'no'}", file=out)
    from monitor.commitments import extract_items  # imported only when a page is shown

    items = extract_items(page.text)
    print(f"\ncommitments and accomplishments ({len(items)})", file=out)
    print_items(items, out)
    return True


def _outcome(result: FetchResult) -> str:
    if not result.has_body:
        return f"{result.status.value}: {result.reason}"
    parts = [result.status.value, f"HTTP {result.status_code}", f"{len(result.body):,} bytes"]
    parts += [result.content_type or "no content type", f"{result.elapsed:.2f}s"]
    moved = result.final_url and result.final_url != result.url
    return ", ".join(parts) + (f" (final URL {result.final_url})" if moved else "")


def _print_page(page: Page, out: TextIO) -> None:
    print(f"  title: {page.title}", file=out)
    print(f"  published: {page.published or 'unknown'}", file=out)
    print(f"  type: {page.doc_type}", file=out)
    print(f"  extracted by: {page.extractor}", file=out)
    characters = sum(len(block) for block in page.blocks)
    print(f"\nmain text ({len(page.blocks)} blocks, {characters:,} characters)", file=out)
    for block in page.blocks:
        print(f"  {block}", file=out)
