"""Notification channels, each registered under a name, behind the ``Notifier`` protocol."""

from __future__ import annotations

# Importing a channel module registers its builder (in this order: slack, apprise, email).
from notifiers import apprise, slack, smtp  # noqa: F401
from notifiers.base import Notifier
from notifiers.channels import build_notifiers, register
from notifiers.console import ConsoleNotifier
from notifiers.memory import MemoryNotifier

__all__ = ["ConsoleNotifier", "MemoryNotifier", "Notifier", "build_notifiers", "register"]
