"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives, or refuses it.

With ``starttls=True`` it offers STARTTLS (and requires it before MAIL); with ``implicit_tls``
it speaks TLS from the first byte; ``users`` turns on AUTH (offered only over TLS). Its
certificate comes from tests/fixtures/tls/, signed by a test CA that ``client_tls_context``
trusts.
"""

from __future__ import annotations

import email
import email.policy
import ssl
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.service_process import free_port

TLS = Path(__file__).parent / "fixtures" / "tls"


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)  # e.g. "550 no such user", before accepting
    over_tls: list[bool] = field(default_factory=list)  # per accepted message
    logins: list[str] = field(default_factory=list)  # user names that logged in
    hang_up: int = 0  # messages kept, then the connection closed before the 250 reply

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answers:
            return self.answers.pop(0)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        if self.hang_up:
            self.hang_up -= 1
            server.transport.close()  # the message is here; the client never hears so
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        implicit = server.transport.get_extra_info("ssl_object") is not None
        self.over_tls.append(session.ssl is not None or implicit)  # STARTTLS sets session.ssl
        return "250 OK"


def server_tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(TLS / "server.pem", TLS / "server.key")
    return context


def client_tls_context() -> ssl.SSLContext:
    """What the notifier uses in tests: the default checks, trusting the test CA."""
    return ssl.create_default_context(cafile=str(TLS / "ca.pem"))


def _authenticator(mailbox: Mailbox, users: Mapping[str, str]) -> Any:
    def authenticate(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = data.login.decode(), data.password.decode()
        if users.get(user) != password:
            return AuthResult(success=False, handled=False)
        mailbox.logins.append(user)
        return AuthResult(success=True)

    return authenticate


@contextmanager
def smtp_server(
    *, starttls: bool = False, implicit_tls: bool = False, users: Mapping[str, str] | None = None
) -> Iterator[tuple[Mailbox, dict[str, str]]]:
    """Yields the mailbox and the SMTP_* environment that points at it."""
    mailbox = Mailbox()
    port = free_port()
    options: dict[str, Any] = {}
    if starttls:
        options.update(tls_context=server_tls_context(), require_starttls=True)
    if implicit_tls:
        options.update(ssl_context=server_tls_context())
    if users is not None:
        options.update(authenticator=_authenticator(mailbox, users), auth_required=True)
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield mailbox, {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port)}
    finally:
        controller.stop()
