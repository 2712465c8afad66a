"""Slack: chat.postMessage with a bot token, or an incoming webhook; Block Kit with a fallback.

Page text is untrusted: every piece of it goes through ``escape`` (& < >), so ``<!channel>`` or
``<https://evil.example|click>`` in a title shows literally instead of pinging or disguising.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from monitor.config import Settings, SlackDestination
from monitor.errors import ConfigError, NotifyError, PermanentNotifyError
from monitor.models import Event
from notifiers import register
from notifiers.base import Notifier, accepts
from notifiers.format import Alert, Line, build_alert, render_text

if TYPE_CHECKING:
    from slack_sdk.http_retry import RetryHandler

log = logging.getLogger(__name__)

SECTION_LIMIT = 3000  # characters of one section's text
BLOCK_LIMIT = 50
DEFAULT_API_URL = "https://slack.com/api/"
MAX_INLINE_RETRY_AFTER = 5  # longer waits go back to the outbox, which honours them later
PERMANENT = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "token_revoked",
        "no_permission",
        "missing_scope",
        "invalid_blocks",
        "no_service",
        "no_team",
        "team_disabled",
        "invalid_token",
        "action_prohibited",
    }
)


def escape(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, label: str) -> str:
    safe_url = escape(url).replace("|", "%7C")  # a | would end the URL part of <url|label>
    return f"<{safe_url}|{escape(label)}>"


def mrkdwn_line(line: Line) -> str:
    parts = []
    for op, text in line:
        if not text:
            continue
        body = escape(text)
        parts.append(f"~{body}~" if op == "-" else f"*{body}*" if op == "+" else body)
    return " ".join(parts)


def blocks_for(alert: Alert) -> list[dict[str, Any]]:
    """Block Kit for one alert, trimmed to Slack's limits with an explicit "… N more" line."""
    blocks: list[dict[str, Any]] = [
        _header(alert.headline),
        _section(
            f"{_link(alert.url, alert.title)}\n"
            + " · ".join(f"*{escape(k)}:* {escape(v)}" for k, v in alert.facts)
        ),
    ]
    for section in alert.sections:
        lines = [f"• {mrkdwn_line(line)}" for line in section.lines]
        blocks += _sections(f"*{escape(section.heading)}*", lines, section.more)
    if len(blocks) > BLOCK_LIMIT:
        dropped = len(blocks) - BLOCK_LIMIT + 1
        blocks = [*blocks[: BLOCK_LIMIT - 1], _section(f"_… {dropped} more sections_")]
    return blocks


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": escape(text)[:150]}}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}


