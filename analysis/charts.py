"""Pure chart builders: data in, alt.Chart out. The dashboard renders them; exports and the briefing pack reuse them."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.coverage import event_kinds
from analysis.entities import UNKNOWN_OUTLET, outlet_labels
from analysis.lexicon import load_json

# Okabe-Ito: distinguishable with the common forms of colour blindness, and in light and dark themes.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#7F4FC9", "#8C6D31", "#2F4B7C"]
UNKNOWN_COLOUR = "#999999"
DAY_MS = 86_400_000  # time axes never tick more often than daily: articles carry dates, not times


def outlet_scale(outlets: list[str]) -> alt.Scale:
    """The same colour for the same outlet in every chart: colours follow the sorted list of all outlets."""
    named = sorted(o for o in set(outlets) if o != UNKNOWN_OUTLET)
    domain = named + ([UNKNOWN_OUTLET] if UNKNOWN_OUTLET in outlets else [])
    colours = ([PALETTE[i % len(PALETTE)] for i in range(len(named))]
               + ([UNKNOWN_COLOUR] if UNKNOWN_OUTLET in outlets else []))
    return alt.Scale(domain=domain, range=colours)


def entity_bars(data: pd.DataFrame, *, all_outlets: list[str], value_title: str, title: str,
                subject: str = "Entity") -> alt.Chart:
    """Horizontal bars, one per entity (largest first), split and coloured by outlet."""
    order = list(dict.fromkeys(data.sort_values(["total", "entity"], ascending=[False, True])["entity"]))
    return (
        alt.Chart(data, title=alt.TitleParams(title, anchor="start"))
        .mark_bar()
        .encode(
            y=alt.Y("entity:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("value:Q", title=value_title, stack="zero"),
            color=alt.Color("outlet:N", title="Outlet", scale=outlet_scale(all_outlets),
                            legend=alt.Legend(orient="bottom", columns=3, labelLimit=220)),
            order=alt.Order("outlet:N"),
            tooltip=[
                alt.Tooltip("entity:N", title=subject),
                alt.Tooltip("outlet:N", title="Outlet"),
                alt.Tooltip("mentions:Q", title="Mentions"),
                alt.Tooltip("value:Q", title=value_title, format=",.2f"),
                alt.Tooltip("total:Q", title="All outlets", format=",.2f"),
            ],
        )
        .properties(height=alt.Step(24), width="container")
    )


def cooccurrence_heatmap(pairs: pd.DataFrame, *, order: list[str], title: str) -> alt.Chart:
    """Square heatmap of how many sentences name both entities; PMI in the tooltip."""
    both = pd.concat([pairs, pairs.rename(columns={"entity_a": "entity_b", "entity_b": "entity_a"})], ignore_index=True)
    return (
        alt.Chart(both, title=alt.TitleParams(title, anchor="start"))
        .mark_rect()
        .encode(
            x=alt.X("entity_a:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40, labelLimit=160)),
            y=alt.Y("entity_b:N", sort=order, title=None, axis=alt.Axis(labelLimit=160)),
            color=alt.Color("sentences:Q", title="Sentences naming both", scale=alt.Scale(scheme="blues")),
            tooltip=[
                alt.Tooltip("entity_a:N", title="Entity"),
                alt.Tooltip("entity_b:N", title="With"),
                alt.Tooltip("sentences:Q", title="Sentences naming both"),
                alt.Tooltip("documents:Q", title="Articles"),
                alt.Tooltip("pmi:Q", title="Association (PMI, bits)", format=".2f"),
            ],
        )
        .properties(width=alt.Step(24), height=alt.Step(24))
    )


def figure_timeline(data: pd.DataFrame, *, all_outlets: list[str], title: str, value_title: str) -> alt.Chart:
    """Each report of a figure as a point at its publication date, coloured by outlet, shaped by what it counts."""
    # One mark per distinct (date, outlet, figure): thousands of reports of one value stay one point with a count.
    keys = ["published", "outlet", "value", "shown", "quantity_label"]
    data = (data.groupby(keys, sort=False, dropna=False)
            .agg(reports=("phrase", "size"), phrase=("phrase", "first")).reset_index())
    base = alt.Chart(data, title=alt.TitleParams(title, anchor="start"))
    points = base.mark_point(size=140, filled=True, opacity=0.9).encode(
        x=alt.X("published:T", title="Publication date", scale=alt.Scale(padding=60),
                axis=alt.Axis(format="%d %b %Y", labelAngle=0, tickCount=6, tickMinStep=DAY_MS)),
        y=alt.Y("value:Q", title=value_title, scale=alt.Scale(zero=False, padding=30),
                axis=alt.Axis(format="d" if value_title == "Value" else ",~f", tickCount=5)),
        color=alt.Color("outlet:N", title="Outlet", scale=outlet_scale(all_outlets),
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=220)),
        shape=alt.Shape("quantity_label:N", title="What is counted",
                        legend=alt.Legend(orient="bottom", columns=1, labelLimit=400)),
        tooltip=[
            alt.Tooltip("shown:N", title="Figure"),
            alt.Tooltip("quantity_label:N", title="Counts"),
            alt.Tooltip("outlet:N", title="Outlet"),
            alt.Tooltip("published:T", title="Published", format="%d %b %Y"),
            alt.Tooltip("phrase:N", title="Wording"),
            alt.Tooltip("reports:Q", title="Reports"),
        ],
    )
    # One label per distinct value, at its first report: reports a day apart would print on top of each other.
    one_label_per_point = data.sort_values("published").drop_duplicates(["shown"])
    labels = alt.Chart(one_label_per_point).mark_text(align="left", dx=10, dy=-10, fontSize=12).encode(
        x="published:T", y="value:Q", text="shown:N"
    )
    return (points + labels).properties(height=320, width="container")


# Stance colours: supportive in blues, open in green, conditional in orange, opposed in vermillion (Okabe-Ito).
STANCE_COLOURS = {
    "leading": "#0072B2", "committed": "#56B4E9", "open": "#009E73", "conditional": "#E69F00",
    "opposed": "#D55E00", "undecided": "#CC79A7",
}
STANCE_WORDS = {
    "leading": "Leading", "committed": "Committed", "open": "Open to it", "conditional": "Only with conditions",
    "opposed": "Opposed", "undecided": "Undecided",
}
NO_DATA_COLOUR = "#d9d9d9"
REGIONS = {
    "europe": {"type": "mercator", "center": [18, 55], "scale": 430},
    "world": {"type": "equalEarth", "scale": 130, "center": [10, 10]},
}


# Country outlines as the dashboard serves them (dashboard/static, enableStaticServing): the chart spec stays
# small and fast to rerun. Exports pass the outlines inline instead (world_shapes(inline=True)).
WORLD_URL = "app/static/world.geojson"


def world() -> dict:
    """The shipped country outlines (GeoJSON FeatureCollection, features keyed by ISO3)."""
    return load_json("world.geojson")


def world_shapes(*, inline: dict | None = None) -> alt.Data:
    """The map's country features: fetched from the app's own static files, or inline for offline rendering."""
    if inline is not None:
        return alt.Data(values=inline["features"])
    return alt.Data(url=WORLD_URL, format=alt.DataFormat(type="json", property="features"))


def position_map(summary: pd.DataFrame, *, shapes: alt.Data, region: str, title: str, width: int = 800,
                 height: int = 560) -> alt.Chart:
    """Choropleth of each country's latest stance; countries with no reported stance stay grey."""
    spec = REGIONS.get(region, REGIONS["europe"])
    projection = alt.Projection(type=spec["type"], center=spec["center"], scale=spec["scale"])
    fields = ["country", "stance_word", "outlet", "published", "conflict_text", "conditions", "source_word"]
    background = alt.Chart(shapes).mark_geoshape(fill=NO_DATA_COLOUR, stroke="white", strokeWidth=0.5).encode(
        tooltip=[alt.Tooltip("properties.name:N", title="Country")]
    )
    coloured = (
        alt.Chart(shapes)
        .mark_geoshape(stroke="white", strokeWidth=0.6)
        .transform_lookup(lookup="id", from_=alt.LookupData(summary, "iso3", fields))
        .transform_filter("isValid(datum.stance_word)")
        .encode(
            color=alt.Color("stance_word:N", title="Stance", legend=alt.Legend(orient="bottom", columns=3),
                            scale=alt.Scale(domain=list(STANCE_WORDS.values()), range=list(STANCE_COLOURS.values()))),
            tooltip=[
                alt.Tooltip("country:N", title="Country"), alt.Tooltip("stance_word:N", title="Stance"),
                alt.Tooltip("conditions:N", title="Conditions"), alt.Tooltip("outlet:N", title="Source"),
                alt.Tooltip("published:N", title="Date"), alt.Tooltip("conflict_text:N", title="Sources disagree"),
                alt.Tooltip("source_word:N", title="Set by"),
            ],
        )
    )
    return (background + coloured).properties(
        title=alt.TitleParams(title, anchor="start"), width=width, height=height
    ).project(**projection.to_dict())


