"""Read and validate ``sources.toml`` once, at the edge, into frozen models.

Every error names the file, the source (by name, or by position when it has none) and the field,
e.g. ``sources.toml: source "state-press": interval: "30x" is not a duration (use 30s, 15m, 2h)``.
Secrets never live here: they come from the environment (see ``notifiers``).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from monitor import __version__
from monitor.config_checks import (
    closest,
    css_selector,
    describe,
    interval_floor,
    unknown_agencies,
    unknown_events,
)
from monitor.errors import ConfigError

DEFAULT_CONFIG_PATH = "sources.toml"
DEFAULT_DATABASE_URL = "sqlite:///data/monitor.db"
DEFAULT_MATCH = (
    "High-Level Economic Dialogue",
    "High Level Economic Dialogue",
    "HLED",
    "Diálogo Económico de Alto Nivel",
)
PROJECT_URL = "https://github.com/hled-monitor/hled-monitor"
# The widely accepted form: state.gov and usembassy.gov refuse plain bot User-Agents (403) and
# let a "Mozilla/5.0 (compatible; ...)" one in.
DEFAULT_USER_AGENT = f"Mozilla/5.0 (compatible; hled-monitor/{__version__}; +{PROJECT_URL})"

_DURATION = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(value: object) -> float:
    """Turn "30s", "15m", "2h" (or a bare number of seconds) into seconds."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration (use 30s, 15m, 2h)")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f'"{value}" is not a duration (use 30s, 15m, 2h)')
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds < 0:
        raise ValueError(f'"{value}" must be positive')
    return seconds


def format_duration(seconds: float) -> str:
    """The shortest exact spelling: 3600.0 -> "1h", 90.0 -> "90s"."""
    for unit in ("d", "h", "m", "s"):
        count = seconds / _UNIT_SECONDS[unit]
        if count >= 1 and count == int(count):
            return f"{int(count)}{unit}"
    return f"{seconds * 1000:g}ms"


