"""Source kinds: how a configured source turns into document URLs to fetch.

Each kind is a small module that registers itself under a name with ``@register("name")`` and
implements the ``SourceKind`` protocol:

- ``page``: the configured URLs are the documents (no keyword filter);
- ``listing``: an HTML index of links, paginated;
- ``feed``: RSS 2.0 or Atom;
- ``wp-json``: the WordPress REST API;
- ``sitemap``: XML sitemaps and sitemap indexes.

Every kind but ``page`` keeps only candidates that match the source's keywords.
"""

from __future__ import annotations

# Importing each kind registers it; the names are config's SOURCE_KINDS (a test keeps them equal).
from monitor.discover import feed, listing, page, sitemap, wpjson  # noqa: F401
from monitor.discover.kinds import (
    Candidate,
    DiscoverContext,
    Discovery,
    LinkNote,
    Mention,
    SourceKind,
    get_kind,
    kind_names,
    register,
)

__all__ = [
    "Candidate",
    "DiscoverContext",
    "Discovery",
    "LinkNote",
    "Mention",
    "SourceKind",
    "get_kind",
    "kind_names",
    "register",
]
