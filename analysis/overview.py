"""What a briefing says first: what changed between the earliest and the latest articles."""

from __future__ import annotations

import pandas as pd

from analysis.figures import headline_quantities, shown_values


def changes(figures: pd.DataFrame, positions: pd.DataFrame, mentions: pd.DataFrame,
            documents: pd.DataFrame, *, headline: list[str] | None = None) -> list[str]:
    """Plain sentences on how figures, positions and the cast of names moved from the earliest to the latest dated
    article."""
    dated = documents[documents["published"] != ""]
    if dated["published"].nunique() < 2:
        return []
    first, last = dated["published"].min(), dated["published"].max()
    notes: list[str] = []
    # Compare within a family (e.g. countries committed vs countries offering), quoting what each report counted.
    # Only measures worth a headline (named by the corpus or reported by several texts): a corpus has hundreds.
    if headline is None:  # the headline measures, unless the caller chose them already
        headline = headline_quantities(figures, dict(zip(documents["document"], documents["original"])))
    dated = figures[(figures["published"] != "") & figures["quantity"].isin(set(headline))]
    for (family, _), group in dated.groupby(["family", "unit"], sort=True):  # like with like: one unit
        if family.startswith("other_"):
            continue
        early = group[group["published"] == group["published"].min()]
        late = group[group["published"] == group["published"].max()]
        if early["published"].iloc[0] == late["published"].iloc[0]:
            continue

        def said(frame: pd.DataFrame) -> str:
            return "; ".join(sorted({f"{shown} ({label.lower()})"
                                     for shown, label in zip(shown_values(frame), frame["quantity_label"])}))

        if said(early) != said(late):
            # a family of several named measures by its own name ("Contributing countries"), else the measure's
            name = (family.replace("_", " ").capitalize() if group["quantity"].nunique() > 1
                    else group["quantity_label"].iloc[0])
            notes.append(f"{name}: {said(early)} on {early['published'].iloc[0]}; "
                         f"{said(late)} on {late['published'].iloc[0]}.")
    for (country, topic), group in positions[positions["published"] != ""].groupby(["country", "topic"], sort=True):
        ordered = group.sort_values("published")
        if (ordered["published"].iloc[0] != ordered["published"].iloc[-1]
                and ordered["stance"].iloc[0] != ordered["stance"].iloc[-1]):
            notes.append(f"{country} on {topic.replace('_', ' ')}: "
                         f"{ordered['stance'].iloc[0]} on {ordered['published'].iloc[0]}, "
                         f"{ordered['stance'].iloc[-1]} on {ordered['published'].iloc[-1]}.")
    early_docs = set(dated.loc[dated["published"] == first, "document"])
    late_docs = set(dated.loc[dated["published"] == last, "document"])
    early_names = set(mentions.loc[mentions["document"].isin(early_docs), "entity"])
    late_counts = mentions[mentions["document"].isin(late_docs)]["entity"].value_counts()
    new = [name for name in late_counts.index if name not in early_names][:5]
    if new:
        notes.append(f"Named on {last} but not on {first}: {', '.join(new)}.")
    return notes
