"""Document identity: canonical URLs, host aliases, and which links we may follow."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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


@dataclass(frozen=True)
class LinkPolicy:
    """Which hosts a source's links (and every redirect hop) may go to."""

    own: frozenset[str]  # the hosts of the source's configured URLs, lower-case
    allowed: frozenset[str] = frozenset()  # its allow_hosts

    @classmethod
    def for_source(
        cls,
        urls: Iterable[str],
        allow_hosts: Iterable[str] = (),
        aliases: Iterable[AliasConfig] = (),
    ) -> LinkPolicy:
        """The source's hosts, its ``allow_hosts``, and the aliases of either.

        An alias is the same site under another name (an administration's archive), so a page
        moving there by a permanent redirect is followed like a move within the site.
        """
        own = frozenset((urlsplit(url).hostname or "").lower() for url in urls)
        allowed = frozenset(host.lower() for host in allow_hosts)
        return cls(own, allowed | _alias_hosts(own | allowed, aliases))

    def refusal(self, url: str) -> str | None:
        """Why ``url`` must not be fetched, or None when it may."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https"):
            return "not an http(s) link"
        if host not in self.own | self.allowed:
            return f"host {host} is neither the source's host nor in allow_hosts"
        # An internal address only when it is exactly the configured host (local test sites).
        if is_internal_address(host) and host not in self.own:
            return f"{host} is an internal address"
        return None

    def check(self, url: httpx.URL) -> None:
        """The Fetcher's guard: raises for a URL (or redirect hop) outside the policy."""
        reason = self.refusal(str(url))
        if reason:
            log_refusal_once(str(url), reason)
            raise RefusedURL(f"refused to follow {url}: {reason}")


def _alias_hosts(hosts: frozenset[str], aliases: Iterable[AliasConfig]) -> frozenset[str]:
    """Every host that ``[[alias]]`` ties to one of ``hosts``, in either direction."""
    found: set[str] = set()
    for alias in aliases:
        pair = {alias.host.lower(), alias.canonical.lower()}
        if pair & hosts:
            found |= pair
    return frozenset(found - hosts)


_refused: set[str] = set()


def log_refusal_once(url: str, reason: str) -> None:
    if url not in _refused:
        _refused.add(url)
        log.warning("not following %s: %s", url, reason)
