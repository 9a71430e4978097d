"""Numbers in a sentence as figures: value, unit, bound or range, from the words around each number alone."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from text_to_num import text2num

from analysis.lexicon import load_yaml
from analysis.metadata import DATE_PATTERNS, MONTHS

_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")
_WORD = re.compile(r"[A-Za-z](?:[A-Za-z'’-]|\.(?=[A-Za-z]))*")  # "U.S" of "U.S.": a final period ends the sentence
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_DAY = re.compile(
    rf"\b(?:{_MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?)?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?)?\s+(?:of\s+)?(?:{_MONTH_NAMES})\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\b(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?![\d.,]\d)"
                    r"|\b(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s?(?:a\.m\.|p\.m\.|am|pm)(?![a-z])"
                    r"|\b(?:[01]?\d|2[0-3])[:.]?[0-5]\d\s?(?:GMT|UTC|hrs|hours local)\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d{1,4}\)?(?:[\s.-]\d{2,4}){2,4}(?![\w.,])")
_SLASHED = re.compile(r"\b\d{1,4}/\d{1,4}(?:/\d{2,4})?\b")  # 9/11, 24/7, 12/05/2022
_YEAR_RANGE = re.compile(r"\b(?:19|20)\d\d\s*[-–/]\s*(?:(?:19|20)\d\d|\d\d)\b|\b(?:19|20)\d0s\b")
_LIST_NUMBER = re.compile(r"^\s*\(?\d{1,2}[.)]\s")
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|and|or)\s*", re.IGNORECASE)
_VERSION_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """Function words, which never name what a number counts: spaCy's English list plus a few of our own."""
    from spacy.lang.en.stop_words import STOP_WORDS  # imported on first use: importing spaCy is slow

    return frozenset(STOP_WORDS) | {"instead", "per", "each", "also", "already", "still", "yet"}


