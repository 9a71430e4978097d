"""Separate article body from page chrome, line by line, keeping both with a reason for each decision."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

import justext

from analysis.lexicon import load_yaml
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
    text_markers: re.Pattern | None = None  # a line that starts a quoted text ("Begin Text:")


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load_yaml("chrome.yaml")
    rules = []
    for rule in data["line_rules"]:
        joined = "|".join(f"(?:{p})" for p in rule["patterns"])
        search = bool(rule.get("search"))
        pattern = re.compile(joined if search else rf"^(?:{joined})$", re.IGNORECASE)
        rules.append((rule["reason"], rule.get("max_words"), search, pattern))
    markers = re.compile("^(?:" + "|".join(f"(?:{p})" for p in data["end_markers"]) + ")$", re.IGNORECASE)
    prefixes = data.get("body_prefixes") or []
    prefix_re = re.compile("^(?:" + "|".join(f"(?:{p})" for p in prefixes) + ")", re.IGNORECASE) if prefixes else None
    starts = data.get("text_markers") or []
    start_re = re.compile("^(?:" + "|".join(f"(?:{p})" for p in starts) + ")$", re.IGNORECASE) if starts else None
    return _Rules(tuple(rules), markers, prefix_re, int(data.get("section_label_max_words", 3)), start_re)


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
# square of a run of short paragraphs. A long text goes to it in slices of this many lines, so that time stays
# linear in the text's length; an article has far fewer lines and is classified as before.
JUSTEXT_SLICE = 500


class _Finished(justext.paragraph.Paragraph):
    """A jusText paragraph whose text is joined once: jusText joins and normalises it again on every read, which was
    two thirds of its time."""

    @property
    def text(self) -> str:
        if "_text" not in self.__dict__:
            self._text = super().text
        return self._text


@lru_cache(maxsize=1)
def _stoplist() -> frozenset[str]:
    return justext.get_stoplist("English")  # read from the package's data file on every call


def _justext(page: bytes) -> list:
    """justext.justext with default settings, on paragraphs that are finished before they are classified."""
    dom = justext.core.preprocessor(justext.core.html_to_dom(page, encoding="utf-8"))
    paragraphs = justext.core.ParagraphMaker.make_paragraphs(dom)
    for paragraph in paragraphs:
        paragraph.__class__ = _Finished
    justext.core.classify_paragraphs(paragraphs, _stoplist())
    justext.core.revise_paragraph_classification(paragraphs)
    return paragraphs


def _justext_classes(texts: list[str]) -> list[str]:
    if len(texts) > JUSTEXT_SLICE:
        slices = (texts[i : i + JUSTEXT_SLICE] for i in range(0, len(texts), JUSTEXT_SLICE))
        return [c for piece in slices for c in _justext_classes(piece)]
    if not texts:
        return []
    page = "<html><body>" + "".join(f"<p>{html.escape(t)}</p>" for t in texts) + "</body></html>"
    classes = [p.class_type for p in _justext(page.encode("utf-8"))]
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
    draft = _draft(text, main_content)
    draft.candidate = _candidates(draft)
    _drop_after_end_marker(draft)
    _drop_repeats(draft)
    _drop_author(draft, author)
    _drop_headings(draft)
    _trim_edges(draft)
    return _assembled(_classified_lines(draft, title))


@dataclass
class _Draft:
    """The cleaner's working state: every line, what classified it, and which lines are article text so far."""

    raw_lines: list[str]
    normal: list[str]  # each line with its white space normalised
    nonblank: list[int]  # indices of the lines with text
    classes: dict[int, str]  # per non-blank line: jusText's class, or the extractor's "good" or "bad"
    rule: dict[int, str | None]  # per non-blank line: the reason of the chrome rule it matches, if any
    candidate: set[int] = field(default_factory=set)  # lines taken as article text
    verdict: dict[int, tuple[str, str]] = field(default_factory=dict)  # (kind, reason) of lines taken out again

    def take_out(self, i: int, kind: str, reason: str) -> None:
        """Take line i out of the article text, as kind for reason."""
        self.candidate.discard(i)
        self.verdict[i] = (kind, reason)


def _draft(text: str, main_content: set[str] | None) -> _Draft:
    """The text's lines, each non-blank one classified by jusText (or the extractor) and the chrome rules."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    normal = [_normal(line) for line in raw_lines]
    nonblank = [i for i, t in enumerate(normal) if t]
    rule = {i: _rule_reason(normal[i]) for i in nonblank}
    return _Draft(raw_lines, normal, nonblank, _paragraph_classes(normal, nonblank, main_content), rule)


def _paragraph_classes(normal: list[str], nonblank: list[int], main_content: set[str] | None) -> dict[int, str]:
    """Per non-blank line: jusText's class, or "good" when the extractor kept the line as main content, else "bad"."""
    if main_content is None:
        return dict(zip(nonblank, _justext_classes([normal[i] for i in nonblank])))
    # Inline markup can split one extracted line into several visible ones: containment counts too.
    # Lines hold no newline: one search in all extracted lines joined by newlines, not one per pair.
    extracted = "\n".join(main_content)

    def extracted_line(line: str) -> bool:
        return line in main_content or (len(line) >= 20 and line in extracted)

    return {i: "good" if extracted_line(normal[i]) else "bad" for i in nonblank}


