"""Who reports what: outlet coverage, rewrites of one text, how many independent sources carry each claim,
and a timeline."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.entities import UNKNOWN_OUTLET, outlet_labels
from analysis.figures import format_value
from analysis.frames import distinct_counts, name_ranks, positions_in
from analysis.lexicon import load_yaml
from analysis.metadata import DATE_PATTERNS, MONTHS
from analysis.rewrites import PASSAGE_COLUMNS, PASSAGE_TEXT_COLUMNS

COVERAGE_COLUMNS = ["outlet", "kind", "item", "documents", "mentions"]
SUPPORT_COLUMNS = ["kind", "item", "key", "outlets", "documents", "independent_texts", "single_source", "document_list",
                   "outlet_list"]
EVENT_COLUMNS = ["date", "precision", "kind", "date_text", "document", "sentence", "evidence", "published", "outlet"]


def passage_texts(passages: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Shared passages with the text of both sentences (text_original, text_rewrite), looked up in sentences."""
    passages = passages.drop(columns=PASSAGE_TEXT_COLUMNS, errors="ignore")
    involved = set(passages["original"]) | set(passages["rewrite"])
    if len(involved) < sentences["document"].nunique():
        sentences = sentences[sentences["document"].isin(involved)]
    text = sentences.set_index(["document", "sentence"])["text"]
    if not text.index.is_unique:
        text = text[~text.index.duplicated()]
    found = {}
    for side in ("original", "rewrite"):
        keys = pd.MultiIndex.from_arrays([passages[side], passages[f"sentence_{side}"]])
        found[f"text_{side}"] = text.reindex(keys).fillna("").to_numpy()
    return passages.assign(**found)[PASSAGE_COLUMNS + PASSAGE_TEXT_COLUMNS]


def independent_texts(documents: pd.DataFrame, duplicates: pd.DataFrame) -> dict[str, str]:
    """Document -> the original text it derives from (itself when it is no rewrite); rewrites of rewrites included."""
    parent = {d: d for d in documents["document"]}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    published = dict(zip(documents["document"], documents["published"]))
    for row in duplicates.itertuples(index=False):
        if row.original in parent and row.rewrite in parent:
            a, b = root(row.original), root(row.rewrite)
            if a != b:
                # The earliest member names the group.
                keep, drop = sorted([a, b], key=lambda d: (published.get(d, "") or "9999", d))
                parent[drop] = keep
    return {d: root(d) for d in parent}


def coverage_table(documents: pd.DataFrame, mentions: pd.DataFrame, figures: pd.DataFrame,
                   positions: pd.DataFrame) -> pd.DataFrame:
    """Outlet x item counts: entities, figure quantities, countries (as actors) and topics."""
    # Outlets, articles and items as integer codes: a corpus of 700,000 mentions is counted without hashing a string
    # per mention. Each article's outlet is looked up by its position; articles not listed count nowhere.
    outlet_codes, outlet_names = pd.factorize(outlet_labels(documents["outlet"]).to_numpy(dtype=object))
    outlet_codes = np.append(outlet_codes, -1)
    outlet_rank = name_ranks(list(outlet_names))
    frames = []

    def add(frame: pd.DataFrame, kind: str, item_column: str) -> None:
        if frame.empty:
            return
        where = positions_in(frame["document"], documents["document"])
        item_codes, items = pd.factorize(frame[item_column])
        outlet = outlet_codes[where]
        counted = (outlet >= 0) & (item_codes >= 0)  # a missing outlet or item is counted nowhere
        where, outlet, item_codes = where[counted], outlet[counted], item_codes[counted].astype(np.int64)
        if not len(where):
            return
        cell = outlet * len(items) + item_codes
        cells, cell_codes, mentions = np.unique(cell, return_inverse=True, return_counts=True)
        documents_per_cell = distinct_counts(cell_codes, where, len(cells))
        cell_outlets, cell_items = cells // len(items), cells % len(items)
        # In outlet and item order, as a groupby sorts them (the final sort below keeps ties in this order).
        item_values = np.asarray(items, dtype=object)
        order = np.lexsort((name_ranks(list(item_values))[cell_items], outlet_rank[cell_outlets]))
        frames.append(pd.DataFrame({
            "outlet": np.asarray(outlet_names, dtype=object)[cell_outlets[order]],
            "item": item_values[cell_items[order]],
            "documents": documents_per_cell[order], "mentions": mentions[order], "kind": kind,
        }))

    add(mentions, "entity", "entity")
    add(figures, "figure quantity", "quantity_label")
    if not mentions.empty:
        from analysis.entities import country_names

        actors = mentions[mentions["country_iso3"] != ""]
        codes = actors["country_iso3"]
        add(actors[["document"]].assign(country=codes.map(country_names()).fillna(codes)), "country", "country")
    add(positions, "topic", "topic")
    if not frames:
        return pd.DataFrame(columns=COVERAGE_COLUMNS).astype({"documents": "int64", "mentions": "int64"})
    table = pd.concat(frames, ignore_index=True)[COVERAGE_COLUMNS].astype({"documents": "int64", "mentions": "int64"})
    return table.sort_values(["kind", "mentions", "outlet"], ascending=[True, False, True], ignore_index=True)


