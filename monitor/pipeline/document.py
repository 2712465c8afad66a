"""One document in one check: fetch it, then hand the answer to the decision it calls for.

Each decision reads the store and returns a ``DocumentOutcome`` (``monitor.pipeline.outcome``);
``monitor.pipeline.record`` writes it. The decisions, in the order an answer meets them:

- ``removal``: a 410, or a 404 asked twice: the location (and maybe the document) is gone;
- ``resolution``: a known location seen again (or 304), moved or restored; no body at all;
- ``compare``: a known location's text, the same or a new version (with its commitments);
- ``arrival``: a location never recorded (a vague link's page read once to see if it is about
  the HLED): a new document, or a copy of a known one.
"""

from __future__ import annotations

from monitor.config import SourceConfig
from monitor.discover import Candidate
from monitor.errors import ExtractError
from monitor.fetch.client import FetchRequest
from monitor.identity.urls import LinkPolicy, canonical_url
from monitor.models import FetchResult, FetchStatus, Page, Validators
from monitor.pipeline.arrival import arrive
from monitor.pipeline.compare import compare
from monitor.pipeline.context import CheckContext
from monitor.pipeline.outcome import DocumentOutcome
from monitor.pipeline.removal import confirm_gone, gone
from monitor.pipeline.resolution import Found, seen, unread
from monitor.pipeline.target import Target
from monitor.text.article import page_of
from store.repo import NewVersion

__all__ = ["Target", "decide"]


async def decide(
    source: SourceConfig,
    candidate: Candidate,
    baseline: bool,
    context: CheckContext,
    policy: LinkPolicy,
) -> tuple[Target, DocumentOutcome]:
    """Fetch ``candidate`` and decide what its answer means; nothing is written here."""
    location = canonical_url(candidate.url, context.settings.aliases)
    target = Target(source, candidate, location, policy, baseline)
    store = context.store
    found = store.find(target.location)
    if found is None and candidate.verify and store.link_verdict(candidate.url) is False:
        return target, DocumentOutcome()  # a vague link we already read: not about the HLED
    validators = store.validators(candidate.url) if found else Validators()
    result = await context.fetcher.fetch(
        FetchRequest(
            candidate.url, validators, guard=policy.check, document=True, source=source.name
        )
    )
    # Another source may have recorded this very location while we waited for the answer.
    found = found or store.find(target.location)
    if result.status is FetchStatus.GONE and found is not None:
        result = await confirm_gone(target, found[1], result, context)
        if result.status is FetchStatus.GONE:
            return target, gone(target, found, result, context)
    return target, _answered(target, found, result, validators, context)


def _answered(
    target: Target,
    found: Found | None,
    result: FetchResult,
    validators: Validators,
    context: CheckContext,
) -> DocumentOutcome:
    """Any answer but a confirmed removal: no change, no body, or a page to read."""
    if result.status is FetchStatus.NOT_MODIFIED and found is not None:
        return seen(target, found, result, context, validators)
    if not result.has_body:
        return unread(target, found, result, context)
    try:
        page = page_of(result, target.source.content_selector)
    except ExtractError as exc:
        return DocumentOutcome(error=f"{target.candidate.url}: {exc}")
    new = _new_version(target, result, page)
    if found is not None:
        return compare(target, found, result, new, context)
    return arrive(target, new, result, context)


def _new_version(target: Target, result: FetchResult, page: Page) -> NewVersion:
    return NewVersion(
        target.source.name,
        target.source.agency,
        target.location,
        page,
        page.fingerprint,
        result.body,
        result.final_url or target.candidate.url,
        result.validators,
        target.candidate.url,
    )
