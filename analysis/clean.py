"""Separate article body from page chrome, line by line, keeping both with a reason for each decision."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import justext
import yaml

from analysis.metadata import BIO

BODY, HEADING, TITLE, CHROME, BLANK = "body", "heading", "title", "chrome", "blank"

_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$|[\"”’»]$")
_BULLET = re.compile(r"^[•·▪►\-*–—]\s+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    """One line of the source text and what the cleaner decided about it."""

    number: int
    text: str
    kind: str
    reason: str


@dataclass(frozen=True)
class Cleaned:
    """The cleaner's verdict on every line, and the body text assembled from the body lines."""

    lines: tuple[Line, ...]
    body: str
    # (line number, start offset in body) for each body paragraph, in order.
    paragraph_starts: tuple[tuple[int, int], ...]

    @property
    def chrome_lines(self) -> int:
        return sum(1 for line in self.lines if line.kind == CHROME)

    def line_at(self, offset: int) -> int | None:
        """Source line number of the body paragraph that holds the character at offset."""
        found = None
        for number, start in self.paragraph_starts:
            if start > offset:
                break
            found = number
        return found


@dataclass(frozen=True)
class _Rules:
    line_rules: tuple[tuple[str, int | None, bool, re.Pattern], ...]
    end_markers: re.Pattern
    body_prefixes: re.Pattern | None
    section_label_max_words: int


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = yaml.safe_load(resources.files("analysis").joinpath("data/chrome.yaml").read_text("utf-8"))
    rules = []
    for rule in data["line_rules"]:
        joined = "|".join(f"(?:{p})" for p in rule["patterns"])
        search = bool(rule.get("search"))
        pattern = re.compile(joined if search else rf"^(?:{joined})$", re.IGNORECASE)
        rules.append((rule["reason"], rule.get("max_words"), search, pattern))
    markers = re.compile("^(?:" + "|".join(f"(?:{p})" for p in data["end_markers"]) + ")$", re.IGNORECASE)
    prefixes = data.get("body_prefixes") or []
    prefix_re = re.compile("^(?:" + "|".join(f"(?:{p})" for p in prefixes) + ")", re.IGNORECASE) if prefixes else None
    return _Rules(tuple(rules), markers, prefix_re, int(data.get("section_label_max_words", 3)))


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _words(text: str) -> int:
    return len(text.split())


def _is_sentence(text: str, *, min_words: int = 10) -> bool:
    stripped = _BULLET.sub("", text)
    return (
        _words(stripped) >= min_words
        and bool(_TERMINAL.search(stripped))
        and (stripped[:1].isupper() or stripped[:1].isdigit() or stripped[:1] in "\"“‘'«(")
    )


def _rule_reason(text: str) -> str | None:
    bare = _BULLET.sub("", text).strip()
    words = _words(bare)
    for reason, max_words, search, pattern in _rules().line_rules:
        if max_words is not None and words > max_words:
            continue
        if pattern.search(bare) if search else pattern.match(bare):
            return reason
    if BIO.match(bare):
        return "author biography"
    return None


# jusText decides a short paragraph by scanning to its nearest decided neighbours: its time grows with the
# square of a run of short paragraphs. A long text goes to it in slices of this many lines, so 100,000
# one-word lines cost seconds, not hours; an article has far fewer lines and is classified as before.
JUSTEXT_SLICE = 500


def _justext_classes(texts: list[str]) -> list[str]:
    if len(texts) > JUSTEXT_SLICE:
        slices = (texts[i : i + JUSTEXT_SLICE] for i in range(0, len(texts), JUSTEXT_SLICE))
        return [c for piece in slices for c in _justext_classes(piece)]
    if not texts:
        return []
    page = "<html><body>" + "".join(f"<p>{html.escape(t)}</p>" for t in texts) + "</body></html>"
    paragraphs = justext.justext(page.encode("utf-8"), justext.get_stoplist("English"), encoding="utf-8")
    classes = [p.class_type for p in paragraphs]
    if len(classes) != len(texts):  # jusText merged or split something: do not guess the alignment
        return ["neargood" if _is_sentence(t) else "bad" for t in texts]
    return classes