@dataclass(frozen=True)
class Lexicon:
    unit_of: dict[str, str]
    counted_units: frozenset[str]  # the units unit_of gives ("troops", "countries")
    currency_symbols: list[tuple[str, str]]  # (symbol, code), longest first
    currency_words: dict[str, str]  # every currency word and name, lower case -> code
    currency_codes: frozenset[str]
    code_words: frozenset[str]
    currency_display: dict[str, str]  # code -> the symbol an amount is shown with
    measurement: dict[str, tuple[str, str]]  # form -> (unit, class)
    measurement_class: dict[str, str]  # unit -> class
    measurement_pattern: re.Pattern
    magnitude_before: frozenset[str]
    rate_nouns: frozenset[str]
    fractions: dict[str, int]
    fraction_pattern: re.Pattern
    word_number: re.Pattern  # a number written in words
    scales: dict[str, float]  # every form of a scale word (abbreviations too) -> its value
    spaced_scales: frozenset[str]  # the written-out scale words, which may stand apart from their number
    scale_pattern: re.Pattern  # a scale word or abbreviation right after a number
    money_suffixes: tuple[tuple[float, str], ...]  # (size, suffix) for showing money, largest first
    multipliers: dict[str, int]
    multiplier_pattern: re.Pattern
    vague: dict[str, tuple[int, int]]
    vague_pattern: re.Pattern  # a vague amount, with the scale word after it if any
    vague_scales: dict[str, float | int]
    vague_scale_required: frozenset[str]
    qualifiers: dict[str, str]
    label_words: set[str]
    legal_labels: frozenset[str]  # label words in any case ("section 2", "article 5")
    time_units: set[str]
    duration_cues: tuple[str, ...]
    placing_before: tuple[str, ...]
    placing_after: tuple[str, ...]
    age_cues: frozenset[str]
    year_cues: list[str]
    versions: dict[str, list[str]]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The figure lexicon from analysis/data/figures.yaml, with every ISO 4217 currency from pycountry."""
    data = load_yaml("figures.yaml")
    unit_of = {form.lower(): unit for unit, forms in data["units"].items() for form in forms}
    words, codes = _currency_words(data["currencies"])
    symbols = sorted(data["currencies"]["symbols"].items(), key=lambda pair: -len(pair[0]))
    measurement = {form: (unit, spec["class"]) for unit, spec in data["measurement_units"].items()
                   for form in spec["forms"]}
    scales = _scale_forms(data["scales"])
    multipliers = {k.lower(): int(v) for k, v in data["multipliers"].items()}
    vague = {k.lower(): (int(v[0]), int(v[1])) for k, v in data["vague"].items()}
    # A whole number stays an int (PyYAML reads "1.0e6" as text): so do the ranges it scales.
    vague_scales = {k.lower(): v if isinstance(v, int) else float(v) for k, v in data["vague_scales"].items()}
    fractions = {k.lower(): int(v) for k, v in data["fractions"].items()}
    return Lexicon(
        unit_of=unit_of, counted_units=frozenset(unit_of.values()), currency_symbols=symbols, currency_words=words,
        currency_codes=codes,
        code_words=frozenset(data["currencies"]["code_words"]),
        currency_display={**{c: c + " " for c in codes}, **data["currencies"]["display"]},
        measurement=measurement, measurement_class=dict(measurement.values()),
        measurement_pattern=re.compile(rf"[\s-]?({_alternatives(measurement)})(?![\w²³])"),
        magnitude_before=frozenset(u for u, s in data["measurement_units"].items() if s.get("before")),
        rate_nouns=frozenset(data["rate_nouns"]),
        fractions=fractions,
        fraction_pattern=_fraction_pattern(fractions, data["number_words"]),
        word_number=_word_number_pattern(data["number_words"]),
        scales=scales, spaced_scales=frozenset(word.lower() for word in data["scales"]),
        scale_pattern=re.compile(rf"(\s?)({_alternatives(scales)})\b", re.IGNORECASE),
        money_suffixes=tuple(sorted(((float(spec["value"]), spec["display"]) for spec in data["scales"].values()
                                     if spec.get("display")), reverse=True)),
        multipliers=multipliers,
        multiplier_pattern=re.compile(rf"\s+({_alternatives(multipliers)})\b", re.IGNORECASE),
        vague=vague,
        vague_pattern=re.compile(rf"\b({_alternatives(vague)})(?:\s+({_alternatives(vague_scales)})s?)?\b",
                                 re.IGNORECASE),
        vague_scales=vague_scales,
        vague_scale_required=frozenset(word.lower() for word in data["vague_scale_required"]),
        qualifiers={k.lower(): v for k, v in data["qualifiers"].items()},
        label_words=set(data["label_words"]),
        legal_labels=frozenset(w.lower() for w in data["legal_labels"]),
        time_units={u.lower() for u in data["time_units"]},
        duration_cues=tuple(sorted((c.lower() for c in data["duration_cues"]), key=len, reverse=True)),
        placing_before=tuple(sorted((c.lower() for c in data["placing_before"]), key=len, reverse=True)),
        placing_after=tuple(c.lower() for c in data["placing_after"]),
        age_cues=frozenset(c.lower() for c in data["age_cues"]),
        year_cues=[c.lower() for c in data["year_target_cues"]],
        versions={k: [c.lower() for c in v] for k, v in data["versions"].items()},
    )


def _currency_words(spec: dict) -> tuple[dict[str, str], frozenset[str]]:
    """Every currency name, its last word where that names one currency or figures.yaml says which, and plurals."""
    import pycountry  # the maintained list of ISO 4217 currencies

    listed = {word.lower(): code for word, code in spec["words"].items()}
    plurals = {word.lower(): plural.lower() for word, plural in spec["plurals"].items()}
    found: dict[str, str] = {}
    last_words: dict[str, set[str]] = {}
    codes = set()
    for currency in pycountry.currencies:
        codes.add(currency.alpha_3)
        name = currency.name.lower()
        found[name] = currency.alpha_3
        last_words.setdefault(name.split()[-1], set()).add(currency.alpha_3)
    for word, owners in last_words.items():
        if len(owners) == 1 and word not in listed:
            found.setdefault(word, next(iter(owners)))
    found.update(listed)
    words = {}
    for word, code in found.items():
        last = word.split()[-1]
        plural = word[: len(word) - len(last)] + plurals.get(last, last + "s")
        words[word] = words[plural] = code
    return words, frozenset(codes)


def _scale_forms(scales: dict) -> dict[str, float]:
    """Every written-out scale word and abbreviation, lower case, with its value."""
    forms = {}
    for word, spec in scales.items():
        for form in [word, *spec.get("abbreviations", [])]:
            forms[form.lower()] = float(spec["value"])
    return forms


def _alternatives(words) -> str:
    """A regular expression alternation of words, longest first (so a phrase wins over its first word)."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


def _word_number_pattern(number_words: list[str]) -> re.Pattern:
    """A run of number words ("twenty-six", "two hundred and fifty thousand")."""
    words = "|".join(re.escape(word) for word in number_words)
    return re.compile(rf"\b(?:{words})(?:(?:[\s-]+(?:and[\s-]+)?)(?:{words}))*\b", re.IGNORECASE)


