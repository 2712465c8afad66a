"""Every other channel through Apprise: Teams, Discord, Telegram, Mattermost, ntfy, JSON ...

``[[notify.apprise]] url = "..."``; secret parts come from the environment as ``${NAME}``, so
the file can be committed. Each distinct URL is one channel (``apprise:<url, secrets hidden>``
or ``apprise:<name>``) with the same outbox, exactly-once delivery and filters as Slack and
email. The alert is rendered in the target's own markup (text, Markdown or HTML), with page
text escaped for it, and handed to Apprise as already formatted so it converts nothing.
"""

from __future__ import annotations

import html
import logging
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

from monitor.config import AppriseDestination, Settings, public_url
from monitor.errors import ConfigError, NotifyError, PermanentNotifyError
from monitor.models import Event
from notifiers.base import Notifier, accepts_any
from notifiers.channels import register
from notifiers.format import Alert, build_alert, render_digest_text, render_text
from notifiers.markdown import escape_markdown, render_markdown, render_markdown_digest
from notifiers.slack import RedactSecrets

_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_HTTP_ERROR = re.compile(r"error=(\d{3})")
_ADDRESS = re.compile(r"host='([^']+)', port=(\d+)")
_SOCKET_REASONS = (
    ("refused", "connection refused"),
    ("timed out", "timed out"),
    ("resolve", "cannot resolve the host name"),
    ("not known", "cannot resolve the host name"),
    ("certificate", "TLS certificate not trusted"),
    ("SSL", "TLS failed"),
)
RETRYABLE_STATUS = frozenset({408, 425, 429})
_LOG_LOCK = threading.Lock()
TITLE_LIMIT = 250
# Services whose plain text is rendered as Markdown all the same: page text must be escaped.
MARKDOWN_IN_TEXT = frozenset({"mmost", "mmosts", "rocket", "rockets", "zulip"})


class AppriseNotifier:
    def __init__(
        self,
        channel: str,
        destinations: Sequence[AppriseDestination],
        service: Any,
        secrets: Sequence[str],
        max_commitments: int,
        public_url: str | None = None,  # the web view: alerts link to it
    ) -> None:
        self.channel, self.destinations = channel, tuple(destinations)
        self._service, self._max_commitments = service, max_commitments
        self._public_url = public_url
        self._redact = RedactSecrets(secrets)
        self._format = _native_format(service)

    def accepts(self, event: Event) -> bool:
        return accepts_any(self.destinations, event)

    def send(self, event: Event) -> None:
        alert = build_alert(event, self._max_commitments, self._public_url)
        self._notify(alert.headline, self._body([alert]))

    def send_digest(self, events: Sequence[Event]) -> None:
        alerts = [build_alert(e, self._max_commitments, self._public_url) for e in events]
        self._notify(f"{len(alerts)} HLED alerts", self._body(alerts))

    def _body(self, alerts: Sequence[Alert]) -> str:
        from notifiers.smtp import render_html  # the e-mail's HTML, already escaped

        if self._format == "html":
            return render_html(alerts)
        if self._format == "markdown":
            return (
                render_markdown(alerts[0]) if len(alerts) == 1 else render_markdown_digest(alerts)
            )
        if len(alerts) == 1:
            return render_text(alerts[0]).split("\n", 1)[-1]  # the headline is the title
        return render_digest_text(alerts)

    def _title(self, headline: str) -> str:
        flat = " ".join(headline.split())[:TITLE_LIMIT]
        if self._format == "html":
            return html.escape(flat)
        return escape_markdown(flat) if self._format == "markdown" else flat

    def _notify(self, headline: str, body: str) -> None:
        # The HTML body opens with the headline; a target without a title field (Telegram)
        # gets the title put on top of the body by Apprise, and would show it twice.
        untitled = self._format == "html" and self._service.title_maxlen <= 0
        title = "" if untitled else self._title(headline)
        with _apprise_log() as records:
            sent = self._service.notify(body=body, title=title, body_format=self._format)
        if not sent:
            raise self._failure(records)

    def _failure(self, records: list[logging.LogRecord]) -> NotifyError:
        messages = [self._redacted(record.getMessage()) for record in records]
        warnings = [
            self._redacted(record.getMessage())
            for record in records
            if record.levelno >= logging.WARNING
        ]
        reason = _socket_reason(messages) or (
            warnings[-1] if warnings else "the service did not accept the message"
        )
        status = [int(code) for m in messages for code in _HTTP_ERROR.findall(m)]
        text = f"apprise: {reason.rstrip('.')}"
        if status and 400 <= status[-1] < 500 and status[-1] not in RETRYABLE_STATUS:
            return PermanentNotifyError(text)
        return NotifyError(text)

    def _redacted(self, message: str) -> str:
        record = logging.LogRecord("apprise", logging.INFO, "", 0, message, (), None)
        self._redact.filter(record)
        return record.getMessage()


