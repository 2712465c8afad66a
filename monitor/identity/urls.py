"""Document identity: canonical URLs, host aliases, and which links we may follow."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx

from monitor.config import AliasConfig
from monitor.errors import RefusedURL

log = logging.getLogger(__name__)

TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "_gl", "igshid", "ref_src"}
)
DEFAULT_PORTS = {"http": 80, "https": 443}
_METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "localhost"})


def clean_url(url: str) -> str:
    """The URL to fetch: no fragment, no tracking parameters; otherwise as published."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, _clean_query(parts.query), ""))


def resolve_link(base: str, href: str) -> str:
    """``href`` found on ``base`` as the URL to fetch; ValueError when it is malformed."""
    return resolve(base, href)[0]


def resolve(base: str, href: str, aliases: Iterable[AliasConfig] = ()) -> tuple[str, str]:
    """``href`` found on ``base``: the URL to fetch and its canonical URL; ValueError when it is
    malformed.

    What the fetcher and the store will parse is parsed here, once: an invalid IPv6 literal
    (``http://[bad``), a port out of range, a control character or a bad IDNA label costs only
    this link, never the page or source it was found on.
    """
    try:
        url = clean_url(urljoin(base, href.strip()))
        canonical = canonical_url(url, aliases)  # raises for a port out of range
        # What the request would refuse: control characters, IDNA labels (decoded by .host)
        if not httpx.URL(url).host and url.startswith(("http:", "https:")):
            raise ValueError("no host")
    except (ValueError, httpx.InvalidURL) as exc:
        raise ValueError(f"malformed link {href[:200]!r}: {exc}") from None
    return url, canonical


def _clean_query(query: str) -> str:
    return urlencode(
        [
            (key, value)
            for key, value in parse_qsl(query, keep_blank_values=True)
            if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS
        ]
    )


def canonical_url(url: str, aliases: Iterable[AliasConfig] = ()) -> str:
    """One spelling per document: no fragment or tracking, lower-case host, aliases resolved."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    for alias in aliases:
        if host == alias.host.lower():
            host = alias.canonical.lower()
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS
        ]
    )
    return urlunsplit((scheme, netloc, path, query, ""))


def is_internal_address(host: str) -> bool:
    """Loopback, private, link-local (169.254.169.254: cloud metadata) and similar hosts."""
    host = host.strip("[]").lower()
    if host in _METADATA_HOSTS or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


Origin = tuple[str, str, int]  # scheme, lower-case host, port (the default one when none)


@dataclass(frozen=True)
class LinkPolicy:
    """Which origins (scheme + host + port) a source's links and redirect hops may go to.

    Another port on the same host is another service, so another origin: refused unless
    ``allow_hosts`` names it with its port. The one exception is a site on the standard ports,
    whose http (80) and https (443) origins are one site, so an upgrade to https is followed.
    """

    own: frozenset[Origin]  # the origins of the source's configured URLs
    allowed: frozenset[Origin] = frozenset()  # its allow_hosts, and the aliases of both

    @classmethod
    def for_source(
        cls,
        urls: Iterable[str],
        allow_hosts: Iterable[str] = (),
        aliases: Iterable[AliasConfig] = (),
    ) -> LinkPolicy:
        """The source's origins, its ``allow_hosts``, and the aliases of either.

        An alias is the same site under another name (an administration's archive), so a page
        moving there by a permanent redirect is followed like a move within the site.
        """
        own = frozenset(o for url in urls for o in _site(*_origin(urlsplit(url))))
        allowed = frozenset(o for entry in allow_hosts for o in _allowed(entry))
        return cls(own, allowed | _alias_origins(own | allowed, aliases))

    def refusal(self, url: str) -> str | None:
        """Why ``url`` must not be fetched, or None when it may."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return "not an http(s) link"
        origin = _origin(parts)
        host = origin[1]
        if origin not in self.own | self.allowed:
            return _not_allowed(origin, self.own | self.allowed)
        # An internal address only when it is exactly the configured origin (local test sites).
        if is_internal_address(host) and origin not in self.own:
            return f"{_netloc(origin)} is an internal address"
        return None

    def check(self, url: httpx.URL) -> None:
        """The Fetcher's guard: raises for a URL (or redirect hop) outside the policy."""
        reason = self.refusal(str(url))
        if reason:
            log_refusal_once(str(url), reason)
            raise RefusedURL(f"refused to follow {url}: {reason}")


def _origin(parts: SplitResult) -> Origin:
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme, 0)


def _allowed(entry: str) -> tuple[Origin, ...]:
    """An ``allow_hosts`` entry: ``host`` (the standard ports), ``host:port`` (that port, either
    scheme) or a URL (its origin)."""
    if "://" in entry:
        return _site(*_origin(urlsplit(entry)))
    parts = urlsplit(f"//{entry.strip()}")
    host = (parts.hostname or "").lower()
    if parts.port is None:
        return _site("https", host, DEFAULT_PORTS["https"])
    return (("http", host, parts.port), ("https", host, parts.port))


def _site(scheme: str, host: str, port: int) -> tuple[Origin, ...]:
    """An origin; on a standard port, with its http/https twin (one site, upgrades followed)."""
    if DEFAULT_PORTS.get(scheme) == port:
        return (("http", host, DEFAULT_PORTS["http"]), ("https", host, DEFAULT_PORTS["https"]))
    return ((scheme, host, port),)


def _not_allowed(origin: Origin, allowed: frozenset[Origin]) -> str:
    host = origin[1]
    if any(host == other for _, other, _ in allowed):  # the host is, but not on this port
        return (
            f"{_netloc(origin)} is another service on {host}: not the source's origin (scheme, "
            f"host and port), and not in allow_hosts (add it there with its port)"
        )
    return f"host {host} is neither the source's host nor in allow_hosts"


def _netloc(origin: Origin) -> str:
    scheme, host, port = origin
    return host if DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"


def _alias_origins(origins: frozenset[Origin], aliases: Iterable[AliasConfig]) -> frozenset[Origin]:
    """The origins ``[[alias]]`` ties to ``origins`` (either direction): same scheme and port."""
    found: set[Origin] = set()
    for alias in aliases:
        pair = {alias.host.lower(), alias.canonical.lower()}
        for scheme, host, port in origins:
            if host in pair:
                found.update((scheme, other, port) for other in pair)
    return frozenset(found - origins)


_refused: set[str] = set()


def log_refusal_once(url: str, reason: str) -> None:
    if url not in _refused:
        _refused.add(url)
        log.warning("not following %s: %s", url, reason)
