"""Entity mentions with one canonical name and id per entity, and the tables and queries built on them."""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.frames import distinct_counts, name_ranks, positions_in, word_counts
from analysis.gazetteer import slug
from analysis.lexicon import load_json

# Labels that name who or what a story is about; numbers, dates and amounts are the figures layer's job.
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW")
LABEL_NAMES = {
    "PERSON": "People", "ORG": "Organisations", "GPE": "Countries and cities", "LOC": "Other places",
    "NORP": "Nationalities and groups", "FAC": "Buildings and sites", "EVENT": "Events", "LAW": "Laws and treaties",
}
MENTION_COLUMNS = ["document", "sentence", "start", "end", "text", "label", "entity", "entity_id", "country_iso3"]
UNKNOWN_OUTLET = "(outlet unknown)"

_QUOTES = "\"'“”‘’«»„`"
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
# Words the model sometimes tags as a whole entity; they name nothing.
_NOT_NAMES = {"the", "a", "an", "this", "that", "these", "those", "it", "he", "she", "they", "we", "i"}


def outlet_labels(outlets: pd.Series) -> pd.Series:
    """Outlet names as shown and counted: a blank outlet becomes UNKNOWN_OUTLET."""
    return outlets.where(outlets != "", UNKNOWN_OUTLET)