def _fraction_pattern(fractions: dict[str, int], number_words: list[str]) -> re.Pattern:
    """'two-thirds', 'a quarter of', 'half of', 'one in three', '1 in 10', 'one out of five'."""
    small = "|".join(re.escape(w) for w in number_words[:11])
    parts = _alternatives(fractions)
    return re.compile(
        rf"(?<!and\s)(?<!-)\b(?P<num>a|an|one|{small}|\d)[\s-](?P<part>{parts})\b(?!-)"
        rf"|\b(?P<half>half)\s+(?=of\b)"
        rf"|\b(?P<one>one|\d+)\s+(?:in|out\s+of)\s+(?P<every>{small}|\d+)\b(?!\s*(?:{_MONTH_NAMES})\b)",
        re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """One number found in a sentence, normalised; offsets index the sentence text.

    bound: exact | approx | lower | upper | range | vague; low and high are a range's ends or a bound's value.
    unit_class: money | percent | count | number | year | a measurement class (length, mass, duration, ...).
    """

    start: int
    end: int
    text: str
    value: float
    unit: str
    noun: str = ""
    approximate: bool = False
    qualifier: str = ""
    low: float | None = None
    high: float | None = None
    bound: str = "exact"
    unit_class: str = ""
    scale: float = 1.0  # what a scale word multiplied the number by ("$15 billion": 1e9)
    number_start: int = -1  # where the number itself is written
    words: bool = False  # written in words ("five"): without a counted noun it is kept only if the parse finds one


def _excluded_spans(text: str) -> list[tuple[int, int]]:
    """Where numbers are dates, clock times, year ranges, phone numbers, slashed codes or list numbering."""
    spans = [m.span() for p in DATE_PATTERNS for m in p.finditer(text)]
    for pattern in (_MONTH_DAY, _CLOCK, _PHONE, _SLASHED, _YEAR_RANGE):
        spans += [m.span() for m in pattern.finditer(text)]
    listed = _LIST_NUMBER.match(text)
    if listed:
        spans.append(listed.span())
    return spans


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in spans)


def _next_words(text: str, position: int, count: int = 4) -> list[re.Match]:
    words = []
    for match in _WORD.finditer(text, position):
        gap = text[position : match.start()] if not words else text[words[-1].end() : match.start()]
        if re.search(r"[.,;:!?()\"“”\d%$€£]", gap):  # stop at punctuation: the noun must belong to this number
            break
        words.append(match)
        if len(words) == count:
            break
    return words


def _counted_noun(text: str, position: int, lex: Lexicon) -> tuple[str, str, int]:
    """(unit, noun as written, end offset) of what a number counts, or ("", "", position).

    Scans up to four words for a unit of the lexicon, passing adjectives and names ("26 European
    countries") and stopping at a function word ("800,000 instead"); else the next plain noun.
    """
    words = _next_words(text, position)
    for i in range(len(words)):
        for span in (3, 2, 1):
            if i + span <= len(words):
                phrase = " ".join(w.group() for w in words[i : i + span]).lower().rstrip(".")
                if phrase in lex.unit_of:
                    return lex.unit_of[phrase], phrase, words[i + span - 1].end()
                if phrase in lex.currency_words and i == 0:
                    return lex.currency_words[phrase], phrase, words[i + span - 1].end()
        lowered = words[i].group().lower()
        if lowered in _stop_words() and not (i == 0 and lowered == "of") and lowered not in ("other", "more"):
            break
    if words:
        word = words[0].group().rstrip(".")
        if word.isalpha() and word.islower() and word not in _stop_words():
            return word, word, words[0].start() + len(word)
    return "", "", position


def _qualifier_before(text: str, start: int, lex: Lexicon) -> tuple[str, int]:
    before = text[:start].rstrip()
    lowered = before.lower()
    for phrase in sorted(lex.qualifiers, key=len, reverse=True):
        if lowered.endswith(phrase) and (len(before) == len(phrase) or not before[-len(phrase) - 1].isalnum()):
            return phrase, len(before) - len(phrase)
    return "", start


