"""Figures cited in article bodies: parse, normalise, decide what each measures, and explain disagreements."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import yaml

from analysis.corpus import MAX_SENTENCE_CHARS
from analysis.measures import Measure, measure_of, with_counted_noun
from analysis.numbers import Figure, _class_of, lexicon, parse_figures

__all__ = ["Figure", "lexicon", "parse_figures", "figures_table", "corpus_figures", "discrepancies_table",
           "headline_figures", "format_value", "explain", "read_definitions"]

FIGURE_COLUMNS = [
    "document", "sentence", "text", "value", "unit", "quantity", "approximate", "published", "outlet",
    "qualifier", "low", "high", "quantity_label", "family", "version", "cues", "phrase", "start", "end",
    "bound", "unit_class", "measure", "measure_label", "referent", "context", "named", "anchors",
    "parsed_unit", "parsed_class", "parsed_version",
]
DISCREPANCY_COLUMNS = [
    "family", "unit", "referent", "value_a", "value_b", "quantity_a", "quantity_b", "text_a", "text_b", "document_a",
    "document_b",
    "outlet_a", "outlet_b", "published_a", "published_b", "reasons", "explanation",
]

HEADLINES_SHOWN = 6
STORY_WINDOW = 200  # how many earlier reports of a measure a report is compared with
OTHER_VALUES_SHOWN = 4


@dataclass(frozen=True)
class Classified:
    key: str
    label: str
    family: str
    unit: str
    cues: tuple[str, ...]
    phrase: str  # the words of the sentence that say what is counted: the figure and its cue words
    version: str = ""


def read_definitions(data: bytes | None) -> tuple[list[dict], str | None]:
    """A corpus's named measures (figures.yaml's `quantities`), or why they cannot be read."""
    if not data:
        return [], None
    try:
        parsed = yaml.safe_load(data.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return [], f"figures.yaml: not readable YAML ({str(exc).splitlines()[0]}); no named measures used"
    items = (parsed or {}).get("quantities", []) if isinstance(parsed, dict) else None
    if not isinstance(items, list):
        return [], "figures.yaml: `quantities` must be a list of {key, label, unit, near, context}; none used"
    kept = [q for q in items if _well_formed(q)]
    if len(kept) < len(items):
        bad = [str(q.get("key", "?")) if isinstance(q, dict) else "?" for q in items if q not in kept]
        return kept, (f"figures.yaml: {len(bad)} measure(s) not used ({', '.join(bad[:5])}): each needs key, label "
                      "and unit, and `near` (required), `context` and `require_any` as lists of words")
    return kept, None


def _well_formed(definition) -> bool:
    """A named measure the matcher can use: key, label, unit as text; near, context, require_any as word lists."""
    if not isinstance(definition, dict) or not all(isinstance(definition.get(k), str) and definition.get(k)
                                                     for k in ("key", "label", "unit")):
        return False
    lists = [definition.get("near")] + [definition.get(k, []) for k in ("context", "require_any")]
    return bool(definition.get("near")) and all(
        isinstance(words, list) and all(isinstance(w, str) and w.strip() for w in words) for words in lists)


def _cue_regex(cue: str) -> re.Pattern:
    flags = 0 if cue.isupper() else re.IGNORECASE  # "US", "EU" must not match "us", "eu"
    return re.compile(r"(?<![\w-])" + re.escape(cue).replace(r"\ ", r"\s+") + r"(?![\w-])", flags)


@lru_cache(maxsize=4096)
def _cue(cue: str) -> re.Pattern:
    return _cue_regex(cue)


def _units_match(definition_unit: str, unit: str, unit_class: str) -> bool:
    if definition_unit == "money":
        return unit_class == "money"
    return definition_unit == unit or definition_unit == unit_class


def classify(row: Mapping, sentence: str, definitions: list[dict]) -> Classified | None:
    """The named measure (a corpus definition) a figure is, when the definition's unit matches, its `near` cues
    are among the words that govern the number (the measure's context) and its `context` cues are in the
    sentence; the best-scoring definition wins. None when no definition claims the figure."""
    best: tuple[int, dict, tuple[str, ...]] | None = None
    governing = row.get("context", "") or ""
    inner = governing.partition(" | ")[0]
    for definition in definitions:
        bare = row.get("unit_class") == "number" and str(definition["unit"]) not in ("money", "year", "percent")
        if not bare and not _units_match(str(definition["unit"]), row["unit"], row.get("unit_class", "")):
            continue
        required = definition.get("require_any")
        if required and not any(_cue(str(c)).search(sentence) for c in required):
            continue
        near = tuple(str(c) for c in definition.get("near", []) if _cue(str(c)).search(governing))
        if not near:
            continue  # the cue words must govern the number, not merely share its sentence
        closest = sum(1 for c in near if _cue(c).search(inner))
        context = [c for c in definition.get("context", []) if _cue(str(c)).search(sentence)]
        score = 4 * closest + 2 * (len(near) - closest) + len(context)
        if best is None or score > best[0]:
            best = (score, definition, near)
    if best is None:
        return None
    definition = best[1]
    unit = row["unit"] if row.get("unit_class") != "number" else str(definition["unit"])
    return Classified(str(definition["key"]), str(definition["label"]),
                      str(definition.get("family", definition["key"])), unit, best[2], row.get("phrase", ""),
                      str(definition.get("version") or ""))


def version_of(sentence: str) -> str:
    """'original' or 'revised' when the sentence's words say which version of a plan or figure it reports."""
    lex = lexicon()
    if any(_cue(c).search(sentence) for c in lex.versions["original"]):
        return "original"
    if any(_cue(c).search(sentence) for c in lex.versions["revised"]):
        return "revised"
    return ""


def sentence_figures(text: str, doc=None) -> list[tuple[Figure, Measure]]:
    """The figures of one sentence with what each measures (from doc, its parse, when given)."""
    found: list[tuple[Figure, Measure]] = []
    for figure in parse_figures(text):
        if doc is not None:
            figure = with_counted_noun(figure, doc)
        if figure is None or figure.words and figure.unit_class == "number":
            continue  # "the two spoke": a number word with nothing counted
        measure = measure_of(figure, doc) if doc is not None else _surface_measure(figure)
        if any(f.text == figure.text and f.value == figure.value and (m.key, m.referent) == (measure.key,
               measure.referent) for f, m in found):
            continue  # "down $350 billion ... brought the deficit down $350 billion": one figure, said twice
        if found and _CONVERSION.fullmatch(text[found[-1][0].end : figure.start]):
            measure = found[-1][1]  # "785 miles (1,260 km)": the same measure in other units
        found.append((figure, measure))
    return found


_CONVERSION = re.compile(r"\s*[(\[]\s*(?:about|approx\.?|approximately|around|some|or|roughly|nearly)?\s*")


def _surface_measure(figure: Figure) -> Measure:
    """What a figure measures without a parse: its counted noun, if any."""
    noun = figure.noun.lower() if figure.noun and figure.noun not in ("duration",) else ""
    if not noun:
        return Measure("", "", "", "", "", "")
    return Measure(noun.rstrip("s") if figure.unit_class == "count" else noun, noun, noun, "", "", noun)


def figures_table(sentences: pd.DataFrame, documents: pd.DataFrame, parses: Mapping | None = None) -> pd.DataFrame:
    """Every figure in every sentence (up to MAX_SENTENCE_CHARS long), with what it measures and the article's
    outlet and date. parses: (document, sentence) -> the sentence's parsed Doc, where there is one."""
    meta = documents.set_index("document")[["published", "outlet"]].to_dict("index") if not documents.empty else {}
    rows = []
    for row in sentences.itertuples(index=False):
        if len(row.text) > MAX_SENTENCE_CHARS:
            continue  # a table or a run of text without punctuation: not searched, see MAX_SENTENCE_CHARS
        doc = parses.get((row.document, row.sentence)) if parses else None
        for figure, measure in sentence_figures(row.text, doc):
            info = meta.get(row.document, {"published": "", "outlet": ""})
            rows.append(_row(row, figure, measure, info))
    frame = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    return frame.astype({"value": "float64", "approximate": "bool", "low": "float64", "high": "float64",
                         "named": "bool"})


def _row(sentence, figure: Figure, measure: Measure, info: Mapping) -> dict:
    """One figure's row, grouped by its measure (or a catch-all group of its unit class when it has none)."""
    unit_class = figure.unit_class or "number"
    catch_key, catch_label = _catch_all(unit_class)
    key, label = measure.key or catch_key, measure.label or catch_label
    phrase = measure.label or figure.text
    row = {
        "document": sentence.document, "sentence": sentence.sentence, "text": figure.text, "value": figure.value,
        "unit": figure.unit or "number", "quantity": key, "approximate": figure.approximate,
        "published": info["published"], "outlet": info["outlet"], "qualifier": figure.qualifier,
        "low": figure.low, "high": figure.high, "quantity_label": label, "family": key,
        "version": version_of(measure.context) or version_of(sentence.text), "cues": "", "phrase": phrase,
        "start": sentence.start + figure.start, "end": sentence.start + figure.end,
        "bound": figure.bound, "unit_class": unit_class, "measure": measure.key, "measure_label": measure.label,
        "referent": measure.referent, "context": measure.context, "named": False, "anchors": measure.anchors,
    }
    row["parsed_unit"], row["parsed_class"], row["parsed_version"] = row["unit"], row["unit_class"], row["version"]
    return row


def _catch_all(unit_class: str) -> tuple[str, str]:
    """The key and label of the group of figures with no measure, by unit class ("other_money")."""
    return f"other_{re.sub(r'[^a-z0-9]+', '_', unit_class)}", f"Other figures ({unit_class})"


def corpus_figures(article_figures: pd.DataFrame, sentences: pd.DataFrame, figures_file: bytes | None
                   ) -> tuple[pd.DataFrame, list[str]]:
    """The corpus's figures: each measure under one label (its most used), and the corpus's named measures
    (figures.yaml) given to the figures whose cue words govern them; with what was wrong in figures.yaml."""
    definitions, problem = read_definitions(figures_file)
    frame = article_figures.copy()
    if frame.empty:
        return frame, [problem] if problem else []
    # Every derived column again from what the article's own reading gave: a stored table comes back here with the
    # last build's named measures in it, and figures.yaml may have changed since.
    for derived in ("unit", "unit_class", "version"):
        parsed = "parsed_class" if derived == "unit_class" else f"parsed_{derived}"
        if parsed not in frame:  # a table stored before the parsed columns existed
            frame[parsed] = frame[derived]
        frame[derived] = frame[parsed]
    groups = {unit_class: _catch_all(unit_class) for unit_class in frame["unit_class"].unique()}
    frame["quantity"] = frame["family"] = frame["unit_class"].map({c: key for c, (key, _) in groups.items()})
    frame["quantity_label"] = frame["unit_class"].map({c: label for c, (_, label) in groups.items()})
    measured = frame["measure"] != ""
    labels = (frame[measured].groupby(["measure", "measure_label"]).size().reset_index(name="n")
              .sort_values(["measure", "n", "measure_label"], ascending=[True, False, True])
              .drop_duplicates("measure").set_index("measure")["measure_label"])
    frame.loc[measured, "quantity"] = frame.loc[measured, "measure"]
    frame.loc[measured, "family"] = frame.loc[measured, "measure"]
    frame.loc[measured, "quantity_label"] = frame.loc[measured, "measure"].map(labels)
    frame["named"] = False
    frame["cues"] = ""
    if definitions:
        _name_figures(frame, sentences, definitions)
    return frame, [problem] if problem else []


def _name_figures(frame: pd.DataFrame, sentences: pd.DataFrame, definitions: list[dict]) -> None:
    """Give each figure a named measure of the corpus where one claims it (in place)."""
    wanted = sentences.merge(frame[["document", "sentence"]].drop_duplicates(), on=["document", "sentence"])
    texts = dict(zip(zip(wanted["document"], wanted["sentence"]), wanted["text"]))
    columns = ["quantity", "quantity_label", "family", "cues", "named", "unit", "unit_class", "version"]
    found: dict[int, list] = {}
    for position, row in enumerate(frame.to_dict("records")):
        named = classify(row, texts.get((row["document"], row["sentence"]), ""), definitions)
        if named is None:
            continue
        unit_class = row["unit_class"] if row["unit_class"] != "number" else _class_of(named.unit, lexicon())
        found[position] = [named.key, named.label, named.family, ", ".join(named.cues), True, named.unit, unit_class,
                           named.version or row["version"]]
    if found:  # written once, not row by row: a large corpus has many thousands of figures
        values = pd.DataFrame.from_dict(found, orient="index", columns=columns)
        frame.iloc[values.index, [frame.columns.get_loc(c) for c in columns]] = values.to_numpy()
        frame["named"] = frame["named"].astype(bool)


def format_value(value: float, unit: str, *, with_unit: bool = True, approximate: bool = False, prose: bool = False,
                 bound: str = "", low: float | None = None, high: float | None = None, qualifier: str = "") -> str:
    """A figure as a reader writes it: 1,200 workers, €3.5bn, 2030, 12.5%, "at least 8", "> 90", "$10bn–$15bn",
    "hundreds of thousands of deaths" (a vague amount as written, never as a number).

    An approximate figure is marked "≈ 20 countries", or "about 20 countries" in running prose."""
    if bound == "vague" and qualifier:
        return f"{qualifier} {unit}" if with_unit and unit not in ("", "number") else qualifier
    if bound == "range" and low is not None and high is not None:
        low_text = format_value(low, unit, with_unit=_money(unit))
        high_text = format_value(high, unit, with_unit=with_unit)
        return ("about " if prose else "≈ ") * bool(approximate) + f"{low_text}–{high_text}"
    if bound in ("lower", "upper"):
        shown = format_value(value, unit, with_unit=with_unit)
        words = {"at least": "at least", "upwards of": "at least", "up to": "up to", "as many as": "up to",
                 "at most": "at most", "no more than": "at most"}
        if qualifier in words:
            return f"{words[qualifier]} {shown}"
        if bound == "lower":
            return ("more than " if prose else "> ") + shown
        return ("fewer than " if prose else "< ") + shown
    if approximate:
        return ("about " if prose else "≈ ") + format_value(value, unit, with_unit=with_unit)
    return _plain(value, unit, with_unit)


def _money(unit: str) -> bool:
    return unit.split("/")[0] in lexicon().currency_codes


def _plain(value: float, unit: str, with_unit: bool) -> str:
    """A value with its unit: "€210bn", "$58.24/barrel", "12.5%", "600,000 troops", "2030"."""
    if unit == "year":
        return f"{int(value)}"
    base, _, per = unit.partition("/")
    rate = f"/{per}" if per else ""
    if base in lexicon().currency_codes:
        symbol = lexicon().currency_display.get(base, base + " ")
        for size, suffix in lexicon().money_suffixes:
            if abs(value) >= size:
                scaled = value / size
                places = 0 if float(scaled).is_integer() else (1 if round(scaled * 10, 6) % 1 == 0 else 2)
                return f"{symbol}{scaled:,.{places}f}{suffix}{rate}"
        return f"{symbol}{value:,.{0 if float(value).is_integer() else 2}f}{rate}"
    if unit == "percent":
        return f"{value:g}%"
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{number} {unit}" if with_unit and unit and unit != "number" else number


def shown_values(frame: pd.DataFrame) -> list[str]:
    """Each figure row as written for display: value, unit, bound or range."""
    return [format_value(v, u, approximate=a, bound=b, low=None if pd.isna(lo) else lo,
                         high=None if pd.isna(hi) else hi, qualifier=q)
            for v, u, a, b, lo, hi, q in zip(frame["value"], frame["unit"], frame["approximate"], frame["bound"],
                                             frame["low"], frame["high"], frame["qualifier"], strict=True)]


def _interval(row: Mapping) -> tuple[float, float]:
    """The values a figure allows: a point, its tolerance when approximate, a bound's half-line, a range."""
    value = float(row["value"])
    bound = row.get("bound", "exact")
    if bound in ("range", "vague") and not pd.isna(row.get("low")) and not pd.isna(row.get("high")):
        return float(row["low"]), float(row["high"])
    if bound == "lower":
        return value, math.inf
    if bound == "upper":
        return -math.inf, value
    if bound == "approx" or row.get("approximate"):
        return value * 0.9, value * 1.1
    return value, value


def _disagree(a: Mapping, b: Mapping) -> bool:
    """Two reports disagree when no value fits both (at least 8 and 10 agree; about 20 and 21 agree)."""
    low_a, high_a = _interval(a)
    low_b, high_b = _interval(b)
    return high_a < low_b and not math.isclose(high_a, low_b) or high_b < low_a and not math.isclose(high_b, low_a)


def explain(a: Mapping, b: Mapping) -> tuple[list[str], list[str]]:
    """Reasons two reports of one measure differ, each from words in their sentences or their metadata."""
    reasons, words = [], []
    if a["published"] and b["published"] and a["published"] != b["published"]:
        reasons.append("dates")
        words.append(f"reported at different dates ({a['published']} and {b['published']})")
    if a["version"] and b["version"] and a["version"] != b["version"]:
        reasons.append("version")
        older, newer = (a, b) if a["version"] == "original" else (b, a)
        words.append(f"the sentences speak of an original and a revised version: {_as_written(older)} in the "
                     f"original, {_as_written(newer)} in the revised one")
    if a["quantity"] != b["quantity"] and "version" not in reasons:
        reasons.append("wording")
        words.append(f"different wording of what is counted (“{a['phrase']}” versus “{b['phrase']}”)")
    for row in (a, b):
        if row.get("bound") in ("approx", "vague"):
            reasons.append("approximate")
            words.append(f"one figure is approximate (“{row['text']}”)")
            break
    if a["unit"] != b["unit"]:
        reasons.append("currency" if _money(a["unit"]) and _money(b["unit"]) else "unit")
        words.append(f"different units ({a['unit']} and {b['unit']}), not converted")
    if bool(a["published"]) != bool(b["published"]):
        reasons.append("undated")
        words.append("one report has no date, so the two may describe different moments")
    if not reasons:
        reasons.append("unexplained")
        words.append("the sources disagree and their sentences give no reason")
    return reasons, words


def _as_written(row: Mapping) -> str:
    return f"“{row['text']}”"


def _representatives(figures: pd.DataFrame) -> pd.DataFrame:
    """One figure per distinct value: its earliest dated report (exact wording preferred), in order of report."""
    ordered = figures.assign(
        _undated=figures["published"] == "",
        _version=figures["version"].map({"original": 0, "revised": 2}).fillna(1),
        _value=figures["value"].round(6),
    )
    ordered = ordered.sort_values(["_undated", "published", "_version", "approximate", "document", "sentence"])
    keep = ["unit", "_value", "bound"] if ordered["named"].all() else ["unit", "_value", "bound", "document"]
    return ordered.drop_duplicates(keep).sort_values(
        ["_undated", "published", "_version", "_value"])


_PAIR_FIELDS = ["value", "unit", "quantity", "text", "document", "outlet", "published", "version", "approximate",
                "phrase", "bound", "low", "high", "referent", "named", "anchors"]


def _same_story(a: Mapping, b: Mapping, common: frozenset[str]) -> bool:
    """Two reports can disagree only about one thing: a measure the corpus names, or a specific measure (with a
    predicate, "people killed", or a modifier and a referent, "US military aid"; not "people", nor a target year)
    in sentences that share a name the corpus does not use everywhere (a town, a company, a bill; not the country
    every text is about), or any shared name when they are a month apart at most."""
    if a["named"] and b["named"]:
        return True
    specific = _specific_key(a["quantity"]) and ("|" in a["quantity"] or bool(a["referent"]))
    if a["quantity"] != b["quantity"] or not specific:
        return False
    shared = set(filter(None, a["anchors"].split("; "))) & set(filter(None, b["anchors"].split("; ")))
    if shared - common:
        return True
    # a name every text uses ties two reports to one story only when they are close in time
    return bool(shared) and _within(a.get("published", ""), b.get("published", ""), days=31)


def _within(a: str, b: str, *, days: int) -> bool:
    try:
        return abs((pd.Timestamp(a) - pd.Timestamp(b)).days) <= days
    except (ValueError, TypeError):
        return False


def specific_measure(quantity: str) -> bool:
    """A measure key that says more than a bare noun: what happened ("person|kill") or which kind ("military aid");
    not an amount or number known only by its verb ("amount|provide")."""
    return ("|" in quantity or " " in quantity) and not quantity.startswith(("amount|", "number|"))


def _specific_key(quantity: str) -> bool:
    """A specific measure that is no target year: what two reports may disagree about."""
    return specific_measure(quantity) and not quantity.startswith("year|")


def _common_anchors(figures: pd.DataFrame) -> frozenset[str]:
    """Names in the figures' sentences of more than 5% of the articles (at least 3): the story's cast, which says
    nothing about which event two numbers are of."""
    pairs = figures[["document", "anchors"]].drop_duplicates()
    names = pairs.assign(name=pairs["anchors"].str.split("; ")).explode("name")
    counts = names[names["name"].fillna("") != ""].groupby("name")["document"].nunique()
    limit = max(3, 0.05 * figures["document"].nunique())
    return frozenset(counts[counts > limit].index)


def discrepancies_table(figures: pd.DataFrame) -> pd.DataFrame:
    """Pairs of reports of one measure, unit and referent whose values cannot both be right (consecutive distinct
    values by date), each with the reasons their sentences and dates give."""
    if figures.empty:
        return pd.DataFrame(columns=DISCREPANCY_COLUMNS)
    rows = []
    common = _common_anchors(figures)
    candidates = figures[~figures["family"].str.startswith("other_")]
    # Like with like: money in any currency (the explanation says it is not converted), else one unit exactly.
    comparable = candidates["unit"].where(candidates["unit_class"] != "money", "money")
    for (family, _, referent), group in candidates.groupby(["family", comparable, "referent"], sort=True):
        if not group["named"].any() and not _specific_key(str(family)):
            continue  # "people", "age": never compared (see _same_story)
        reps = _representatives(group)
        records = [dict(zip(_PAIR_FIELDS, row)) for row in zip(*(reps[f].tolist() for f in _PAIR_FIELDS))]
        for later, b in enumerate(records[1:], start=1):
            # each report against the latest earlier one of the same story (among the last few hundred: a measure
            # of thousands of reports is compared with its recent past, not all of it)
            earlier = records[max(0, later - STORY_WINDOW) : later]
            a = next((r for r in reversed(earlier) if _same_story(r, b, common)), None)
            if a is None or not _disagree(a, b):
                continue
            reasons, words = explain(a, b)
            rows.append({
                "family": family, "unit": a["unit"] if a["unit"] == b["unit"] else f"{a['unit']}/{b['unit']}",
                "referent": referent, "value_a": a["value"], "value_b": b["value"],
                "quantity_a": a["quantity"], "quantity_b": b["quantity"],
                "text_a": a["text"], "text_b": b["text"], "document_a": a["document"], "document_b": b["document"],
                "outlet_a": a["outlet"], "outlet_b": b["outlet"],
                "published_a": a["published"], "published_b": b["published"],
                "reasons": ", ".join(reasons), "explanation": "; ".join(words).capitalize(),
            })
    return pd.DataFrame(rows, columns=DISCREPANCY_COLUMNS)


def _close(values: np.ndarray, value: float) -> np.ndarray:
    """math.isclose(v, value) for every v of values at once (relative tolerance 1e-9, no absolute tolerance)."""
    return np.abs(values - value) <= 1e-9 * np.maximum(np.abs(values), abs(value))


def _other_values(group: pd.DataFrame, chosen: pd.Series) -> str:
    """The other values reported for a quantity, most reported first, at most OTHER_VALUES_SHOWN of them and a
    count of the rest: a corpus of thousands of articles can report thousands of values."""
    others = group[~_close(group["value"].to_numpy(dtype=float), chosen["value"])]
    if others.empty:
        return ""
    counted = others.groupby(["value", "unit"]).size().reset_index(name="reports").sort_values(
        ["reports", "value"], ascending=[False, True], kind="stable")
    shown = [format_value(v, u) for v, u in zip(counted["value"].head(OTHER_VALUES_SHOWN),
                                                 counted["unit"].head(OTHER_VALUES_SHOWN))]
    rest = len(counted) - len(shown)
    return ", ".join(shown) + (f" and {rest:,} other value{'s' if rest != 1 else ''}" if rest else "")


def headline_quantities(figures: pd.DataFrame, originals: Mapping[str, str] | None = None,
                        limit: int = HEADLINES_SHOWN) -> list[str]:
    """The measures worth a headline: every one the corpus names, then those reported by more than one independent
    text, most reported first, up to limit; never a catch-all group, a year or a measure of one text alone."""
    if figures.empty:
        return []
    usable = figures[~figures["quantity"].str.startswith("other_") & (figures["unit_class"] != "year")]
    usable = usable.assign(_root=usable["document"].map(lambda d: (originals or {}).get(d, d)))
    texts = usable.groupby("quantity")["_root"].nunique()
    named = set(usable.loc[usable["named"], "quantity"])
    common = _common_anchors(figures)
    # Beyond the named measures: one thing several texts report (the same story), not "age" across many stories.
    rows = usable.groupby("quantity").indices
    texts = texts[[q in named or (n > 1 and _one_story(usable.iloc[rows[q]], common)) for q, n in texts.items()]]
    order = sorted(texts.index, key=lambda q: (q not in named, -texts[q], q))
    # every measure the corpus names, then the most reported others up to limit in all
    others = [q for q in order if q not in named and texts[q] > 1][: max(0, limit - len(named))]
    return [q for q in order if q in named] + others


def _one_story(group: pd.DataFrame, common: frozenset[str]) -> bool:
    """Whether two independent texts report this measure about one thing (a specific measure, a shared name)."""
    records = group[["quantity", "referent", "named", "anchors", "_root", "published"]].to_dict("records")
    return any(a["_root"] != b["_root"] and _same_story(a, b, common)
               for i, a in enumerate(records) for b in records[i + 1 : i + 40])


def headline_figures(figures: pd.DataFrame, *, originals: dict[str, str] | None = None,
                     limit: int = HEADLINES_SHOWN, quantities: list[str] | None = None) -> pd.DataFrame:
    """The current value of each headline measure: newest report; on one date a revised figure beats the original
    and an exact one beats an approximate one. Undated reports count only when nothing is dated. When the chosen
    report is a rewrite (originals: document -> the text it rewrites) and the original gives the same value,
    the original is cited instead. quantities: the headline measures when already chosen (headline_quantities)."""
    columns = FIGURE_COLUMNS + ["reports", "articles", "other_values"]
    rows = []
    by_quantity = figures.groupby("quantity", sort=False).indices if not figures.empty else {}
    for key in quantities if quantities is not None else headline_quantities(figures, originals, limit):
        group = figures.iloc[by_quantity[key]]
        dated = group[group["published"] != ""]
        pool = dated if not dated.empty else group
        pool = pool.assign(_version=pool["version"].map({"revised": 0, "original": 2}).fillna(1))
        row = pool.sort_values(["published", "_version", "approximate"], ascending=[False, True, True]).iloc[0]
        source = (originals or {}).get(row["document"], row["document"])
        same_in_source = group[(group["document"] == source).to_numpy(dtype=bool)
                               & _close(group["value"].to_numpy(dtype=float), row["value"])]
        if source != row["document"] and not same_in_source.empty:
            row = same_in_source.iloc[0]
        rows.append({**{c: row.get(c, "") for c in FIGURE_COLUMNS}, "reports": len(group),
                     "articles": group["document"].nunique(), "other_values": _other_values(group, row)})
    return pd.DataFrame(rows, columns=columns)


def format_row(row, *, prose: bool = False, with_unit: bool = True) -> str:
    """A figure row (a mapping or a named tuple of the figures table) as written for display."""
    get = row.get if isinstance(row, Mapping) else lambda name, default=None: getattr(row, name, default)
    low, high = get("low"), get("high")
    return format_value(get("value"), get("unit"), with_unit=with_unit, approximate=bool(get("approximate")),
                        prose=prose, bound=get("bound", "") or "", low=None if pd.isna(low) else low,
                        high=None if pd.isna(high) else high, qualifier=get("qualifier", "") or "")
