"""What leaves the dashboard: publication-quality chart files, dated table files, and the one-click briefing pack."""

from __future__ import annotations

import copy
import html
import io
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import altair as alt
import pandas as pd

from analysis.charts import (
    STANCE_WORDS,
    WORLD_URL,
    entity_bars,
    figure_timeline,
    position_map,
    timeline,
    world,
    world_shapes,
)
from analysis.entities import UNKNOWN_OUTLET, filter_mentions, outlet_labels, top_entities
from analysis.export import table_bytes
from analysis.figures import format_row, headline_figures, headline_quantities, shown_values
from analysis.positions import lead_topic, topic_label
from analysis.tables import Tables

EXPORT_WIDTH = 900  # points: fills a 16:9 slide at 200 ppi (2,500 px)
EXPORT_PPI = 200


def source_line(documents: pd.DataFrame) -> str:
    """'Source: 5 articles from Kyiv Independent, WTX News and 3 of unknown outlet, 2025-09-04 to 2025-11-26'."""
    named = sorted({o for o in documents["outlet"] if o})
    unknown = int((documents["outlet"] == "").sum())
    outlets = ", ".join(named) + (f" and {unknown} of unknown outlet" if unknown and named else
                                  f"{unknown} of unknown outlet" if unknown else "")
    dates = sorted(d for d in documents["published"] if d)
    span = f", {dates[0]} to {dates[-1]}" if dates else ", undated"
    count = len(documents)
    return f"Source: {count} article{'s' if count != 1 else ''} from {outlets or 'no named outlet'}{span}"


def _prepare(node, world: dict):
    """A spec fit for offline rendering: fixed widths instead of 'container', map outlines inline."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "width" and value == "container":
                out[key] = EXPORT_WIDTH
            elif key == "data" and isinstance(value, dict) and value.get("url") == WORLD_URL:
                out[key] = {"values": world["features"]}
            else:
                out[key] = _prepare(value, world)
        return out
    if isinstance(node, list):
        return [_prepare(item, world) for item in node]
    return node


def export_spec(chart: alt.TopLevelMixin, *, title: str, source: str, caption: str = "") -> dict:
    """The chart's Vega-Lite spec with a title, the source line and the filter state, ready for vl-convert."""
    spec = _prepare(copy.deepcopy(chart.to_dict()), world())
    subtitle = [source] + ([caption] if caption else [])
    spec["title"] = {"text": title, "subtitle": subtitle, "anchor": "start", "fontSize": 18, "subtitleFontSize": 12,
                     "subtitleColor": "#444444", "offset": 14}
    spec["background"] = "white"
    spec["padding"] = 20
    for inner in ([spec] + spec.get("vconcat", []) + spec.get("layer", [])):
        inner.pop("title", None) if inner is not spec else None
    return spec


def chart_png(chart: alt.TopLevelMixin, *, title: str, source: str, caption: str = "") -> bytes:
    """PNG at 200 ppi, readable at slide size."""
    import vl_convert

    return vl_convert.vegalite_to_png(export_spec(chart, title=title, source=source, caption=caption), ppi=EXPORT_PPI)


def chart_svg(chart: alt.TopLevelMixin, *, title: str, source: str, caption: str = "") -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_svg(export_spec(chart, title=title, source=source, caption=caption)).encode("utf-8")


def dated_name(name: str, extension: str, *, today: str | None = None) -> str:
    """'figures_2025-11-22.csv': what the file holds and when it was made."""
    return f"{name}_{today or datetime.now().date().isoformat()}.{extension}"


# --- Citations ----------------------------------------------------------------------------------------------


class Citations:
    """Numbered evidence sentences: the same sentence always gets the same number."""

    def __init__(self, tables: Tables):
        self._tables = tables
        self._numbers: dict[tuple[str, int], int] = {}

    def cite(self, document: str, sentence: int) -> int:
        key = (document, int(sentence))
        if key not in self._numbers:
            self._numbers[key] = len(self._numbers) + 1
        return self._numbers[key]

    def table(self) -> pd.DataFrame:
        docs = self._tables.documents.set_index("document")
        text = self._tables.sentences.set_index(["document", "sentence"])["text"]
        rows = []
        for (document, sentence), number in sorted(self._numbers.items(), key=lambda item: item[1]):
            meta = docs.loc[document] if document in docs.index else None
            rows.append({
                "number": number,
                "outlet": (meta["outlet"] or UNKNOWN_OUTLET) if meta is not None else "",
                "title": (meta["title"] or document) if meta is not None else document,
                "published": meta["published"] if meta is not None else "",
                "url": meta["url"] if meta is not None else "",
                "document": document,
                "evidence": text.get((document, sentence), ""),
            })
        return pd.DataFrame(rows, columns=["number", "outlet", "title", "published", "url", "document", "evidence"])


