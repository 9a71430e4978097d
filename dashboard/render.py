"""Pure helpers that turn analysis results into display HTML; every piece of article text is escaped here."""

from __future__ import annotations

import re

import pandas as pd

# HTML's special characters and those markdown could act on, as numeric entities, in one pass (a second
# pass would mangle the first one's entities): escaped article text stays text whatever renders it. Line
# breaks too: a blank line in a text would end the HTML block, and markdown would read the rest of the markup.
_MARKDOWN_ENTITIES = {ord(c): f"&#{ord(c)};" for c in "&<>\"'[]()!*_`#|~$\\\n\r"}


def inert_html(text: str) -> str:
    """Text for an HTML block: HTML-escaped, and markdown punctuation as entities."""
    return text.translate(_MARKDOWN_ENTITIES)


_LIST_BULLET = re.compile(r"^[•·▪►*–—-]\s+")
CHROME_STYLE = ("color:#8a8f98;background:rgba(138,143,152,0.08);border-left:3px solid #c9ccd1;padding:2px 8px;"
                "margin:2px 0;font-size:0.85em")
BODY_STYLE = "margin:0 0 0.8em 0;line-height:1.6"
HEADING_STYLE = "font-weight:600;margin:0.8em 0 0.4em 0"


def document_label(row) -> str:
    """How an article is named in pickers: title (or file name), outlet and date."""
    title = row["title"] or row["document"]
    details = ", ".join(v for v in (row["outlet"], row["published"]) if v)
    return f"{title} ({details})" if details else title


# & too, so that "&amp;" written in a text is shown as written.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md(value: object) -> str:
    """Corpus text made inert for st.markdown: no links, images, emphasis or HTML from an article or manifest."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")


# Highlight styles: colour-blind-safe hues that read on light and dark backgrounds.
ENTITY_STYLES = {
    "PERSON": ("#0072B2", "person"), "ORG": ("#E69F00", "organisation"), "GPE": ("#009E73", "country or city"),
    "LOC": ("#009E73", "place"), "NORP": ("#CC79A7", "nationality or group"), "FAC": ("#999999", "building or site"),
    "EVENT": ("#999999", "event"), "LAW": ("#999999", "law or treaty"),
}
FIGURE_STYLE = "background:rgba(240,228,66,0.45);font-weight:600;border-radius:2px"
STANCE_STYLE = "background:rgba(86,180,233,0.16)"
FOCUS_STYLE = "outline:2px solid #D55E00;outline-offset:1px;border-radius:2px"


def legend_html() -> str:
    """The key to the reader's highlights."""
    items = [f'<span style="border-bottom:3px solid {colour};padding:0 2px">{inert_html(word)}</span>'
             for colour, word in dict.fromkeys(ENTITY_STYLES.values())]
    items.append(f'<span style="{FIGURE_STYLE};padding:0 3px">figure</span>')
    items.append(f'<span style="{STANCE_STYLE};padding:0 3px">sentence stating a country’s stance</span>')
    items.append(f'<span style="{FOCUS_STYLE};padding:0 3px">sentence you came to read</span>')
    return '<div style="font-size:0.85em;margin:0 0 1em 0;line-height:2">' + " &nbsp; ".join(items) + "</div>"


Mark = tuple[int, int, str, str]  # start, end (body offsets), css, tooltip


def highlighted_article_html(
    lines: pd.DataFrame,
    *,
    mentions: pd.DataFrame,
    figures: pd.DataFrame,
    stances: pd.DataFrame,
    sentences: pd.DataFrame,
    show_chrome: bool,
    focus: int | None = None,
) -> str:
    """The article with entities underlined by type, figures marked, stance sentences tinted and one sentence outlined.

    Offsets index the cleaned body; each body line knows where its paragraph starts. All text is made inert.
    """
    marks = article_marks(mentions=mentions, figures=figures, stances=stances, sentences=sentences, focus=focus)
    return "\n".join(['<div class="bd-article">', *_article_blocks(lines, marks, show_chrome=show_chrome), "</div>"])


def article_marks(*, mentions: pd.DataFrame, figures: pd.DataFrame, stances: pd.DataFrame, sentences: pd.DataFrame,
                  focus: int | None = None) -> list[Mark]:
    """Every highlight of an article: entity underlines, figure marks, stance tints and the outlined sentence."""
    marks: list[Mark] = []
    for row in mentions.itertuples(index=False):
        colour, word = ENTITY_STYLES.get(row.label, ("#999999", row.label))
        marks.append((row.start, row.end, f"border-bottom:3px solid {colour}", f"{word}: {row.entity}"))
    for row in figures.itertuples(index=False):
        marks.append((row.start, row.end, FIGURE_STYLE, f"figure: {row.quantity_label}"))
    bounds = {r.sentence: (r.start, r.end) for r in sentences.itertuples(index=False)}
    for row in stances.itertuples(index=False):
        if row.sentence in bounds:
            marks.append((*bounds[row.sentence], STANCE_STYLE, f"{row.country}: {row.stance} ({row.topic})"))
    if focus is not None and focus in bounds:
        marks.append((*bounds[focus], FOCUS_STYLE, "the sentence you came to read"))
    return marks


