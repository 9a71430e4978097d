"""Precision and recall of positions on the development set (tests/resources/positions_dev) against a gold file.

    python bench/positions_dev.py [GOLD.json|.jsonl] [--split tune|held_back|all] [--show]

Prints (document, country, stance) precision and recall, and topic agreement, for the split. The gate test
(tests/test_positions_dev.py) reports the held-back half with the same function.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEV = ROOT / "tests" / "resources" / "positions_dev"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold", nargs="?", default=str(DEV / "gold.json"))
    parser.add_argument("--split", default="tune")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    from analysis.build import build_tables
    from analysis.evaluation import gold_rows, position_scores

    gold = gold_rows(Path(args.gold))
    sources = pd.read_csv(DEV / "sources.csv", dtype=str)
    chosen = sources if args.split == "all" else sources[sources["split"] == args.split]
    documents = set(chosen["file"])
    tables = build_tables(DEV)
    scores = position_scores(tables.positions, gold, documents)
    print(json.dumps({k: v for k, v in scores.items() if k not in {"missed", "wrong"}}, indent=1))
    if args.show:
        print("\nMISSED"), [print(" ", m) for m in scores["missed"]]
        print("\nWRONG"), [print(" ", w) for w in scores["wrong"]]


if __name__ == "__main__":
    main()
