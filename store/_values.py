"""Values the documents part of the store takes and gives (besides its tables' rows)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentUpdate:
    """Changes to a document, and to the location that answered, with or without a version."""

    status: str | None = None  # the document's: "active" or "removed"
    current_url: str | None = None
    new_locations: tuple[str, ...] = ()  # canonical URLs it is now also known at
    # What the new locations serve: the fingerprint and version of the location they mirror.
    served: tuple[str | None, int | None] = (None, None)
    location_status: str | None = None  # the answering location's: active, gone or moved
    last_url: str | None = None  # where the answering location answered: asked next time
    # The version is another publisher's copy (not the document's own location): the
    # document's title, type, date and fingerprint stay those of its own location.
    copy: bool = False


class Openings(dict[int, tuple[str, str]]):
    """Document id -> (title, opening), listing the ids it changes, in order, in ``changed``.

    A reader that keeps an index of the openings (the twin search) follows ``changed`` instead
    of comparing every entry again each time it looks. Only ``d[id] = ...`` and ``del d[id]``
    are listed: change it with nothing else.
    """

    def __init__(self, rows: Iterable[tuple[int, tuple[str, str]]] = ()) -> None:
        super().__init__(rows)
        self.changed: list[int] = []

    def __setitem__(self, key: int, value: tuple[str, str]) -> None:
        super().__setitem__(key, value)
        self.changed.append(key)

    def __delitem__(self, key: int) -> None:
        super().__delitem__(key)
        self.changed.append(key)
