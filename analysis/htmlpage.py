"""HTML pages to the same line representation as text dumps, with trafilatura marking the main content."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from lxml import etree

# Elements whose text a reader never sees (or that could carry active content).
_INVISIBLE = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "head")
_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "li", "ul", "ol",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "figcaption", "table", "tr",
    "td", "th", "dd", "dt", "dl", "br", "hr", "form", "address", "details", "summary", "caption",
}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class HtmlPage:
    """Visible text of a page as lines, the lines trafilatura judged main content, and page metadata."""

    text: str
    main_content: set[str] = field(default_factory=set)
    metadata: dict[str, str] = field(default_factory=dict)


def _visible_lines(root: lxml.html.HtmlElement) -> list[str]:
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _SPACE.sub(" ", "".join(current)).strip()
        if line:
            lines.append(line)
        current.clear()

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _INVISIBLE:
            if element.tail:
                current.append(element.tail)
            return
        block = tag in _BLOCK
        if block:
            flush()
        if element.text and tag:
            current.append(element.text)
        for child in element:
            walk(child)
        if block:
            flush()
        if element.tail:
            current.append(element.tail)

    walk(root)
    flush()
    return lines


def parse_html(source: str, *, max_text: int | None = None) -> HtmlPage:
    """Read a page (possibly hostile or broken) into lines of visible text; scripts and styles never survive.

    When the visible text is longer than max_text, the page comes back without main content or metadata:
    the caller rejects it, and the extractor's time on a huge page is saved.
    """
    try:
        root = lxml.html.document_fromstring(source or "<html></html>")
    except (etree.ParserError, ValueError):
        return HtmlPage("")
    for element in root.iter(etree.Comment, etree.ProcessingInstruction):
        element.drop_tree() if hasattr(element, "drop_tree") else None
    body = root.find("body")
    lines = _visible_lines(body if body is not None else root)
    if max_text is not None and sum(len(line) + 1 for line in lines) > max_text + 1:
        return HtmlPage("\n".join(lines))
    main: set[str] = set()
    metadata: dict[str, str] = {}
    try:
        extracted = trafilatura.bare_extraction(
            source, with_metadata=True, favor_recall=True, include_comments=False, include_tables=False
        )
    except Exception:  # trafilatura raises assorted errors on broken markup; the page is still usable
        extracted = None
    if extracted is not None:
        data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
        for text_line in (data.get("text") or "").split("\n"):
            normal = _SPACE.sub(" ", text_line).strip()
            if normal:
                main.add(normal)
        for ours, theirs in (("title", "title"), ("author", "author"), ("published", "date"), ("outlet", "sitename"),
                             ("url", "url")):
            value = data.get(theirs)
            if value:
                metadata[ours] = str(value).strip()
    return HtmlPage("\n".join(lines), main, metadata)
