"""One ``[[source]]`` table: what to watch, how to read it, which keys fit which kind."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from monitor.config.fields import Duration, Selector, Strict, http_url

FetchMode = Literal["plain", "auto", "browser"]

# The kinds a source may name: the config's vocabulary. monitor.discover registers one reader
# per name (a test keeps the two equal); config does not import it, discovery depends on config.
SOURCE_KINDS = ("feed", "listing", "page", "sitemap", "wp-json")
# Keys that only make sense for some kinds; any other key applies to every kind.
_DISCOVERING = frozenset({"listing", "feed", "wp-json", "sitemap"})
KIND_ONLY_KEYS: dict[str, frozenset[str]] = {
    "item_selector": frozenset({"listing"}),
    "paginate": frozenset({"listing"}),
    "first_page": frozenset({"listing"}),
    "pages": frozenset({"listing", "sitemap"}),
    "match": _DISCOVERING,
    "match_in": frozenset({"feed", "wp-json"}),
    "new_per_check": _DISCOVERING,
}
MATCH_PLACES = ("title", "summary", "opening", "body")


class SourceConfig(Strict):
    """One ``[[source]]`` table."""

    name: str = Field(min_length=1, description="unique name, used in alerts and --source")
    agency: str = Field(min_length=1, description="publisher shown in alerts (State, USTR, ...)")
    kind: str = Field("page", description="how the source is read: page, listing, feed, ...")
    url: str | None = Field(None, description="the address to watch")
    urls: tuple[str, ...] = Field((), description="several addresses (instead of url)")
    match: tuple[str, ...] | None = Field(
        None, min_length=1, description="keywords; default: the HLED names"
    )
    match_in: tuple[str, ...] = Field(
        ("title", "summary", "opening"),
        min_length=1,
        description="feed, wp-json: where a keyword makes an HLED document (title, summary, "
        "opening, body); deeper in the body it is a mention",
    )
    interval: Duration = Field(3600.0, description='how often to check ("30s", "15m", "2h")')
    content_selector: Selector | None = Field(None, description="CSS selector of the article body")
    enabled: bool = Field(True, description="false keeps the source listed but unchecked")
    item_selector: Selector | None = Field(
        None, description="listing: CSS selector of one item (default: every link)"
    )
    paginate: str | None = Field(
        None, description='listing: how later pages are addressed ("page/{n}/", "?page={n}")'
    )
    first_page: int = Field(1, ge=0, le=1, description="listing: number of the first page (0 or 1)")
    pages: int = Field(
        2,
        ge=1,
        le=50,
        description="listing: how many pages to read; sitemap index: how many child sitemaps",
    )
    new_per_check: int | None = Field(
        None,
        ge=1,
        description="new documents fetched per check (default: [defaults] new_per_check)",
    )
    allow_hosts: tuple[str, ...] = Field(
        (),
        description="other hosts whose links and redirects may be followed: host (its standard "
        "ports) or host:port (default: the source's own scheme, host and port)",
    )
    fetch: FetchMode = Field(
        "plain",
        description="plain: HTTP only; auto: headless Chromium when the answer is a challenge "
        "or has no main text; browser: Chromium for every page that answers",
    )
    session: bool = Field(
        False, description="browser: keep cookies and storage from one check to the next"
    )

    @field_validator("url", "urls")
    @classmethod
    def _http_only(cls, value: Any) -> Any:
        for url in [value] if isinstance(value, str) else value or ():
            http_url(url)
        return value

    @field_validator("match_in")
    @classmethod
    def _known_places(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for place in value:
            if place not in MATCH_PLACES:
                raise ValueError(f'"{place}" is not one of {", ".join(MATCH_PLACES)}')
        return value

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in SOURCE_KINDS:
            raise ValueError(f'"{value}" is not a source kind (one of: {", ".join(SOURCE_KINDS)})')
        return value

    @model_validator(mode="after")
    def _one_address(self) -> SourceConfig:
        if bool(self.url) == bool(self.urls):
            raise ValueError("give exactly one of url or urls")
        return self

    @model_validator(mode="after")
    def _session_needs_the_browser(self) -> SourceConfig:
        if self.session and self.fetch == "plain":
            raise ValueError('session: only with fetch = "auto" or "browser"')
        return self

    @model_validator(mode="after")
    def _keys_fit_the_kind(self) -> SourceConfig:
        for key in sorted(self.model_fields_set & KIND_ONLY_KEYS.keys()):
            if self.kind not in KIND_ONLY_KEYS[key]:
                kinds = " or ".join(sorted(KIND_ONLY_KEYS[key]))
                raise ValueError(f'{key}: only for kind {kinds}, not "{self.kind}"')
        if self.paginate and "{n}" not in self.paginate:
            raise ValueError(f'paginate: "{self.paginate}" has no {{n}} for the page number')
        return self

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.url,) if self.url else self.urls

    def keywords(self, defaults: tuple[str, ...]) -> tuple[str, ...]:
        return self.match if self.match is not None else defaults
