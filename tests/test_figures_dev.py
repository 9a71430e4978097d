"""The figures gate on real text: 347 sentences from Wikinews (CC BY 2.5) and US government statements (public
domain), five domains (war, diplomacy, economy, energy, disasters), each figure annotated by two independent readers
and reconciled (tests/resources/figures_dev). Rules were tuned on the `tune` half only; this gate reports the
`held_back` half, and prints the tune half's figures beside it.

The issue's targets (value F1 0.95, value+unit F1 0.90, measure accepted 0.85) are not met yet: the gate holds the
level reached so that a change which loses ground fails, and prints how far the targets still are.

A measure is accepted when its head is the reader's (or one they also accept) and it says nothing else happened
than the reader says; the strict figure also needs what happened ("killed") when the reader names it."""

import json
from pathlib import Path

import pytest

from analysis.evaluation import figures_of_sentences, score_figures

DEV = Path(__file__).parent / "resources" / "figures_dev"
TARGET = {"value_f1": 0.95, "value_unit_f1": 0.90, "measure_accepted": 0.85}
# The level reached on the held-back half when this gate was set (see bench/RESULTS.md), less a small margin.
REACHED = {"value_f1": 0.85, "value_unit_f1": 0.74, "measure_accepted": 0.74}  # 0.869, 0.762, 0.761 when set


def _set(split: str) -> tuple[list[dict], dict[str, list[dict]]]:
    items = [x for x in json.loads((DEV / "sentences.json").read_text("utf-8")) if x["split"] == split]
    gold = {g["id"]: g["figures"] for g in json.loads((DEV / "gold.json").read_text("utf-8"))}
    return items, gold


def _scores(split: str) -> dict:
    items, gold = _set(split)
    found = figures_of_sentences([x["sentence"] for x in items])
    return score_figures(items, gold, {x["id"]: f for x, f in zip(items, found)})


def test_the_development_set_is_what_the_gate_says():
    items = json.loads((DEV / "sentences.json").read_text("utf-8"))
    gold = {g["id"]: g["figures"] for g in json.loads((DEV / "gold.json").read_text("utf-8"))}
    assert len(items) >= 300 and {x["split"] for x in items} == {"tune", "held_back"}
    assert {x["domain"] for x in items} >= {"war", "diplomacy", "economy", "energy", "disasters"}
    assert {x["source"] for x in items} <= {"wikinews", "state", "wh"} and (DEV / "LICENSE.md").is_file()
    assert set(gold) == {x["id"] for x in items}
    for item in items:
        for figure in gold[item["id"]]:
            assert figure["text"] in item["sentence"], (item["id"], figure["text"])


def _line(name: str, scores: dict) -> str:
    return (f"{name}: value F1 {scores['value_f1']:.3f}, value+unit F1 {scores['value_unit_f1']:.3f}, measure "
            f"accepted {scores['measure_accepted']:.3f} (strict {scores['measure_strict']:.3f}); {scores['value']} "
            f"of {scores['gold']} gold figures found with the right value, {scores['found']} found")


@pytest.mark.slow
def test_figures_gate_on_held_back_real_sentences():
    held = _scores("held_back")
    print("\n" + _line("held-back half", held))
    print(_line("tune half", _scores("tune")))
    print("target: " + ", ".join(f"{k} {v}" for k, v in TARGET.items()) + "; still to go: "
          + ", ".join(f"{k} {max(0.0, v - held[k]):.3f}" for k, v in TARGET.items()))
    for key, level in REACHED.items():
        assert held[key] >= level, (key, held["misses"])
