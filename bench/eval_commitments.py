"""Score the commitment extractor on both labelled sets, each on its own (run by hand).

    python bench/eval_commitments.py [--set devset|devset2 ...] [--json] [--errors]

The sets are read from tests/fixtures (``devset`` is the five seeds, ``devset2`` twenty other
documents of the genre). For each set: precision, recall and F1 of item detection (all items,
and specific commitments), kind / actors / pillar / deadline / amounts accuracy on matched
items, actors set F1, how many items were given a pillar, link precision and recall against the
set's links file, and the time extraction took. The two sets are never pooled: a change that
lifts one and drops the other is memorising.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.commitment_sets import LabelledSet, load_set  # noqa: E402
from bench.scoring import FIELDS, Score, match_items, score  # noqa: E402
from monitor.commitments import Item, extract_items  # noqa: E402
from monitor.commitments.linking import DatedDocument, link_documents  # noqa: E402

SETS = ("devset", "devset2")


def extract_set(labelled: LabelledSet) -> tuple[dict[str, list[Item]], float]:
    """Every document's items, and the CPU seconds extraction took (CPU time, not wall time:
    on a shared machine the wall clock mostly measures the neighbours)."""
    found, elapsed = {}, 0.0
    for document in labelled.documents:
        started = time.process_time()
        found[document.name] = extract_items(document.text)
        elapsed += time.process_time() - started
    return found, elapsed


def evaluate(labelled: LabelledSet, found: dict[str, list[Item]]) -> dict[str, Any]:
    total, specific = Score(), Score()
    documents = {}
    for document in labelled.documents:
        items = found[document.name]
        documents[document.name] = result = score(items, document.items)
        total.add(result)
        specific.add(score(items, document.items, only_specific_commitments=True))
    pillars = sum(1 for items in found.values() for item in items if item.pillar is not None)
    return {"all": total, "specific": specific, "documents": documents, "pillars": pillars,
            "links": evaluate_links(labelled, found)}  # fmt: skip


def evaluate_links(labelled: LabelledSet, found: dict[str, list[Item]]) -> dict[str, float]:
    """Link in publication-date order; a predicted link counts when both ends match the gold
    items of a gold link (by span, as items are matched), and with the same relation."""
    gold_index: dict[tuple[str, int], str] = {}  # (doc, predicted index) -> gold sentence
    for document in labelled.documents:
        for gold_position, predicted_position in match_items(
            found[document.name], document.items
        ).items():
            gold_index[(document.name, predicted_position)] = document.items[gold_position][
                "sentence"
            ]
    dated = [DatedDocument(d.name, d.date, found[d.name]) for d in labelled.documents]
    predicted = set()
    for link in link_documents(dated):
        ends = (
            gold_index.get((link.from_doc, link.from_index)),
            gold_index.get((link.to_doc, link.to_index)),
        )
        predicted.add((*ends, link.relation) if None not in ends else (link, None, None))
    wanted = {(g["from"], g["to"], g["relation"]) for g in labelled.links}
    pairs, gold_pairs = {p[:2] for p in predicted}, {w[:2] for w in wanted}
    hit, pair_hit = len(predicted & wanted), len(pairs & gold_pairs)
    return {
        "gold": len(wanted),
        "predicted": len(predicted),
        "precision": hit / len(predicted) if predicted else 0.0,
        "recall": hit / len(wanted) if wanted else 0.0,
        "pair_precision": pair_hit / len(pairs) if pairs else 0.0,
        "pair_recall": pair_hit / len(gold_pairs) if gold_pairs else 0.0,
    }


def _print(name: str, result: dict[str, Any], elapsed: float, errors: bool) -> None:
    print(f"== {name}")
    header = f"{'':44} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} " + " ".join(
        f"{field[:7]:>7}" for field in FIELDS
    )
    print(header)
    rows = [*result["documents"].items(), ("all", result["all"]),
            ("specific commitments", result["specific"])]  # fmt: skip
    for label, part in rows:
        print(f"{label[:44]:44} {part.gold:5} {part.predicted:5} {part.precision:6.3f} "
              f"{part.recall:6.3f} {part.f1:6.3f} "
              + " ".join(f"{part.accuracy(f):7.3f}" for f in FIELDS))  # fmt: skip
    total: Score = result["all"]
    print(f"actors set F1: {total.as_json()['actors_set_f1']:.3f}; items given a pillar: "
          f"{result['pillars']}; extraction: {elapsed * 1000:.0f} ms CPU")  # fmt: skip
    print("links: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                for k, v in result["links"].items()))  # fmt: skip
    if errors:
        for sentence in total.misses:
            print("MISS ", sentence[:160])
        for sentence in total.false_alarms:
            print("FALSE", sentence[:160])
        for field, sentence, mine, theirs in total.wrong:
            print(f"WRONG {field}: {mine!r} != {theirs!r} | {sentence}")


def _clear_caches() -> None:
    from monitor.commitments import actors, clauses

    clauses.analyse.cache_clear()
    actors._names.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", action="append", choices=SETS, dest="sets")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list misses and wrong fields")
    args = parser.parse_args()
    report: dict[str, Any] = {}
    warm_total = 0.0
    for name in args.sets or SETS:
        labelled = load_set(name)
        extract_set(labelled)  # warm-up: imports and compiled patterns
        _clear_caches()  # warm, but nothing remembered from the warm-up's sentences
        found, elapsed = extract_set(labelled)
        warm_total += elapsed
        result = evaluate(labelled, found)
        if args.json:
            report[name] = {"all": result["all"].as_json(),
                            "specific_commitments": result["specific"].as_json(),
                            "pillars_given": result["pillars"], "links": result["links"],
                            "seconds": round(elapsed, 3)}  # fmt: skip
        else:
            _print(name, result, elapsed, args.errors)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"== warm extraction of every document: {warm_total * 1000:.0f} ms CPU, "
              f"{_wall(args.sets or SETS) * 1000:.0f} ms wall")  # fmt: skip


def _wall(names: list[str] | tuple[str, ...]) -> float:
    """All documents of ``names`` extracted once more, warm, timed by the wall clock."""
    texts = [document.text for name in names for document in load_set(name).documents]
    _clear_caches()
    started = time.perf_counter()
    for text in texts:
        extract_items(text)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