def support_table(documents: pd.DataFrame, figures: pd.DataFrame, positions: pd.DataFrame,
                  roots: dict[str, str]) -> pd.DataFrame:
    """For each figure value and each country stance: outlets, articles and independent texts carrying it.

    Articles of unknown outlet count as one source per independent text not already carried by a named outlet."""
    outlets = dict(zip(documents["document"], outlet_labels(documents["outlet"])))
    pieces = []
    if not figures.empty:
        keys, counts = _support_counts(figures, ["quantity", "quantity_label", "value", "unit"], outlets, roots)
        pieces.append(pd.DataFrame({
            "kind": "figure",
            "item": [f"{label}: {format_value(value, unit)}" for _, label, value, unit in keys],
            "key": [f"{quantity}={value:g}" for quantity, _, value, _ in keys], **counts}))
    if not positions.empty:
        keys, counts = _support_counts(positions, ["country", "topic", "stance"], outlets, roots)
        pieces.append(pd.DataFrame({
            "kind": "position",
            "item": [f"{country}: {stance} ({topic.replace('_', ' ')})" for country, topic, stance in keys],
            "key": [f"{country}|{topic}|{stance}" for country, topic, stance in keys], **counts}))
    pieces = [p for p in pieces if not p.empty]
    table = pd.concat(pieces, ignore_index=True)[SUPPORT_COLUMNS] if pieces else pd.DataFrame(columns=SUPPORT_COLUMNS)
    return table.sort_values(["kind", "independent_texts", "item"], ascending=[True, True, True], ignore_index=True)


def _support_counts(frame: pd.DataFrame, keys: list[str], outlets: dict[str, str], roots: dict[str, str]):
    """(each group's key values, in key order; its columns of counts and lists) for the groups of frame by keys.
    Everything is counted on integer codes: a corpus of thousands of articles has tens of thousands of groups."""
    grouped = frame.groupby(keys, sort=True)
    key_values = grouped.size().index.tolist()
    group = grouped.ngroup().to_numpy()
    inside = group >= 0  # rows with a missing key value belong to no group
    document_codes, names = pd.factorize(frame["document"].to_numpy(dtype=object)[inside])
    group = group[inside].astype(np.int64)
    names = list(names)
    count = len(key_values)
    # Each (group, article) once, ordered by group and then by name.
    rank = name_ranks(names)
    by_rank = np.empty(len(names), dtype=np.int64)
    by_rank[rank] = np.arange(len(names))
    pairs = np.unique(group * max(1, len(names)) + rank[document_codes])
    pair_group, pair_document = pairs // max(1, len(names)), by_rank[pairs % max(1, len(names))]
    # Per article: its outlet and its independent text, as codes.
    outlet_names = [outlets.get(d, UNKNOWN_OUTLET) for d in names]
    outlet_codes, outlet_values = pd.factorize(np.asarray(outlet_names, dtype=object))
    root_codes, _ = pd.factorize(np.asarray([roots.get(d, d) for d in names], dtype=object))
    known = (np.asarray(outlet_names, dtype=object) != UNKNOWN_OUTLET)[pair_document]

    pair_roots, pair_outlets = root_codes[pair_document], outlet_codes[pair_document]
    width = int(root_codes.max(initial=0)) + 1
    known_roots = np.unique(pair_group[known] * width + pair_roots[known])
    unknown_roots = np.unique(pair_group[~known] * width + pair_roots[~known])
    uncovered = unknown_roots[~np.isin(unknown_roots, known_roots)]
    independent = distinct_counts(pair_group, pair_roots, count)
    # Lists: the group's article names (already in name order) and its outlet labels in name order.
    starts = np.searchsorted(pair_group, np.arange(count + 1))
    document_names = [names[i] for i in pair_document.tolist()]
    label_rank = name_ranks(list(outlet_values))
    labels = np.unique(pair_group * max(1, len(outlet_values)) + label_rank[pair_outlets])
    label_starts = np.searchsorted(labels // max(1, len(outlet_values)), np.arange(count + 1))
    by_label_rank = np.empty(len(outlet_values), dtype=object)
    by_label_rank[label_rank] = np.asarray(outlet_values, dtype=object)
    label_names = by_label_rank[labels % max(1, len(outlet_values))].tolist()
    bounds, label_bounds = starts.tolist(), label_starts.tolist()
    return key_values, {
        "outlets": (distinct_counts(pair_group[known], pair_outlets[known], count)
                    + np.bincount(uncovered // width, minlength=count)),
        "documents": np.diff(starts),
        "independent_texts": independent,
        "single_source": independent == 1,
        "document_list": [", ".join(document_names[a:b]) for a, b in zip(bounds, bounds[1:])],
        "outlet_list": [", ".join(label_names[a:b]) for a, b in zip(label_bounds, label_bounds[1:])],
    }


# --- Timeline -------------------------------------------------------------------------------------------------

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<month>{_MONTH_NAMES})\b"
                        r"(?!\s*,?\s*(?:19|20)\d\d)", re.I)
_MONTH_DAY = re.compile(rf"\b(?P<month>{_MONTH_NAMES})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
                        r"(?!\s*,?\s*(?:19|20)\d\d)", re.I)
_WEEKDAY = re.compile(r"\b(?:on|last|this|since|from)\s+(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b", re.I)
_IN_MONTH = re.compile(rf"\bin\s+(?P<month>{_MONTH_NAMES})\b(?:\s+(?P<year>(?:19|20)\d\d))?", re.I)
_RELATIVE = re.compile(r"\b(?P<word>yesterday|today|earlier today)\b", re.I)


@lru_cache(maxsize=1)
def _event_kinds() -> dict[str, re.Pattern]:
    """Each kind's cue words as one pattern (one search per sentence and kind, not one per word)."""
    data = load_yaml("events.yaml")
    return {kind: re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.I)
            for kind, words in data["kinds"].items()}


