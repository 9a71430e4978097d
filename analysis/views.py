"""What the dashboard's views derive from a set of tables: the aggregates and selections behind each page.

Pure functions of Tables (or of their frames), no display: the dashboard caches them per set of tables
(dashboard.data.computed) and turns their results into charts, sentences and tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.charts import STANCE_WORDS
from analysis.entities import cooccurrence_table, country_names, filter_mentions, outlet_labels, top_entities
from analysis.figures import headline_figures, headline_quantities, shown_values, specific_measure
from analysis.overview import changes
from analysis.positions import topic_label
from analysis.tables import Tables

# --- Overview


def overview_facts(t: Tables) -> dict:
    """What the Overview shows of a set of tables: date range, outlets, independent texts, headline figures, the
    independent support of each claim, the most named country actors and people, and what changed over time."""
    d = t.documents
    filtered, kept = filter_mentions(t.mentions, d)
    published = d.loc[d["published"] != "", "published"]
    originals = dict(zip(d["document"], d["original"], strict=True))
    headline = headline_quantities(t.figures, originals)  # chosen once for the cards and for "what changed"
    return {
        "first": published.min() if len(published) else "", "last": published.max() if len(published) else "",
        "outlets": sorted({o for o in d["outlet"] if o}), "independent": d["original"].nunique(),
        "undated": int((d["published"] == "").sum()),
        "headlines": headline_figures(t.figures, originals=originals, quantities=headline),
        "support": dict(zip(t.support["key"], t.support["independent_texts"], strict=True)),
        "actors": top_entities(filtered, kept, n=6, actor="country").drop_duplicates("entity"),
        "people": top_entities(filtered[filtered["label"] == "PERSON"], kept, n=5).drop_duplicates("entity"),
        "changes": changes(t.figures, t.positions, t.mentions, d, headline=headline),
        "event_documents": t.events["document"].nunique() if not t.events.empty else 0,
    }


# --- Entities


def named_together(mentions: pd.DataFrame, documents: pd.DataFrame, sentences: pd.DataFrame, *, actor: str,
                   names: Sequence[str]) -> pd.DataFrame:
    """Pairs of the given entities (or country actors) named in the same sentence, from filtered mentions and
    documents (analysis.entities.filter_mentions); only pairs of two of names."""
    source = mentions
    if actor == "country":
        countries = country_names()
        source = mentions[mentions["country_iso3"] != ""].assign(
            entity=lambda f: f["country_iso3"].map(lambda c: countries.get(c, c)))
    source = source[source["entity"].isin(names)]
    total = int(sentences["document"].isin(documents["document"]).sum())
    found = cooccurrence_table(source, sentences_total=total, key="entity")
    return found[found["entity_a"].isin(names) & found["entity_b"].isin(names)]


# --- Figures


def prepared_figures(t: Tables) -> tuple[pd.DataFrame, dict[str, str], list[str], pd.DataFrame]:
    """The figures as the Figures view shows them (outlet labels, each value as written for display), each
    quantity's label, the quantities in display order (the corpus's named measures, then specific ones, then the
    most reported) and the headlines."""
    frame = t.figures.copy()
    frame["outlet"] = outlet_labels(frame["outlet"])
    frame["shown"] = shown_values(frame)
    names = dict(zip(frame["quantity"], frame["quantity_label"], strict=True))
    counts = frame["quantity"].value_counts()
    named = set(frame.loc[frame["named"], "quantity"])
    # The corpus's named measures first, then the most reported; catch-all groups last.
    order = sorted(names, key=lambda k: (k not in named, k.startswith("other_"), not specific_measure(k), -counts[k],
                                         names[k]))
    originals = dict(zip(t.documents["document"], t.documents["original"], strict=True))
    return frame, names, order, headline_figures(t.figures, originals=originals)


MEASURE_COLUMNS = ["quantity", "label", "figures", "articles", "outlets", "values", "first", "last", "unit_class"]


def measures(figures: pd.DataFrame, *, search: str = "") -> pd.DataFrame:
    """One row per measure: its label, how many figures, articles and outlets report it, the values reported (as
    written for display, most reported first) and the first and last dates; measures whose label or figures'
    wording contain search (any case), most reported first."""
    if figures.empty:
        return pd.DataFrame(columns=MEASURE_COLUMNS)
    frame = figures
    if search.strip():
        needle = search.strip().casefold()
        hit = (frame["quantity_label"].str.casefold().str.contains(needle, regex=False)
               | frame["text"].str.casefold().str.contains(needle, regex=False))
        frame = frame[frame["quantity"].isin(set(frame.loc[hit, "quantity"]))]
    if frame.empty:
        return pd.DataFrame(columns=MEASURE_COLUMNS)
    dated = frame["published"].where(frame["published"] != "")
    grouped = frame.assign(_dated=dated).groupby("quantity", sort=False)
    table = grouped.agg(label=("quantity_label", "first"), figures=("text", "size"), articles=("document", "nunique"),
                        outlets=("outlet", "nunique"), first=("_dated", "min"), last=("_dated", "max"),
                        unit_class=("unit_class", "first"), named=("named", "any")).reset_index()
    values = frame.groupby("quantity")["shown"].agg(lambda s: ", ".join(s.value_counts().index[:4])
                                                   + (f" and {s.nunique() - 4} more" if s.nunique() > 4 else ""))
    table["values"] = table["quantity"].map(values)
    table[["first", "last"]] = table[["first", "last"]].fillna("")
    # named measures first, then specific ones ("people killed", "US military aid") before bare nouns ("people")
    table = table.assign(_other=table["quantity"].str.startswith("other_"),
                         _specific=table["quantity"].map(specific_measure)).sort_values(
        ["named", "_other", "_specific", "articles", "figures", "label"],
        ascending=[False, True, False, False, False, True])
    return table[MEASURE_COLUMNS].reset_index(drop=True)


def same_measure(figures: pd.DataFrame, quantity: str) -> tuple[pd.DataFrame, str, str]:
    """Every report of the family quantity belongs to, in its unit; with that family and unit."""
    chosen = figures[figures["quantity"] == quantity]
    family, unit = chosen["family"].iloc[0], chosen["unit"].iloc[0]
    return figures[(figures["family"] == family) & (figures["unit"] == unit)], family, unit


def figure_evidence(figures: pd.DataFrame, sentences: pd.DataFrame, documents: pd.DataFrame, *,
                    quantities: Sequence[str] = (), outlets: Sequence[str] = (),
                    units: Sequence[str] = ()) -> pd.DataFrame:
    """The figures of these quantities, outlets and units (all when empty), each with its sentence ("evidence")
    and its article's title (the file name when it has none)."""
    for column, wanted in (("quantity", quantities), ("outlet", outlets), ("unit", units)):
        if wanted:
            figures = figures[figures[column].isin(wanted)]
    rows = figures.merge(sentences[["document", "sentence", "text"]].rename(columns={"text": "evidence"}),
                         on=["document", "sentence"], how="left")
    rows = rows.merge(documents[["document", "title"]], on="document", how="left")
    rows["title"] = rows["title"].where(rows["title"] != "", rows["document"])
    return rows