Duration = Annotated[float, BeforeValidator(parse_duration)]
Selector = Annotated[str, AfterValidator(css_selector)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FetchConfig(_Strict):
    """The ``[fetch]`` table: how politely and how hard we fetch."""

    user_agent: str = Field(
        DEFAULT_USER_AGENT,
        description="User-Agent header, with a contact URL",
    )
    timeout: Duration = Field(30.0, description="hard total deadline per request")
    connect_timeout: Duration = Field(10.0, description="deadline for opening a connection")
    timeout_deadline: Duration | None = Field(
        None,
        description="per source: timed-out requests are retried only until this long after its "
        "first timeout (default: twice timeout)",
    )
    max_bytes: int = Field(10_000_000, gt=0, description="largest body read, compressed or not")
    concurrency: int = Field(16, gt=0, description="requests in flight overall")
    per_host_concurrency: int = Field(2, gt=0, description="requests in flight per host")
    per_host_delay: Duration = Field(1.0, description="pause between requests to one host")
    retries: int = Field(3, ge=0, description="retries of one request (429, 5xx, connection)")
    max_retry_after: Duration = Field(
        30.0, description="a longer Retry-After means: give up on that source for this check"
    )
    retry_budget: int = Field(50, ge=0, description="retries allowed in one check, all sources")
    processes: int = Field(
        2,
        ge=1,
        le=2,
        description="2: fetch and extract in a second process when per_host_delay is 0",
    )


class BrowserConfig(_Strict):
    """The ``[browser]`` table: headless Chromium for sources with ``fetch = "browser"|"auto"``."""

    executable: str | None = Field(
        None, description="path of Chromium (default: chromium or chromium-browser on PATH)"
    )
    concurrency: int = Field(2, gt=0, le=16, description="pages rendered at once")
    timeout: Duration = Field(
        30.0, description="deadline per page: loading, scripts and waiting for the main text"
    )
    max_memory: int = Field(
        256, ge=32, description="MB of JavaScript heap one page may use before it is abandoned"
    )
    args: tuple[str, ...] = Field(
        (), description='extra Chromium switches, e.g. "--lang=es-MX" or "--proxy-server=..."'
    )
    session_dir: str | None = Field(
        None,
        description="where sources with session = true keep cookies and storage (default: "
        "browser-sessions beside the SQLite database, else ./data/browser-sessions)",
    )


FetchMode = Literal["plain", "auto", "browser"]

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


class SourceConfig(_Strict):
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
            if not re.match(r"^https?://[^/\s]+", url):
                raise ValueError(f'"{url}" is not an http(s) URL')
            _parseable(url)
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
        from monitor.discover import kind_names  # the registry imports config: import late

        names = kind_names()
        if value not in names:
            raise ValueError(f'"{value}" is not a source kind (one of: {", ".join(names)})')
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


class Destination(_Strict):
    """What every notification destination may filter on."""

    events: tuple[str, ...] | None = Field(None, description="event types to send (default: all)")
    agencies: tuple[str, ...] | None = Field(None, description="agencies to send (default: all)")


class SlackDestination(Destination):
    channel: str | None = Field(None, description="channel for chat.postMessage (bot token)")


class EmailDestination(Destination):
    to: tuple[str, ...] = Field(min_length=1, description="recipients")
    sender: str = Field(alias="from", description="From address")


def _parseable(url: str) -> None:
    """Raise ValueError naming the URL when it would not parse (``http://[bad``, a bad port)."""
    from monitor.identity.urls import resolve_link  # identity imports this module: import late

    try:
        resolve_link(url, url)
    except ValueError as exc:
        raise ValueError(f'"{url}" is not a valid URL ({str(exc).rsplit(": ", 1)[-1]})') from None


class AppriseDestination(Destination):
    url: str = Field(
        min_length=1,
        description="an Apprise URL (Teams, Discord, Telegram, ntfy, json://...); write secret "
        'parts as ${ENV_VAR}: "tgram://${TELEGRAM_TOKEN}/${TELEGRAM_CHAT}"',
    )
    name: str | None = Field(
        None, description="names the channel in `deliveries` (default: the URL, secrets hidden)"
    )


def _as_list(value: Any) -> Any:
    # `[notify.slack]` (one table) and `[[notify.slack]]` (several) are both allowed.
    return [value] if isinstance(value, Mapping) else value


class NotifyConfig(_Strict):
    slack: Annotated[tuple[SlackDestination, ...], BeforeValidator(_as_list)] = Field(
        (), description="Slack destinations: one table, or an array of tables"
    )
    email: Annotated[tuple[EmailDestination, ...], BeforeValidator(_as_list)] = Field(
        (), description="email destinations: one table, or an array of tables"
    )
    apprise: Annotated[tuple[AppriseDestination, ...], BeforeValidator(_as_list)] = Field(
        (), description="Apprise destinations (any service Apprise knows): one table or several"
    )
    digest_threshold: int = Field(
        10, ge=1, description="more messages (documents) than this at once: one digest"
    )
    max_commitments: int = Field(8, ge=0, description="commitments listed per alert")
    max_retry_after: Duration = Field(
        900.0, description="longest wait a channel's Retry-After may impose on pending alerts"
    )

    def destinations(self) -> list[tuple[str, Destination]]:
        """Every destination of every channel kind, with its place: ("notify.slack #1", ...)."""
        found: list[tuple[str, Destination]] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, tuple):
                found += [
                    (f"notify.{name} #{index}", destination)
                    for index, destination in enumerate(value, start=1)
                    if isinstance(destination, Destination)
                ]
        return found


class ServiceConfig(_Strict):
    """The ``[service]`` table: how `python -m monitor run` behaves."""

    listen: str = Field(
        "127.0.0.1:8080",
        description="HOST:PORT of the web view, /healthz and /metrics ($MONITOR_LISTEN wins)",
    )
    public_url: str | None = Field(
        None,
        description="the web view's address as readers reach it; alerts link to its diff "
        "pages ($MONITOR_PUBLIC_URL wins)",
    )
    delivery_interval: Duration = Field(60.0, description="how often pending alerts are retried")
    stale_after: Duration | None = Field(
        None, description="/healthz fails when no check ended for this long (default: 2x the "
        "longest interval + 5m)",
    )  # fmt: skip
    shutdown_grace: Duration = Field(30.0, description="how long in-flight checks may finish")
    allow_fast_intervals: bool = Field(
        False, description="allow source intervals under 1 minute (mind the sites you poll)"
    )

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError(f'"{value}" is not an http(s) URL')
        return value