# --- The pack -------------------------------------------------------------------------------------------------


def pack_charts(tables: Tables, *, headline: list[str] | None = None) -> dict[str, tuple[str, alt.TopLevelMixin]]:
    """The charts a briefing carries: name -> (title, chart), built by the dashboard's own builders."""
    docs = tables.documents
    all_outlets = sorted(set(outlet_labels(docs["outlet"])))
    charts: dict[str, tuple[str, alt.TopLevelMixin]] = {}
    summary = tables.position_summary
    if not summary.empty:
        topic = lead_topic(summary["topic"], summary["reports"])  # the Overview's: most countries, then reports
        shown = summary[summary["topic"] == topic].assign(
            stance_word=lambda f: f["stance"].map(STANCE_WORDS), conflict_text=lambda f: f["conflict_note"],
            source_word=lambda f: f["source"], outlet=lambda f: outlet_labels(f["outlet"]),
        )
        title = f"Where countries stand: {topic_label(topic)}"
        charts["positions_map"] = (title, position_map(shown, shapes=world_shapes(inline=world()), region="europe",
                                                       title=title))
    filtered, kept = filter_mentions(tables.mentions, docs)
    actors = top_entities(filtered, kept, n=12, actor="country")
    if not actors.empty:
        title = "Most mentioned countries (name, capital, government, demonym, leaders)"
        charts["countries"] = (title, entity_bars(actors, all_outlets=all_outlets, value_title="Mentions", title=title,
                                                  subject="Country"))
    figures = tables.figures
    if headline is None:
        headline = headline_quantities(figures, dict(zip(docs["document"], docs["original"])))
    dated = figures[(figures["published"] != "") & figures["quantity"].isin(set(headline))]
    for family, group in dated.groupby("family"):
        if family.startswith("other_") or group["value"].nunique() < 2:
            continue
        shown = group.assign(outlet=outlet_labels(group["outlet"]), shown=shown_values(group))
        title = f"{group['quantity_label'].iloc[0]}: every report by date"
        charts[f"figure_{family}"] = (title, figure_timeline(shown, all_outlets=all_outlets, title=title,
                                                             value_title=group["unit"].iloc[0]))
    if (docs["published"] != "").any():
        title = "Articles by day, and the events they report"
        charts["timeline"] = (title, timeline(docs, tables.events, all_outlets=all_outlets, title=title))
    return charts


def _summary_blocks(tables: Tables, citations: Citations, headline: list[str]) -> dict:
    """The summary's content once, for both the HTML and the PDF."""
    docs = tables.documents
    headlines = []
    originals = dict(zip(docs["document"], docs["original"]))
    for row in headline_figures(tables.figures, originals=originals, quantities=headline).itertuples(index=False):
        n = citations.cite(row.document, row.sentence)
        value = format_row(row, prose=True)
        also = f" (also reported: {row.other_values})" if row.other_values else ""
        headlines.append((f"{row.quantity_label}: {value}{also}",
                          f"{row.outlet or UNKNOWN_OUTLET}, {row.published or 'undated'}", n))
    discrepancies = []
    figures = tables.figures
    for row in tables.discrepancies.itertuples(index=False):
        refs = []
        for document, text in ((row.document_a, row.text_a), (row.document_b, row.text_b)):
            match = figures[(figures["document"] == document) & (figures["text"] == text)]
            if not match.empty:
                refs.append(citations.cite(document, match["sentence"].iloc[0]))
        discrepancies.append((f"“{row.text_a}” versus “{row.text_b}”",
                              row.explanation, refs))
    positions = []
    summary = tables.position_summary
    for topic, group in summary.groupby("topic", sort=False):
        for stance, word in STANCE_WORDS.items():
            rows = group[group["stance"] == stance]
            if rows.empty:
                continue
            items = []
            for r in rows.itertuples(index=False):
                cited = r.sentence is not None and int(r.sentence) >= 0
                ref = citations.cite(r.document, r.sentence) if cited else None
                items.append((r.country + (" (sources disagree)" if r.conflict else "")
                              + (" (analyst)" if r.source == "analyst" else ""), ref))
            positions.append((topic_label(topic), word, items))
    filtered, kept = filter_mentions(tables.mentions, docs)
    actors = top_entities(filtered, kept, n=8, actor="country").drop_duplicates("entity")
    people = top_entities(filtered[filtered["label"] == "PERSON"], kept, n=6).drop_duplicates("entity")
    outlets = docs.assign(outlet=outlet_labels(docs["outlet"])).groupby("outlet").size()
    return {
        "headlines": headlines, "discrepancies": discrepancies, "positions": positions,
        "countries": [f"{e} ({int(t)})" for e, t in zip(actors["entity"], actors["total"])],
        "people": [f"{e} ({int(t)})" for e, t in zip(people["entity"], people["total"])],
        "outlets": [f"{o} ({n} article{'s' if n != 1 else ''})" for o, n in outlets.items()],
    }


