"""Where each country stands, per topic, from the sentences that say so: cue lexicon plus dependency parse."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pandas as pd

from analysis.corpus import MAX_SENTENCE_CHARS
from analysis.entities import catalog, country_names
from analysis.lexicon import load_yaml

STANCES = ("leading", "committed", "open", "conditional", "opposed", "undecided")
POSITION_COLUMNS = [
    "document", "country", "iso3", "topic", "stance", "evidence", "conditions", "attributed_to", "published", "outlet",
    "sentence", "cue", "source",
]
SUMMARY_COLUMNS = ["country", "iso3", "topic", "stance", "published", "outlet", "document", "sentence", "evidence",
                   "conditions", "attributed_to", "reports", "outlets", "conflict", "conflict_note", "source", "note"]
_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}
_RELATIVE = {"that", "which", "who", "whom"}
_DEMONSTRATIVES = {"those", "these", "ones", "others"}


@dataclass(frozen=True)
class Cue:
    stance: str
    kind: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Lexicon:
    cues: tuple[Cue, ...]
    any_cue: re.Pattern
    negated: dict[str, str]
    precedence: tuple[str, ...]
    actor_nouns: frozenset[str]
    reporting: frozenset[str]
    pronouns: frozenset[str]
    topics: dict[str, list[re.Pattern]]
    topic_labels: dict[str, str]  # every topic's label, the unspecified one last
    lead_topic: str
    unspecified: str
    groups: dict[str, str]
    window_days: int
    joint_nouns: frozenset[str]
    joint_stance: str


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Stance cues, topics and related word lists from analysis/data/positions.yaml."""
    data = load_yaml("positions.yaml")
    cues = []
    for stance, entries in data["stances"].items():
        for entry in entries:
            # Whole words only, except that a cue starting with punctuation ("-led") attaches to the word before it.
            guard = "" if not entry["cue"][:1].isalnum() else r"(?<![\w])"
            cues.append(Cue(stance, entry.get("kind", "verb"), re.compile(guard + entry["cue"] + r"(?![\w])", re.I)))
    any_cue = re.compile("|".join(f"(?:{c.pattern.pattern})" for c in cues), re.I)
    topics = {
        topic: [re.compile(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", 0 if word.isupper() else re.I)
                for word in entry["words"]]
        for topic, entry in data["topics"].items()
    }
    labels = {topic: entry["label"] for topic, entry in data["topics"].items()}
    labels[data["unspecified"]["key"]] = data["unspecified"]["label"]
    groups = {stance: group for group, stances in data["agreement_groups"].items() for stance in stances}
    return Lexicon(
        cues=tuple(cues), any_cue=any_cue, negated=dict(data["negated"]), precedence=tuple(data["precedence"]),
        actor_nouns=frozenset(data["actor_nouns"]), reporting=frozenset(data["reporting_verbs"]),
        pronouns=frozenset(data["pronouns"]), topics=topics, topic_labels=labels, lead_topic=data["lead"],
        unspecified=data["unspecified"]["key"], groups=groups, window_days=int(data["conflict_window_days"]),
        joint_nouns=frozenset(data["joint"]["nouns"]), joint_stance=data["joint"]["stance"],
    )


def topic_label(topic: str) -> str:
    """A topic as people read it: its label from positions.yaml, else the key with spaces."""
    return lexicon().topic_labels.get(topic) or topic.replace("_", " ")


def topic_order(topics) -> list[str]:
    """The topics given, in positions.yaml's order, unknown ones after them by name."""
    listed = list(lexicon().topic_labels)
    return sorted(set(topics), key=lambda t: (listed.index(t), "") if t in listed else (len(listed), t))


def lead_topic(topics) -> str | None:
    """The topic a summary leads with: positions.yaml's lead topic when present, else the first one given."""
    topics = list(topics)
    lead = lexicon().lead_topic
    return lead if lead in topics else (topics[0] if topics else None)


def is_candidate(sentence: str) -> bool:
    """Whether a sentence has a stance cue at all (cheap test before parsing it)."""
    return bool(lexicon().any_cue.search(sentence))


@dataclass(frozen=True)
class Stance:
    iso3: str
    stance: str
    cue: str
    conditions: str
    attributed_to: str
    cue_start: int = 0
    cue_end: int = 0


def _actors(doc) -> dict[int, str]:
    """Token index -> ISO3 for every token of a country actor: country, capital, seat, leader, demonym before an
    actor noun."""
    known = catalog()
    lex = lexicon()
    actors: dict[int, str] = {}
    for ent in doc.ents:
        info = known.get(ent.ent_id_)
        if not info or not info.get("iso3"):
            continue
        if info["kind"] == "demonym":
            head = ent.root.head
            hyphen_joined = ent.end < len(doc) and doc[ent.end].text == "-"
            if not (head.lower_ in lex.actor_nouns or hyphen_joined or _coordinated_to_actor_noun(ent.root, lex)):
                continue
        for token in ent:
            actors[token.i] = info["iso3"]
    return actors


def _coordinated_to_actor_noun(token, lex: Lexicon) -> bool:
    """'French, British and Dutch officials': a demonym in a conjunction whose first member modifies an actor noun."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token.head.lower_ in lex.actor_nouns


# Clauses hanging off a noun phrase describe it; the countries in them are not the phrase's own
# ("the report, written by US and German experts, criticised ..." is not the US criticising anything).
_ATTACHED_CLAUSES = {"acl", "relcl", "advcl", "ccomp", "parataxis"}


def _subtree_actors(token, actors: dict[int, str]) -> list[str]:
    seen: list[str] = []

    def walk(t) -> None:
        code = actors.get(t.i)
        if code and code not in seen:
            seen.append(code)
        for child in t.children:
            if child.dep_ not in _ATTACHED_CLAUSES:
                walk(child)

    walk(token)
    return seen


def _governing_verb(token):
    while token.dep_ in {"acomp", "xcomp", "attr", "prt", "dobj", "pobj", "prep", "aux", "auxpass", "neg", "advmod",
                         "amod", "compound", "oprd", "det", "npadvmod"} and token.head.i != token.i:
        token = token.head
    return token


def _subject(verb):
    """The subject of verb, borrowed from the verb it is coordinated with or depends on when it has none."""
    for _ in range(4):
        for child in verb.children:
            if child.dep_ in _SUBJECTS:
                return child, verb
        if verb.dep_ in {"conj", "xcomp", "advcl", "acl"} and verb.head.i != verb.i:
            verb = verb.head
        else:
            break
    return None, verb


def _speaker(verb, lex: Lexicon):
    """The subject of the reporting verb that governs verb ('X said it would...', '“...,” X told RTL')."""
    token = verb
    for _ in range(6):
        if token.lemma_.lower() in lex.reporting or token.lower_ in lex.reporting:
            subject, _ = _subject(token)
            if subject is not None:
                return subject, token
        if token.head.i == token.i:
            break
        token = token.head
    return None, None


def _phrase(token) -> str:
    words = [t for t in token.subtree]
    return " ".join(t.text for t in words).replace(" 's", "'s").replace(" ’s", "’s").strip()


def _conditions(text: str, end: int) -> str:
    """The condition stated after a conditional cue, up to the end of its clause (abbreviations like U.S. kept
    whole)."""
    rest = text[end:]
    ends = r";|,\s*(?:but|while|although|though|and\s+(?:said|added|stressed))\b|\s+but\s+"
    clause = re.split(ends, rest, maxsplit=1)[0]
    clause = clause.strip(" ,“”\"'")
    clause = clause[:-1] if clause.endswith(".") and not re.search(r"\b[A-Z]\.[A-Z]\.$", clause) else clause
    return clause[:200]


def _token_at(doc, char: int):
    for token in doc:
        if token.idx <= char < token.idx + max(len(token.text), 1):
            return token
    return None


def _cue_head(doc, start: int, end: int):
    tokens = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in inside or t.head.i == t.i]
    return heads[0] if heads else tokens[0]


def _matches(text: str, lex: Lexicon) -> list[tuple[int, int, Cue]]:
    found = []
    for cue in lex.cues:
        for match in cue.pattern.finditer(text):
            found.append((match.start(), match.end(), cue))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    kept: list[tuple[int, int, Cue]] = []
    for start, end, cue in sorted(found, key=lambda item: -(item[1] - item[0])):
        if all(end <= a or start >= b for a, b, _ in kept):
            kept.append((start, end, cue))
    return sorted(kept, key=lambda item: item[0])


def stances_in(doc) -> list[Stance]:
    """Stances expressed in one parsed sentence (a spaCy Doc with gazetteer entities and a dependency parse)."""
    lex = lexicon()
    actors = _actors(doc)
    if not actors:
        return []
    text = doc.text  # Doc.text joins every token on each access: read it once
    results: list[Stance] = _joint_authors(doc, actors, lex)
    for start, end, cue in _matches(text, lex):
        head = _cue_head(doc, start, end)
        if head is not None:
            results += _cue_stances(_CueMatch(doc, text, actors, lex, cue, start, end, head))
    return _merge(results, lex)


@dataclass(frozen=True)
class _CueMatch:
    """One stance cue found in a parsed sentence, with what the rules that find its holders look at."""

    doc: object
    text: str
    actors: dict[int, str]  # token index -> ISO3 of every country actor's token
    lex: Lexicon
    cue: Cue
    start: int
    end: int
    head: object  # the cue's head token


def _cue_stances(match: _CueMatch) -> list[Stance]:
    """One cue's stance per country holding it: holders by the cue's kind, then negation, attribution, conditions."""
    rule = _HOLDER_RULES.get(match.cue.kind, _no_holders)
    targets, verb = rule(match, _governing_verb(match.head))
    speaker, reporting_verb = _speaker(verb, match.lex)
    stance = match.cue.stance
    if not targets and stance == "conditional" and speaker is not None:
        # "X stressed that any involvement would require ...": the speaker sets conditions for its own part.
        targets = _subtree_actors(speaker, match.actors)
    if not targets:
        return []
    cue_text = match.text[match.start : match.end]
    negated = any(c.dep_ == "neg" for c in verb.children) and not re.search(r"\bnot\b|\bno\b", cue_text, re.I)
    if negated and stance in match.lex.negated:
        stance = match.lex.negated[stance]
    attributed = _attributed(match, speaker, reporting_verb, verb, targets)
    conditions = _conditions(match.text, match.end) if stance == "conditional" else ""
    return [Stance(code, stance, cue_text, conditions, attributed, match.start, match.end) for code in targets]


def _attributed(match: _CueMatch, speaker, reporting_verb, verb, targets: list[str]) -> str:
    """Who a stance is attributed to: the speaker of the reporting verb around it, when that is not the holder."""
    if speaker is None or reporting_verb is None or reporting_verb.i == verb.i:
        return ""
    # A country reported as speaking for itself needs no attribution; anyone else's words do.
    if _subtree_actors(speaker, match.actors) != targets or _attribution(speaker, match.doc) != _phrase(speaker):
        return _attribution(speaker, match.doc)
    return ""


# The rules that find who holds a cue's stance, one per cue kind (positions.yaml explains the kinds). Each takes the
# cue and the verb governing it, and returns the holders' ISO3 codes and the verb the stance hangs on (which
# negation and attribution are read from).


def _verb_holders(match: _CueMatch, verb) -> tuple[list[str], object]:
    """The subject of the cue's clause; a relative pronoun stands for its antecedent, a pronoun for the speaker."""
    subject, verb = _subject(verb)  # the verb climbs to the one whose subject it borrows, found or not
    if subject is None:
        return [], verb
    if subject.lower_ in _RELATIVE:
        return _antecedent_actors(subject, verb, match.actors), verb
    if subject.lower_ in match.lex.pronouns:
        # "Berlin said it would ...": the pronoun is the speaker of the reporting verb above.
        speaker, _ = _speaker(verb.head if verb.head.i != verb.i else verb, match.lex)
        return (_subtree_actors(speaker, match.actors) if speaker is not None else []), verb
    return _subtree_actors(subject, match.actors), verb


def _antecedent_actors(subject, verb, actors: dict[int, str]) -> list[str]:
    """The countries a relative pronoun subject ("that", "which", "who") stands for."""
    antecedent = verb.head if verb.dep_ == "relcl" else subject.head.head
    targets = _subtree_actors(antecedent, actors)
    if not targets and antecedent.lower_ in _DEMONSTRATIVES and antecedent.dep_ == "pobj":
        # "France and Britain are among those that have indicated ...": the clause that names them.
        inner, _ = _subject(_governing_verb(antecedent))
        if inner is not None:
            targets = _subtree_actors(inner, actors)
    return targets


def _agent_holders(match: _CueMatch, verb) -> tuple[list[str], object]:
    """The countries after "by" inside the cue ("will be led by France and the UK")."""
    by = next((t for t in match.doc if match.start <= t.idx < match.end and t.lower_ == "by"), None)
    if by is None:
        return [], verb
    return _subtree_actors(by, match.actors), verb


def _suffix_holders(match: _CueMatch, verb) -> tuple[list[str], object]:
    """The countries written just before the cue ("Dutch- and German-led"), walking back over "and", commas, hyphens."""
    doc, actors = match.doc, match.actors
    first = _token_at(doc, match.start)
    j = (first.i if first else match.head.i) - 1
    targets: list[str] = []
    while j >= 0 and (j in actors or doc[j].text in {"-", "and", ",", "&"} or doc[j].text.endswith("-")):
        if j in actors and actors[j] not in targets:
            targets.insert(0, actors[j])
        j -= 1
    return targets, verb


def _noun_holders(match: _CueMatch, verb) -> tuple[list[str], object]:
    """The possessors of the cue noun ("the Kremlin's opposition"), else the subject of its clause."""
    targets: list[str] = []
    for owner in [c for c in match.head.children if c.dep_ == "poss"]:
        targets += [c for c in _subtree_actors(owner, match.actors) if c not in targets]
    if targets:
        return targets, verb
    return _verb_holders(match, verb)


def _clause_holders(match: _CueMatch, verb) -> tuple[list[str], object]:
    """The subject of the clause a condition attaches to ("X would only act if ..."), never a pronoun."""
    main = verb.head if verb.dep_ in {"advcl", "mark"} else verb
    subject, _ = _subject(_governing_verb(main))
    if subject is None or subject.lower_ in match.lex.pronouns | _RELATIVE:
        return [], main
    return _subtree_actors(subject, match.actors), main


def _no_holders(match: _CueMatch, verb) -> tuple[list[str], object]:
    """A cue of a kind no rule knows: no holder of its own (a conditional one may still be the speaker's)."""
    return [], verb


_HOLDER_RULES = {
    "verb": _verb_holders,
    "agent": _agent_holders,
    "suffix": _suffix_holders,
    "noun": _noun_holders,
    "clause": _clause_holders,
}


def _joint_authors(doc, actors: dict[int, str], lex: Lexicon) -> list[Stance]:
    """'The Franco-German initiative': countries hyphen-joined in front of a joint noun (positions.yaml) lead it."""
    found: list[Stance] = []
    i = 0
    while i < len(doc):
        if i not in actors:
            i += 1
            continue
        chain, j = [actors[i]], i + 1
        while j + 1 < len(doc) and doc[j].text == "-" and j + 1 in actors:
            chain.append(actors[j + 1])
            j += 2
        if len(set(chain)) >= 2 and j < len(doc) and doc[j].lower_ in lex.joint_nouns:
            start, end = doc[i].idx, doc[j].idx + len(doc[j].text)
            found += [Stance(code, lex.joint_stance, doc.text[start:end], "", "", start, end)
                      for code in dict.fromkeys(chain)]
        i = j
    return found


def _attribution(speaker, doc) -> str:
    """Who is speaking: a known person's name when the phrase names one or their office ("the French president"),
    else the phrase."""
    known = catalog()
    phrase = _phrase(speaker)
    countries = []
    for ent in doc.ents:
        if ent.start >= speaker.left_edge.i and ent.end <= speaker.right_edge.i + 1:
            info = known.get(ent.ent_id_)
            if info and info["kind"] == "person":
                return info["name"]
            if info and info.get("iso3"):
                countries.append(info["iso3"])
    title = speaker.lemma_.lower() if speaker.pos_ in {"NOUN", "PROPN"} else ""
    if countries and title:
        holders = [info["name"] for info in known.values()
                   if info["kind"] == "person" and info.get("iso3") == countries[0]
                   and (info.get("role") or "").lower().startswith(title)]
        if len(holders) == 1:
            return f"{holders[0]} ({phrase})"
    return phrase


def _merge(stances: list[Stance], lex: Lexicon) -> list[Stance]:
    best: dict[str, Stance] = {}
    for item in stances:
        current = best.get(item.iso3)
        if current is None or lex.precedence.index(item.stance) < lex.precedence.index(current.stance):
            conditions = item.conditions or (current.conditions if current else "")
            attributed = item.attributed_to or (current.attributed_to if current else "")
            best[item.iso3] = Stance(item.iso3, item.stance, item.cue, conditions, attributed, item.cue_start,
                                     item.cue_end)
        elif item.conditions and not current.conditions:
            best[item.iso3] = Stance(current.iso3, current.stance, current.cue, item.conditions, current.attributed_to,
                                     current.cue_start, current.cue_end)
    return list(best.values())


def topic_of(sentences: list[str], index: int, *, cue: tuple[int, int] | None = None, reach: int = 60) -> str:
    """The topic of a stance: topic words near its cue, else in its sentence, else in the neighbouring sentences.

    The topic with most words wins; ties go to the topic listed first in positions.yaml.
    """
    lex = lexicon()
    texts = []
    if cue is not None and 0 <= index < len(sentences):
        sentence = sentences[index]
        texts.append(sentence[max(0, cue[0] - reach) : cue[1] + reach])
    texts += [" ".join(sentences[i] for i in window if 0 <= i < len(sentences))
              for window in ([index], [index - 1, index + 1], [index - 2, index + 2])]
    for text in texts:
        scores = {topic: sum(1 for p in patterns if p.search(text)) for topic, patterns in lex.topics.items()}
        top = max(scores.values()) if scores else 0
        if top:
            return next(topic for topic, score in scores.items() if score == top)
    return lex.unspecified


def positions_table(
    parsed: Iterable[tuple[str, int, object]], sentences: pd.DataFrame, documents: pd.DataFrame
) -> pd.DataFrame:
    """One row per (article, sentence, country) stance from parsed candidate sentences (document, index, Doc)."""
    names = country_names()
    meta = documents.set_index("document")[["published", "outlet"]].to_dict("index") if not documents.empty else {}
    by_document = {doc: list(group.sort_values("sentence")["text"]) for doc, group in sentences.groupby("document")}
    rows = []
    for document, index, doc in parsed:
        texts = by_document.get(document, [])
        info = meta.get(document, {"published": "", "outlet": ""})
        for found in stances_in(doc):
            topic = topic_of(texts, index, cue=(found.cue_start, found.cue_end)) if texts else lexicon().unspecified
            rows.append({
                "document": document, "country": names.get(found.iso3, found.iso3), "iso3": found.iso3, "topic": topic,
                "stance": found.stance, "evidence": doc.text, "conditions": found.conditions,
                "attributed_to": found.attributed_to, "published": info["published"], "outlet": info["outlet"],
                "sentence": index, "cue": found.cue, "source": "extracted",
            })
    frame = pd.DataFrame(rows, columns=POSITION_COLUMNS)
    return frame.drop_duplicates(["document", "iso3", "topic", "stance", "sentence"], ignore_index=True)


def read_overrides(data: bytes | None, *, label: str = "positions_overrides.csv") -> tuple[pd.DataFrame, list[str]]:
    """Analyst overrides (country, topic, stance, note) and one warning per bad row, with its line number."""
    columns = ["country", "iso3", "topic", "stance", "note"]
    if not data:
        return pd.DataFrame(columns=columns), []
    warnings: list[str] = []
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig", errors="replace")))
    missing = [c for c in ("country", "topic", "stance") if c not in (reader.fieldnames or [])]
    if missing:
        problem = f"{label}: line 1: missing columns {', '.join(missing)}; overrides ignored"
        return pd.DataFrame(columns=columns), [problem]
    by_name = {name.casefold(): code for code, name in country_names().items()}
    rows = []
    for row in reader:
        line = reader.line_num
        name = (row.get("country") or "").strip()
        code = by_name.get(name.casefold()) or (name.upper() if name.upper() in country_names() else None)
        stance = (row.get("stance") or "").strip().lower()
        topic = (row.get("topic") or "").strip() or lexicon().lead_topic
        if code is None:
            warnings.append(f"{label}: line {line}: unknown country {name!r}; row ignored")
        elif stance not in STANCES:
            warnings.append(
                f"{label}: line {line}: unknown stance {stance!r} (use one of {', '.join(STANCES)}); row ignored")
        else:
            rows.append({"country": country_names()[code], "iso3": code, "topic": topic, "stance": stance,
                         "note": (row.get("note") or "").strip()})
    return pd.DataFrame(rows, columns=columns), warnings


def _days_apart(a: str, b: str) -> int | None:
    if not a or not b:
        return None
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def _conflict(dated: pd.DataFrame, lex) -> str:
    """The first pair of reports (newest first) in different stance groups within the conflict window, in words.

    Reports are sorted newest first, so the days between a report and later rows only grow: the first row after
    a report whose group differs is the only one that can be within the window. Linear in the reports.
    """
    rows = list(dated.itertuples(index=False))
    next_other = [None] * len(rows)
    for i in range(len(rows) - 2, -1, -1):
        differs = lex.groups[rows[i + 1].stance] != lex.groups[rows[i].stance]
        next_other[i] = i + 1 if differs else next_other[i + 1]
    for i, a in enumerate(rows):
        j = next_other[i]
        if j is None:
            continue
        b = rows[j]
        apart = _days_apart(a.published, b.published)
        if apart is not None and apart <= lex.window_days:
            return (f"{a.stance} in {a.outlet or a.document} ({a.published}) versus "
                    f"{b.stance} in {b.outlet or b.document} ({b.published})")
    return ""


def summarise(positions: pd.DataFrame, overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per country and topic: the latest stance with its evidence, report counts, and a conflict flag."""
    lex = lexicon()
    rows = []
    for (iso3, topic), group in positions.groupby(["iso3", "topic"], sort=True):
        # Newest first; on the same date the more cautious stance (earlier in `precedence`) stands.
        ordered = group.assign(
            _undated=group["published"] == "", _rank=group["stance"].map(lex.precedence.index)
        ).sort_values(["_undated", "published", "_rank"], ascending=[True, False, True])
        latest = ordered.iloc[0]
        conflict_note = _conflict(ordered[ordered["published"] != ""], lex)
        rows.append({
            "country": latest["country"], "iso3": iso3, "topic": topic, "stance": latest["stance"],
            "published": latest["published"], "outlet": latest["outlet"], "document": latest["document"],
            "sentence": int(latest["sentence"]),
            "evidence": latest["evidence"], "conditions": latest["conditions"],
            "attributed_to": latest["attributed_to"],
            "reports": len(group), "outlets": group["outlet"].replace("", pd.NA).nunique(),
            "conflict": bool(conflict_note), "conflict_note": conflict_note, "source": "extracted", "note": "",
        })
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    if overrides is not None and not overrides.empty:
        for row in overrides.itertuples(index=False):
            mask = (summary["iso3"] == row.iso3) & (summary["topic"] == row.topic)
            values = {"stance": row.stance, "source": "analyst", "note": row.note}
            if mask.any():
                for key, value in values.items():
                    summary.loc[mask, key] = value
            else:
                summary.loc[len(summary)] = {
                    **dict.fromkeys(SUMMARY_COLUMNS, ""), "country": row.country, "iso3": row.iso3, "topic": row.topic,
                    "sentence": -1, "reports": 0, "outlets": 0, "conflict": False, **values,
                }
    return summary.sort_values(["topic", "country"], ignore_index=True)


def parse_candidates(
    items: Iterable[tuple[str, int, str]], *, nlp, batch_size: int = 64
) -> Iterator[tuple[str, int, object]]:
    """Parse only the sentences that may state a stance: (document, sentence index, Doc with parse and gazetteer
    entities).

    A sentence longer than MAX_SENTENCE_CHARS is not parsed: the cost of parsing it and matching the stance rules
    against its parse grows faster than its length, for what is a table or a run of text without punctuation.
    """
    items = [(d, i, t) for d, i, t in items if len(t) <= MAX_SENTENCE_CHARS and is_candidate(t)]
    wanted = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer", "parser", "entity_ruler")
    pipes = [p for p in wanted if p in nlp.pipe_names]
    with nlp.select_pipes(enable=pipes):
        for (document, index, _), doc in zip(items, nlp.pipe((t for _, _, t in items), batch_size=batch_size)):
            yield document, index, doc
