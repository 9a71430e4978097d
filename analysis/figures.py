"""Figures cited in article bodies: parse, normalise, decide what each measures, and explain disagreements."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from text_to_num import text2num

from analysis.corpus import MAX_SENTENCE_CHARS
from analysis.lexicon import load_yaml
from analysis.metadata import DATE_PATTERNS, MONTHS

FIGURE_COLUMNS = [
    "document", "sentence", "text", "value", "unit", "quantity", "approximate", "published", "outlet",
    "qualifier", "low", "high", "quantity_label", "family", "version", "cues", "phrase", "start", "end",
]
DISCREPANCY_COLUMNS = [
    "family", "unit", "value_a", "value_b", "quantity_a", "quantity_b", "text_a", "text_b", "document_a", "document_b",
    "outlet_a", "outlet_b", "published_a", "published_b", "reasons", "explanation",
]

_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_WORD = re.compile(r"[A-Za-z](?:[A-Za-z'’-]|\.(?=[A-Za-z]))*")  # "U.S" of "U.S.": a final period ends the sentence
_MONTH_DAY = re.compile(
    r"\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?(?:a\.m\.|p\.m\.|am|pm)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """Function words, which never name what a number counts: spaCy's English list plus a few of our own."""
    from spacy.lang.en.stop_words import STOP_WORDS  # imported on first use: importing spaCy is slow

    return frozenset(STOP_WORDS) | {"instead", "per", "each", "also", "already", "still", "yet"}