# --- Positions


def topic_stances(summary: pd.DataFrame, topic: str) -> pd.DataFrame:
    """Each country's latest stance on topic (a position summary's rows), with the words the views show: the
    stance, the outlet, the disagreement note where sources disagree and who set the stance."""
    shown = summary[summary["topic"] == topic].copy()
    shown["stance_word"] = shown["stance"].map(STANCE_WORDS)
    shown["outlet"] = outlet_labels(shown["outlet"])
    shown["conflict_text"] = shown["conflict_note"].where(shown["conflict"], "")
    shown["source_word"] = shown["source"].map({"analyst": "analyst override", "extracted": "extracted from text"})
    return shown


def country_history(positions: pd.DataFrame, country: str, *, limit: int) -> tuple[pd.DataFrame, int, int]:
    """One country's stances, newest first, cut to limit rows before they are labelled (a country can have very
    many reports); with its number of reports and of articles."""
    history = positions[positions["country"] == country]
    total, articles = len(history), history["document"].nunique()
    history = history.sort_values(["published", "document"], ascending=[False, True]).head(limit).copy()
    history["topic"] = history["topic"].map(topic_label)
    history["stance"] = history["stance"].map(STANCE_WORDS)
    history["outlet"] = outlet_labels(history["outlet"])
    return history, total, articles


# --- Sources

METADATA_SHOWN = ("title", "outlet", "author", "published")


def documents_with_provenance(documents: pd.DataFrame) -> pd.DataFrame:
    """The Sources table: one row per article, each metadata value read from the text rather than from
    sources.csv or front matter marked "(inferred)" (a guess the analyst should check)."""
    view = documents[[*METADATA_SHOWN, "words", "sentences", "chrome_lines", "document"]].copy()
    for key in METADATA_SHOWN:
        inferred = documents[f"{key}_source"] == "inferred"
        view.loc[inferred & (view[key] != ""), key] = view[key] + " (inferred)"
    return view


def most_covered(coverage: pd.DataFrame, *, n: int = 20) -> tuple[list[str], list[str]]:
    """The n items of one coverage kind with the most mentions, and those among them only one outlet mentions."""
    top = list(coverage.groupby("item")["mentions"].sum().sort_values(ascending=False).index[:n])
    outlets = coverage[coverage["item"].isin(top)].groupby("item")["outlet"].nunique()
    return top, [i for i in top if outlets.get(i, 0) == 1]


def single_source_claims(support: pd.DataFrame) -> pd.DataFrame:
    """Claims (figures and stances of known kinds) carried by a single independent text."""
    return support[support["single_source"] & ~support["key"].str.startswith("other_")]


def outlet_profile(documents: pd.DataFrame, coverage: pd.DataFrame, outlet: str, *, n: int = 6) -> dict:
    """One outlet (as labelled) in numbers: articles, words, first and last date, and per coverage kind its n
    most mentioned items as (item, mentions) pairs."""
    mine = documents[outlet_labels(documents["outlet"]) == outlet]
    dated = mine.loc[mine["published"] != "", "published"]
    covered = coverage[coverage["outlet"] == outlet]
    top = {kind: list(zip(group["item"], group["mentions"].astype(int), strict=True))
           for kind, group in ((k, covered[covered["kind"] == k].nlargest(n, "mentions"))
                               for k in ("country", "figure quantity", "topic"))}
    return {"articles": len(mine), "words": int(mine["words"].sum()), "first": dated.min() if len(dated) else "",
            "last": dated.max() if len(dated) else "", "top": top}


# --- Reader


def rows_by_document(t: Tables, name: str) -> dict[str, object]:
    """Positions of each article's rows in table name (sentences, mentions, figures, positions)."""
    return getattr(t, name).groupby("document", sort=False).indices