def timeline(documents: pd.DataFrame, events: pd.DataFrame, *, all_outlets: list[str], title: str) -> alt.Chart:
    """Articles as bars on their publication day (by outlet) and the dated events they report as ticks above."""
    docs = documents[documents["published"] != ""].assign(outlet=lambda f: outlet_labels(f["outlet"]))
    per_day = docs.groupby(["published", "outlet"]).size().reset_index(name="articles")
    bars = alt.Chart(per_day).mark_bar(size=14).encode(
        x=alt.X("published:T", title=None,
                axis=alt.Axis(format="%d %b %Y", labelAngle=0, tickCount=6, tickMinStep=DAY_MS)),
        y=alt.Y("articles:Q", title="Articles", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("outlet:N", title="Outlet", scale=outlet_scale(all_outlets),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("published:T", title="Published", format="%d %b %Y"), "outlet:N", "articles:Q"],
    ).properties(height=120, width="container")
    layers = [bars]
    if not events.empty:
        # One mark per day and kind of event, however many articles report it.
        per_event = (events.assign(kind_word=events["kind"].str.capitalize())
                     .groupby(["date", "kind_word"], sort=False)
                     .agg(reports=("document", "size"), date_text=("date_text", "first"),
                          evidence=("evidence", "first"))
                     .reset_index())
        dots = alt.Chart(per_event).mark_point(filled=True, size=90).encode(
            x=alt.X("date:T", title=None,
                    axis=alt.Axis(format="%d %b %Y", labelAngle=0, tickCount=6, tickMinStep=DAY_MS)),
            y=alt.Y("kind_word:N", title="Events reported", sort=[kind.capitalize() for kind in event_kinds()]),
            shape=alt.Shape("kind_word:N", legend=None),
            color=alt.value("#444444"),
            tooltip=[alt.Tooltip("date:T", title="Date", format="%d %b %Y"), alt.Tooltip("kind_word:N", title="Event"),
                     alt.Tooltip("date_text:N", title="As written"), alt.Tooltip("evidence:N", title="Sentence"),
                     alt.Tooltip("reports:Q", title="Reports")],
        ).properties(height=110, width="container")
        layers = [dots, bars]
    combined = alt.vconcat(*layers, title=alt.TitleParams(title, anchor="start"))
    return combined.resolve_scale(x="shared", color="independent")


def coverage_heatmap(coverage: pd.DataFrame, *, items: list[str], title: str) -> alt.Chart:
    """Outlet x item: how many mentions each outlet gives each item (articles in the tooltip)."""
    return (
        alt.Chart(coverage[coverage["item"].isin(items)], title=alt.TitleParams(title, anchor="start"))
        .mark_rect()
        .encode(
            x=alt.X("outlet:N", title=None, axis=alt.Axis(labelAngle=0, labelLimit=160)),
            y=alt.Y("item:N", sort=items, title=None, axis=alt.Axis(labelLimit=300)),
            color=alt.Color("mentions:Q", title="Mentions", scale=alt.Scale(scheme="blues")),
            tooltip=[alt.Tooltip("outlet:N", title="Outlet"), alt.Tooltip("item:N", title="Item"),
                     alt.Tooltip("mentions:Q", title="Mentions"), alt.Tooltip("documents:Q", title="Articles")],
        )
        .properties(width=alt.Step(120), height=alt.Step(20))
    )
