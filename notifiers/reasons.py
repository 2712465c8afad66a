"""Why a connection failed, in words a person can act on: "connection refused to 127.0.0.1:9".

Libraries wrap the socket error (``URLError``, ``SMTPServerDisconnected``); the class name alone
("URLError") tells a user nothing, and ``str()`` of some of them echoes a secret URL.
"""

from __future__ import annotations

import socket
import ssl
from urllib.error import URLError
from urllib.parse import urlsplit


def network_reason(exc: BaseException, where: str) -> str:
    """``exc`` (a socket error, possibly wrapped) as "<what happened> to <where>"."""
    cause: BaseException | str = exc
    if isinstance(exc, URLError):
        cause = exc.reason
    if isinstance(cause, str):
        return f"{cause} ({where})"
    return f"{_what(cause)} to {where}"


def _what(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, socket.gaierror):
        return "cannot resolve the host name"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out connecting"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return f"{type(exc).__name__}"


def host_port(url: str) -> str:
    """The host and port of a URL (never its path or query, which may hold a secret)."""
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return f"{parts.hostname}:{parts.port or default}"
