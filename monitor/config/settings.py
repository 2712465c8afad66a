"""The whole configuration (``Settings``) and its smaller tables: fetch, browser, service,
defaults, aliases. Secrets never live here: they come from the environment (see ``notifiers``).
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from monitor import __version__
from monitor.config.checks import closest, interval_floor, unknown_agencies, unknown_events
from monitor.config.destinations import NotifyConfig
from monitor.config.fields import Duration, Strict, is_http_url
from monitor.config.source import SourceConfig
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


class FetchConfig(Strict):
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


class BrowserConfig(Strict):
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


class ServiceConfig(Strict):
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
        if value is not None and not is_http_url(value):
            raise ValueError(f'"{value}" is not an http(s) URL')
        return value


class DefaultsConfig(Strict):
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


class AliasConfig(Strict):
    """One ``[[alias]]``: a host that serves the same documents as another, at the same paths."""

    host: str = Field(description="the alias host, e.g. bidenwhitehouse.archives.gov")
    canonical: str = Field(description="the host it stands for, e.g. www.whitehouse.gov")


class Settings(Strict):
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
