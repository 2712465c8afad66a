"""The configuration: ``sources.toml`` read and validated once, at the edge, into frozen models.

The models (``settings``, ``source``, ``destinations``, ``fields``) import nothing above them:
discovery, identity and fetching depend on config, never the reverse. ``load`` reads the file,
``wording`` phrases its errors, ``reference`` generates the README's table of keys.
"""

from __future__ import annotations

from monitor.config.destinations import (
    AppriseDestination,
    Destination,
    EmailDestination,
    NotifyConfig,
    SlackDestination,
)
from monitor.config.fields import Duration, format_duration, parse_duration
from monitor.config.load import config_path, database_url, load_settings, parse_settings, public_url
from monitor.config.settings import (
    DEFAULT_CONFIG_PATH,
    DEFAULT_DATABASE_URL,
    DEFAULT_MATCH,
    DEFAULT_USER_AGENT,
    PROJECT_URL,
    AliasConfig,
    BrowserConfig,
    DefaultsConfig,
    FetchConfig,
    ServiceConfig,
    Settings,
)
from monitor.config.source import (
    KIND_ONLY_KEYS,
    MATCH_PLACES,
    SOURCE_KINDS,
    FetchMode,
    SourceConfig,
)

__all__ = [
    "DEFAULT_CONFIG_PATH",
    "DEFAULT_DATABASE_URL",
    "DEFAULT_MATCH",
    "DEFAULT_USER_AGENT",
    "KIND_ONLY_KEYS",
    "MATCH_PLACES",
    "PROJECT_URL",
    "SOURCE_KINDS",
    "AliasConfig",
    "AppriseDestination",
    "BrowserConfig",
    "DefaultsConfig",
    "Destination",
    "Duration",
    "EmailDestination",
    "FetchConfig",
    "FetchMode",
    "NotifyConfig",
    "ServiceConfig",
    "Settings",
    "SlackDestination",
    "SourceConfig",
    "config_path",
    "database_url",
    "format_duration",
    "load_settings",
    "parse_duration",
    "parse_settings",
    "public_url",
]
