"""What the listing commands share: aligned tables and times a person reads."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TextIO


def local_time(moment: datetime | None, empty: str = "-") -> str:
    """A stored UTC time in the machine's time zone, to the second: 2026-12-07 09:15:02."""
    if moment is None:
        return empty
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def print_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    out: TextIO,
    right: Collection[int] = (),
) -> None:
    """Columns padded to their widest cell; the ``right`` ones (numbers) right-aligned."""
    cells = [[str(cell) for cell in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        padded = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(padded).rstrip(), file=out)


def plural(count: int, word: str, words: str | None = None) -> str:
    """ "1 document", "2 documents"; ``words`` for the irregular ones ("entries")."""
    return f"{count} {word}" if count == 1 else f"{count} {words or word + 's'}"
