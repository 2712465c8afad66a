"""Slack: chat.postMessage with a bot token, or an incoming webhook (Block Kit in ``blocks``).

Destinations that post to the same place share one channel name, so an event is delivered there
once however many destinations' filters accept it: ``slack:#hled-alerts`` (bot token) or
``slack:webhook`` (the one ``SLACK_WEBHOOK_URL``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from http.client import HTTPException
from typing import Any
from urllib.error import URLError

from monitor.config import Settings, SlackDestination, public_url
from monitor.errors import ConfigError, NotifyError, PermanentNotifyError
from monitor.models import Event
from notifiers.base import Notifier, accepts_any, group_destinations
from notifiers.blocks import blocks_for, digest_blocks, escape, fallback_text
from notifiers.channels import register
from notifiers.format import build_alert
from notifiers.reasons import host_port, network_reason

DEFAULT_API_URL = "https://slack.com/api/"
WEBHOOK_CHANNEL = "slack:webhook"
TIMEOUT = 15  # seconds per request, so a check never hangs on Slack
# Errors that retrying the same message cannot fix; anything else is retried with backoff.
PERMANENT = frozenset(
    "invalid_auth not_authed invalid_token token_revoked token_expired account_inactive "
    "channel_not_found not_in_channel is_archived channel_is_archived user_not_found "
    "no_permission missing_scope not_allowed_token_type restricted_action action_prohibited "
    "posting_to_general_channel_denied ekm_access_denied team_access_not_granted no_service "
    "no_team team_disabled invalid_blocks invalid_blocks_format invalid_payload "
    "invalid_arguments msg_too_long no_text too_many_attachments".split()
)
PERMANENT_STATUS = frozenset({400, 401, 403, 404, 410})  # the webhook's way of saying the above


class SlackNotifier:
    def __init__(
        self,
        channel: str,
        destinations: Sequence[SlackDestination],
        client: Any,
        webhook: bool,
        max_commitments: int,
        public_url: str | None = None,  # the web view: alerts link to it
    ) -> None:
        self._public_url = public_url
        self.channel, self.destinations = channel, tuple(destinations)
        self._client, self._webhook, self._max_commitments = client, webhook, max_commitments

    def accepts(self, event: Event) -> bool:
        return accepts_any(self.destinations, event)

    def send(self, event: Event) -> None:
        alert = build_alert(event, self._max_commitments, self._public_url)
        self._post(fallback_text(alert), blocks_for(alert))

    def send_digest(self, events: Sequence[Event]) -> None:
        alerts = [build_alert(e, self._max_commitments, self._public_url) for e in events]
        fallback = escape("\n".join(a.headline for a in alerts)[:3000])
        self._post(fallback, digest_blocks(alerts))

    def _post(self, text: str, blocks: list[dict[str, Any]]) -> None:
        from slack_sdk.errors import SlackApiError

        # No unfurled previews of page links, and no mentions parsed from bare text.
        options = {"unfurl_links": False, "unfurl_media": False, "link_names": False}
        try:
            if self._webhook:
                response = self._client.send_dict({"text": text, "blocks": blocks, **options})
                _check_webhook(response.status_code, response.body, response.headers)
            else:
                self._client.chat_postMessage(
                    channel=self.destinations[0].channel, text=text, blocks=blocks, **options
                )
        except SlackApiError as exc:
            response = exc.response
            raise _api_error(response.status_code, response.data, response.headers) from None
        except URLError as exc:  # urllib wraps what fails before the request is sent
            raise NotifyError(f"slack: {network_reason(exc, self._address())}") from None
        except (OSError, HTTPException) as exc:  # sent, but no (whole) answer: it may be posted
            raise NotifyError(
                f"slack: no answer from {self._address()}: {type(exc).__name__} (the message "
                "may have been posted)",
                ambiguous=True,
            ) from None

    def _address(self) -> str:
        url = self._client.url if self._webhook else self._client.base_url
        return host_port(str(url))


def _api_error(status: int, data: Any, headers: Mapping[str, Any]) -> NotifyError:
    error = data.get("error") if isinstance(data, dict) else None
    reason = f"slack: {error or f'HTTP {status}'}"
    if error in PERMANENT or status in PERMANENT_STATUS:
        return PermanentNotifyError(reason)
    return NotifyError(reason, retry_after=_retry_after(headers))


def _check_webhook(status: int, body: str, headers: Mapping[str, Any]) -> None:
    if status == 200:
        return
    raise _api_error(status, {"error": (body or "").strip()[:60] or None}, headers)


def _retry_after(headers: Mapping[str, Any]) -> float | None:
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            return float(raw) if str(raw).isdigit() else None
    return None


class RedactSecrets(logging.Filter):
    """Replace secrets in slack-sdk's own log lines (it logs the webhook URL, which is one)."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "[redacted]")
            record.msg, record.args = message, ()
        return True


def sdk_logger(env: Mapping[str, str]) -> logging.Logger:
    """The logger both clients write to, redacting every Slack secret in the environment."""
    logger = logging.getLogger("notifiers.slack.sdk")
    logger.filters = [RedactSecrets([env.get("SLACK_BOT_TOKEN"), env.get("SLACK_WEBHOOK_URL")])]
    return logger


@register("slack")
def build_slack(settings: Settings, env: Mapping[str, str]) -> list[Notifier]:
    if not settings.notify.slack:
        return []
    token, webhook_url = env.get("SLACK_BOT_TOKEN"), env.get("SLACK_WEBHOOK_URL")
    if not token and not webhook_url:
        raise ConfigError(
            f"{settings.path}: notify.slack: set SLACK_BOT_TOKEN or SLACK_WEBHOOK_URL"
        )

    def channel_name(destination: SlackDestination, index: int) -> str:
        # With a channel and a token: the bot posts there; otherwise the webhook's own channel.
        if token and destination.channel:
            return f"slack:{destination.channel}"
        if webhook_url:
            return WEBHOOK_CHANNEL
        raise ConfigError(
            f"{settings.path}: notify.slack #{index + 1}: channel: is required with "
            "SLACK_BOT_TOKEN (or set SLACK_WEBHOOK_URL)"
        )

    groups = group_destinations(settings.notify.slack, channel_name)
    logger = sdk_logger(env)
    max_commitments, view = settings.notify.max_commitments, public_url(settings, env)
    notifiers: list[Notifier] = []
    for name, destinations in groups.items():
        webhook = name == WEBHOOK_CHANNEL
        client = (
            _webhook_client(webhook_url or "", logger)
            if webhook
            else _web_client(token or "", env, logger)
        )
        notifiers.append(
            SlackNotifier(name, destinations, client, webhook, max_commitments, public_url=view)
        )
    return notifiers


def _web_client(token: str, env: Mapping[str, str], logger: logging.Logger) -> Any:
    from slack_sdk import WebClient

    base_url = env.get("SLACK_API_URL") or DEFAULT_API_URL
    return WebClient(
        token=token,
        base_url=base_url.rstrip("/") + "/",
        timeout=TIMEOUT,
        retry_handlers=[],  # retries are notifiers/retry.py's: one policy for every channel
        logger=logger,
    )


def _webhook_client(url: str, logger: logging.Logger) -> Any:
    from slack_sdk.webhook import WebhookClient

    return WebhookClient(url, timeout=TIMEOUT, retry_handlers=[], logger=logger)