def _native_format(service: Any) -> str:
    """The markup the target renders: HTML, else Markdown, else text. A pass-through service
    (JSON, XML, form webhooks) takes any: it gets plain text, which any consumer can use."""
    if str(service.url()).split("://")[0] in MARKDOWN_IN_TEXT:
        return "markdown"
    value = service.notify_format
    formats = {
        str(getattr(f, "value", f)) for f in (value if isinstance(value, list | tuple) else [value])
    }
    if formats >= {"text", "markdown", "html"}:
        return "text"
    return next(f for f in ("html", "markdown", "text") if f in formats)


def _socket_reason(messages: Sequence[str]) -> str | None:
    """ "connection refused to 127.0.0.1:9", from requests' exception text, when there is one."""
    for message in messages:
        if not message.startswith("Socket Exception"):
            continue
        address = _ADDRESS.search(message)
        where = f" to {address.group(1)}:{address.group(2)}" if address else ""
        for needle, reason in _SOCKET_REASONS:
            if needle in message:
                return reason + where
        return "connection failed" + where
    return None


class _Keep(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _apprise_log() -> Iterator[list[logging.LogRecord]]:
    """Apprise's own log lines for one call (its debug lines carry the socket error), kept
    here rather than printed: they may name the service's URL, secrets and all."""
    logger = logging.getLogger("apprise")
    records: list[logging.LogRecord] = []
    with _LOG_LOCK:  # the logger is shared: one call at a time rewires it
        handler, level, propagate = _Keep(records), logger.level, logger.propagate
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
        try:
            yield records
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate


def _service(url: str, template: str, where: str) -> Any:
    """Apprise's plug-in for one URL (nothing is sent), splitting long messages."""
    import apprise

    with _apprise_log():  # our error says it; Apprise's own would only repeat it
        service = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if service is None:
        raise ConfigError(
            f'{where}: url: "{template}" is not a URL Apprise can use '
            "(an unknown service, or a part missing)"
        )
    _split_long_messages(service, template)
    return service


def _split_long_messages(service: Any, template: str) -> None:
    """A message longer than the target takes (Discord 2,000 characters, Telegram 4,096) goes
    as several. Apprise's default passes it on whole, the service refuses it with a 400, and
    that alert (a digest: a dozen of them) would fail for good. ``?overflow=`` in the URL wins.
    """
    from apprise import OverflowMode

    if "overflow" not in parse_qs(urlsplit(template).query):
        service.overflow_mode = OverflowMode.SPLIT


def _shown(service: Any, template: str, env: Mapping[str, str]) -> str:
    """The URL as Apprise shows it privately, each value from the environment as ${NAME}."""
    shown = str(service.url(privacy=True)).split("?")[0]
    for name in _PLACEHOLDER.findall(template):
        shown = shown.replace(env[name], "${" + name + "}")
    return shown


def expand(template: str, env: Mapping[str, str], where: str) -> tuple[str, list[str]]:
    """The URL with every ``${NAME}`` from the environment, and those values (secrets)."""
    missing = [name for name in _PLACEHOLDER.findall(template) if not env.get(name)]
    if missing:
        raise ConfigError(f"{where}: url: set {', '.join(missing)} in the environment")
    secrets = [env[name] for name in _PLACEHOLDER.findall(template)]
    return _PLACEHOLDER.sub(lambda match: env[match.group(1)], template), secrets


@register("apprise")
def build_apprise(settings: Settings, env: Mapping[str, str]) -> list[Notifier]:
    if not settings.notify.apprise:
        return []
    groups: dict[str, tuple[str, Any, list[str], list[AppriseDestination]]] = {}
    problems: list[str] = []  # every destination's, not only the first one's
    for index, destination in enumerate(settings.notify.apprise, start=1):
        where = f"{settings.path}: notify.apprise #{index}"
        try:
            url, secrets = expand(destination.url, env, where)
            service = _service(url, destination.url, where)
        except ConfigError as exc:
            problems.append(str(exc))
            continue
        channel = "apprise:" + (destination.name or _shown(service, destination.url, env))
        known = groups.setdefault(channel, (url, service, secrets, []))
        if known[0] != url:
            problems.append(f'{where}: two URLs would share the channel "{channel}": add a name')
        known[3].append(destination)
    if problems:
        raise ConfigError("\n".join(problems))
    max_commitments, view = settings.notify.max_commitments, public_url(settings, env)
    return [
        AppriseNotifier(channel, destinations, service, secrets, max_commitments, view)
        for channel, (_, service, secrets, destinations) in groups.items()
    ]