def summary_html(tables: Tables, blocks: dict, citation_table: pd.DataFrame, *, source: str, caption: str,
                 as_of: str) -> str:
    """The one-page summary as a self-contained HTML file; every number carries a numbered citation."""
    e = html.escape

    def refs(numbers) -> str:
        return "".join(f' <a href="#c{n}">[{n}]</a>' for n in dict.fromkeys(n for n in numbers if n))

    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Briefing</title><style>"
        "body{font-family:Roboto,Arial,sans-serif;max-width:820px;margin:2em auto;color:#222;line-height:1.45}"
        "h1{font-size:1.6em;margin-bottom:0}h2{font-size:1.15em;margin-top:1.4em;border-bottom:1px solid #ccc}"
        ".meta{color:#555;font-size:.9em}li{margin:.2em 0}a{color:#0072B2;text-decoration:none}"
        "ol.cites li{font-size:.85em;margin:.5em 0}</style></head><body>",
        "<h1>Briefing</h1>",
        f"<p class='meta'>{e(source)}<br>{e(caption)}<br>As of {e(as_of)} · corpus {e(tables.corpus_hash)}</p>",
        "<h2>Headline figures</h2><ul>",
    ]
    parts += ([f"<li><b>{e(text)}</b> — {e(where)}{refs([n])}</li>" for text, where, n in blocks["headlines"]]
              or ["<li>None found.</li>"])
    parts.append("</ul><h2>Where the sources disagree</h2><ul>")
    parts += ([f"<li><b>{e(values)}</b>: {e(why)}{refs(ns)}</li>" for values, why, ns in blocks["discrepancies"]]
              or ["<li>No disagreement found.</li>"])
    parts.append("</ul><h2>Positions</h2><ul>")
    for topic, word, items in blocks["positions"]:
        listed = ", ".join(f"{e(name)}{refs([n])}" for name, n in items)
        parts.append(f"<li><b>{e(topic)}, {e(word.lower())}:</b> {listed}</li>")
    parts.append("</ul><h2>Most named</h2><p class='meta'>Mentions counted in the articles listed under Outlets.</p>")
    parts.append(f"<p><b>Countries:</b> {e(', '.join(blocks['countries']))}<br>"
                 f"<b>People:</b> {e(', '.join(blocks['people']))}</p>")
    parts.append(f"<h2>Outlets</h2><p>{e('; '.join(blocks['outlets']))}</p>")
    parts.append("<h2>Citations</h2><ol class='cites'>")
    for row in citation_table.itertuples(index=False):
        link = f" <a href='{e(row.url)}'>{e(row.url)}</a>" if row.url else ""
        parts.append(f"<li id='c{row.number}'>{e(row.outlet)}, “{e(row.title)}”, {e(row.published or 'undated')} "
                     f"({e(row.document)}){link}: “{e(row.evidence)}”</li>")
    parts.append("</ol></body></html>")
    return "\n".join(parts)


