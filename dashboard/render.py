"""Pure helpers that turn analysis results into display HTML; every piece of article text is escaped here."""

from __future__ import annotations

import html
import re

import pandas as pd

# Characters markdown could act on, as HTML entities: escaped article text stays text whatever renders it.
_MARKDOWN_ENTITIES = {ord(c): f"&#{ord(c)};" for c in "[]()!*_`#|~$\\"}


def inert_html(text: str) -> str:
    """Text for an HTML block: HTML-escaped, and markdown punctuation as entities."""
    return html.escape(text).translate(_MARKDOWN_ENTITIES)


_LIST_BULLET = re.compile(r"^[•·▪►*–—-]\s+")
CHROME_STYLE = "color:#8a8f98;background:rgba(138,143,152,0.08);border-left:3px solid #c9ccd1;padding:2px 8px;margin:2px 0;font-size:0.85em"
BODY_STYLE = "margin:0 0 0.8em 0;line-height:1.6"
HEADING_STYLE = "font-weight:600;margin:0.8em 0 0.4em 0"


def article_html(lines: pd.DataFrame, *, show_chrome: bool) -> str:
    """The article's lines as HTML: body as paragraphs, headings bold, removed lines (optionally) greyed.

    Consecutive removed lines with the same reason are shown as one block, so a 70-line menu reads as one item.
    """
    parts = ['<div class="bd-article">']
    pending: list[str] = []
    pending_reason = None

    def flush() -> None:
        if pending and show_chrome:
            reason = inert_html(str(pending_reason))
            count = f"{len(pending)} lines" if len(pending) > 1 else "1 line"
            joined = " · ".join(pending)
            parts.append(
                f'<div style="{CHROME_STYLE}" title="removed: {reason}">'
                f'<span style="font-style:italic">removed, {reason} ({count}):</span> {joined}</div>'
            )
        pending.clear()

    for row in lines.itertuples(index=False):
        text = inert_html(str(row.text).strip())
        if row.kind not in ("body", "heading", "title"):
            if pending and row.reason != pending_reason:
                flush()
            pending_reason = row.reason
            pending.append(_LIST_BULLET.sub("", text))
            continue
        flush()
        if row.kind == "body":
            parts.append(f'<p style="{BODY_STYLE}">{text}</p>')
        else:
            parts.append(f'<p style="{HEADING_STYLE}">{text}</p>')
    flush()
    parts.append("</div>")
    return "\n".join(parts)


def document_label(row) -> str:
    """How an article is named in pickers: title (or file name), outlet and date."""
    title = row["title"] or row["document"]
    details = ", ".join(v for v in (row["outlet"], row["published"]) if v)
    return f"{title} ({details})" if details else title


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(value: object) -> str:
    """Corpus text made inert for st.markdown: no links, images, emphasis or HTML from an article or manifest."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")
