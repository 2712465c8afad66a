"""The ``[notify]`` table and its destinations (Slack, e-mail, Apprise) with their filters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from monitor.config.fields import Duration, Strict


class Destination(Strict):
    """What every notification destination may filter on."""

    events: tuple[str, ...] | None = Field(None, description="event types to send (default: all)")
    agencies: tuple[str, ...] | None = Field(None, description="agencies to send (default: all)")


class SlackDestination(Destination):
    channel: str | None = Field(None, description="channel for chat.postMessage (bot token)")


class EmailDestination(Destination):
    to: tuple[str, ...] = Field(min_length=1, description="recipients")
    sender: str = Field(alias="from", description="From address")


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


class NotifyConfig(Strict):
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
