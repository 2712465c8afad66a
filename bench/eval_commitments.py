"""Score the commitment extractor on the development set (run by hand; see README).

    python bench/eval_commitments.py [--devset DIR] [--seeds DIR] [--json] [--errors]

Defaults read the copies in tests/fixtures. Prints precision, recall and F1 of item detection
(all items, and specific commitments), kind / actors / pillar / deadline / amounts accuracy on
matched items, a per-document breakdown, and the time extraction took.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.commitments import extract_items  # noqa: E402
from monitor.commitments.scoring import FIELDS, Score, score  # noqa: E402


def evaluate(devset: Path, seeds: Path) -> tuple[dict[str, Score], Score, Score, float]:
    per_document: dict[str, Score] = {}
    total, specific, elapsed = Score(), Score(), 0.0
    for gold_file in sorted(devset.glob("0*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        text = (seeds / f"{gold_file.stem}.txt").read_text(encoding="utf-8")
        started = time.perf_counter()
        items = extract_items(text)
        elapsed += time.perf_counter() - started
        per_document[gold_file.stem[:3]] = result = score(items, gold["items"])
        total.add(result)
        specific.add(score(items, gold["items"], only_specific_commitments=True))
    return per_document, total, specific, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devset", type=Path, default=ROOT / "tests/fixtures/devset")
    parser.add_argument("--seeds", type=Path, default=ROOT / "tests/fixtures/seeds")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list misses and wrong fields")
    args = parser.parse_args()
    per_document, total, specific, elapsed = evaluate(args.devset, args.seeds)
    if args.json:
        print(json.dumps({"all": total.as_json(), "specific_commitments": specific.as_json(),
                          "documents": {k: v.as_json() for k, v in per_document.items()},
                          "links": evaluate_links(args.devset, args.seeds),
                          "seconds": round(elapsed, 3)}, indent=2))  # fmt: skip
        return
    header = f"{'':22} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} " + " ".join(
        f"{name[:7]:>7}" for name in FIELDS
    )
    print(header)
    rows = [*per_document.items(), ("all", total), ("specific commitments", specific)]
    for name, result in rows:
        print(f"{name:22} {result.gold:5} {result.predicted:5} {result.precision:6.3f} "
              f"{result.recall:6.3f} {result.f1:6.3f} "
              + " ".join(f"{result.accuracy(f):7.3f}" for f in FIELDS))  # fmt: skip
    print(f"actors set F1: {total.actor_f1_sum / max(1, total.matched):.3f}")
    print(f"extraction of {len(per_document)} documents: {elapsed * 1000:.0f} ms")
    links = evaluate_links(args.devset, args.seeds)
    print("links: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                for k, v in links.items()))  # fmt: skip
    if args.errors:
        for sentence in total.misses:
            print("MISS ", sentence[:150])
        for sentence in total.false_alarms:
            print("FALSE", sentence[:150])
        for name, sentence, mine, theirs in total.wrong:
            print(f"WRONG {name}: {mine!r} != {theirs!r} | {sentence}")


def evaluate_links(devset: Path, seeds: Path) -> dict[str, float]:
    """Link the seeds in date order; score (from, to, relation) against links.json."""
    from monitor.commitments.ledger import link_items

    documents = []
    for gold_file in devset.glob("0*.json"):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        text = (seeds / f"{gold_file.stem}.txt").read_text(encoding="utf-8")
        documents.append((gold["date"], gold_file.stem, extract_items(text)))
    documents.sort()
    predicted = set()
    for position, (_date, _stem, items) in enumerate(documents):
        earlier = [(s, i) for _d, s, its in documents[:position] for i in its]
        for link in link_items(earlier, items):
            source = earlier[link.from_index][1]
            predicted.add((source.sentence, items[link.to_index].sentence, link.relation))
    gold_links = json.loads((devset / "links.json").read_text(encoding="utf-8"))["links"]
    wanted = {(g["from"], g["to"], g["relation"]) for g in gold_links}
    pairs = {(f, t) for f, t, _r in predicted}
    gold_pairs = {(f, t) for f, t, _r in wanted}
    hit, pair_hit = len(predicted & wanted), len(pairs & gold_pairs)
    return {
        "gold": len(wanted),
        "predicted": len(predicted),
        "precision": hit / len(predicted) if predicted else 0.0,
        "recall": hit / len(wanted) if wanted else 0.0,
        "pair_precision": pair_hit / len(pairs) if pairs else 0.0,
        "pair_recall": pair_hit / len(gold_pairs) if gold_pairs else 0.0,
    }


if __name__ == "__main__":
    main()
