"""What the discovering kinds share: reading an index page and deciding which links to keep."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from monitor.config import SourceConfig
from monitor.discover import Candidate, DiscoverContext, Discovery, LinkNote, Mention
from monitor.discover.backlog import NewCandidates
from monitor.errors import ExtractError
from monitor.identity.urls import canonical_url, log_refusal_once, resolve
from monitor.models import FetchResult, FetchStatus, Validators
from monitor.text.article import html_blocks, parse_html
from monitor.text.keywords import matches

OPENING_BLOCKS = 3  # a post's opening: its first paragraphs
QUOTE_CHARS = 400
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u00c0-\u00de\"'(])")

log = logging.getLogger(__name__)
_logged_malformed: set[tuple[str, str]] = set()  # (source, message): each logged once


@dataclass
class IndexReader:
    """Reads a source's index pages (conditionally) and collects matching candidates."""

    source: SourceConfig
    context: DiscoverContext
    # Feeds and sitemaps: a listed link that answered 404 does not keep the index's validators
    # from being saved (it is asked again, oldest first, when the index changes).
    keep_validators: bool = False
    candidates: dict[str, Candidate] = field(default_factory=dict)  # known to the source
    validators: list[tuple[str, Validators]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    mentions: dict[str, Mention] = field(default_factory=dict)
    malformed: list[str] = field(default_factory=list)  # links skipped: each costs only itself
    new: NewCandidates = field(init=False)
    known: set[str] = field(init=False)  # canonical locations the source watches already

    def __post_init__(self) -> None:
        settings, store = self.context.settings, self.context.store
        cap = self.source.new_per_check or settings.defaults.new_per_check
        self.new = NewCandidates(cap, store.asked)
        watched = store.watched(self.source.name)
        self.known = {canonical_url(url, settings.aliases) for url, _ in watched}

    @property
    def keywords(self) -> tuple[str, ...]:
        return self.source.keywords(self.context.settings.defaults.match)

    async def read(self, url: str, accept: tuple[str, ...]) -> FetchResult | None:
        """The page's answer when it has a body; None after a 304 or a failure (recorded)."""
        validators = self.context.store.validators(url)
        result = await self.context.fetcher.fetch(
            url, validators, accept, self.context.policy.check, source=self.source.name
        )
        if result.status is FetchStatus.NOT_MODIFIED:
            return None
        if not result.has_body:
            self.errors.append(f"{url}: {result.reason}")
            return None
        self.validators.append((url, result.validators))
        return result

    def offer(self, base: str, href: str | None, texts: Iterable[str | None], vague: bool) -> None:
        """Keep the link when its texts match; vague links are kept to be verified."""
        texts = list(texts)
        matched = matches(texts, self.keywords)
        if not href or not (matched or vague or self.context.trace):
            return  # decided before the link is parsed: most links on a listing are not ours
        followed = self._followed(base, href, texts)
        if followed is None:
            return
        url, location = followed
        if not (matched or vague):
            self._note(url, texts, "no match")
            return
        title = next(filter(None, texts), None) if matched else None
        kept = self._keep(Candidate(url, title=title, verify=not matched), location)
        self._note(url, texts, ("match" if matched else "verify") if kept else "no match")

    def _keep(self, candidate: Candidate, location: str) -> bool:
        """Keep a candidate (a new one within the cap); False for a vague repeat of a kept one."""
        if location not in self.known:
            self.new.add(candidate)  # new to the source: within the cap of this check
        elif not candidate.verify or candidate.url not in self.candidates:
            self.candidates[candidate.url] = candidate
        else:
            return False
        return True

    def _note(self, url: str, texts: Iterable[str | None], verdict: str) -> None:
        if self.context.trace is not None:
            self.context.trace(LinkNote(url, tuple(filter(None, texts)), verdict))

    def offer_post(self, base: str, href: str | None, post: Post) -> None:
        """A post that carries its text (a feed entry, a WordPress post), in relevance tiers.

        A keyword in a place the source's ``match_in`` names (by default the title, summary
        or opening paragraphs) makes an HLED document; a keyword only deeper in the body makes
        a mention, quoted once and never tracked (a daily briefing that names the HLED once).
        """
        places = post.places()
        wanted = [text for place in self.source.match_in for text in places[place]]
        if matches(wanted, self.keywords):
            self.offer(base, href, [post.title, *wanted], vague=False)
            return
        rest = [text for place, texts in places.items() if place not in self.source.match_in
                for text in texts]  # fmt: skip
        quote = quoted(rest, self.keywords)
        followed = self._followed(base, href, [post.title]) if href else None
        url = followed[0] if followed else None
        if url is not None and quote is not None:
            self.mentions.setdefault(url, Mention(url, post.title, quote))
            self._note(url, [quote], "mention")
        elif url is not None:
            self._note(url, [post.title, *wanted], "no match")

    def _followed(self, base: str, href: str, texts: list[str | None]) -> tuple[str, str] | None:
        """The link's URL and canonical location when it parses and the link policy lets us
        follow it; a malformed link is noted (it costs only itself), a refusal logged."""
        try:
            url, location = resolve(base, href, self.context.settings.aliases)
        except ValueError as exc:
            self.malformed.append(str(exc))
            self._note(href, texts, "malformed")
            return None
        reason = self.context.policy.refusal(url)
        if reason:
            log_refusal_once(url, reason)
            self._note(url, (), f"refused: {reason}")
            return None
        return url, location

    def discovery(self) -> Discovery:
        self._log_malformed()
        chosen = self.new.chosen()
        return Discovery(
            (*self.candidates.values(), *chosen),
            error="; ".join(self.errors) or None,
            validators=tuple(self.validators),
            mentions=tuple(m for url, m in self.mentions.items() if url not in self.candidates),
            deferred=self.new.left,
            unasked=self.new.left_fresh,
            keep_validators=self.keep_validators,
        )

    def _log_malformed(self) -> None:
        """One line per source for the malformed links not logged before (in this process)."""
        name = self.source.name
        fresh = [m for m in dict.fromkeys(self.malformed) if (name, m) not in _logged_malformed]
        if not fresh:
            return
        _logged_malformed.update((name, message) for message in fresh)
        more = f"; and {len(fresh) - 3} more" if len(fresh) > 3 else ""
        log.warning("source %s: skipped %d: %s%s", name, len(fresh), "; ".join(fresh[:3]), more)


@dataclass(frozen=True)
class Post:
    """What a feed entry or a WordPress post says of itself, as text (the body as HTML)."""

    title: str | None
    summary: str | None
    body_html: str | None

    def places(self) -> dict[str, list[str | None]]:
        """Texts by place: title, summary, opening (first paragraphs of the body), body."""
        blocks: list[str | None] = list(post_blocks(self.body_html))
        return {
            "title": [self.title],
            "summary": [self.summary],
            "opening": blocks[:OPENING_BLOCKS],
            "body": blocks[OPENING_BLOCKS:],
        }


def post_blocks(body_html: str | None) -> list[str]:
    """A post body's paragraphs, headings and list items."""
    if not body_html:
        return []
    try:
        tree = parse_html(body_html)  # a body nested too deep costs only its own text
    except ExtractError:
        return []
    root = tree.body or tree.root
    return html_blocks(root) if root is not None else []


def quoted(texts: Iterable[str | None], keywords: tuple[str, ...]) -> str | None:
    """The first sentence of ``texts`` that names a keyword, at most QUOTE_CHARS long."""
    for text in texts:
        for sentence in _SENTENCE_END.split(text or ""):
            if matches([sentence], keywords):
                return sentence.strip()[:QUOTE_CHARS]
    return None
