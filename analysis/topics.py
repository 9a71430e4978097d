"""The topics of a corpus's positions: an analyst's topics.yaml where its terms name the target, else the corpus's
own targets grouped by head word and shared modifiers ("peace plan", "peace proposal": one topic)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import yaml

from analysis.lexicon import load_yaml

TOPICS_NAME = "topics.yaml"


@dataclass(frozen=True)
class Topic:
    label: str
    terms: tuple[str, ...]
    patterns: tuple[re.Pattern, ...]


@lru_cache(maxsize=1)
def _settings() -> tuple[str, frozenset[str]]:
    data = load_yaml("positions.yaml")
    return data["unspecified"], frozenset(data["generic_targets"])


@lru_cache(maxsize=1)
def _contrary() -> frozenset[str]:
    """Target heads that undo what modifies them ("erosion of rights", "violations of sovereignty"): never grouped
    with it, so one topic holds stances of one direction."""
    data = load_yaml("positions.yaml")
    return frozenset(data["topic_contrary_heads"]) | frozenset(data["violence"]) | frozenset(data["punitive"])


def unspecified_label() -> str:
    """The label of positions whose target names no topic."""
    return _settings()[0]


def read_topics(data: bytes | None, *, label: str = TOPICS_NAME) -> tuple[list[Topic], list[str]]:
    """An analyst's topics (label and terms, in the file's order) and one warning per problem."""
    if not data:
        return [], []
    try:
        parsed = yaml.safe_load(data.decode("utf-8-sig", errors="replace"))
    except yaml.YAMLError as error:
        return [], [f"{label}: not valid YAML ({str(error).splitlines()[0]}); topics ignored"]
    entries = parsed.get("topics") if isinstance(parsed, dict) else None
    if not isinstance(entries, list):
        return [], [f"{label}: no 'topics:' list; topics ignored"]
    topics, warnings = [], []
    for number, entry in enumerate(entries, 1):
        terms = entry.get("terms") if isinstance(entry, dict) else None
        name = str(entry.get("label") or "").strip() if isinstance(entry, dict) else ""
        if not name or not isinstance(terms, list) or not terms:
            warnings.append(f"{label}: topic {number}: needs a label and a list of terms; topic ignored")
            continue
        words = tuple(str(t) for t in terms)
        topics.append(Topic(name, words, tuple(_term_pattern(w) for w in words)))
    return topics, warnings


def write_topics(topics: list[dict]) -> bytes:
    """topics.yaml's text for topics given as {label, terms}."""
    clean = [{"label": t["label"], "terms": list(t["terms"])} for t in topics if t.get("label") and t.get("terms")]
    return yaml.safe_dump({"topics": clean}, allow_unicode=True, sort_keys=False).encode()


