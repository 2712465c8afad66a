"""Email over SMTP: multipart text + HTML, with insertions and deletions in colour.

Page text is untrusted: the HTML part escapes all of it, and no header ever carries a CR or LF
from a page (the subject is sanitised, and EmailMessage refuses raw newlines in headers anyway).
"""

from __future__ import annotations

import html
import re
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from monitor.config import EmailDestination, Settings
from monitor.errors import ConfigError, NotifyError, PermanentNotifyError
from monitor.models import Event
from notifiers import register
from notifiers.base import Notifier, accepts
from notifiers.format import Alert, Line, build_alert, render_digest_text, render_text

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
    password: str | None
    starttls: str  # auto | true | false

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
        return cls(
            host, int(port_text), env.get("SMTP_USERNAME"), env.get("SMTP_PASSWORD"), starttls
        )


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
        body.append(
            f"<h2>{html.escape(alert.headline)}</h2>"
            f'<p><a href="{html.escape(alert.url, quote=True)}">{html.escape(alert.title)}</a>'
            f"<br>{facts}</p>"
        )
        for section in alert.sections:
            items = "".join(f"<li>{html_line(line)}</li>" for line in section.lines)
            more = f"<li><i>… {section.more} more</i></li>" if section.more else ""
            body.append(f"<h3>{html.escape(section.heading)}</h3><ul>{items}{more}</ul>")
    return '<html><body style="font-family:sans-serif">' + "".join(body) + "</body></html>"


class SmtpNotifier:
    def __init__(
        self, destination: EmailDestination, server: SmtpSettings, max_commitments: int
    ) -> None:
        self.destination, self.server = destination, server
        self.channel = "email:" + ",".join(destination.to)
        self._max_commitments = max_commitments

    def accepts(self, event: Event) -> bool:
        return accepts(self.destination, event)

    def send(self, event: Event) -> None:
        alert = build_alert(event, self._max_commitments)
        self._deliver(self.message(alert.headline, render_text(alert), render_html([alert])))

    def send_digest(self, events: Sequence[Event]) -> None:
        alerts = [build_alert(e, self._max_commitments) for e in events]
        subject = f"{len(alerts)} HLED alerts"
        self._deliver(self.message(subject, render_digest_text(alerts), render_html(alerts)))

    def message(self, subject: str, text: str, html_body: str) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = subject_line(f"[HLED] {subject}")
        message["From"] = self.destination.sender
        message["To"] = ", ".join(self.destination.to)
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="hled-monitor")
        message.set_content(text)
        message.add_alternative(html_body, subtype="html")
        return message

    def _deliver(self, message: EmailMessage) -> None:
        try:
            with self._connect() as smtp:
                if self.server.username:
                    smtp.login(self.server.username, self.server.password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise _by_code(min(codes), "recipients refused") from None
        except smtplib.SMTPResponseException as exc:
            error = exc.smtp_error
            text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
            raise _by_code(exc.smtp_code, text) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise NotifyError(f"smtp: {type(exc).__name__}: {exc}") from None

    def _connect(self) -> smtplib.SMTP:
        server, context = self.server, ssl.create_default_context()
        if server.port == 465:  # implicit TLS
            return smtplib.SMTP_SSL(server.host, server.port, timeout=30, context=context)
        smtp = smtplib.SMTP(server.host, server.port, timeout=30)
        smtp.ehlo()
        if server.starttls == "true" or (server.starttls == "auto" and smtp.has_extn("starttls")):
            smtp.starttls(context=context)
            smtp.ehlo()
        return smtp


def _by_code(code: int, text: str) -> NotifyError:
    reason = f"smtp: {code} {text.strip()[:200]}"
    return PermanentNotifyError(reason) if code >= 500 else NotifyError(reason)


@register("email")
def build_email(settings: Settings, env: Mapping[str, str]) -> list[Notifier]:
    if not settings.notify.email:
        return []
    server = SmtpSettings.from_env(env, settings.path)
    return [SmtpNotifier(d, server, settings.notify.max_commitments) for d in settings.notify.email]
