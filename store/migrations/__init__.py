"""Alembic migrations of the store, applied automatically when the store opens."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    return config