def marked_paragraph(text: str, start: int, marks: list[Mark]) -> str:
    """One paragraph of the body (starting at body offset start), inert, with the marks that overlap it as spans."""
    end = start + len(text)
    inside = [m for m in marks if m[0] < end and m[1] > start]
    cuts = sorted({start, end, *(max(start, m[0]) for m in inside), *(min(end, m[1]) for m in inside)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = inert_html(text[a - start : b - start])
        active = [m for m in inside if m[0] <= a and m[1] >= b]
        if active:
            css = ";".join(m[2] for m in active)
            tip = inert_html(" · ".join(dict.fromkeys(m[3] for m in active)))
            out.append(f'<span style="{css}" title="{tip}">{piece}</span>')
        else:
            out.append(piece)
    return "".join(out)


def _chrome_block(pending: list[str], reason: object) -> str:
    """One run of removed lines that share a reason, as a muted block."""
    count = f"{len(pending)} lines" if len(pending) > 1 else "1 line"
    return (f'<div style="{CHROME_STYLE}"><span style="font-style:italic">removed, '
            f'{inert_html(str(reason))} ({count}):</span> {" · ".join(pending)}</div>')


def _article_blocks(lines: pd.DataFrame, marks: list[Mark], *, show_chrome: bool) -> list[str]:
    """The article's lines as HTML blocks: paragraphs with their marks, headings, and (on request) each run of
    removed chrome lines with one reason as one block."""
    blocks: list[str] = []
    pending: list[str] = []
    pending_reason = None

    def flush() -> None:
        if pending and show_chrome:
            blocks.append(_chrome_block(pending, pending_reason))
        pending.clear()

    for row in lines.itertuples(index=False):
        if row.kind not in ("body", "heading", "title"):
            if pending and row.reason != pending_reason:
                flush()
            pending_reason = row.reason
            pending.append(inert_html(_LIST_BULLET.sub("", str(row.text).strip())))
            continue
        flush()
        if row.kind == "body" and row.body_start >= 0:
            blocks.append(f'<p style="{BODY_STYLE}">{marked_paragraph(row.body_text, int(row.body_start), marks)}</p>')
        else:
            style = BODY_STYLE if row.kind == "body" else HEADING_STYLE
            blocks.append(f'<p style="{style}">{inert_html(str(row.text).strip())}</p>')
    flush()
    return blocks


_CELL = "vertical-align:top;padding:6px;border-top:1px solid rgba(128,128,128,.3)"


def passages_table_html(passages: pd.DataFrame, *, original: str, rewrite: str) -> str:
    """The sentences a rewrite shares with its original, side by side with their similarity, all text inert."""
    rows = "".join(
        f"<tr><td style='{_CELL}'>{inert_html(a)}</td><td style='{_CELL}'>{inert_html(b)}</td>"
        f"<td style='{_CELL}'>{sim:.2f}</td></tr>"
        for a, b, sim in zip(passages["text_original"], passages["text_rewrite"], passages["similarity"], strict=True)
    )
    return ("<table style='width:100%;border-collapse:collapse;font-size:0.9em'><tr>"
            f"<th style='text-align:left'>Original ({inert_html(original)})</th>"
            f"<th style='text-align:left'>Rewrite ({inert_html(rewrite)})</th><th>Similarity</th></tr>"
            f"{rows}</table>")


def reader_link(document: str, sentence: int) -> str:
    """Relative link that opens the Reader on one article with one sentence outlined."""
    from urllib.parse import urlencode

    return "reader?" + urlencode({"reader.document": document, "reader.sentence": int(sentence)})


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    """'1 report', '3 reports'."""
    return f"{count:,} {word if count == 1 else (plural_form or word + 's')}"


# Rows a table on a page shows; the CSV/XLSX downloads under it always hold every row.
TABLE_ROWS = 1000


def shown_rows_note(total: int) -> str:
    """Caption ending for a table of total rows shown TABLE_ROWS at most."""
    if total <= TABLE_ROWS:
        return "."
    return f"; the first {TABLE_ROWS:,} are shown here, the downloads below hold all {total:,}."