def _is_name_part(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """True for numbers inside names, codes and models: G7, COVID-19, F-16, S&P 500, Boeing 787, Article 5."""
    if start > 0 and (text[start - 1].isalpha() or text[start - 1] in "#№"):
        return True
    if start > 1 and text[start - 1] in "-/" and text[start - 2].isalnum():
        return not (text[start - 1] == "-" and text[start - 2].isdigit())  # "89-93" may be a range, "F-16" is not
    run_on = re.match(r"[A-Za-z]", text[end:])
    if run_on and not (_VERSION_SUFFIX.match(text[end:]) or lex.scale_pattern.match(text, end)
                       or lex.measurement_pattern.match(text, end)):
        return True  # "5G", "A320neo", "3M": letters or digits run on into a name
    previous = re.search(r"(\S+)\s+$", text[:start])
    if not previous:
        return False
    word = previous.group(1)
    if word in lex.label_words or word.rstrip(".") in lex.label_words:
        return True
    # A capitalised word right before the number names it ("Boeing 787", "FTSE 100", "iPhone 12", "Big 12"),
    # unless it is a month, a currency, a qualifier or the possessive of a name ("Ukraine's 600,000").
    bare = word.strip("“\"'(")
    if not bare or not (bare[0].isupper() or re.match(r"[a-z]+[A-Z]", bare)) or bare.endswith(("'s", "’s", ",")):
        return False
    lowered = bare.lower().rstrip(".")
    if lowered in MONTHS or lowered in lex.qualifiers or lowered in lex.currency_words or bare in lex.currency_codes:
        return False
    sentence_start = previous.start() == 0 or re.search(r"[.!?:;“\"]\s*$", text[: previous.start()])
    if sentence_start and lowered in _stop_words():
        return False  # "Some 20 people", "About 300", "The 12 members"
    if sentence_start and lowered in lex.unit_of:
        return False
    if lex.measurement_pattern.match(text, end) or _unit_word_after(text, end, lex):
        return False  # "placed Humberto 785 miles west": a unit follows, so the number is a quantity
    return lex.scale_pattern.match(text, end) is None and not re.match(r"\s?%", text[end:])


def _unit_word_after(text: str, end: int, lex: Lexicon) -> bool:
    word = re.match(r"\s+([a-z]+)", text[end:])
    return bool(word) and (word.group(1) in lex.unit_of or word.group(1) in lex.currency_words)


def _number_candidates(text: str, lex: Lexicon, excluded: list[tuple[int, int]]) -> list[tuple[int, int, float, str]]:
    """(start, end, value, kind) of every number written in digits or words that is not part of a name or date."""
    candidates = []
    for match in _DIGITS.finditer(text):
        start, end = match.span()
        if _inside(start, excluded) or _is_name_part(text, start, end, lex):
            continue
        if text[end : end + 1].isdigit() or _VERSION_SUFFIX.match(text[end:]):
            continue  # an ordinal ("28th") or a run of digits the pattern split
        if text[end : end + 1] == "," and text[end + 1 : end + 2].isdigit():
            continue  # "1,00,000": a grouping the pattern does not read
        candidates.append((start, end, float(match.group().replace(",", "")), "digits"))
    for match in lex.word_number.finditer(text):
        start, end = match.span()
        words = match.group()
        if _inside(start, excluded):
            continue
        if words[0].isupper() and start > 0:
            previous = text[:start].rstrip().split()[-1:] if text[:start].strip() else []
            if previous and previous[0][:1].isupper() and not previous[0].endswith((".", ":")):
                continue  # part of a name such as "World War Two" or "Group of Seven"
        try:
            value = float(text2num(words.lower().replace("-", " ").strip(), "en"))
        except (ValueError, OverflowError):
            continue
        candidates.append((start, end, value, "words"))
    return sorted(_and_a_half(text, c) for c in candidates)


_HALF = re.compile(r"\s+and\s+a\s+half\b", re.IGNORECASE)


def _and_a_half(text: str, candidate: tuple[int, int, float, str]) -> tuple[int, int, float, str]:
    """'one and a half million', 'four and a half months': the half added, the words taken."""
    start, end, value, kind = candidate
    half = _HALF.match(text, end)
    return (start, half.end(), value + 0.5, kind) if half else candidate


def _fractions(text: str, lex: Lexicon) -> Iterator[Figure]:
    """'two-thirds' (66.67%), 'a quarter of' (25%), 'half of' (50%), 'one in three' (33.33%) as percentages."""
    for match in lex.fraction_pattern.finditer(text):
        if match.group("half"):
            share = 0.5
        elif match.group("part"):
            number = match.group("num").lower()
            count = 1 if number in ("a", "an") else _small_number(number)
            share = count / lex.fractions[match.group("part").lower()] if count else 0
            if match.group("part").lower() in ("half", "quarter", "third") and number not in ("a", "one", "an"):
                continue  # "two half" is not a fraction; "three quarter" mostly "three-quarter length"
        else:
            one, every = _small_number(match.group("one")), _small_number(match.group("every"))
            share = one / every if one and every and every > one else 0
        if not 0 < share < 1:
            continue
        end = match.end("part") if match.group("part") else match.end("half") if match.group("half") else match.end()
        yield Figure(match.start(), end, text[match.start() : end], round(share * 100, 2), "percent",
                     unit_class="percent", number_start=match.start())


def _small_number(word: str) -> int:
    """A number written in digits or as one number word."""
    if word.isdigit():
        return int(word)
    try:
        return int(text2num(word.lower(), "en"))
    except ValueError:
        return 0


def _vague_amounts(text: str, lex: Lexicon) -> Iterator[Figure]:
    """'several thousand troops', 'dozens of people', 'hundreds of thousands of deaths': ranges, shown as written."""
    for match in lex.vague_pattern.finditer(text):
        phrase, scale_word = match.group(1).lower(), (match.group(2) or "").lower()
        if phrase in lex.vague_scale_required and not scale_word:
            continue
        low, high = lex.vague[phrase]
        factor = lex.vague_scales.get(scale_word, 1)
        unit, noun, noun_end = _counted_noun(text, match.end(), lex)
        if noun.lower() in lex.time_units:
            continue  # "a few weeks", "several days": time, not a count of things
        noun_end = noun_end if unit else match.end()  # "several U.S. nationals": the parse says what is counted
        low, high = low * factor, high * factor
        yield Figure(match.start(), noun_end, text[match.start() : noun_end], round((low + high) / 2), unit, noun,
                     True, match.group(1).lower(), low, high, "vague", _class_of(unit, lex) if unit else "number",
                     float(factor), match.start(), words=not unit)


def parse_figures(text: str) -> Iterator[Figure]:
    """Every quantity cited in text (a sentence), with value, unit, bound and range; dates, times, names skipped."""
    lex = lexicon()
    excluded = _excluded_spans(text)
    found: list[Figure] = list(_fractions(text, lex))
    taken = [(f.start, f.end) for f in found]
    for figure in _vague_amounts(text, lex):
        if _free(taken, figure.start, figure.end):
            found.append(figure)
            taken.append((figure.start, figure.end))
    singles = []
    for start, end, value, kind in _number_candidates(text, lex, excluded):
        if not _free(taken, start, end):
            continue
        figure = _extend(text, start, end, value, kind, lex)
        # A number of hundreds of digits is no figure an article cites; it would be infinite as a float.
        if figure is not None and math.isfinite(figure.value) and _free(taken, figure.start, figure.end):
            singles.append(figure)
            taken.append((figure.start, figure.end))
    found += _ranges(text, singles, lex)
    yield from sorted(found, key=lambda f: f.start)


def _free(taken: list[tuple[int, int]], a: int, b: int) -> bool:
    return all(b <= x or a >= y for x, y in taken)


def _class_of(unit: str, lex: Lexicon) -> str:
    """The kind of quantity a unit measures: money, percent, year, number, a measurement class, or count."""
    base = unit.split("/")[0]
    if base in lex.currency_codes:
        return "money"
    if base in ("percent", "year", "number", ""):
        return base or "number"
    return lex.measurement_class.get(base, "count")


def _currency_before(text: str, start: int, lex: Lexicon) -> tuple[str, int]:
    """(code, where it starts) of a currency sign or ISO code written right before the number, else ("", start)."""
    before = text[:start]
    stripped = before.rstrip(" ")
    for symbol, code in lex.currency_symbols:
        if stripped.endswith(symbol) and (symbol[-1].isalpha() or symbol[-1] == "." or before.endswith(symbol)):
            at = len(stripped) - len(symbol)
            if symbol[0].isalpha() and at > 0 and stripped[at - 1].isalnum():
                continue  # "AUS$" is not "S$"; "Mrs 5" is not rupees
            return code, at
    code = re.search(r"(?<![\w$])([A-Z]{3})\s?$", before)
    if code and code.group(1) in lex.currency_codes and code.group(1) not in lex.code_words:
        return code.group(1), code.start(1)
    return "", start


def _after_number(text: str, right: int, value: float, kind: str, lex: Lexicon,
                  currency: str = "") -> tuple[float, int, float]:
    """The number's value with its scale ("15 billion", "€210bn") and multiplier ("two dozen"), and where it ends."""
    scaled = 1.0
    scale = lex.scale_pattern.match(text, right)
    if scale and (scale.group(1) == "" or scale.group(2).lower() in lex.spaced_scales):
        # "$5m" is five million dollars; "5m" alone may be five metres
        if not (scale.group(2) in ("m", "M") and lex.measurement_pattern.match(text, right) and not currency):
            scaled = lex.scales[scale.group(2).lower()]
            value *= scaled
            right = scale.end()
    multiplier = lex.multiplier_pattern.match(text[right:])
    if multiplier and kind == "words":
        value *= lex.multipliers[multiplier.group(1).lower()]
        right += multiplier.end()
    return value, right, scaled


def _unit_after(text: str, right: int, currency: str, lex: Lexicon) -> tuple[str, str, int]:
    """(unit, class, end) of a percent sign, currency word or code, or unit of measure right after the number."""
    percent = re.match(r"\s?(%|per\s?cent\b|percent\b|pc\b)", text[right:], re.IGNORECASE)
    if percent:
        return "percent", "percent", right + percent.end()
    if currency:
        return currency, "money", right
    word = re.match(r"\s+([A-Za-z]+(?:\s+[A-Za-z]+)?)", text[right:])
    if word:
        for candidate in (word.group(1), word.group(1).split()[0]):
            if candidate.lower() in lex.currency_words:
                end = right + word.start(1) + len(candidate)
                return lex.currency_words[candidate.lower()], "money", end
        code = word.group(1).split()[0]
        if code in lex.currency_codes and code not in lex.code_words:
            return code, "money", right + word.start(1) + len(code)
    measure = lex.measurement_pattern.match(text, right)
    if measure:
        unit, unit_class = lex.measurement[measure.group(1)]
        return unit, unit_class, measure.end()
    return "", "", right


def _duration(text: str, start: int, right: int, unit: str, lex: Lexicon) -> tuple[str, str, int] | None:
    """An age ("45-year-old", "aged 45") or a reported duration ("a 30-day ceasefire", "sentenced to 10 years") as
    (unit, noun, end); None for time that places an event ("two years later", "in the past 24 hours")."""
    old = re.match(r"[\s-]old\b", text[right:])
    if old and unit == "years":
        return "years", "age", right + old.end()
    singular = not text[start:right].rstrip().endswith("s")  # "a seven hour drive"
    if "-" in text[start:right] or singular:
        noun = re.match(r"\s+([A-Za-z][\w.’'-]*)", text[right:])
        if noun and noun.group(1).lower() not in _stop_words():
            return unit, noun.group(1), right  # "a 30-day ceasefire": the duration of the noun it qualifies
    after = text[right:].lower()
    if re.match(rf"\s+(?:{_alternatives(lex.placing_after)})\b", after):
        return None  # "six days ago", "two years later"
    qualifier, qualifier_start = _qualifier_before(text, start, lex)
    before = (text[:qualifier_start] if qualifier else text[:start]).rstrip().lower()
    if before.endswith(lex.placing_before):
        return None  # "in the past 24 hours", "for the first time in 30 years", "within a week"
    if before.endswith(lex.duration_cues) or re.match(r"\s+of\b", after):
        return unit, "duration", right
    return None


def _extend(text: str, start: int, end: int, value: float, kind: str, lex: Lexicon) -> Figure | None:
    """Grow a bare number into a figure: currency, scale, percent, unit, counted noun, rate, qualifier."""
    previous_word = re.search(r"([A-Za-z.]+)\s*$", text[:start])
    if previous_word and (previous_word.group(1) in lex.label_words
                          or previous_word.group(1).lower() in lex.legal_labels):
        return None  # "Point 8", "Article 5", "section 2 of this order"
    currency, left = _currency_before(text, start, lex)
    magnitude = re.search(rf"\b({_alternatives(lex.magnitude_before)})[\s-]$", text[:start], re.IGNORECASE)
    value, right, scaled = _after_number(text, end, value, kind, lex, currency)
    if scaled != 1 and not currency and re.fullmatch(r"[A-Z]", text[end:right]):
        return None  # "3M", "5G": a name, where "$5M" is money
    unit, unit_class, right = _unit_after(text, right, currency, lex)
    noun = ""
    if magnitude and not unit:  # "a magnitude 6.4 earthquake": a unit written before its number
        unit, unit_class = lex.measurement[magnitude.group(1).lower()]
    if unit_class == "duration":
        duration = _duration(text, start, right, unit, lex)
        if duration is None:
            return None
        unit, noun, right = duration
    elif not unit:
        found = _compound_or_noun(text, start, right, kind, lex)
        if found is None:
            return None
        unit, noun, right = found
        if noun in lex.time_units:
            return None
        unit_class = "count" if unit else ""
    if _is_age(text, start, unit, lex):
        unit, unit_class, noun = "years", "duration", "age"
    if kind == "words" and not unit and text[start:end].lower() in ("one", "a", "an") \
            and not re.match(r"\s*(?:to|-|–)\s*(?:\d|[a-z]+\b)", text[end:]):
        return None  # "one of them", "one day": "one" needs something counted
    if kind == "words" and re.search(r"\b(?:these|those)\s+$", text[:start], re.IGNORECASE):
        return None  # "these two partnerships": things already named, not a reported count
    # "2000 troops", "some 1999 refugees" are counts; "the 2009 release", "March 2021 attack" are years
    counted = unit_class == "count" and (unit in lex.counted_units or bool(_qualifier_before(text, start, lex)[0]))
    if re.fullmatch(r"(?:19|20)\d\d", text[start:end]) and scaled == 1 and unit_class in ("", "count") \
            and not counted:
        if not _is_target_year(text, start, lex):
            return None  # the year of an ordinary date
        unit, unit_class, noun, right = "year", "year", "", end
    unit, right = _rate(text, right, unit, unit_class, lex)
    figure = _bounded(text, left, start, right, value, unit, unit_class or _class_of(unit, lex), noun, scaled, lex)
    return replace(figure, words=kind == "words")


def _compound_or_noun(text: str, start: int, right: int, kind: str, lex: Lexicon) -> tuple[str, str, int] | None:
    """What a bare number counts: a hyphen compound ("28-point", "45-year-old") or the noun after it."""
    compound = re.match(r"-([A-Za-z]+)", text[right:])
    if compound:
        noun = compound.group(1).lower()
        if noun in lex.time_units:
            return None
        return lex.unit_of.get(noun, lex.unit_of.get(noun + "s", noun + "s")), noun, right + compound.end()
    unit, noun, noun_end = _counted_noun(text, right, lex)
    return unit, noun, (noun_end if unit else right)


def _is_age(text: str, start: int, unit: str, lex: Lexicon) -> bool:
    """A bare number after "aged" or in "(45)" after a name is an age."""
    before = re.search(r"([A-Za-z]+)[\s,]*$", text[:start])
    return not unit and bool(before) and before.group(1).lower() in lex.age_cues


def _is_target_year(text: str, start: int, lex: Lexicon) -> bool:
    before = text[:start].lower()
    return any(re.search(r"(?<![\w-])" + re.escape(cue) + r"\s*$", before) for cue in lex.year_cues)


def _rate(text: str, right: int, unit: str, unit_class: str, lex: Lexicon) -> tuple[str, int]:
    """'$58.24 per barrel' -> USD/barrel, '€20 a month' -> EUR/month, '1.2 million barrels a day' -> barrels/day."""
    if not unit or unit_class in ("percent", "year", "duration"):
        return unit, right
    rate = re.match(r"(?:\s*/\s*|\s+(?:per|a|an|each)\s+)([A-Za-z-]+)", text[right:])
    if not rate:
        return unit, right
    per = rate.group(1).lower()
    singular = per[:-1] if per.endswith("s") and per[:-1] in lex.rate_nouns else per
    if singular not in lex.rate_nouns and not re.match(r"\s+per\s", text[right:]):
        return unit, right
    return f"{unit}/{singular}", right + rate.end()


def _bounded(text: str, left: int, start: int, right: int, value: float, unit: str, unit_class: str, noun: str,
             scaled: float, lex: Lexicon) -> Figure:
    """The figure with the qualifier before it as its bound: approx, lower ("at least 8") or upper ("up to 90")."""
    qualifier, qualifier_start = _qualifier_before(text, left, lex)
    bound = lex.qualifiers.get(qualifier, "") or "exact"
    low = value if bound == "lower" else None
    high = value if bound == "upper" else None
    first = qualifier_start if qualifier else left
    return Figure(first, right, text[first:right], value, unit, noun, bound == "approx", qualifier, low, high,
                  bound, unit_class, scaled, start)


def _ranges(text: str, singles: list[Figure], lex: Lexicon) -> list[Figure]:
    """Join "$10 to $15 billion", "$89-93 billion", "between 5,000 and 10,000 troops" into one figure each; a pair
    joined by a hyphen that is no range (a score, "2-1") is dropped."""
    out: list[Figure] = []
    i = 0
    while i < len(singles):
        a = singles[i]
        b = singles[i + 1] if i + 1 < len(singles) else None
        joined = _join(text, a, b, lex) if b is not None else None
        if joined is not None:
            out.append(joined)
            i += 2
            continue
        if b is not None and _shared_unit(text, a, b):
            a = replace(a, unit=b.unit, noun=b.noun, unit_class=b.unit_class)  # "20 or 26 countries"
        if not (b is not None and _no_range(text, a, b)):
            out.append(a)
            i += 1
            continue
        i += 2  # "won 2-1", "a 6–3 majority": a score or a tally, not two figures
    return out


def _shared_unit(text: str, a: Figure, b: Figure) -> bool:
    """In "20 or 26 countries" and "5,000 to 10,000 troops" the first number counts what the second does."""
    return (not a.unit and b.unit_class == "count" and a.scale == 1
            and re.fullmatch(r"\s*(?:or|to|and|-|–)\s*", text[a.end : b.start], re.IGNORECASE) is not None)


def _no_range(text: str, a: Figure, b: Figure) -> bool:
    """Two numbers joined by a dash that make no range: a score with nothing counted ("won 2-1", "89 - 89") or a
    tally whose first number is not below the second ("a 6–3 majority")."""
    gap = text[a.end : b.number_start]
    if re.fullmatch(r"\s*[-–]\s*", gap) is None:
        return False
    if not a.unit and not b.unit:
        return True
    return re.fullmatch(r"[-–]", gap) is not None and a.scale == 1 == b.scale and a.value >= b.value


@lru_cache(maxsize=1)
def _change_verbs() -> re.Pattern:
    """A verb of change shortly before: "rose from 5% to 7%" is a change, not a range (figures.yaml's list)."""
    stems = [word[:-1] if word.endswith("e") else word for word in load_yaml("figures.yaml")["measure_words"]["change"]]
    return re.compile(rf"\b(?:{_alternatives(stems)})\w*\b[^.;]{{0,40}}$", re.IGNORECASE)


def _join(text: str, a: Figure, b: Figure, lex: Lexicon) -> Figure | None:
    """One range figure from a and b when the words between them make a range and their units agree."""
    gap = text[a.end : b.start]
    if not _RANGE_GAP.fullmatch(gap) or (a.unit and b.unit and a.unit != b.unit) or a.bound not in ("exact", "approx"):
        return None
    before = text[: a.start].rstrip().lower()
    opener = re.search(r"(between|from)$", before)
    word = gap.strip().lower()
    if word in ("and", "or") and not (opener and opener.group(1) == "between" and word == "and"):
        return None  # "20 or 26 countries" are two figures; "and" makes a range only after "between"
    if opener and opener.group(1) == "from" and _change_verbs().search(text[: opener.start()]):
        return None  # "rose from 5% to 7%" is a change, two figures
    borrow = a.scale == 1 and b.scale != 1 and a.value * b.scale <= b.value  # "$10 to $15 billion", not
    low = a.value * (b.scale if borrow else 1)  # "between 500,000 and 2 million"
    if not low < b.value or not (a.unit or b.unit):
        return None
    first = opener.start() if opener else a.start  # `before` is text[:a.start], lower-cased and right-stripped
    unit = b.unit or a.unit
    return Figure(first, b.end, text[first : b.end], (low + b.value) / 2, unit, b.noun or a.noun, a.approximate,
                  opener.group(1) if opener else a.qualifier, low, b.value, "range", _class_of(unit, lex),
                  b.scale, a.number_start)


@lru_cache(maxsize=1)
def _maybe_figure() -> re.Pattern:
    """A digit or any word the lexicon reads a figure from (number words, scales, fractions, vague amounts)."""
    lex = lexicon()
    # Whole words only, and no abbreviation ("m", "bn" matter only after a digit) nor "a" ("a few" needs "few").
    words = set(load_yaml("figures.yaml")["number_words"]) | set(lex.spaced_scales) | set(lex.fractions)
    words |= {phrase.split()[1] if phrase.split()[0] == "a" else phrase.split()[0] for phrase in lex.vague}
    words |= set(lex.multipliers) | {w + "s" for w in lex.spaced_scales}
    return re.compile(rf"\d|\b(?:{_alternatives(words)})\b", re.IGNORECASE)


def might_have_figures(text: str) -> bool:
    """A cheap test: False only for a sentence that cannot hold a figure (no digit and no number word)."""
    return _maybe_figure().search(text) is not None
