"""Pure helpers that say in words what a view shows: markdown sentences, every piece of corpus text made inert."""

from __future__ import annotations

import pandas as pd

from analysis.charts import STANCE_WORDS
from analysis.entities import UNKNOWN_OUTLET
from analysis.figures import format_row
from analysis.positions import topic_label
from dashboard.render import md, plural


def lower_first(label: str) -> str:
    """A label as it reads inside a sentence: "Troops for a post-war force" -> "troops for a post-war force";
    a leading acronym ("US peace plan") and the rest of the label keep their capitals."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def topic_words(topic: str) -> str:
    """A topic's label inside a sentence."""
    return lower_first(topic_label(topic))


def source_of(outlet: str, published: str) -> str:
    """"Outlet, date" of a report, with the words for an unknown outlet or date."""
    return f"{md(outlet or UNKNOWN_OUTLET)}, {published or 'undated'}"


def publication_span(published: pd.Series) -> str:
    """The first and last publication dates of some articles, and how many have none."""
    dates = sorted(d for d in published if d)
    undated = int((published == "").sum())
    return ((f"Published {dates[0]} to {dates[-1]}" if dates else "No publication dates known")
            + (f"; {undated:,} of {len(published):,} articles have no known date." if undated else "."))


# --- Overview


def headline_line(row, support: dict) -> str:
    """One headline figure of the Overview: quantity and value, where and when, and how many independent texts."""
    texts = ""
    if f"{row.quantity}={row.value:g}" in support:
        n = int(support[f"{row.quantity}={row.value:g}"])
        texts = f", {n} independent text{'s' if n != 1 else ''}"
    value = format_row(row, prose=True)
    also = f" (also reported: {row.other_values})" if row.other_values else ""
    return f"**{md(row.quantity_label)}: {md(value)}**{md(also)}  \n{source_of(row.outlet, row.published)}{texts}"


def stance_lines(stances: pd.DataFrame) -> list[str]:
    """Per stance, the countries that hold it on one topic ("**Opposed:** Italy, Turkey (sources disagree)", "United
    States (as claimed by Emmanuel Macron)" when only another speaker says so)."""
    lines = []
    claims = stances["claimed_by"].fillna("") if "claimed_by" in stances else pd.Series("", index=stances.index)
    for stance, word in STANCE_WORDS.items():
        names = stances[stances["stance"] == stance]
        if not names.empty:
            listed = ", ".join(
                f"{c}{f' (as claimed by {md(str(by))})' if by else ''}{' (sources disagree)' if x else ''}"
                for c, x, by in zip(names["country"], names["conflict"], claims[names.index], strict=True))
            lines.append(f"**{word}:** {listed}")
    return lines


def ranked(label: str, entities: pd.DataFrame) -> str:
    """"**Countries:** Ukraine (120), Russia (80)": top entities with their totals."""
    counts = zip(entities["entity"], entities["total"], strict=True)
    return f"**{label}:** " + ", ".join(f"{md(e)} ({int(t):,})" for e, t in counts)


# --- Entities


def entity_summary(data: pd.DataFrame, *, per_1000: bool, actor: str) -> str:
    """Who leads the entity chart, ahead of whom, and how many entities and outlets it shows."""
    totals = data.drop_duplicates("entity")
    digits = 2 if per_1000 else 0
    leader = totals.iloc[0]
    unit_text = "mentions per 1,000 words" if per_1000 else "mentions"
    summary = f"{md(leader['entity'])} leads with {leader['total']:,.{digits}f} {unit_text}"
    if len(totals) > 1:
        runner = totals.iloc[1]
        summary += f", ahead of {md(runner['entity'])} ({runner['total']:,.{digits}f})"
    kinds = "country actors" if actor == "country" else "entities"
    return summary + f"; {len(totals)} {kinds} shown across {data['outlet'].nunique()} outlets."


def strongest_pair(row) -> str:
    """The pair of entities most often named in one sentence."""
    return (f"Most often together: {md(row['entity_a'])} and {md(row['entity_b'])}, "
            f"in {int(row['sentences']):,} sentences from {int(row['documents']):,} articles.")


# --- Figures