def clean_text(
    text: str, *, title: str | None = None, author: str | None = None, main_content: set[str] | None = None
) -> Cleaned:
    """Classify every line of text as body, title, heading, chrome or blank, and assemble the body.

    main_content, when given (HTML input), holds the normalised lines an extractor kept as main
    content; it replaces jusText's paragraph classification.
    """
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    normal = [_normal(line) for line in raw_lines]
    nonblank = [i for i, t in enumerate(normal) if t]
    if main_content is None:
        classes = dict(zip(nonblank, _justext_classes([normal[i] for i in nonblank])))
    else:
        # Inline markup can split one extracted line into several visible ones: containment counts too.
        # Lines hold no newline: one search in all extracted lines joined by newlines, not one per pair.
        extracted = "\n".join(main_content)

        def extracted_line(line: str) -> bool:
            return line in main_content or (len(line) >= 20 and line in extracted)

        classes = {i: "good" if extracted_line(normal[i]) else "bad" for i in nonblank}
    rule = {i: _rule_reason(normal[i]) for i in nonblank}

    candidate = {i for i in nonblank if rule[i] is None and classes[i] == "good"}
    if not candidate:  # a short or unusual text jusText will not vouch for: trust whole sentences
        candidate = {i for i in nonblank if rule[i] is None and _is_sentence(normal[i], min_words=5)}
    # Full sentences that sit between body paragraphs are body, whatever their stop-word density.
    if candidate:
        first, last = min(candidate), max(candidate)
        for i in nonblank:
            if first < i < last and i not in candidate and rule[i] is None and _is_sentence(normal[i]):
                candidate.add(i)

    verdict: dict[int, tuple[str, str]] = {}
    end = _end_of_article(nonblank, normal, candidate)
    if end is not None:
        marker_index, marker_text = end
        for i in [i for i in candidate if i > marker_index]:
            candidate.discard(i)
            verdict[i] = (CHROME, f"after the end-of-article marker «{marker_text}»")
    # A standfirst or pull quote repeats a paragraph that also stands in the article's flow: count it once.
    seen_later: set[str] = set()
    for i in sorted(candidate, reverse=True):
        if normal[i] in seen_later:
            candidate.discard(i)
            verdict[i] = (CHROME, "repeats a later paragraph (standfirst or pull quote)")
        seen_later.add(normal[i])
    if author:
        for i in [i for i in candidate if normal[i] == _normal(author)]:
            candidate.discard(i)
            verdict[i] = (CHROME, "author name")
    # Short lines jusText keeps for their neighbours' sake are headings, not prose.
    for i in [i for i in candidate if not _TERMINAL.search(normal[i]) and _words(normal[i]) <= 12]:
        candidate.discard(i)
        verdict[i] = (HEADING, "subheading inside the article")
    # An article starts and ends with prose: trim headline-like lines and leading summary bullets.
    ordered = sorted(candidate)
    while ordered and (_BULLET.match(normal[ordered[0]]) or not _TERMINAL.search(normal[ordered[0]])):
        verdict[ordered[0]] = (CHROME, "before the article starts")
        candidate.discard(ordered.pop(0))
    while ordered and not _TERMINAL.search(normal[ordered[-1]]):
        verdict[ordered[-1]] = (CHROME, "after the article ends")
        candidate.discard(ordered.pop())

    first = min(candidate) if candidate else None
    last = max(candidate) if candidate else None
    title_normal = _normal(title) if title else None
    lines: list[Line] = []
    for i, raw in enumerate(raw_lines):
        t = normal[i]
        number = i + 1
        if not t:
            kind, reason = BLANK, ""
        elif i in verdict and not (verdict[i][0] == HEADING and (first is None or not first < i < last)):
            kind, reason = verdict[i]
        elif i in candidate:
            kind, reason = BODY, "article text"
        elif title_normal and _is_title_line(t, title_normal) and (first is None or i < first):
            kind, reason = TITLE, "headline"
        elif rule[i]:
            kind, reason = CHROME, rule[i]
        elif first is None or i < first:
            kind, reason = CHROME, "before the article starts"
        elif i > last:
            kind, reason = CHROME, "after the article ends"
        elif not _TERMINAL.search(t) and _words(_BULLET.sub("", t)) <= 12:
            kind, reason = HEADING, "subheading inside the article"
        else:
            kind, reason = CHROME, f"boilerplate (jusText: {classes[i]})"
        lines.append(Line(number, raw.rstrip(), kind, reason))

    paragraphs: list[str] = []
    starts: list[tuple[int, int]] = []
    offset = 0
    prefixes = _rules().body_prefixes
    for line in lines:
        if line.kind != BODY:
            continue
        paragraph = _normal(line.text)
        if prefixes is not None and not paragraphs:
            paragraph = prefixes.sub("", paragraph, count=1).lstrip() or paragraph
        starts.append((line.number, offset))
        paragraphs.append(paragraph)
        offset += len(paragraph) + 2
    return Cleaned(tuple(lines), "\n\n".join(paragraphs), tuple(starts))


def _is_title_line(text: str, title: str) -> bool:
    """The headline itself, or a breadcrumb trail ending in it; a bulleted list item is a link elsewhere."""
    return not _BULLET.match(text) and (text == title or text.endswith(" " + title))


def _end_of_article(nonblank: list[int], normal: list[str], candidate: set[int]) -> tuple[int, str] | None:
    """The first end-of-article marker after which little article-like text remains."""
    markers = _rules().end_markers
    total = sum(_words(normal[i]) for i in candidate)
    before = 0
    for i in nonblank:
        if i in candidate:
            before += _words(normal[i])
            continue
        bare = _BULLET.sub("", normal[i]).strip()
        if before and markers.match(bare):
            after = total - before
            if after < 0.3 * before:
                return i, bare
    return None
