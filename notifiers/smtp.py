"""Email over SMTP: multipart text + HTML, with insertions and deletions in colour.

Page text is untrusted: the HTML part escapes all of it, and no header ever carries a CR or LF
from a page (the subject is sanitised, and EmailMessage refuses raw newlines in headers anyway).
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

from monitor.config import EmailDestination, Settings, public_url
from monitor.errors import ConfigError, NotifyError, PermanentNotifyError
from monitor.models import Event
from notifiers.base import Notifier, accepts_any, group_destinations
from notifiers.channels import register
from notifiers.format import (
    VIEW_LABEL,
    Alert,
    Line,
    build_alert,
    is_web_url,
    render_digest_text,
    render_text,
)
from notifiers.reasons import network_reason

if TYPE_CHECKING:
    from typing_extensions import Buffer

log = logging.getLogger(__name__)

TIMEOUT = 30  # seconds per SMTP command
DOMAIN = "hled-monitor"  # of our Message-IDs
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
STYLE = {
    "-": "background:#ffebe9;color:#82071e;text-decoration:line-through",
    "+": "background:#dafbe1;color:#116329;text-decoration:none",
}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None
    password: str | None = field(repr=False)  # never in a log line or a traceback
    starttls: str  # auto | true | false
    implicit_tls: bool = False  # TLS from the first byte (port 465) instead of STARTTLS

    @classmethod
    def from_env(cls, env: Mapping[str, str], label: str) -> SmtpSettings:
        host = env.get("SMTP_HOST")
        if not host:
            raise ConfigError(f"{label}: notify.email: set SMTP_HOST (and SMTP_PORT, ...)")
        port_text = env.get("SMTP_PORT") or "587"
        if not port_text.isdigit():
            raise ConfigError(f'SMTP_PORT: "{port_text}" is not a port number')
        starttls = (env.get("SMTP_STARTTLS") or "auto").lower()
        if starttls not in ("auto", "true", "false"):
            raise ConfigError(f'SMTP_STARTTLS: "{starttls}" is not auto, true or false')
        port = int(port_text)
        username, password = env.get("SMTP_USERNAME"), env.get("SMTP_PASSWORD")
        return cls(host, port, username, password, starttls, implicit_tls=port == 465)


def subject_line(text: str) -> str:
    """One line, no control characters, at most 150 characters."""
    return " ".join(_CONTROL.sub(" ", text).split())[:150]


def html_line(line: Line) -> str:
    parts = []
    for op, text in line:
        escaped = html.escape(text)
        if op == "-":
            parts.append(f'<del style="{STYLE["-"]}">{escaped}</del>')
        elif op == "+":
            parts.append(f'<ins style="{STYLE["+"]}">{escaped}</ins>')
        else:
            parts.append(escaped)
    return " ".join(parts)


def render_html(alerts: Sequence[Alert]) -> str:
    body = []
    for alert in alerts:
        facts = " · ".join(f"<b>{html.escape(k)}:</b> {html.escape(v)}" for k, v in alert.facts)
        title = html.escape(alert.title)
        if is_web_url(alert.url):
            title = f'<a href="{html.escape(alert.url, quote=True)}">{title}</a>'
        view = ""
        if alert.view_url and is_web_url(alert.view_url):
            url = html.escape(alert.view_url, quote=True)
            view = f'<br><a href="{url}">{html.escape(VIEW_LABEL)}</a>'
        body.append(f"<h2>{html.escape(alert.headline)}</h2><p>{title}<br>{facts}{view}</p>")
        for section in alert.sections:
            items = "".join(f"<li>{html_line(line)}</li>" for line in section.lines)
            more = f"<li><i>… {section.more} more</i></li>" if section.more else ""
            body.append(f"<h3>{html.escape(section.heading)}</h3><ul>{items}{more}</ul>")
    return '<html><body style="font-family:sans-serif">' + "".join(body) + "</body></html>"


class SmtpNotifier:
    """One set of recipients; destinations that share it (with their filters) share the channel."""

    def __init__(
        self,
        destinations: Sequence[EmailDestination],
        server: SmtpSettings,
        max_commitments: int,
        tls_context: ssl.SSLContext | None = None,  # tests pass one that trusts their own CA
        public_url: str | None = None,  # the web view: alerts link to it
    ) -> None:
        self._public_url = public_url
        self.destinations, self.server = tuple(destinations), server
        self.channel = email_channel(destinations[0])
        self._max_commitments = max_commitments
        self._tls_context = tls_context

    def accepts(self, event: Event) -> bool:
        return accepts_any(self.destinations, event)

    def send(self, event: Event) -> None:
        alert = build_alert(event, self._max_commitments, self._public_url)
        text, html_body = render_text(alert), render_html([alert])
        self._deliver(self.message(alert.headline, text, html_body, message_key([event])))

    def send_digest(self, events: Sequence[Event]) -> None:
        alerts = [build_alert(e, self._max_commitments, self._public_url) for e in events]
        subject = f"{len(alerts)} HLED alerts"
        text, html_body = render_digest_text(alerts), render_html(alerts)
        self._deliver(self.message(subject, text, html_body, message_key(events)))

    def message(self, subject: str, text: str, html_body: str, key: str = "") -> EmailMessage:
        """``key`` names what the message carries: a retry of it gets the same Message-ID."""
        destination = self.destinations[0]
        message = EmailMessage()
        message["Subject"] = subject_line(f"[HLED] {subject}")
        message["From"] = destination.sender
        message["To"] = ", ".join(destination.to)
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = stable_msgid(self.channel, key) if key else make_msgid(DOMAIN)
        message.set_content(text)
        message.add_alternative(html_body, subtype="html")
        return message

    def _deliver(self, message: EmailMessage) -> None:
        smtp: _Smtp | None = None
        try:
            with self._connect() as smtp:
                self._secure(smtp)
                if self.server.username:
                    smtp.login(self.server.username, self.server.password or "")
                refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise _by_code(min(codes), "recipients refused") from None
        except smtplib.SMTPResponseException as exc:
            error = exc.smtp_error
            text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
            raise _by_code(exc.smtp_code, text) from None
        except (smtplib.SMTPException, OSError) as exc:
            in_data = smtp is not None and smtp.in_data
            raise _no_answer(exc, f"{self.server.host}:{self.server.port}", in_data) from None
        if refused:  # the others got it: the alert counts as sent, but say who did not
            log.warning("%s: recipients refused: %s", self.channel, ", ".join(sorted(refused)))

    def _connect(self) -> _Smtp:
        if self.server.implicit_tls:
            return _SmtpSsl(
                self.server.host, self.server.port, timeout=TIMEOUT, context=self._context()
            )
        return _Smtp(self.server.host, self.server.port, timeout=TIMEOUT)

    def _secure(self, smtp: smtplib.SMTP) -> None:
        """STARTTLS when required, or (by default) when the server offers it."""
        if isinstance(smtp, smtplib.SMTP_SSL):
            return
        smtp.ehlo()
        wanted = self.server.starttls
        if wanted == "true" or (wanted == "auto" and smtp.has_extn("starttls")):
            smtp.starttls(context=self._context())
            smtp.ehlo()

    def _context(self) -> ssl.SSLContext:
        return self._tls_context or ssl.create_default_context()


class _Smtp(smtplib.SMTP):
    """smtplib's client, knowing when DATA began: a failure after it may leave the message
    delivered (a server that closes the connection before its 250), so it is ambiguous."""

    in_data = False

    def data(self, msg: Buffer | str) -> tuple[int, bytes]:
        self.in_data = True
        return super().data(msg)


class _SmtpSsl(_Smtp, smtplib.SMTP_SSL):
    pass


def _no_answer(exc: smtplib.SMTPException | OSError, where: str, in_data: bool) -> NotifyError:
    """A failure without an SMTP reply; after DATA began, the server may hold the message."""
    if in_data:
        return NotifyError(
            f"smtp: no answer to DATA from {where}: {type(exc).__name__} (the message may have "
            "been accepted)",
            ambiguous=True,
        )
    if isinstance(exc, smtplib.SMTPException):
        return NotifyError(f"smtp: {type(exc).__name__}: {exc}")
    return NotifyError(f"smtp: {network_reason(exc, where)}")  # refused, unreachable, TLS


def message_key(events: Sequence[Event]) -> str:
    """What a message carries: its events (with their detection time: a test alert is new)."""
    return ",".join(f"{event.id}@{event.detected_at.isoformat()}" for event in events)


def stable_msgid(channel: str, key: str) -> str:
    """The same Message-ID each time one message is sent, so a receiver that got it twice (a
    retry after an unanswered DATA) can tell; many mail systems drop the second copy."""
    digest = hashlib.sha256(f"{channel}\n{key}".encode()).hexdigest()[:40]
    return f"<{digest}@{DOMAIN}>"


def email_channel(destination: EmailDestination) -> str:
    """``email:`` and the recipients, sorted: the same people are the same channel."""
    return "email:" + ",".join(sorted(set(destination.to)))


def _by_code(code: int, text: str) -> NotifyError:
    reason = f"smtp: {code} {text.strip()[:200]}"
    return PermanentNotifyError(reason) if code >= 500 else NotifyError(reason)


@register("email")
def build_email(settings: Settings, env: Mapping[str, str]) -> list[Notifier]:
    if not settings.notify.email:
        return []
    server = SmtpSettings.from_env(env, settings.path)
    groups = group_destinations(settings.notify.email, lambda d, i: email_channel(d))
    for name, destinations in groups.items():
        senders = sorted({d.sender for d in destinations})
        if len(senders) > 1:
            raise ConfigError(
                f"{settings.path}: notify.email: {name.removeprefix('email:')}: the same "
                f"recipients with different from addresses ({', '.join(senders)})"
            )
    max_commitments = settings.notify.max_commitments
    view = public_url(settings, env)
    return [
        SmtpNotifier(group, server, max_commitments, public_url=view) for group in groups.values()
    ]
