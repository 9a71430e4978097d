"""Scores of extracted positions against hand-annotated ones: what the development-set gate and bench report."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.actors import actor_codes


def _code_of(name: str) -> str | None:
    """An annotator's country name -> actor code: canonical names and the gazetteer's other spellings."""
    from analysis.actors import _origins

    by_name = {value.casefold(): code for code, value in actor_codes().items()}
    return by_name.get(name.casefold()) or _origins().get(name) or _origins().get(name.removeprefix("the "))


def gold_rows(path: Path) -> pd.DataFrame:
    """Gold positions (document, iso3, stance, topic, claimed_by) from gold.json (a list) or JSON lines."""
    text = path.read_text(encoding="utf-8")
    lines = [json.loads(x) for x in text.splitlines() if x.strip()] if not text.lstrip().startswith("[") else None
    items = json.loads(text) if lines is None else lines
    rows = [{**item, "iso3": _code_of(item["country"])} for item in items]
    unknown = sorted({r["country"] for r in rows if r["iso3"] is None})
    if unknown:
        raise ValueError(f"{path}: countries the gazetteer does not know: {unknown}")
    return pd.DataFrame(rows)


def position_scores(found: pd.DataFrame, gold: pd.DataFrame, documents: set[str]) -> dict:
    """Precision and recall of (document, country, stance) in these documents, topic agreement on the matches
    (a gold topic word in the found topic or target), and the misses and false finds."""
    found = found[found["document"].isin(documents)]
    if "review" in found:
        found = found[found["review"] != "rejected"]
    gold = gold[gold["document"].isin(documents)]
    got = set(zip(found["document"], found["iso3"], found["stance"]))
    want = set(zip(gold["document"], gold["iso3"], gold["stance"]))
    hits = got & want
    agree = 0
    for key in hits:
        rows = found[(found["document"] == key[0]) & (found["iso3"] == key[1]) & (found["stance"] == key[2])]
        topics = gold[(gold["document"] == key[0]) & (gold["iso3"] == key[1]) & (gold["stance"] == key[2])]
        said = " ".join(rows["topic"].astype(str) + " " + rows["target"].astype(str)).lower()
        words = {w.strip(".,'’s").lower() for t in topics["topic"].astype(str) for w in t.split() if len(w) > 3}
        agree += bool(words & set(said.replace("’s", " ").replace("'s", " ").split()) or
                      any(w in said for w in words))
    return {
        "documents": len(documents), "gold": len(want), "found": len(got), "correct": len(hits),
        "precision": round(len(hits) / len(got), 3) if got else 0.0,
        "recall": round(len(hits) / len(want), 3) if want else 0.0,
        "topic_agreement": round(agree / len(hits), 3) if hits else 0.0,
        "missed": sorted(want - got), "wrong": sorted(got - want),
    }