def _sections(heading: str, lines: list[str], more: int) -> list[dict[str, Any]]:
    """Pack lines into sections of at most SECTION_LIMIT characters."""
    blocks: list[dict[str, Any]] = []
    current, left = heading, more
    for index, line in enumerate(lines):
        line = line[: SECTION_LIMIT - 200]
        if len(current) + len(line) + 1 > SECTION_LIMIT - 40:
            if len(blocks) >= 8:  # one alert should stay readable: say what was left out
                left += len(lines) - index
                break
            blocks.append(_section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    if left:
        current += f"\n_… {left} more changes_"
    blocks.append(_section(current))
    return blocks


def digest_blocks(alerts: Sequence[Alert]) -> list[dict[str, Any]]:
    lines = [f"• {escape(a.headline)} ({_link(a.url, 'open')})" for a in alerts]
    return [_header(f"{len(alerts)} HLED alerts"), *_sections("", lines, 0)][:BLOCK_LIMIT]


class SlackNotifier:
    def __init__(
        self,
        destination: SlackDestination,
        channel: str,
        client: Any,
        webhook: bool,
        max_commitments: int,
    ) -> None:
        self.destination, self.channel = destination, channel
        self._client, self._webhook, self._max_commitments = client, webhook, max_commitments

    def accepts(self, event: Event) -> bool:
        return accepts(self.destination, event)

    def send(self, event: Event) -> None:
        alert = build_alert(event, self._max_commitments)
        self._post(escape(render_text(alert))[:3000], blocks_for(alert))

    def send_digest(self, events: Sequence[Event]) -> None:
        alerts = [build_alert(e, self._max_commitments) for e in events]
        fallback = escape("\n".join(a.headline for a in alerts))[:3000]
        self._post(fallback, digest_blocks(alerts))

    def _post(self, text: str, blocks: list[dict[str, Any]]) -> None:
        from slack_sdk.errors import SlackApiError

        try:
            if self._webhook:
                response = self._client.send(text=text, blocks=blocks, unfurl_links=False)
                _check_webhook(response.status_code, response.body, response.headers)
            else:
                self._client.chat_postMessage(
                    channel=self.destination.channel, text=text, blocks=blocks, unfurl_links=False
                )
        except SlackApiError as exc:
            raise _api_error(
                exc.response.status_code, exc.response.data, exc.response.headers
            ) from None
        except OSError as exc:  # connection refused, timeouts (URLError is an OSError)
            raise NotifyError(f"slack: connection failed: {type(exc).__name__}") from None


def _api_error(status: int, data: Any, headers: Mapping[str, Any]) -> NotifyError:
    error = data.get("error") if isinstance(data, dict) else None
    reason = f"slack: {error or f'HTTP {status}'}"
    if error in PERMANENT or status in (401, 403, 404, 410):
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


def retry_handlers() -> list[RetryHandler]:
    """slack-sdk's retries, bounded: a check never waits long on Slack."""
    from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
    from slack_sdk.http_retry.handler import RetryHandler

    class ShortRateLimitRetry(RateLimitErrorRetryHandler):
        def _can_retry(
            self, *, state: Any, request: Any, response: Any = None, error: Any = None
        ) -> bool:
            wait = _retry_after(response.headers) if response is not None else None
            return (
                response is not None
                and response.status_code == 429
                and (wait is not None and wait <= MAX_INLINE_RETRY_AFTER)
            )

    class ServerErrorRetry(RetryHandler):
        def _can_retry(
            self, *, state: Any, request: Any, response: Any = None, error: Any = None
        ) -> bool:
            return response is not None and response.status_code >= 500

    return [
        ConnectionErrorRetryHandler(max_retry_count=1),
        ShortRateLimitRetry(max_retry_count=1),
        ServerErrorRetry(max_retry_count=1),
    ]


@register("slack")
def build_slack(settings: Settings, env: Mapping[str, str]) -> list[Notifier]:
    destinations = settings.notify.slack
    if not destinations:
        return []
    token, webhook_url = env.get("SLACK_BOT_TOKEN"), env.get("SLACK_WEBHOOK_URL")
    if not token and not webhook_url:
        raise ConfigError(
            f"{settings.path}: notify.slack: set SLACK_BOT_TOKEN or SLACK_WEBHOOK_URL"
        )
    client = _client(token, webhook_url, env)
    notifiers: list[Notifier] = []
    for index, destination in enumerate(destinations):
        if token and not destination.channel:
            raise ConfigError(
                f"{settings.path}: notify.slack #{index + 1}: channel: is required "
                "with SLACK_BOT_TOKEN"
            )
        name = f"slack:{destination.channel}" if token else f"slack:webhook#{index + 1}"
        notifiers.append(
            SlackNotifier(destination, name, client, not token, settings.notify.max_commitments)
        )
    return notifiers


def _client(token: str | None, webhook_url: str | None, env: Mapping[str, str]) -> Any:
    if token:
        from slack_sdk import WebClient

        base_url = env.get("SLACK_API_URL") or DEFAULT_API_URL
        return WebClient(
            token=token,
            base_url=base_url.rstrip("/") + "/",
            timeout=15,
            retry_handlers=retry_handlers(),
        )
    from slack_sdk.webhook import WebhookClient

    return WebhookClient(webhook_url or "", timeout=15, retry_handlers=retry_handlers())
