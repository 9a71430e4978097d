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


# --- Figures


def _same(a: float | None, b: float | None) -> bool:
    """Equal within half a percent (gold writes 66.67 for two-thirds; money is written rounded)."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 0.005 * max(abs(a), abs(b)) + 1e-9


def figure_value_right(gold: dict, found) -> bool:
    """The value is right: the range's or vague amount's ends, else the number given."""
    if gold["bound"] in ("range", "vague") or gold.get("value") is None:
        low, high = found.low, found.high
        return _same(gold.get("low"), low) and _same(gold.get("high"), high)
    return _same(float(gold["value"]), float(found.value))


def gate_unit(found) -> str:
    """The unit of a found figure in the gold's vocabulary: an ISO code, percent, count or a unit of measure."""
    if found.unit_class == "count":
        return "count"
    if found.unit_class == "number":
        return ""
    return found.unit


def figure_unit_right(gold: dict, found) -> bool:
    unit = str(gold.get("unit") or "")
    mine = gate_unit(found)
    if unit == mine:
        return True
    return unit.split("/")[0] == mine.split("/")[0] and unit.split("/")[0] not in ("count", "percent") and \
        "/" not in unit and "/" not in mine


def measure_accepted(gold: dict, measure, *, strict: bool = False) -> bool:
    """A reader accepts the measure when its head is the gold head (or one the reader also accepts) and it says
    nothing else happened than the gold says ("people killed" is not "people injured"). Strict: where the gold names
    what happened ("kill", "deploy"), the measure must say it too."""
    heads = {_lemma(gold.get("head") or "")} | {_lemma(h) for h in gold.get("also") or []}
    heads.discard("")
    words = {_lemma(w) for w in (measure.key.replace("|", " ").split() + measure.label.lower().split())}
    if not heads & ({_lemma(measure.head)} | words):
        return False
    predicate = _lemma(gold.get("predicate") or "")
    said = predicate in words | {_lemma(measure.predicate)}
    if strict:
        return not predicate or said
    return not predicate or said or not measure.predicate


def _lemma(word: str) -> str:
    """A crude English lemma for matching heads: lower case, plural and participle endings off."""
    word = word.lower().strip()
    if word == "people":
        return "person"
    for suffix, repl in (("ies", "y"), ("people", "person"), ("ses", "s"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + repl
    return word


def score_figures(items: list[dict], gold: dict[str, list[dict]], found: dict[str, list]) -> dict:
    """Value, value+unit and measure scores of found figures (id -> [(Figure, Measure)]) against gold (id ->
    figures); a found figure matches the gold figure whose text it overlaps."""
    counts = {"gold": 0, "found": 0, "value": 0, "unit": 0, "measured": 0, "measure_ok": 0, "measure_strict": 0}
    misses: list[tuple[str, str, str]] = []
    for item in items:
        sentence, wanted, mine = item["sentence"], gold.get(item["id"], []), list(found.get(item["id"], []))
        counts["gold"] += len(wanted)
        counts["found"] += len(mine)
        for g in wanted:
            at = sentence.find(g["text"])
            span = (at, at + len(g["text"])) if at >= 0 else (-1, -1)
            match = next(((f, m) for f, m in mine if f.start < span[1] and span[0] < f.end), None)
            if match is None:
                misses.append((item["id"], g["text"], "not found"))
                continue
            mine.remove(match)
            figure, measure = match
            if not figure_value_right(g, figure):
                misses.append((item["id"], g["text"], f"value {figure.value} {figure.low}-{figure.high}"))
                continue
            counts["value"] += 1
            counts["unit"] += figure_unit_right(g, figure)
            counts["measured"] += 1
            counts["measure_ok"] += measure_accepted(g, measure)
            counts["measure_strict"] += measure_accepted(g, measure, strict=True)
    return {**counts, **_f1s(counts), "misses": misses}


def _f1s(counts: dict) -> dict:
    def f1(right: int) -> float:
        precision = right / counts["found"] if counts["found"] else 0.0
        recall = right / counts["gold"] if counts["gold"] else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def share(key: str) -> float:
        return counts[key] / counts["measured"] if counts["measured"] else 0.0

    return {"value_f1": f1(counts["value"]), "value_unit_f1": f1(counts["unit"]),
            "measure_accepted": share("measure_ok"), "measure_strict": share("measure_strict")}


def figures_of_sentences(texts: list[str], *, model: str | None = None) -> list[list]:
    """Each text's figures with their measures, read the way a build reads an article's sentences (the project's
    pipeline: gazetteer entities, then the parse of sentences with numbers)."""
    from analysis.figures import sentence_figures
    from analysis.nlp import load_pipeline, process
    from analysis.positions import parse_candidates

    nlp = load_pipeline(model).nlp
    docs = list(process(texts, nlp=nlp))
    parsed = {index: doc for _, index, doc in parse_candidates([("dev", i, d) for i, d in enumerate(docs)], nlp=nlp)}
    return [sentence_figures(text, parsed[i]) for i, text in enumerate(texts)]
