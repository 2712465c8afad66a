"""Read and validate ``sources.toml`` once, at the edge, into frozen models.

Every error names the file, the source (by name, or by position when it has none) and the field,
e.g. ``sources.toml: source "state-press": interval: "30x" is not a duration (use 30s, 15m, 2h)``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from monitor.config.settings import DEFAULT_CONFIG_PATH, DEFAULT_DATABASE_URL, Settings
from monitor.config.wording import describe
from monitor.errors import ConfigError


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
            for line in describe(error, raw, Settings).split("\n")
        ]
        raise ConfigError("\n".join(dict.fromkeys(lines))) from None