def _term_pattern(term: str) -> re.Pattern:
    # An acronym is matched as written ("EU" is not "eu"); other terms in any case, as whole words.
    return re.compile(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", 0 if term.isupper() else re.I)


def assign_topics(positions: pd.DataFrame, topics_file: bytes | None) -> pd.Series:
    """Each position's topic label: the defined topic whose terms its target (else the words around its cue) name
    most, else its target's corpus group, else the unspecified label."""
    defined, _ = read_topics(topics_file)
    if positions.empty:
        return pd.Series([], index=positions.index, dtype=object)
    chosen = [_defined(row, defined) for row in positions.itertuples(index=False)] if defined else \
        [None] * len(positions)
    groups = _groups(positions, [c is None for c in chosen])
    topics = [c or groups.get(i, unspecified_label()) for i, c in enumerate(chosen)]
    if {"document", "sentence", "iso3", "cue_start"} <= set(positions.columns):
        topics = _carried(positions, topics)
    return pd.Series(topics, index=positions.index, dtype=object)


def _carried(positions: pd.DataFrame, topics: list[str], reach: int = 1) -> list[str]:
    """Topics with an elliptical stance ("..., while Poland and Italy have said no") given the topic of the
    article's stance just before it, in its sentence or the one before, by another holder (the same holder's next
    sentence is more often a new point than an ellipsis)."""
    unspecified = unspecified_label()
    out = list(topics)
    latest: dict[str, tuple[int, str, str]] = {}
    # plain lists: a pandas lookup per row costs more than the whole loop
    documents, holders = list(positions["document"]), list(positions["iso3"])
    sentences, targets = [int(s) for s in positions["sentence"]], list(positions["target"])
    keys = list(zip(documents, sentences, positions["cue_start"].fillna(0)))
    for i in sorted(range(len(positions)), key=keys.__getitem__):
        document, sentence, holder = documents[i], sentences[i], holders[i]
        before = latest.get(document)
        if (out[i] == unspecified and not targets[i] and before and sentence - before[0] <= reach
                and (before[2] != holder or before[0] == sentence)):
            out[i] = before[1]
        if out[i] != unspecified:
            latest[document] = (sentence, out[i], holder)
    return out


def _defined(row, defined: list[Topic], reach: int = 60) -> str | None:
    """The defined topic that the target names with most terms; for a target that names nothing itself ("it", "the
    idea"), the one the words near the cue, else the sentence, name."""
    start = int(row.cue_start) if row.cue_start == row.cue_start else 0
    near = row.evidence[max(0, start - reach) : start + len(row.cue) + reach]
    # A target of several words names its topic itself: the words around it are about something else.
    named = bool(str(row.target_terms or "").strip()) and str(row.target_head or "") not in _settings()[1]
    for text in (row.target,) if named else (row.target, near, row.evidence):
        if not text:
            continue
        # the target's head word counts half a term more: "a cap of 800,000 soldiers" is about the cap
        head = str(row.target_head or "") if text is row.target else ""
        scores = [sum(1 for p in topic.patterns if p.search(text)) + 0.5 * (head.lower() in
                                                                            {t.lower() for t in topic.terms})
                  for topic in defined]
        if max(scores) > 0:
            return defined[scores.index(max(scores))].label
    return None


def _groups(positions: pd.DataFrame, wanted: list[bool]) -> dict[int, str]:
    """Row number -> group label for the rows wanted: targets with one head word are one group, a head joins the
    group of a more frequent head its characteristic modifier ties it to ("peace plan", "peace proposal"), and
    the group is labelled by its most frequent phrase."""
    _, generic = _settings()
    keys: dict[int, tuple[str, list[str]]] = {}
    about: dict[int, str] = {}  # row -> the country its target is about ("@RUS"), if any
    borrowed: set[int] = set()  # rows whose head is a modifier standing in for a generic head
    for i, (head, terms, want) in enumerate(zip(positions["target_head"], positions["target_terms"], wanted)):
        if not want:
            continue
        words = str(terms or "").split()
        about[i] = next((t for t in words if t.startswith("@")), "")
        modifiers = [t for t in words if t not in generic and not t.startswith("@")]
        head = str(head or "")
        if not head or head in generic:
            head, modifiers = (modifiers[0], modifiers[1:]) if modifiers else ("", [])
            borrowed.add(i)  # the phrase written for "the authorities' efforts" names the efforts, not the group
        if head:
            keys[i] = (head, modifiers)
    root = _joined(list(keys.values())).get
    # A group is split by the country its targets are about; targets about none join the group's only country.
    countries: dict[str, set[str]] = {}
    for i, (head, _) in keys.items():
        if about[i]:
            countries.setdefault(root(head), set()).add(about[i])
    group_of = {}
    for i, (head, _) in keys.items():
        only = countries.get(root(head), set())
        group_of[i] = (root(head), about[i] or (next(iter(only)) if len(only) == 1 else ""))
    phrases: dict[tuple, Counter] = {}
    heads: dict[tuple, Counter] = {}
    named: dict[tuple, Counter] = {}  # the phrases the extractor wrote for the targets, per group and head word
    written = list(positions["target_phrase"]) if "target_phrase" in positions else [""] * len(positions)
    # Each article counts once per phrase: a joint statement of twenty signatories repeats its wording twenty times.
    documents = list(positions["document"]) if "document" in positions else list(range(len(positions)))
    counted: set[tuple] = set()
    for i, (head, modifiers) in keys.items():
        group, phrase = group_of[i], str(written[i] or "").strip()
        seen = (documents[i], group, head, tuple(modifiers[:1]), phrase)
        if seen in counted:
            continue
        counted.add(seen)
        phrases.setdefault(group, Counter())[" ".join(modifiers[:1] + [head])] += 1
        heads.setdefault(group, Counter())[head] += 1
        if phrase and i not in borrowed:
            named.setdefault((group, head), Counter())[phrase] += 1
    labels = {}
    for group, counts in phrases.items():
        top = heads[group].most_common(1)[0][0]
        best = named.get((group, top), Counter()).most_common(1)
        labels[group] = best[0][0][:1].upper() + best[0][0][1:] if best else _label(counts, top)
    return {i: labels[group_of[i]] for i in keys}


def _joined(targets: list[tuple[str, list[str]]]) -> dict[str, str]:
    """Head word -> the head of its group: a head joins the most frequent head that shares its characteristic
    modifier (the one on at least half its targets, and the most frequent one of the other head), or that is that
    modifier ("sovereignty and territorial integrity"). Heads that undo what they modify ("erosion of rights",
    "lifting of sanctions") join nothing and nothing joins through them. Joins are one step: chains of shared
    modifiers ("energy security", "security cooperation", "cooperation programme") made one topic of a corpus."""
    count: Counter = Counter()
    modifiers: dict[str, Counter] = {}
    for head, words in targets:
        count[head] += 1
        modifiers.setdefault(head, Counter()).update(set(words))
    def top(head: str) -> str:
        """The head's most frequent modifier (alphabetically first on a tie), or ""."""
        common = modifiers[head].most_common()
        return min(w for w, n in common if n == common[0][1]) if common else ""
    tops = {head: top(head) for head in count}
    order = sorted(count, key=lambda h: (-count[h], h))
    rank = {head: n for n, head in enumerate(order)}
    group: dict[str, str] = {}
    first_with_top: dict[str, str] = {}  # a modifier -> the most frequent root whose characteristic modifier it is
    contrary = _contrary()
    for head in order:
        mark = tops[head]
        joined = None
        if head in contrary:
            group[head] = head  # "the erosion of rights" is no topic of "human rights": a stance on it is the reverse
            continue
        if mark and mark not in contrary and 2 * modifiers[head][mark] >= count[head]:
            found = [r for r in (first_with_top.get(mark), first_with_top.get(head),
                                 mark if group.get(mark) == mark else None) if r]
            joined = min(found, key=rank.__getitem__) if found else None
        group[head] = joined or head
        if joined is None and mark:
            first_with_top.setdefault(mark, head)
    return group


def _label(counts: Counter, head: str) -> str:
    """A group's label: the most frequent phrase of its most frequent head word, a phrase with a modifier when it
    is as frequent as the bare head."""
    own = {phrase: n for phrase, n in counts.items() if phrase.split()[-1] == head}
    best = max(own.items(), key=lambda item: (item[1], " " in item[0], item[0]))[0]
    return best[:1].upper() + best[1:]