@dataclass(frozen=True)
class Lexicon:
    unit_of: dict[str, str]
    currency_symbols: list[tuple[str, str]]
    currency_words: dict[str, str]
    currency_display: dict[str, str]  # code -> the symbol an amount is shown with
    word_number: re.Pattern  # a number written in words
    scales: dict[str, float]  # every form of a scale word (abbreviations too) -> its value
    spaced_scales: frozenset[str]  # the written-out scale words, which may stand apart from their number
    scale_pattern: re.Pattern  # a scale word or abbreviation right after a number
    money_suffixes: tuple[tuple[float, str], ...]  # (size, suffix) for showing money, largest first
    multipliers: dict[str, int]
    multiplier_pattern: re.Pattern
    vague: dict[str, tuple[int, int]]
    vague_pattern: re.Pattern  # a vague amount, with the scale word after it if any
    vague_scales: dict[str, float | int]
    vague_scale_required: frozenset[str]
    qualifiers: dict[str, str]
    label_words: set[str]
    time_units: set[str]
    year_cues: list[str]
    versions: dict[str, list[str]]
    quantities: list[dict] = field(default_factory=list)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The figure lexicon and quantity definitions from analysis/data/figures.yaml."""
    data = load_yaml("figures.yaml")
    unit_of = {form.lower(): unit for unit, forms in data["units"].items() for form in forms}
    symbols = sorted(
        ((symbol, code) for code, spec in data["currencies"].items() for symbol in spec["symbols"]),
        key=lambda pair: -len(pair[0]),
    )
    words = {word: code for code, spec in data["currencies"].items() for word in spec["words"]}
    scales = _scale_forms(data["scales"])
    multipliers = {k.lower(): int(v) for k, v in data["multipliers"].items()}
    vague = {k.lower(): (int(v[0]), int(v[1])) for k, v in data["vague"].items()}
    # A whole number stays an int (PyYAML reads "1.0e6" as text): so do the ranges it scales.
    vague_scales = {k.lower(): v if isinstance(v, int) else float(v) for k, v in data["vague_scales"].items()}
    return Lexicon(
        unit_of=unit_of,
        currency_symbols=symbols,
        currency_words=words,
        currency_display={code: spec["display"] for code, spec in data["currencies"].items()},
        word_number=_word_number_pattern(data["number_words"]),
        scales=scales,
        spaced_scales=frozenset(word.lower() for word in data["scales"]),
        scale_pattern=re.compile(rf"(\s?)({_alternatives(scales)})\b", re.IGNORECASE),
        money_suffixes=tuple(sorted(((float(spec["value"]), spec["display"]) for spec in data["scales"].values()
                                     if spec.get("display")), reverse=True)),
        multipliers=multipliers,
        multiplier_pattern=re.compile(rf"\s+({_alternatives(multipliers)})\b", re.IGNORECASE),
        vague=vague,
        vague_pattern=re.compile(rf"\b({_alternatives(vague)})(?:\s+({_alternatives(vague_scales)}))?\b",
                                 re.IGNORECASE),
        vague_scales=vague_scales,
        vague_scale_required=frozenset(word.lower() for word in data["vague_scale_required"]),
        qualifiers={k.lower(): v for k, v in data["qualifiers"].items()},
        label_words=set(data["label_words"]),
        time_units={u.lower() for u in data["time_units"]},
        year_cues=[c.lower() for c in data["year_target_cues"]],
        versions={k: [c.lower() for c in v] for k, v in data["versions"].items()},
        quantities=list(data["quantities"]),
    )


def _scale_forms(scales: dict) -> dict[str, float]:
    """Every written-out scale word and abbreviation, lower case, with its value."""
    forms = {}
    for word, spec in scales.items():
        for form in [word, *spec.get("abbreviations", [])]:
            forms[form.lower()] = float(spec["value"])
    return forms


def _alternatives(words) -> str:
    """A regular expression alternation of words, longest first (so a phrase wins over its first word)."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _word_number_pattern(number_words: list[str]) -> re.Pattern:
    """A run of number words ("twenty-six", "two hundred and fifty thousand")."""
    words = "|".join(re.escape(word) for word in number_words)
    return re.compile(rf"\b(?:{words})(?:(?:[\s-]+(?:and[\s-]+)?)(?:{words}))*\b", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """One number found in a sentence, normalised; offsets index the sentence text."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    noun: str = ""
    approximate: bool = False
    qualifier: str = ""
    low: float | None = None
    high: float | None = None


def _cue_regex(cue: str) -> re.Pattern:
    flags = 0 if cue.isupper() else re.IGNORECASE  # "US", "EU" must not match "us", "eu"
    return re.compile(r"(?<![\w-])" + re.escape(cue).replace(r"\ ", r"\s+") + r"(?![\w-])", flags)


@lru_cache(maxsize=4096)
def _cue(cue: str) -> re.Pattern:
    return _cue_regex(cue)


def _date_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for p in DATE_PATTERNS for m in p.finditer(text)]
    spans += [m.span() for m in _MONTH_DAY.finditer(text)]
    spans += [m.span() for m in _CLOCK.finditer(text)]
    return spans


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in spans)


def _next_words(text: str, position: int, count: int = 4) -> list[re.Match]:
    words = []
    for match in _WORD.finditer(text, position):
        gap = text[position : match.start()] if not words else text[words[-1].end() : match.start()]
        if re.search(r"[.,;:!?()\"“”]", gap):  # stop at punctuation: the noun must belong to this number
            break
        words.append(match)
        if len(words) == count:
            break
    return words


def _counted_noun(text: str, position: int, lex: Lexicon) -> tuple[str, str, int]:
    """(unit, noun as written, end offset) of what a number counts, or ("", "", position).

    Scans up to four words for a unit of the lexicon, passing adjectives and names ("26 European
    countries") and stopping at a function word ("800,000 instead"); else the next plain noun.
    """
    words = _next_words(text, position)
    for i in range(len(words)):
        for span in (3, 2, 1):
            if i + span <= len(words):
                phrase = " ".join(w.group() for w in words[i : i + span]).lower().rstrip(".")
                if phrase in lex.unit_of:
                    return lex.unit_of[phrase], phrase, words[i + span - 1].end()
                if phrase in lex.currency_words:
                    return lex.currency_words[phrase], phrase, words[i + span - 1].end()
        if words[i].group().lower() in _stop_words() and not (i == 0 and words[i].group().lower() == "of"):
            break
    if words:
        word = words[0].group().rstrip(".")
        if word.isalpha() and word.islower() and word not in _stop_words():
            return word, word, words[0].start() + len(word)
    return "", "", position


def _qualifier_before(text: str, start: int, lex: Lexicon) -> tuple[str, int]:
    before = text[:start].rstrip()
    for phrase in sorted(lex.qualifiers, key=len, reverse=True):
        if before.lower().endswith(phrase) and (len(before) == len(phrase) or not before[-len(phrase) - 1].isalnum()):
            return phrase, len(before) - len(phrase)
    return "", start


def _is_name_part(text: str, start: int) -> bool:
    """True for numbers inside names and codes: G7, COVID-19, F-16, World War Two."""
    if start > 0 and text[start - 1].isalpha():
        return True
    if start > 1 and text[start - 1] in "-/" and text[start - 2].isalnum():
        return True
    return False


def parse_figures(text: str) -> Iterator[Figure]:
    """Every quantity cited in text (a sentence), with value, unit, qualifier and range; dates, times and labels
    skipped."""
    lex = lexicon()
    dates = _date_spans(text)
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    candidates: list[tuple[int, int, float, str]] = []  # start, end, value, kind
    for match in _DIGITS.finditer(text):
        start, end = match.span()
        if _is_name_part(text, start) or _inside(start, dates):
            continue
        if text[end : end + 1].isdigit() or re.match(r"(?:st|nd|rd|th)\b", text[end:]):
            continue
        thousands = end < len(text) and text[end] == "," and text[end + 1 : end + 2].isdigit()
        if re.match(r"\.\d", text[end : end + 2]) or thousands:
            continue
        candidates.append((start, end, float(match.group().replace(",", "")), "digits"))
    for match in lex.word_number.finditer(text):
        start, end = match.span()
        words = match.group()
        if words[0].isupper() and start > 0:
            previous = text[:start].rstrip().split()[-1:] if text[:start].strip() else []
            if previous and previous[0][:1].isupper() and not previous[0].endswith((".", ":")):
                continue  # part of a name such as "World War Two" or "Group of Seven"
        try:
            value = float(text2num(words.lower().replace("-", " ").strip(), "en"))
        except (ValueError, OverflowError):
            continue
        candidates.append((start, end, value, "words"))

    for match in lex.vague_pattern.finditer(text):
        phrase, scale_word = match.group(1).lower(), (match.group(2) or "").lower()
        if phrase in lex.vague_scale_required and not scale_word:
            continue
        low, high = lex.vague[phrase]
        factor = lex.vague_scales.get(scale_word, 1)
        unit, noun, noun_end = _counted_noun(text, match.end(), lex)
        if not unit:
            continue
        low, high = low * factor, high * factor
        taken.append((match.start(), noun_end))
        yield Figure(match.start(), noun_end, text[match.start() : noun_end], round((low + high) / 2), unit, noun,
                     True, match.group(1).lower(), low, high)

    for start, end, value, kind in sorted(candidates):
        if not free(start, end):
            continue
        figure = _extend(text, start, end, value, kind, lex)
        # A number of hundreds of digits is no figure an article cites; it would be infinite as a float.
        if figure is not None and math.isfinite(figure.value) and free(figure.start, figure.end):
            taken.append((figure.start, figure.end))
            yield figure


def _extend(text: str, start: int, end: int, value: float, kind: str, lex: Lexicon) -> Figure | None:
    """Grow a bare number into a figure: currency, scale, percent, hyphen compound, counted noun, qualifier."""
    unit = noun = ""
    left = start
    # Label ("Point 8") or ordinal context.
    previous_word = re.search(r"([A-Za-z.]+)\s*$", text[:start])
    if previous_word and previous_word.group(1) in lex.label_words:
        return None
    for symbol, code in lex.currency_symbols:
        if text[:start].rstrip(" ").endswith(symbol) and (symbol.isalpha() or text[:start].endswith(symbol)):
            unit, left = code, text[:start].rstrip(" ").rfind(symbol)
            break
    right = end
    scale = lex.scale_pattern.match(text, end)
    if scale and (scale.group(1) == "" or scale.group(2).lower() in lex.spaced_scales):
        value *= lex.scales[scale.group(2).lower()]
        right = scale.end()
    multiplier = lex.multiplier_pattern.match(text[right:])
    if multiplier and kind == "words":
        value *= lex.multipliers[multiplier.group(1).lower()]
        right += multiplier.end()
    percent = re.match(r"\s?(%|per\s?cent\b|percent\b)", text[right:], re.IGNORECASE)
    if percent:
        unit, right = "percent", right + percent.end()
    elif not unit:
        word = re.match(r"\s+([A-Za-z]+)", text[right:])
        if word and word.group(1).lower() in lex.currency_words:
            unit, right = lex.currency_words[word.group(1).lower()], right + word.end()
    compound = re.match(r"-([A-Za-z]+)", text[right:])
    if compound:
        noun = compound.group(1).lower()
        if noun in lex.time_units:
            return None
        unit = unit or lex.unit_of.get(noun, lex.unit_of.get(noun + "s", noun + "s"))
        right += compound.end()
    elif not unit:
        unit, noun, noun_end = _counted_noun(text, right, lex)
        if noun in lex.time_units:
            return None  # a duration or a date part ("two weeks", "2 min read")
        right = noun_end if unit else right
    if kind == "words" and not unit:
        return None  # "one of them", "the two": number words need something counted
    known_unit = unit in lex.unit_of.values() or unit in lex.currency_words.values() or unit == "percent"
    if re.fullmatch(r"(?:19|20)\d\d", text[start:end]) and not known_unit:
        right = end
        before = text[:start].lower()
        if not any(re.search(r"(?<![\w-])" + re.escape(cue) + r"\s*$", before) for cue in lex.year_cues):
            return None  # the year of an ordinary date
        unit = "year"
    qualifier, qualifier_start = _qualifier_before(text, left, lex)
    bound = lex.qualifiers.get(qualifier, "")
    low = value if bound == "lower" else None
    high = value if bound == "upper" else None
    first = qualifier_start if qualifier else left
    return Figure(first, right, text[first:right], value, unit or "", noun, bool(qualifier), qualifier, low, high)


@dataclass(frozen=True)
class Classified:
    key: str
    label: str
    family: str
    unit: str
    cues: tuple[str, ...]
    phrase: str  # the words of the sentence that say what is counted: the figure and its cue words


def _units_match(definition_unit: str, unit: str) -> bool:
    if definition_unit == "money":
        return unit in lexicon().currency_words.values()
    return definition_unit == unit


def classify(figure: Figure, sentence: str, *, before: int = 70, after: int = 70) -> Classified:
    """What the figure measures: the best-matching quantity definition, else a key from its counted noun."""
    lex = lexicon()
    window = sentence[max(0, figure.start - before) : figure.start] + " " + sentence[figure.end : figure.end + after]
    best: tuple[int, dict, tuple[str, ...]] | None = None
    for definition in lex.quantities:
        if figure.unit and not _units_match(definition["unit"], figure.unit):
            continue
        if not figure.unit and definition["unit"] in ("year", "money", "percent"):
            continue
        required = definition.get("require_any")
        if required and not any(_cue(c).search(sentence) for c in required):
            continue
        near = tuple(c for c in definition.get("near", []) if _cue(c).search(window))
        context = [c for c in definition.get("context", []) if _cue(c).search(sentence)]
        if not figure.unit and not near:
            continue  # a bare number is only claimed by a definition whose cue words sit right next to it
        score = 3 * len(near) + len(context)
        if score and (best is None or score > best[0]):
            best = (score, definition, near)
    if best is not None:
        definition = best[1]
        unit = figure.unit or definition["unit"]
        phrase = _phrase(figure, sentence, best[2], before=before, after=after)
        return Classified(definition["key"], definition["label"], definition.get("family", definition["key"]), unit,
                          best[2], phrase)
    unit = figure.unit or "number"
    key = f"other_{re.sub(r'[^a-z0-9]+', '_', unit.lower()).strip('_')}"
    label = f"Other figures in {unit}" if figure.unit else "Other numbers"
    return Classified(key, label, key, unit, (), figure.text)


def _phrase(figure: Figure, sentence: str, cues: tuple[str, ...], *, before: int, after: int) -> str:
    """The stretch of sentence from the figure to the farthest of its near cue words."""
    lo, hi = figure.start, figure.end
    window_start, window_end = max(0, figure.start - before), min(len(sentence), figure.end + after)
    for cue in cues:
        for match in _cue(cue).finditer(sentence, window_start, window_end):
            lo, hi = min(lo, match.start()), max(hi, match.end())
    return sentence[lo:hi].strip(" ,;:“”\"")


def version_of(sentence: str) -> str:
    """'original' or 'revised' when the sentence says which version of a plan or figure it reports, else ''."""
    lex = lexicon()
    if any(_cue(c).search(sentence) for c in lex.versions["original"]):
        return "original"
    if any(_cue(c).search(sentence) for c in lex.versions["revised"]):
        return "revised"
    return ""


def _version(key: str, sentence: str, declared: dict[str, str | None]) -> str:
    if declared.get(key):
        return declared[key]
    return version_of(sentence) if key in declared else ""


def figures_table(sentences: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Every figure in every sentence (up to MAX_SENTENCE_CHARS long), with what it measures and the article's
    outlet and date."""
    meta = documents.set_index("document")[["published", "outlet"]].to_dict("index") if not documents.empty else {}
    quantity_version = {q["key"]: q.get("version") for q in lexicon().quantities}
    rows = []
    for row in sentences.itertuples(index=False):
        if len(row.text) > MAX_SENTENCE_CHARS:
            continue  # a table or a run of text without punctuation: not searched, see MAX_SENTENCE_CHARS
        for figure in parse_figures(row.text):
            kind = classify(figure, row.text)
            info = meta.get(row.document, {"published": "", "outlet": ""})
            rows.append({
                "document": row.document, "sentence": row.sentence, "text": figure.text, "value": figure.value,
                "unit": kind.unit, "quantity": kind.key, "approximate": figure.approximate,
                "published": info["published"], "outlet": info["outlet"], "qualifier": figure.qualifier,
                "low": figure.low, "high": figure.high, "quantity_label": kind.label, "family": kind.family,
                "version": _version(kind.key, row.text, quantity_version), "cues": ", ".join(kind.cues),
                "phrase": kind.phrase,
                "start": row.start + figure.start, "end": row.start + figure.end,
            })
    frame = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    return frame.astype({"value": "float64", "approximate": "bool", "low": "float64", "high": "float64"})


def format_value(
    value: float, unit: str, *, with_unit: bool = True, approximate: bool = False, prose: bool = False
) -> str:
    """A figure as a reader writes it: 1,200 workers, €3.5bn, 2030, 12.5% (counts without their noun if asked).

    An approximate figure is marked "≈ 20 countries", or "about 20 countries" in running prose.
    """
    if approximate:
        return ("about " if prose else "≈ ") + format_value(value, unit, with_unit=with_unit)
    if unit == "year":
        return f"{int(value)}"
    symbol = lexicon().currency_display.get(unit)
    if symbol:
        for size, suffix in lexicon().money_suffixes:
            if abs(value) >= size:
                return f"{symbol}{value / size:,.{0 if value % size == 0 else 1}f}{suffix}"
        return f"{symbol}{value:,.0f}"
    if unit == "percent":
        return f"{value:g}%"
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{number} {unit}" if with_unit and unit and unit != "number" else number


def _representatives(figures: pd.DataFrame) -> pd.DataFrame:
    """One figure per distinct value: its earliest dated report (exact wording preferred), in order of report."""
    ordered = figures.assign(
        _undated=figures["published"] == "",
        _version=figures["version"].map({"original": 0, "revised": 2}).fillna(1),
        _value=figures["value"].round(6),
    )
    ordered = ordered.sort_values(["_undated", "published", "_version", "approximate", "document", "sentence"])
    return ordered.drop_duplicates(["unit", "_value"]).sort_values(["_undated", "published", "_version", "_value"])


def _unit_class(unit: str) -> str:
    return "money" if unit in lexicon().currency_words.values() else unit


def explain(a: Mapping, b: Mapping) -> tuple[list[str], list[str]]:
    """Reasons two reports of a quantity differ, each from evidence in their sentences or metadata."""
    reasons, words = [], []
    if a["published"] and b["published"] and a["published"] != b["published"]:
        reasons.append("dates")
        words.append(f"reported at different dates ({a['published']} and {b['published']})")
    if a["version"] and b["version"] and a["version"] != b["version"]:
        reasons.append("version")
        older, newer = (a, b) if a["version"] == "original" else (b, a)
        words.append(
            f"original versus revised plan: {format_value(older['value'], older['unit'])} in the original, "
            f"{format_value(newer['value'], newer['unit'])} in the revised version"
        )
    if a["quantity"] != b["quantity"] and "version" not in reasons:
        reasons.append("wording")
        words.append(f"different wording of what is counted (“{a['phrase']}” versus “{b['phrase']}”)")
    if a["approximate"] != b["approximate"]:
        reasons.append("approximate")
        rough = a if a["approximate"] else b
        words.append(f"one figure is approximate (“{rough['text']}”)")
    if a["unit"] != b["unit"]:
        reasons.append("currency" if {a["unit"], b["unit"]} <= set(lexicon().currency_words.values()) else "unit")
        words.append(f"different units ({a['unit']} and {b['unit']}), not converted")
    if bool(a["published"]) != bool(b["published"]):
        reasons.append("undated")
        words.append("one report has no date, so the two may describe different moments")
    if not reasons:
        reasons.append("unexplained")
        words.append("the sources disagree and their sentences give no reason")
    return reasons, words


def discrepancies_table(figures: pd.DataFrame) -> pd.DataFrame:
    """For each family of quantities, consecutive pairs of differing values with the reasons they differ."""
    rows = []
    if figures.empty:
        return pd.DataFrame(columns=DISCREPANCY_COLUMNS)
    defined = {q.get("family", q["key"]) for q in lexicon().quantities}
    candidates = figures[figures["family"].isin(defined)].assign(_class=lambda f: f["unit"].map(_unit_class))
    for (family, _), group in candidates.groupby(["family", "_class"], sort=True):
        reps = _representatives(group)
        if len(reps) < 2:
            continue
        # Records from whole columns (`to_dict("records")` boxes every cell one by one).
        fields = ["value", "unit", "quantity", "text", "document", "outlet", "published", "version", "approximate",
                  "phrase"]
        records = [dict(zip(fields, row)) for row in zip(*(reps[f].tolist() for f in fields))]
        for a, b in zip(records, records[1:]):
            if math.isclose(a["value"], b["value"]) and a["unit"] == b["unit"]:
                continue
            reasons, words = explain(a, b)
            rows.append({
                "family": family, "unit": a["unit"] if a["unit"] == b["unit"] else f"{a['unit']}/{b['unit']}",
                "value_a": a["value"], "value_b": b["value"], "quantity_a": a["quantity"], "quantity_b": b["quantity"],
                "text_a": a["text"], "text_b": b["text"], "document_a": a["document"], "document_b": b["document"],
                "outlet_a": a["outlet"], "outlet_b": b["outlet"],
                "published_a": a["published"], "published_b": b["published"],
                "reasons": ", ".join(reasons), "explanation": "; ".join(words).capitalize(),
            })
    return pd.DataFrame(rows, columns=DISCREPANCY_COLUMNS)


OTHER_VALUES_SHOWN = 4


def _close(values: np.ndarray, value: float) -> np.ndarray:
    """math.isclose(v, value) for every v of values at once (relative tolerance 1e-9, no absolute tolerance)."""
    return np.abs(values - value) <= 1e-9 * np.maximum(np.abs(values), abs(value))


def _other_values(group: pd.DataFrame, chosen: pd.Series) -> str:
    """The other values reported for a quantity, most reported first, at most OTHER_VALUES_SHOWN of them and a
    count of the rest: a corpus of thousands of articles can report thousands of values."""
    others = group[~_close(group["value"].to_numpy(dtype=float), chosen["value"])]
    if others.empty:
        return ""
    counted = others.groupby("value").size().reset_index(name="reports").sort_values(
        ["reports", "value"], ascending=[False, True], kind="stable")
    shown = [format_value(v, chosen["unit"]) for v in counted["value"].head(OTHER_VALUES_SHOWN)]
    rest = len(counted) - len(shown)
    return ", ".join(shown) + (f" and {rest:,} other value{'s' if rest != 1 else ''}" if rest else "")


def headline_figures(figures: pd.DataFrame, *, originals: dict[str, str] | None = None) -> pd.DataFrame:
    """The current value of each defined quantity: newest report; on one date a revised figure beats the original
    and an exact one beats an approximate one. Undated reports count only when nothing is dated. When the chosen
    report is a rewrite (originals: document -> the text it rewrites) and the original gives the same value,
    the original is cited instead."""
    columns = FIGURE_COLUMNS + ["reports", "articles", "other_values"]
    rows = []
    defined = [q["key"] for q in lexicon().quantities]
    by_quantity = figures.groupby("quantity", sort=False).indices if not figures.empty else {}
    for key in defined:
        if key not in by_quantity:
            continue
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
        rows.append({**{c: row[c] for c in FIGURE_COLUMNS}, "reports": len(group),
                     "articles": group["document"].nunique(), "other_values": _other_values(group, row)})
    return pd.DataFrame(rows, columns=columns)
