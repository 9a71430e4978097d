"""The positions gate on real news: a development set of 163 public-domain and CC BY articles on many stories,
annotated by two independent readers (tests/resources/positions_dev). Rules were tuned on its `tune` half only;
this gate reports the `held_back` half.

The issue's target (precision 0.85, recall 0.75 on the held-back half) is not met yet: the gate holds the level
reached (see bench/RESULTS.md and the issue note) so that a change which loses ground fails, and prints how far
the target still is."""

from pathlib import Path

import pandas as pd
import pytest

from analysis.evaluation import gold_rows, position_scores

DEV = Path(__file__).parent / "resources" / "positions_dev"
# The level reached on the held-back half (0.843 and 0.662 when set), less a margin for a few rows.
REACHED = {"precision": 0.83, "recall": 0.65}


@pytest.fixture(scope="module")
def dev_tables():
    from analysis.build import build_tables

    return build_tables(DEV)


def _split(name: str) -> set[str]:
    sources = pd.read_csv(DEV / "sources.csv", dtype=str)
    return set(sources.loc[sources["split"] == name, "file"])


def test_the_development_set_is_what_the_gate_says():
    sources = pd.read_csv(DEV / "sources.csv", dtype=str)
    assert len(sources) >= 40 and set(sources["split"]) == {"tune", "held_back"}
    assert sources["licence"].str.contains("public domain|CC BY").all()
    assert all((DEV / name).is_file() for name in sources["file"])
    gold = gold_rows(DEV / "gold.json")
    assert set(gold["document"]) <= set(sources["file"])


def test_positions_gate_on_held_back_real_news(dev_tables):
    held = _split("held_back")
    scores = position_scores(dev_tables.positions, gold_rows(DEV / "gold.json"), held)
    print(f"\nheld-back positions: {scores['correct']} of {scores['found']} found right, {scores['correct']} of "
          f"{scores['gold']} gold found; precision {scores['precision']:.3f}, recall {scores['recall']:.3f}, "
          f"topic agreement {scores['topic_agreement']:.3f} ({scores['documents']} articles)")
    tune = position_scores(dev_tables.positions, gold_rows(DEV / "gold.json"), _split("tune"))
    print(f"tune half: precision {tune['precision']:.3f}, recall {tune['recall']:.3f}")
    print(f"target: precision 0.85, recall 0.75; still to go: precision {max(0, 0.85 - scores['precision']):.3f}, "
          f"recall {max(0, 0.75 - scores['recall']):.3f}")
    assert scores["precision"] >= REACHED["precision"], scores["wrong"]
    assert scores["recall"] >= REACHED["recall"], scores["missed"]