def event_kinds() -> list[str]:
    """The kinds of event in events.yaml, in its order (earlier kinds win when a sentence has cues of several)."""
    return list(_event_kinds())


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def resolve_dates(sentence: str, published: str) -> list[tuple[str, str, str]]:
    """Dates a sentence refers to as (ISO date, precision 'day'/'month', text), weekdays and yearless dates resolved
    against the article's publication date (an undated article resolves only full dates)."""
    anchor = date.fromisoformat(published) if published else None
    found: list[tuple[str, str, str, int]] = []
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(sentence):
            month_text = match.group("month")
            month = int(month_text) if month_text.isdigit() else _month(month_text)
            try:
                value = date(int(match.group("year")), month, int(match.group("day")))
            except ValueError:
                continue
            taken.append(match.span())
            found.append((value.isoformat(), "day", match.group(), match.start()))
    if anchor is not None:
        for pattern in (_DAY_MONTH, _MONTH_DAY):
            for match in pattern.finditer(sentence):
                if not free(match.span()):
                    continue
                try:
                    value = date(anchor.year, _month(match.group("month")), int(match.group("day")))
                except ValueError:
                    continue
                if value > anchor + timedelta(days=31):
                    value = value.replace(year=anchor.year - 1)  # "on 28 December" in a January article
                taken.append(match.span())
                found.append((value.isoformat(), "day", match.group(), match.start()))
        for match in _WEEKDAY.finditer(sentence):
            target = _WEEKDAYS.index(match.group("weekday").lower())
            back = (anchor.weekday() - target) % 7
            found.append(((anchor - timedelta(days=back)).isoformat(), "day", match.group(), match.start()))
        for match in _RELATIVE.finditer(sentence):
            shift = 1 if match.group("word").lower() == "yesterday" else 0
            found.append(((anchor - timedelta(days=shift)).isoformat(), "day", match.group(), match.start()))
    for match in _IN_MONTH.finditer(sentence):
        if not free(match.span()):
            continue
        year = int(match.group("year")) if match.group("year") else (anchor.year if anchor else None)
        if year is None:
            continue
        month = _month(match.group("month"))
        if anchor and not match.group("year") and month > anchor.month:
            year -= 1
        found.append((date(year, month, 1).isoformat(), "month", match.group(), match.start()))
    return [(iso, precision, text) for iso, precision, text, _ in sorted(found, key=lambda f: f[3])]


def events_table(sentences: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Dated events the articles report, of the kinds in events.yaml, each with its sentence."""
    meta = documents.set_index("document")[["published", "outlet"]].to_dict("index") if not documents.empty else {}
    kinds = _event_kinds()
    rows = []
    for row in sentences.itertuples(index=False):
        info = meta.get(row.document, {"published": "", "outlet": ""})
        kind = next((k for k, pattern in kinds.items() if pattern.search(row.text)), None)
        if kind is None:
            continue
        for iso, precision, text in resolve_dates(row.text, info["published"])[:1]:
            rows.append({"date": iso, "precision": precision, "kind": kind, "date_text": text, "document": row.document,
                         "sentence": row.sentence, "evidence": row.text, "published": info["published"],
                         "outlet": info["outlet"]})
    return pd.DataFrame(rows, columns=EVENT_COLUMNS).sort_values(["date", "document", "sentence"], ignore_index=True)