def _candidates(draft: _Draft) -> set[int]:
    """Lines that look like article text: good paragraphs no chrome rule claims, and the sentences between them."""
    normal, rule = draft.normal, draft.rule
    candidate = {i for i in draft.nonblank if rule[i] is None and draft.classes[i] == "good"}
    if not candidate:  # a short or unusual text jusText will not vouch for: trust whole sentences
        candidate = {i for i in draft.nonblank if rule[i] is None and _is_sentence(normal[i], min_words=5)}
    # Full sentences that sit between body paragraphs are body, whatever their stop-word density.
    if candidate:
        first, last = min(candidate), max(candidate)
        for i in draft.nonblank:
            if first < i < last and i not in candidate and rule[i] is None and _is_sentence(normal[i]):
                candidate.add(i)
        # The sentence that introduces a quoted text is its lede, a list of names as it may be ("The Foreign
        # Ministers of Canada, France, ... issued the following statement:"), with perhaps "Begin Text:" after it.
        before = [i for i in draft.nonblank if i < first]
        marked = False  # "Begin Text:" between them: what stands before it introduces the text, whatever its end
        while before and _words(normal[before[-1]]) <= 3 and not _TERMINAL.search(normal[before[-1]]):
            line = normal[before.pop()]
            marked = marked or bool(_rules().text_markers and _rules().text_markers.match(line))
        if before and rule[before[-1]] is None and (
                _introduces(normal[before[-1]]) or (marked and _is_sentence(normal[before[-1]], min_words=8))):
            candidate.add(before[-1])
    return candidate


def _drop_after_end_marker(draft: _Draft) -> None:
    """Take out the article-like lines after an end-of-article marker ("Related articles")."""
    end = _end_of_article(draft.nonblank, draft.normal, draft.candidate)
    if end is not None:
        marker_index, marker_text = end
        for i in [i for i in draft.candidate if i > marker_index]:
            draft.take_out(i, CHROME, f"after the end-of-article marker «{marker_text}»")


def _drop_repeats(draft: _Draft) -> None:
    """Take out a line that a later line repeats, keeping the later one."""
    # A standfirst or pull quote repeats a paragraph that also stands in the article's flow: count it once.
    seen_later: set[str] = set()
    for i in sorted(draft.candidate, reverse=True):
        if draft.normal[i] in seen_later:
            draft.take_out(i, CHROME, "repeats a later paragraph (standfirst or pull quote)")
        seen_later.add(draft.normal[i])


def _drop_author(draft: _Draft, author: str | None) -> None:
    """Take out the lines that are the author's name alone."""
    if author:
        for i in [i for i in draft.candidate if draft.normal[i] == _normal(author)]:
            draft.take_out(i, CHROME, "author name")


def _drop_headings(draft: _Draft) -> None:
    """Take out short lines without final punctuation: subheadings, not prose."""
    # jusText keeps such lines for their neighbours' sake.
    normal = draft.normal
    for i in [i for i in draft.candidate if not _TERMINAL.search(normal[i]) and _words(normal[i]) <= 12
              and not _introduces(normal[i])]:
        draft.take_out(i, HEADING, "subheading inside the article")


def _trim_edges(draft: _Draft) -> None:
    """Take out headline-like lines and summary bullets before the first sentence, and what follows the last."""
    # An article starts and ends with prose.
    normal = draft.normal
    ordered = sorted(draft.candidate)
    while ordered and (_BULLET.match(normal[ordered[0]]) or not (_TERMINAL.search(normal[ordered[0]])
                                                                  or _introduces(normal[ordered[0]]))):
        draft.take_out(ordered.pop(0), CHROME, "before the article starts")
    while ordered and not _TERMINAL.search(normal[ordered[-1]]):
        draft.take_out(ordered.pop(), CHROME, "after the article ends")


def _introduces(line: str) -> bool:
    """A sentence that introduces what follows ("The following statement was released by the Governments of ...:"):
    the lede of a quoted text, not a heading."""
    return line.endswith(":") and _is_sentence(line[:-1] + ".", min_words=8)


def _classified_lines(draft: _Draft, title: str | None) -> list[Line]:
    """Every source line with its final kind and reason."""
    first = min(draft.candidate) if draft.candidate else None
    last = max(draft.candidate) if draft.candidate else None
    title_normal = _normal(title) if title else None
    return [Line(i + 1, raw.rstrip(), *_line_kind(draft, i, first, last, title_normal))
            for i, raw in enumerate(draft.raw_lines)]


def _line_kind(draft: _Draft, i: int, first: int | None, last: int | None, title: str | None) -> tuple[str, str]:
    """Line i's kind and reason, given the first and last lines of article text (None when there is none)."""
    t = draft.normal[i]
    if not t:
        return BLANK, ""
    # A subheading counts as one only inside the article; outside it, it is judged like any other line.
    if i in draft.verdict and not (draft.verdict[i][0] == HEADING and (first is None or not first < i < last)):
        return draft.verdict[i]
    if i in draft.candidate:
        return BODY, "article text"
    if title and _is_title_line(t, title) and (first is None or i < first):
        return TITLE, "headline"
    if draft.rule[i]:
        return CHROME, draft.rule[i]
    if first is None or i < first:
        return CHROME, "before the article starts"
    if i > last:
        return CHROME, "after the article ends"
    if not _TERMINAL.search(t) and _words(_BULLET.sub("", t)) <= 12:
        return HEADING, "subheading inside the article"
    return CHROME, f"boilerplate (jusText: {draft.classes[i]})"


def _assembled(lines: list[Line]) -> Cleaned:
    """The cleaner's verdict with the body: its body lines as paragraphs, a dateline before the first one cut."""
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
