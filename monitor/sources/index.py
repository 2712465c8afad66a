"""What the discovering kinds share: reading an index page and deciding which links to keep."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from monitor.config import SourceConfig
from monitor.extract import html_blocks
from monitor.identity import clean_url, log_refusal_once
from monitor.matching import matches
from monitor.models import FetchResult, FetchStatus, Validators
from monitor.sources import Candidate, DiscoverContext, Discovery, LinkNote, Mention

OPENING_BLOCKS = 3  # a post's opening: its first paragraphs
QUOTE_CHARS = 400
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u00c0-\u00de\"'(])")


@dataclass
class IndexReader:
    """Reads a source's index pages (conditionally) and collects matching candidates."""

    source: SourceConfig
    context: DiscoverContext
    candidates: dict[str, Candidate] = field(default_factory=dict)
    validators: list[tuple[str, Validators]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    mentions: dict[str, Mention] = field(default_factory=dict)

    @property
    def keywords(self) -> tuple[str, ...]:
        return self.source.keywords(self.context.settings.defaults.match)

    async def read(self, url: str, accept: tuple[str, ...]) -> FetchResult | None:
        """The page's answer when it has a body; None after a 304 or a failure (recorded)."""
        validators = self.context.store.validators(url)
        result = await self.context.fetcher.fetch(
            url, validators, accept, self.context.policy.check
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
        url = self._followed(base, href)
        if url is None:
            return
        texts = list(texts)
        if matches(texts, self.keywords):
            self.candidates[url] = Candidate(url, title=next(filter(None, texts), None))
            self._note(url, texts, "match")
        elif vague and url not in self.candidates:
            self.candidates[url] = Candidate(url, verify=True)
            self._note(url, texts, "verify")
        else:
            self._note(url, texts, "no match")

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
        url = self._followed(base, href)
        if url is not None and quote is not None:
            self.mentions.setdefault(url, Mention(url, post.title, quote))
            self._note(url, [quote], "mention")
        elif url is not None:
            self._note(url, [post.title, *wanted], "no match")

    def _followed(self, base: str, href: str | None) -> str | None:
        """The link's address when the link policy lets us follow it (a refusal is logged)."""
        if not href:
            return None
        url = clean_url(urljoin(base, href.strip()))
        reason = self.context.policy.refusal(url)
        if reason:
            log_refusal_once(url, reason)
            self._note(url, (), f"refused: {reason}")
            return None
        return url

    def discovery(self) -> Discovery:
        return Discovery(
            tuple(self.candidates.values()),
            error="; ".join(self.errors) or None,
            validators=tuple(self.validators),
            mentions=tuple(m for url, m in self.mentions.items() if url not in self.candidates),
        )


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
    tree = LexborHTMLParser(body_html)
    root = tree.body or tree.root
    return html_blocks(root) if root is not None else []


def quoted(texts: Iterable[str | None], keywords: tuple[str, ...]) -> str | None:
    """The first sentence of ``texts`` that names a keyword, at most QUOTE_CHARS long."""
    for text in texts:
        for sentence in _SENTENCE_END.split(text or ""):
            if matches([sentence], keywords):
                return sentence.strip()[:QUOTE_CHARS]
    return None