class DefaultsConfig(_Strict):
    match: tuple[str, ...] = Field(
        DEFAULT_MATCH, min_length=1, description="keywords every source matches"
    )
    error_after: int = Field(
        3, ge=1, description="consecutive failed checks before a source_error alert"
    )
    removal_pause: Duration = Field(
        5.0, description="pause before re-asking a 404 page, within one check"
    )
    new_per_check: int = Field(
        300,
        ge=1,
        description="new candidates a source fetches per check; the rest wait for the next",
    )
    same_document: float = Field(
        0.92, gt=0, le=1, description="text similarity (0-1) at which two pages are one document"
    )


class AliasConfig(_Strict):
    """One ``[[alias]]``: a host that serves the same documents as another, at the same paths."""

    host: str = Field(description="the alias host, e.g. bidenwhitehouse.archives.gov")
    canonical: str = Field(description="the host it stands for, e.g. www.whitehouse.gov")


class Settings(_Strict):
    """The whole validated configuration."""

    path: str = Field(DEFAULT_CONFIG_PATH, exclude=True)
    fetch: FetchConfig = FetchConfig()
    defaults: DefaultsConfig = DefaultsConfig()
    notify: NotifyConfig = NotifyConfig()
    service: ServiceConfig = ServiceConfig()
    browser: BrowserConfig = BrowserConfig()
    sources: tuple[SourceConfig, ...] = Field((), alias="source")
    aliases: tuple[AliasConfig, ...] = Field((), alias="alias")

    @model_validator(mode="after")
    def _unique_names(self) -> Settings:
        seen: set[str] = set()
        for source in self.sources:
            if source.name in seen:
                raise ValueError(f'source name "{source.name}" is used twice')
            seen.add(source.name)
        return self

    @model_validator(mode="after")
    def _sensible(self) -> Settings:
        allow_fast = self.service.allow_fast_intervals
        problems = [
            problem
            for source in self.sources
            if (problem := interval_floor(source.name, source.interval, allow_fast))
        ]
        agencies = list(dict.fromkeys(source.agency for source in self.sources))
        check_agencies = bool(agencies)  # without sources (tests) there is nothing to check
        for where, destination in self.notify.destinations():
            problems += unknown_events(where, destination.events)
            if check_agencies:
                problems += unknown_agencies(where, destination.agencies, agencies)
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        names = [source.name for source in self.sources]
        raise ConfigError(
            f'{self.path}: no source named "{name}"{closest(name, names)} '
            f"(sources: {', '.join(names) or 'none'})"
        )


# Tables the generated reference shows after monitor.reference.TABLES.
REFERENCE_TABLES: tuple[tuple[str, type[BaseModel]], ...] = (("[browser]", BrowserConfig),)


def config_path(env: Mapping[str, str] = os.environ) -> str:
    return env.get("MONITOR_CONFIG") or DEFAULT_CONFIG_PATH


def database_url(env: Mapping[str, str] = os.environ) -> str:
    return env.get("MONITOR_DATABASE_URL") or DEFAULT_DATABASE_URL


def public_url(settings: Settings, env: Mapping[str, str] = os.environ) -> str | None:
    """The view's base URL for links in alerts and the feed, without a trailing slash."""
    value = env.get("MONITOR_PUBLIC_URL") or settings.service.public_url
    if not value:
        return None
    if not value.lower().startswith(("http://", "https://")):
        raise ConfigError(f'public_url: "{value}" is not an http(s) address')
    return value.rstrip("/")


def load_settings(path: str | os.PathLike[str]) -> Settings:
    """Read and validate one config file; raise ConfigError naming file, source and field."""
    label = str(path)
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{label}: file not found (pass --config PATH or set MONITOR_CONFIG to the file)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{label}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label}: not valid TOML: {exc}") from None
    settings = parse_settings(raw, label)
    if not settings.sources:
        raise ConfigError(f"{label}: no [[source]] in {Path(label).name}: nothing to check")
    return settings


def parse_settings(raw: dict[str, Any], label: str = DEFAULT_CONFIG_PATH) -> Settings:
    try:
        return Settings.model_validate({**raw, "path": label})
    except ValidationError as exc:
        lines = [
            f"{label}: {line}"
            for error in exc.errors()
            for line in describe(error, raw).split("\n")
        ]
        raise ConfigError("\n".join(dict.fromkeys(lines))) from None