def summary_pdf(tables: Tables, blocks: dict, citation_table: pd.DataFrame, *, source: str, caption: str, as_of: str,
                map_png: bytes | None) -> bytes:
    """The summary as PDF: page one is the briefing, the following pages list the numbered citations."""
    from fpdf import FPDF

    fonts = Path(__import__("font_roboto").__file__).parent / "files"
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("Roboto", "", str(fonts / "Roboto-Regular.ttf"))
    pdf.add_font("Roboto", "B", str(fonts / "Roboto-Bold.ttf"))
    pdf.set_margins(14, 12, 14)
    pdf.add_page()

    def text(size: float, body: str, *, bold: bool = False, colour: int = 34, gap: float = 0.6) -> None:
        pdf.set_font("Roboto", "B" if bold else "", size)
        pdf.set_text_color(colour)
        pdf.multi_cell(0, size * 0.45, body, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    def refs(numbers) -> str:
        return "".join(f" [{n}]" for n in dict.fromkeys(n for n in numbers if n))

    text(18, "Briefing", bold=True, gap=0.4)
    text(8, f"{source}\n{caption}\nAs of {as_of} · corpus {tables.corpus_hash}", colour=90, gap=2)
    text(11, "Headline figures", bold=True)
    for line, where, n in blocks["headlines"]:
        text(8.5, f"• {line} — {where}{refs([n])}", gap=0.2)
    pdf.ln(1.5)
    text(11, "Where the sources disagree", bold=True)
    for values, why, ns in blocks["discrepancies"] or [("None", "no disagreement found", [])]:
        text(8.5, f"• {values}: {why}{refs(ns)}", gap=0.2)
    pdf.ln(1.5)
    top = pdf.get_y()
    if map_png:
        pdf.image(io.BytesIO(map_png), x=pdf.l_margin, y=top, w=88)
    pdf.set_xy(pdf.l_margin + (92 if map_png else 0), top)
    pdf.set_left_margin(pdf.l_margin + (92 if map_png else 0))
    text(11, "Positions", bold=True)
    for topic, word, items in blocks["positions"]:
        text(8, f"{topic}, {word.lower()}: " + ", ".join(f"{name}{refs([n])}" for name, n in items), gap=0.2)
    pdf.ln(1)
    text(11, "Most named", bold=True)
    text(7, "Mentions counted in the articles listed under Outlets.", colour=90, gap=0.3)
    text(8, "Countries: " + ", ".join(blocks["countries"]), gap=0.2)
    text(8, "People: " + ", ".join(blocks["people"]), gap=0.8)
    text(11, "Outlets", bold=True)
    text(8, "; ".join(blocks["outlets"]))
    pdf.set_left_margin(14)
    pdf.add_page()
    text(11, "Citations", bold=True, gap=1)
    for row in citation_table.itertuples(index=False):
        where = (f"{row.outlet}, “{row.title}”, {row.published or 'undated'} ({row.document})"
                 + (f", {row.url}" if row.url else ""))
        text(7.5, f"[{row.number}] {where}: “{row.evidence}”", gap=0.8)
    return bytes(pdf.output())


def briefing_pack(tables: Tables, *, caption: str = "Filters: none", now: datetime | None = None) -> bytes:
    """The ZIP an analyst takes away: summary (HTML, PDF), every chart (PNG, SVG), every table (CSV, XLSX),
    citations."""
    moment = now or datetime.now(timezone.utc)
    as_of = moment.isoformat(timespec="seconds")
    day = moment.date().isoformat()
    source = source_line(tables.documents)
    citations = Citations(tables)
    # the headline measures once, for the summary and for the charts
    docs = tables.documents
    headline = headline_quantities(tables.figures, dict(zip(docs["document"], docs["original"])))
    blocks = _summary_blocks(tables, citations, headline)
    citation_table = citations.table()
    charts = pack_charts(tables, headline=headline)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        map_png = None
        for name, (title, chart) in charts.items():
            png = chart_png(chart, title=title, source=source, caption=caption)
            if name == "positions_map":
                map_png = png
            archive.writestr(f"charts/{dated_name(name, 'png', today=day)}", png)
            archive.writestr(f"charts/{dated_name(name, 'svg', today=day)}",
                             chart_svg(chart, title=title, source=source, caption=caption))
        for name, frame in tables.exported().items():
            archive.writestr(f"tables/{dated_name(name, 'csv', today=day)}", table_bytes(frame, "csv"))
            archive.writestr(f"tables/{dated_name(name, 'xlsx', today=day)}", table_bytes(frame, "xlsx", sheet=name))
        archive.writestr(f"citations_{day}.csv", table_bytes(citation_table, "csv"))
        archive.writestr(f"summary_{day}.html",
                         summary_html(tables, blocks, citation_table, source=source, caption=caption, as_of=as_of))
        archive.writestr(f"summary_{day}.pdf",
                         summary_pdf(tables, blocks, citation_table, source=source, caption=caption, as_of=as_of,
                                     map_png=map_png))
        archive.writestr("MANIFEST.txt", f"Briefing Desk pack\nas of {as_of}\ncorpus {tables.corpus_hash}\n{source}\n"
                                         f"filters: {caption}\nmodel: {tables.model}\n")
    return buffer.getvalue()
