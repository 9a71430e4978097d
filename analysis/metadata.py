"""Article metadata: parse dates, infer outlet, author, date and title from the text of a page."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Each pattern finds one written form of a calendar date; groups name its parts.
DATE_PATTERNS = [
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
]
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!,?\s+(?:19|20)\d\d)", re.IGNORECASE)
_YEAR_ONLY = re.compile(r"\b(?:19|20)\d\d\b")
_DIGIT = re.compile(r"\d")  # every date pattern has one: a line without is not scanned

# Phrases that say the date next to them is when the page was published.
_PUBLISHED_CUE = re.compile(
    r"(?:^\s*date\b[:\s]*|\bpublished\b(?:\s+on)?[:\s]*|\bposted\b(?:\s+on)?[:\s]*|\bupdated\b(?:\s+on)?[:\s]*)$",
    re.IGNORECASE,
)

_NAME = r"[A-Z][\w'’\-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’\-]+|de|van|von|der|da|di|le|la)){1,3}"
_OUTLET = r"(?:the\s+)?(?P<outlet>[A-Z][\w&'’.\-]*(?:\s+(?:[A-Z][\w&'’.\-]*|of|on|for|and|de)){0,5}?)"

BYLINE = re.compile(rf"^\s*(?:written\s+)?by[:\s]+(?P<author>{_NAME})(?=\s*(?:$|[-–—|,•·]|\d|\s{{2}}))", re.I)
BIO = re.compile(
    rf"^\s*(?P<author>{_NAME})\s+is\s+an?\s+(?:[\w\-]+\s+){{0,3}}"
    r"(?:reporter|correspondent|editor|journalist|writer|columnist|contributor|producer|analyst|"
    r"freelancer|commentator)\b(?:[^.]{0,120}?)\b(?:for|at|with)\s+" + _OUTLET
    + r"(?=[,.;]|\s+(?:and|who|since|based|where|covering|specializ|specialis)\b)",
)
COPYRIGHT = re.compile(
    r"(?:copyright|©|\(c\))\s*(?:©\s*)?(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s+)?"
    r"(?P<outlet>[A-Z][\w&'’.\-]*(?:\s+[A-Z][\w&'’.\-]*){0,4}?)"
    r"(?=\s*(?:(?:19|20)\d\d|[.,|]|all rights|$))",
    re.IGNORECASE,
)


def parse_date(text: str) -> date | None:
    """Read one calendar date written as ISO, 'November 26, 2025', '26 November 2025' or 'Nov. 26, 2025'."""
    for pattern in DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            found = _to_date(match)
            if found:
                return found
    return None


def _to_date(match: re.Match, *, year: int | None = None) -> date | None:
    month_text = match.group("month").lower().rstrip(".")
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text)
    try:
        return date(year or int(match.group("year")), month, int(match.group("day")))
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Inferred:
    """Metadata guessed from a page's text; every field may be None."""

    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    title: str | None = None


def infer_metadata(text: str) -> Inferred:
    """Guess outlet, author, publication date and title from the whole text of a page, chrome included."""
    lines = text.split("\n")
    return Inferred(
        outlet=_infer_outlet(lines),
        author=_infer_author(lines),
        published=_infer_published(text, lines),
        title=_infer_title(lines),
    )


def _clean_name(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip(" .,;:-–—")


def _infer_author(lines: list[str]) -> str | None:
    for line in lines:
        match = BYLINE.match(line)
        if match:
            return _clean_name(match.group("author"))
    for line in lines:
        match = BIO.match(line)
        if match:
            return _clean_name(match.group("author"))
    return None


def _infer_outlet(lines: list[str]) -> str | None:
    for line in lines:
        match = BIO.match(line)
        if match:
            return _clean_name(match.group("outlet"))
    for line in reversed(lines):
        match = COPYRIGHT.search(line)
        if match:
            outlet = _clean_name(match.group("outlet"))
            if outlet and outlet.lower() not in {"all", "the"}:
                return outlet
    return None


def _cued(line: str, start: int) -> bool:
    """Whether a publication cue ends right before start; looked for in the 200 characters before start only,
    which keeps a line with thousands of dates linear."""
    return bool(_PUBLISHED_CUE.search(line, max(0, start - 200), start))


def _infer_published(text: str, lines: list[str]) -> str | None:
    dated: list[tuple[int, int, date]] = []  # (priority, position, date); lower priority wins
    years = Counter(int(y) for y in _YEAR_ONLY.findall(text))
    for position, line in enumerate(lines):
        if not _DIGIT.search(line):
            continue
        for pattern in DATE_PATTERNS:
            for match in pattern.finditer(line):
                found = _to_date(match)
                if found:
                    cued = _cued(line, match.start())
                    dated.append((0 if cued else 2, position, found))
        for match in _MONTH_DAY.finditer(line):
            if _cued(line, match.start()) and years:
                found = _to_date(match, year=years.most_common(1)[0][0])
                if found:
                    dated.append((1, position, found))
    if not dated:
        return None
    best_priority = min(item[0] for item in dated)
    best = [item for item in dated if item[0] == best_priority]
    if best_priority < 2:
        return best[0][2].isoformat()
    # With no cue, the date a page repeats most (article lists, datelines) is the likeliest; ties go to the latest.
    counts = Counter(item[2] for item in best)
    return max(counts, key=lambda d: (counts[d], d)).isoformat()


_TITLE_MAX_CHARS = 300  # a headline of up to 25 words; longer lines are never one


def _infer_title(lines: list[str]) -> str | None:
    stripped = [line.strip().lstrip("•·-* ").strip() for line in lines]
    nonblank = [s for s in stripped if s]
    candidates = []
    for candidate in nonblank:
        words = candidate.split()
        if not (4 <= len(words) <= 25 and len(candidate) <= _TITLE_MAX_CHARS):
            continue
        if not (candidate[0].isupper() or candidate[0].isdigit()):
            continue
        if candidate.endswith((".", "?", "!", ":")) or re.search(r"(?:\b(?:19|20)\d\d|\bmins? read)$", candidate, re.I):
            continue
        candidates.append(candidate)
    if not candidates:
        return None
    # A headline repeats on a page: as its own line again, or at the end of a breadcrumb ("World > Headline").
    # Counted in one pass over the lines: each line's endings after a space, as long as a headline can be.
    known = set(candidates)
    repeats = Counter(line for line in nonblank if line in known)
    for line in nonblank:
        space = line.rfind(" ")
        while space >= 0 and len(line) - space - 1 <= _TITLE_MAX_CHARS:
            if line[space + 1 :] in known:
                repeats[line[space + 1 :]] += 1
            space = line.rfind(" ", 0, space)
    return next((candidate for candidate in candidates if repeats[candidate] >= 2), None)