def headline_card(row) -> tuple[str, str, str, str]:
    """A headline figure as a metric card (dashboard.page.metrics): what it counts, the value, its wording, and under
    it where and when, how many reports and articles, and the other values reported."""
    value = format_row(row, with_unit=row.unit_class not in ("count", "number"))
    reports = f"{row.reports:,} report{'s' if row.reports != 1 else ''}"
    articles = f"{row.articles:,} article{'s' if row.articles != 1 else ''}"
    also = f" · also reported: {row.other_values}" if row.other_values else ""
    caption = f"{row.outlet or UNKNOWN_OUTLET}, {row.published or 'undated'} · {reports} in {articles}{also}"
    return row.quantity_label, value, f"As written: “{row.text}”", caption


def reports_summary(related: pd.DataFrame, *, undated: int, values_shown: int = 12) -> str:
    """How many reports, articles and outlets give how many distinct values of one measure, and which."""
    values = sorted(set(related["shown"]))
    if len(values) > values_shown:
        values = values[:values_shown] + [f"and {len(values) - values_shown:,} more"]
    return (
        f"{plural(len(related), 'report')} in {plural(related['document'].nunique(), 'article')} from "
        f"{plural(related['outlet'].nunique(), 'outlet')} give {plural(len(set(related['value'])), 'distinct value')} "
        f"({md(', '.join(values))})"
        + (f"; {plural(undated, 'undated report')} not on the chart." if undated else ".")
    )


def disagreement(row) -> str:
    """One pair of differing reports and why they differ, as a list item."""
    return (f"- **{md(row.text_a)}** ({source_of(row.outlet_a, row.published_a)}) "
            f"versus **{md(row.text_b)}** ({source_of(row.outlet_b, row.published_b)}): "
            f"{md(row.explanation)}.")


# --- Positions


def stance_summary(stances: pd.DataFrame, topic: str) -> str:
    """How many countries hold each stance on topic, and on whom sources of similar dates disagree."""
    counts = stances["stance"].value_counts()
    parts = [f"{counts[s]} {STANCE_WORDS[s].lower()}" for s in STANCE_WORDS if s in counts]
    who = "1 country has" if len(stances) == 1 else f"{len(stances)} countries have"
    sentence = f"{who} a reported stance on {topic_words(topic)}: {', '.join(parts)}."
    conflicts = stances[stances["conflict"]]
    if not conflicts.empty:
        sentence += f" Sources of similar dates disagree on {', '.join(conflicts['country'])}."
    return sentence


# --- Sources


def coverage_sentence(top: list[str], single: list[str], kind_words: str) -> str:
    """How many of the most mentioned items more than one outlet mentions, and those only one does."""
    return (f"{len(top) - len(single)} of the {len(top)} most mentioned {kind_words} appear in more than one "
            f"outlet's articles" + (f"; only one outlet mentions {md(', '.join(single[:6]))}." if single else "."))


def rewrite_sentence(pair) -> str:
    """What a rewrite shares with its original, and how the original was decided."""
    return (f"**{md(pair['rewrite'])}** rewrites **{md(pair['original'])}**: {int(pair['shared_sentences'])} "
            f"sentences say the same thing ({pair['score']:.0%} of the shorter text); the original is decided "
            f"{pair['direction']}.")


def outlet_profile(outlet: str, profile: dict) -> str:
    """An outlet in four lines: articles, words and dates; the countries, figures and topics it mentions most."""
    def items(kind: str) -> str:
        return ", ".join(f"{md(i)} ({m:,})" for i, m in profile["top"][kind]) or "none"

    dates = f", {profile['first']} to {profile['last']}" if profile["first"] else ""
    return (f"**{md(outlet)}**: {plural(profile['articles'], 'article')}, {profile['words']:,} words{dates}.  \n"
            f"Countries it names most: {items('country')}.  \nFigures it reports: {items('figure quantity')}.  \n"
            f"Topics of the stances it reports: {items('topic')}.")


# --- Reader


def article_details(meta) -> str:
    """Outlet, author and date of an article, each marked when inferred from its text."""
    details = [f"**{k.title()}:** {md(meta[k])}" + (" *(inferred)*" if meta[f"{k}_source"] == "inferred" else "")
               for k in ("outlet", "author", "published") if meta[k]]
    return " · ".join(details) if details else "*No outlet, author or date known for this article.*"


def article_caption(meta, *, removed: int, document: str) -> str:
    """Size of an article, the page chrome removed from it, its file and encoding."""
    return (f"{int(meta['words']):,} words in {int(meta['sentences']):,} sentences · "
            f"{removed:,} line{'s' if removed != 1 else ''} of page chrome removed · "
            f"file {md(document)} ({meta['encoding']})")
