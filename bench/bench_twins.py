"""How long the twin search takes for one new page, against N known documents.

    python bench/bench_twins.py [--documents 300] [--paragraphs 40]

Each document is ~``paragraphs`` x 150 characters of HLED-like text with a look-alike title,
stored in a temporary SQLite file; the new page is a retitled copy of the last one (found) or
an unrelated page (not found). Prints the first search of a pass, which reads every opening and
indexes it, and the median of 5 later ones, which only look up the index.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from monitor.identity.twin_index import TwinIndex
from monitor.identity.twins import find_twin
from monitor.models import Page, Validators
from store.repo import NewVersion, Store

NOW = datetime(2026, 11, 24, tzinfo=UTC)


def blocks(seed: int, paragraphs: int) -> tuple[str, ...]:
    return tuple(
        f"Paragraph {n} of statement {seed}: under the U.S.-Mexico High-Level Economic Dialogue "
        f"the governments advanced item {seed * 31 + n} on supply chains and border work {n}."
        for n in range(paragraphs)
    )


def seconds(store: Store, page: Page) -> tuple[float, float]:
    """The first search of a pass (it builds the index), and the median of 5 later ones."""
    index, times = TwinIndex(), []
    for _ in range(6):
        started = time.perf_counter()
        find_twin(store, page, 0.92, index)
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--paragraphs", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.db'}")
        for seed in range(args.documents):
            text = blocks(seed, args.paragraphs)
            page = Page(title=f"{seed} U.S.-Mexico High-Level Economic Dialogue", blocks=text)
            url = f"https://www.state.gov/{seed}"
            store.save_version(NewVersion("s", "State", url, page, str(seed), b"", url,
                                          Validators()), NOW)  # fmt: skip
        last = blocks(args.documents - 1, args.paragraphs)
        copy = Page(title="A retitled copy", blocks=last)
        unrelated = Page(title="Readout: Norway", blocks=blocks(10**6, args.paragraphs))
        chars = len(copy.text)
        print(f"{args.documents} documents of {chars} characters")
        for name, page in (("copy found", copy), ("nothing found", unrelated)):
            first, later = seconds(store, page)
            print(f"{name + ':':15} first {first * 1000:.1f} ms, then {later * 1000:.2f} ms")
        store.close()


if __name__ == "__main__":
    main()