def document_mask(
    documents: pd.DataFrame,
    *,
    outlets: Sequence[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> pd.Series:
    """Which articles pass outlet and date filters; undated articles pass only when no date bound is set."""
    keep = pd.Series(True, index=documents.index)
    if outlets:
        keep &= outlet_labels(documents["outlet"]).isin(outlets)
    if date_from:
        keep &= (documents["published"] != "") & (documents["published"] >= date_from)
    if date_to:
        keep &= (documents["published"] != "") & (documents["published"] <= date_to)
    return keep


@dataclass(frozen=True)
class Mention:
    document: str
    sentence: int
    start: int
    end: int
    text: str
    label: str
    entity: str
    entity_id: str
    country_iso3: str | None


def catalog() -> dict[str, dict]:
    """Gazetteer entities by id: canonical name, label, country (iso3), kind and role."""
    return load_json("entity_catalog.json")


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO3 code -> country name (one shared dict: read it, never change it)."""
    return {key: value["name"] for key, value in catalog().items() if value["kind"] == "country"}


def canonical_text(text: str) -> str:
    """The name an entity is counted under: no surrounding quotes, leading article, possessive or stray hyphens."""
    value = _SPACE.sub(" ", text).strip()
    previous = None
    while value != previous:  # peel layers until nothing changes, so the function is idempotent
        previous = value
        value = value.strip(_QUOTES + " -–—,;:()[]")  # a final period belongs to abbreviations ("U.K.")
        value = _POSSESSIVE.sub("", value).rstrip(_QUOTES + " ")
        value = _LEADING_ARTICLE.sub("", value)
    return value


def _trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the canonical part of text[start:end] (possessive and quotes left out)."""
    surface = text[start:end]
    core = canonical_text(surface)
    if not core:
        return start, end
    index = surface.find(core)
    return (start + index, start + index + len(core)) if index >= 0 else (start, end)


def mentions_from_doc(doc, *, document: str, sentence_starts: Sequence[int]) -> Iterator[Mention]:
    """Mentions of a processed spaCy Doc; gazetteer ids give canonical names, types and countries."""
    known = catalog()
    text = doc.text  # Doc.text joins every token on each access: read it once
    for ent in doc.ents:
        info = known.get(ent.ent_id_) if ent.ent_id_ else None
        if info is None and ent.label_ not in ENTITY_LABELS:
            continue
        start, end = _trimmed_span(text, ent.start_char, ent.end_char)
        surface = text[start:end]
        if info is not None:
            entity, label, entity_id, iso3 = info["name"], info["label"], ent.ent_id_, info.get("iso3")
        else:
            entity = canonical_text(surface)
            if len(entity) < 2 or not any(ch.isalpha() for ch in entity) or entity.casefold() in _NOT_NAMES:
                continue
            label, entity_id, iso3 = ent.label_, "", None
        sentence = max(0, bisect.bisect_right(sentence_starts, start) - 1)
        yield Mention(document, sentence, start, end, surface, label, entity, entity_id, iso3)


def resolve(mentions: Iterable[Mention]) -> list[Mention]:
    """Corpus-level canonicalisation of entities the gazetteer does not know.

    One label per name (the majority over the corpus), surname-only people resolved to the full name
    used in the same article, else the one used most in the corpus; ids derived from label and name.
    """
    frame = resolve_frame(mentions_frame(mentions))
    return [replace(Mention(*row), country_iso3=row[-1] or None) for row in frame.itertuples(index=False)]


def resolve_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """`resolve` over a mentions frame, the same rules with one pass per distinct name instead of per mention.

    Returns the resolved mentions frame (columns MENTION_COLUMNS), row for row in the order of raw.
    """
    if raw.empty:
        return raw.reindex(columns=MENTION_COLUMNS).copy()
    frame = raw.reset_index(drop=True)
    loose = frame[frame["entity_id"] == ""].assign(_key=lambda f: f["entity"].str.casefold(), _order=lambda f: f.index)
    out = frame[MENTION_COLUMNS]
    if loose.empty:
        return out.copy()
    # One resolution per (article, name): its rows of loose share it. The pair of a row is its code.
    codes, pair_documents, pair_keys = _article_names(loose)
    labels = pair_keys.map(_majority(loose, "label")).to_numpy(dtype=object)
    entities = pair_keys.map(_majority(loose, "entity")).to_numpy(dtype=object)
    _complete_surnames(frame, labels, entities, pair_documents)
    resolved = _identities(frame, labels, entities)
    # Row i of the result takes row take[i] of the column followed by the pairs' values: a gather, not a loop.
    take = np.arange(len(frame))
    take[loose.index.to_numpy()] = len(frame) + codes
    columns = {}
    for column, values in zip(("entity", "label", "entity_id", "country_iso3"), zip(*resolved)):
        extended = pd.concat([frame[column], pd.Series(values, dtype=frame[column].dtype)], ignore_index=True)
        columns[column] = extended.take(take).set_axis(frame.index)
    return out.assign(**columns)


def _article_names(loose: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Each row's (article, name) pair code, and per pair its article and its case-folded name."""
    codes, pair_count = _pair_codes(loose["document"], loose["_key"])
    first = np.empty(pair_count, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # each pair's first row
    pair_documents = loose["document"].to_numpy(dtype=object)[first]
    return codes, pair_documents, pd.Series(loose["_key"].to_numpy(dtype=object)[first])


def _majority(loose: pd.DataFrame, column: str) -> pd.Series:
    """Per case-folded name, the column's most frequent value over the corpus."""
    # On a tie, the value seen first (as Counter.most_common does).
    counts = loose.groupby(["_key", column], sort=False).agg(n=("_order", "size"), first=("_order", "min"))
    best = counts.reset_index().sort_values(["_key", "n", "first"], ascending=[True, False, True])
    return best.drop_duplicates("_key").set_index("_key")[column]


def _complete_surnames(
    frame: pd.DataFrame, labels: np.ndarray, entities: np.ndarray, pair_documents: np.ndarray
) -> None:
    """Replace, in entities, a person's surname alone by the full name used in the same article, else in the corpus."""
    surnames = np.flatnonzero((labels == "PERSON") & (word_counts(pd.Series(entities, dtype=object)) == 1))
    if not len(surnames):
        return
    people = frame[frame["label"] == "PERSON"]
    people = people[word_counts(people["entity"]) >= 2]
    people_in_corpus = Counter(people["entity"].value_counts().to_dict())
    wanted = set(pair_documents[surnames].tolist())
    people_in_doc: dict[str, Counter] = defaultdict(Counter)
    local = people[people["document"].isin(wanted)]
    for (document, entity), count in local.groupby(["document", "entity"], sort=False).size().items():
        people_in_doc[document][entity] = count
    for k in surnames.tolist():
        full = (_full_name(entities[k], people_in_doc.get(pair_documents[k], Counter()))
                or _full_name(entities[k], people_in_corpus))
        if full:
            entities[k] = full


def _identities(frame: pd.DataFrame, labels: np.ndarray, entities: np.ndarray) -> list[tuple[str, str, str, str]]:
    """Per pair: (entity, label, entity_id, country_iso3), from the catalogue when the derived id is in it."""
    # Worked out once per distinct (label, name). A name that is a gazetteer person's takes that person's id.
    gazetteer_people = frame[(frame["entity_id"] != "") & (frame["label"] == "PERSON")]
    ids_by_name = dict(zip(gazetteer_people["entity"].tolist(), gazetteer_people["entity_id"].tolist()))
    known = catalog()
    named: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for label, entity in set(zip(labels.tolist(), entities.tolist())):
        entity_id = ids_by_name.get(entity) or f"{label}:{slug(entity) or entity}"
        info = known.get(entity_id)
        named[(label, entity)] = ((info["name"], info["label"], entity_id, info.get("iso3") or "") if info is not None
                                  else (entity, label, entity_id, ""))
    return [named[pair] for pair in zip(labels.tolist(), entities.tolist())]


def _pair_codes(first: pd.Series, second: pd.Series) -> tuple[np.ndarray, int]:
    """One integer per distinct (first, second) pair of string columns, and how many there are."""
    a, _ = pd.factorize(first)
    b, b_values = pd.factorize(second)
    codes, uniques = pd.factorize(a.astype(np.int64) * max(1, len(b_values)) + b)
    return codes, len(uniques)


def _full_name(surname: str, names: Counter) -> str | None:
    """The full name ending in surname; when several do, the clearly most used one, else None."""
    matches = [(count, name) for name, count in names.items() if name.split()[-1].casefold() == surname.casefold()]
    if not matches:
        return None
    matches.sort(reverse=True)
    if len(matches) > 1 and matches[0][0] == matches[1][0]:
        return None
    return matches[0][1]


def mentions_frame(mentions: Iterable[Mention]) -> pd.DataFrame:
    rows = [(m.document, m.sentence, m.start, m.end, m.text, m.label, m.entity, m.entity_id, m.country_iso3 or "")
            for m in mentions]
    frame = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    return frame.astype({"sentence": "int64", "start": "int64", "end": "int64"})


def entity_table(mentions: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """One row per entity: label, country, mentions, documents, outlets, per-outlet counts (most first, ties in order
    of first mention), first and last date."""
    columns = ["entity", "entity_id", "label", "country_iso3", "mentions", "documents", "outlets", "outlet_counts",
               "first_date", "last_date"]
    if mentions.empty:
        return pd.DataFrame(columns=columns)
    # Everything on integer codes, nothing per entity but the joined outlet counts: a large corpus has hundreds of
    # thousands of mentions and tens of thousands of entities. Entities are numbered in order of first mention.
    keys = ["entity_id", "entity", "label", "country_iso3"]
    combined = np.zeros(len(mentions), dtype=np.int64)
    for column in keys:
        codes, uniques = pd.factorize(mentions[column], use_na_sentinel=False)
        combined = pd.factorize(combined * len(uniques) + codes)[0].astype(np.int64)
    group = combined
    count = int(group.max()) + 1
    first = np.empty(count, dtype=np.int64)
    first[group[::-1]] = np.arange(len(group) - 1, -1, -1)
    document_codes, document_names = pd.factorize(mentions["document"])
    articles = distinct_counts(group, document_codes, count)
    # Outlet and date of each mention, looked up by its article's position (an article not listed has neither).
    where = positions_in(mentions["document"], documents["document"])
    outlet_codes, outlet_names = pd.factorize(outlet_labels(documents["outlet"]).to_numpy(dtype=object))
    outlet = np.append(outlet_codes, -1)[where]
    listed = outlet >= 0
    cell_codes, cells = pd.factorize(group[listed] * len(outlet_names) + outlet[listed])  # in order of first mention
    cell_counts = np.bincount(cell_codes, minlength=len(cells))
    cell_group, cell_outlet = cells // max(1, len(outlet_names)), cells % max(1, len(outlet_names))
    order = np.lexsort((np.arange(len(cells)), -cell_counts, cell_group))
    bounds = np.searchsorted(cell_group[order], np.arange(count + 1)).tolist()
    labels = [f"{outlet_names[o]}: {c}" for o, c in zip(cell_outlet[order].tolist(), cell_counts[order].tolist())]
    dates = documents["published"].to_numpy(dtype=object)
    dated_codes, dated_values = pd.factorize(np.append(np.where(dates == "", None, dates), None))
    date_rank = np.append(name_ranks(list(dated_values)), -1)  # position -1: no date
    mention_date = date_rank[dated_codes[where]]
    earliest, latest = np.full(count, len(dated_values)), np.full(count, -1)
    has_date = mention_date >= 0
    np.minimum.at(earliest, group[has_date], mention_date[has_date])
    np.maximum.at(latest, group[has_date], mention_date[has_date])
    by_rank = np.empty(len(dated_values) + 1, dtype=object)
    by_rank[name_ranks(list(dated_values))] = np.asarray(dated_values, dtype=object)
    by_rank[-1] = ""
    table = pd.DataFrame({
        **{column: mentions[column].to_numpy(dtype=object)[first]
           for column in ("entity", "entity_id", "label", "country_iso3")},
        "mentions": np.bincount(group, minlength=count), "documents": articles,
        "outlets": np.bincount(cell_group, minlength=count),
        "outlet_counts": ["; ".join(labels[a:b]) for a, b in zip(bounds, bounds[1:])],
        "first_date": by_rank[np.where(latest >= 0, earliest, -1)], "last_date": by_rank[latest],
    })
    return table.sort_values(["mentions", "documents", "entity"], ascending=[False, False, True], ignore_index=True)


def cooccurrence_table(mentions: pd.DataFrame, *, sentences_total: int, key: str = "entity") -> pd.DataFrame:
    """Pairs of entities named in the same sentence: sentences, documents and pointwise mutual information (log2)."""
    columns = ["entity_a", "entity_b", "sentences", "documents", "pmi"]
    if mentions.empty or sentences_total <= 0:
        return pd.DataFrame(columns=columns)
    # One row per (sentence, name), and the pairs of names within each sentence. Names, articles
    # and sentences are integer codes throughout: a corpus of 700,000 mentions makes millions of pairs.
    named = mentions[["document", "sentence", key]].drop_duplicates()
    document_codes, _ = pd.factorize(named["document"])
    name_codes, names = pd.factorize(named[key])
    sentence_numbers = named["sentence"].to_numpy(dtype=np.int64)
    sentence_keys = document_codes.astype(np.int64) * (int(sentence_numbers.max()) + 1) + sentence_numbers
    single = np.bincount(name_codes, minlength=len(names))
    name_rank = name_ranks(names)
    # Each sentence's names as one run; every pair within a run, once (a sentence of k names makes k(k-1)/2 pairs,
    # where joining the table with itself would make k squared rows).
    order = np.argsort(sentence_keys, kind="stable")
    sentence_keys, name_codes = sentence_keys[order], name_codes[order].astype(np.int64)
    document_codes = document_codes[order].astype(np.int64)
    starts = np.flatnonzero(np.r_[True, sentence_keys[1:] != sentence_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(sentence_keys)])
    partners = np.repeat(sizes, sizes) - 1 - (np.arange(len(sentence_keys)) - np.repeat(starts, sizes))
    left = np.repeat(np.arange(len(sentence_keys), dtype=np.int32), partners)
    if not len(left):
        return pd.DataFrame(columns=columns)
    right = left + 1 + (np.arange(len(left)) - np.repeat(np.cumsum(partners) - partners, partners)).astype(np.int32)
    a, b = name_codes[left], name_codes[right]
    del right
    width = len(names)
    low, high = np.where(name_rank[a] > name_rank[b], b, a), np.where(name_rank[a] > name_rank[b], a, b)
    del a, b
    # Counted by hashing, not sorting: there can be millions of pairs.
    pair_codes, pairs = pd.factorize(low * width + high)
    del low, high
    sentence_counts = np.bincount(pair_codes)
    document_counts = distinct_counts(pair_codes, document_codes[left], len(pairs))
    first, second = pairs // width, pairs % width
    expected = single[first] * single[second]
    table = pd.DataFrame({
        "entity_a": np.asarray(names, dtype=object)[first], "entity_b": np.asarray(names, dtype=object)[second],
        "sentences": sentence_counts.astype(np.int64), "documents": document_counts.astype(np.int64),
        "pmi": np.round(np.log2(sentence_counts * sentences_total / expected), 3),
    })
    return table.sort_values(["sentences", "pmi", "entity_a", "entity_b"], ascending=[False, False, True, True],
                             ignore_index=True)


def filter_mentions(
    mentions: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    labels: Sequence[str] | None = None,
    outlets: Sequence[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mentions (with outlet and date) and documents left by the filters; undated articles pass date filters only
    when none is set."""
    mask = document_mask(documents, outlets=outlets, date_from=date_from, date_to=date_to)
    docs = documents[mask].copy()
    docs["outlet"] = outlet_labels(docs["outlet"])
    frame = mentions if mask.all() else mentions[mentions["document"].isin(docs["document"])]
    # Outlet and date looked up by article position and added as two columns: the mentions themselves are not
    # copied (a merge would copy every column, and views keep this frame cached).
    where = positions_in(frame["document"], docs["document"])
    if (where == len(docs)).any():  # mentions of articles not listed: left out, as an inner join would
        frame, where = frame[where < len(docs)], where[where < len(docs)]
    outlet = pd.array(docs["outlet"].to_numpy(dtype=object)[where], dtype="str")
    published = pd.array(docs["published"].to_numpy(dtype=object)[where], dtype="str")
    joined = frame.reset_index(drop=True).assign(outlet=outlet, published=published)
    if labels:
        joined = joined[joined["label"].isin(labels)]
    return joined, docs


def top_entities(
    mentions: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    n: int = 15,
    actor: str = "entity",
    per_1000_words: bool = False,
) -> pd.DataFrame:
    """Top-n entities (or country actors) by mentions, one row per entity and outlet, with a value to plot.

    mentions and documents are already filtered (see filter_mentions). With actor="country", mentions
    count towards the country they name (its name, capital, government or demonym) and others are left out.
    With per_1000_words, values are mentions per 1,000 words of the filtered articles, so an entity's
    outlet segments add up to its overall rate.
    """
    columns = ["entity", "label", "outlet", "mentions", "value", "total"]
    frame = mentions
    if actor == "country":
        frame = frame.loc[frame["country_iso3"] != "", ["country_iso3", "outlet"]]
        # Each distinct code named once, then spread by position: hundreds of thousands of mentions, a few codes.
        codes, distinct = pd.factorize(frame["country_iso3"])
        names = country_names()
        frame = frame.assign(entity=pd.array([names.get(c, c) for c in distinct], dtype="str")[codes], label="GPE")
    if frame.empty:
        return pd.DataFrame(columns=columns)
    totals = frame.groupby("entity").size().sort_values(ascending=False)
    keep = totals.index[:n]
    shown = frame[frame["entity"].isin(keep)]
    # Each entity's most frequent label (the alphabetically first on a tie), for the kept entities only.
    label_counts = shown.groupby(["entity", "label"]).size().reset_index(name="count")
    labels = label_counts.sort_values(["entity", "count", "label"], ascending=[True, False, True]).drop_duplicates(
        "entity").set_index("entity")["label"]
    grouped = shown.groupby(["entity", "outlet"]).size().reset_index(name="mentions")
    words = max(int(documents["words"].sum()), 1)
    grouped["value"] = grouped["mentions"] * 1000 / words if per_1000_words else grouped["mentions"].astype(float)
    grouped["total"] = grouped["entity"].map(totals * 1000 / words if per_1000_words else totals.astype(float))
    grouped["label"] = grouped["entity"].map(labels)
    return grouped[columns].sort_values(["total", "entity", "mentions"], ascending=[False, True, False],
                                        ignore_index=True)


def evidence_for(
    mentions: pd.DataFrame, sentences: pd.DataFrame, documents: pd.DataFrame, *, entity: str, actor: str = "entity"
) -> pd.DataFrame:
    """Every sentence naming entity (or a country actor's forms), with article title, outlet and date."""
    if actor == "country":
        names = country_names()
        codes = [code for code, name in names.items() if name == entity]
        hits = mentions[mentions["country_iso3"].isin(codes)]
    else:
        hits = mentions[mentions["entity"] == entity]
    # Each sentence's distinct spellings, sorted and joined: one sort for all sentences, then plain slices (a popular
    # name is in tens of thousands of sentences, and a pandas group per sentence is slow).
    spellings = hits[["document", "sentence", "text"]].drop_duplicates().sort_values(["document", "sentence", "text"])
    document = spellings["document"].to_numpy(dtype=object)
    number = spellings["sentence"].to_numpy(dtype=np.int64)
    text = spellings["text"].to_numpy(dtype=object)
    changes = (document[1:] != document[:-1]) | (number[1:] != number[:-1])
    starts = np.flatnonzero(np.r_[True, changes]) if len(text) else []
    ends = np.r_[starts[1:], len(text)] if len(text) else []
    keys = pd.DataFrame({
        "document": pd.array(document[starts], dtype="str"), "sentence": number[starts],
        "as_written": pd.array([text[a] if b - a == 1 else ", ".join(text[a:b]) for a, b in zip(starts, ends)],
                               dtype="str"),
    })
    out = keys.merge(sentences, on=["document", "sentence"], how="left").merge(
        documents[["document", "title", "outlet", "published"]], on="document", how="left"
    )
    out["outlet"] = outlet_labels(out["outlet"])
    out["title"] = out["title"].where(out["title"] != "", out["document"])
    # Newest first; undated articles last, in file order.
    out["_undated"] = out["published"] == ""
    out = out.sort_values(["_undated", "published", "document", "sentence"], ascending=[True, False, True, True],
                          ignore_index=True)
    return out[["text", "as_written", "outlet", "published", "title", "document", "sentence"]]
