"""Where each country stands: one row per stance a sentence states (holder, target, speaker), the corpus's topics
and the analyst's review applied, and a summary per country and topic."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache

import pandas as pd

from analysis.actors import (
    ArticleContext,
    Links,
    Mention,
    actor_codes,
    actor_name,
    links_in,
    people_in,
    surface_forms,
    words,
)
from analysis.corpus import MAX_SENTENCE_CHARS
from analysis.entities import catalog
from analysis.lexicon import load_yaml
from analysis.nlp import CachedLemmas
from analysis.stances import STANCES, may_state_a_stance, stances_in
from analysis.topics import assign_topics, unspecified_label

__all__ = ["STANCES", "stances_in", "positions_table", "corpus_positions", "summarise", "read_overrides",
           "parse_candidates", "topic_label", "topic_order", "lead_topic"]

ARTICLE_COLUMNS = [
    "document", "country", "iso3", "stance", "evidence", "conditions", "attributed_to", "claimed_by", "published",
    "outlet", "sentence", "cue", "cue_start", "target", "target_head", "target_terms", "target_phrase",
]
POSITION_COLUMNS = ARTICLE_COLUMNS[:3] + ["topic"] + ARTICLE_COLUMNS[3:] + ["source", "review", "extracted_stance",
                                                                            "note"]
SUMMARY_COLUMNS = ["country", "iso3", "topic", "stance", "published", "outlet", "document", "sentence", "evidence",
                   "conditions", "attributed_to", "claimed_by", "reports", "outlets", "conflict", "conflict_note",
                   "source", "note"]
OVERRIDE_COLUMNS = ["document", "sentence", "country", "iso3", "topic", "stance", "decision", "note"]
DECISIONS = ("accept", "reject", "set")


@lru_cache(maxsize=1)
def _settings() -> dict:
    data = load_yaml("positions.yaml")
    return {"groups": {s: g for g, stances in data["agreement_groups"].items() for s in stances},
            "window_days": int(data["conflict_window_days"]), "precedence": tuple(data["precedence"])}


def topic_label(topic: str) -> str:
    """A topic as people read it (topics are their own labels)."""
    return topic or unspecified_label()


def topic_order(topics, reports=None) -> list[str]:
    """The topics given, the most frequent first (on a tie, the one with more reports, when given: a summary's
    `reports` column), the unspecified one last."""
    topics = pd.Series(list(topics), dtype=object)
    counts = topics.value_counts(sort=False)
    weight = pd.Series(list(reports), dtype="float64").groupby(topics.values).sum() if reports is not None else None
    unspecified = unspecified_label()
    return sorted(counts.index, key=lambda t: (t == unspecified, -counts[t],
                                               -weight[t] if weight is not None else 0, t))


def lead_topic(topics, reports=None) -> str | None:
    """The topic a summary leads with: the most frequent one that is named."""
    ordered = topic_order(topics, reports)
    return ordered[0] if ordered else None


@lru_cache(maxsize=1)
def _anaphora() -> re.Pattern:
    """The pronouns and definite descriptions ("the minister") that positions.yaml lets stand for an actor."""
    aw = words()
    pronouns = aw.first_person | aw.group_pronouns | set(aw.third_person)
    definites = aw.definites | aw.plural_definites
    alternatives = [re.escape(w) for w in sorted(pronouns, key=len, reverse=True)]
    # "the Vice Foreign Ministers": a definite may carry a few words of its office before its head.
    heads = "|".join(re.escape(w) for w in sorted(definites, key=len, reverse=True))
    alternatives.append(rf"the (?:[\w-]+ ){{0,3}}(?:{heads})")
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.I)


def is_candidate(text: str, *, names_actor: bool, people: Iterable[str] = ()) -> bool:
    """Whether a sentence may state a stance: a cue word, and a country actor, an anaphor or a linked person."""
    if len(text) > MAX_SENTENCE_CHARS or not may_state_a_stance(text):
        return False
    return names_actor or bool(_anaphora().search(text)) or any(name in text for name in people)


def article_context(texts: list[str], mentions: pd.DataFrame | None, paragraphs: list[int] | None, meta: dict,
                    links: Links | None = None, starts: list[int] | None = None) -> ArticleContext:
    """Who is who in one article: people and offices linked to their country (found in texts and title unless
    given), the actors each sentence names, its paragraphs, and the government that publishes it (when the outlet is
    one)."""
    links = links_in([*texts, str(meta.get("title") or "")]) if links is None else links
    people = links.people
    # no paragraph numbers: the article is one paragraph (pronouns still find what the sentences before name)
    context = ArticleContext(people=people, paragraph=dict(enumerate(paragraphs or [0] * len(texts))),
                             author=_publisher(meta), titles=links.titles)
    known, orgs = catalog(), words().organisations
    if mentions is not None and not mentions.empty:
        for row in mentions.itertuples(index=False):
            info = known.get(row.entity_id) or {}
            code = orgs.get(row.entity_id) or row.country_iso3
            kind = {"person": "person", "demonym": "demonym"}.get(info.get("kind", ""), "state")
            if code and kind and info.get("kind") != "place":
                # mentions are placed in the article; a sentence's own text is counted from its start
                offset = starts[int(row.sentence)] if starts and int(row.sentence) < len(starts) else 0
                context.mentions.setdefault(int(row.sentence), []).append(
                    Mention(int(row.sentence), int(row.start) - offset, code, kind, int(row.end) - offset))
    for index, text in enumerate(texts):
        for match in _titled_name().finditer(text):
            name = match.group(1)
            code = people.get(name) or people.get(name.split()[-1])
            context.mentions.setdefault(index, []).append(Mention(index, match.start(), code, "person", match.end()))
    for found in context.mentions.values():
        found.sort(key=lambda m: m.position)
    title = str(meta.get("title") or "")
    context.unlisted_voice = _unlisted_voice(texts, context)
    if context.author:
        context.participants, context.joint = _parties(texts, context, title)
        # a readout's headline names its parties too ("Secretary Blinken's Call with Polish Foreign Minister Rau")
        context.participants = tuple(dict.fromkeys([*context.participants, *people_in([title]).values()]))
    elif _introductions(texts):
        # "The following is the text of a joint statement by the Governments of ...": the text is a joint
        # statement whoever publishes it
        parties, joint = _parties(texts, context, title)
        parties = tuple(p for p in parties if p)
        if joint and len(parties) >= 2:
            context.participants, context.joint = parties, True
    return context


def _unlisted_voice(texts: list[str], context: ArticleContext) -> bool:
    """Whether a lead sentence speaks as a group of countries it names by its label only ("we, the Leaders of the
    Group of Seven (G7)"), listing fewer than two of its members."""
    joint = load_yaml("positions.yaml")["joint"]
    voices, groups = tuple(joint["group_voice"]), _group_forms()
    lead = range(min(len(texts), int(joint["lead_sentences"])))
    if any(len(_listed(texts[i], context.mentions.get(i, []))) >= 2 for i in lead):
        return False  # "The Troika (the United States, the United Kingdom and Norway) ...": it says who they are
    spoken = re.compile(r"\b(?:" + "|".join(re.escape(v) for v in voices) + r")\b", re.I)
    for i in lead:
        for match in spoken.finditer(texts[i]):
            if groups.search(texts[i][match.end():match.end() + 80]):
                return True
    return False


@lru_cache(maxsize=1)
def _group_forms() -> re.Pattern:
    """The written forms of the gazetteer's groups of countries ("G7", "Group of Seven") as one pattern."""
    from analysis.nlp import entity_patterns

    groups = words().country_groups
    forms = {p["pattern"] for p in entity_patterns() if p["id"] in groups and isinstance(p["pattern"], str)}
    return re.compile(r"\b(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")\b")


def _introductions(texts: list[str]) -> list[int]:
    """The lead sentences that introduce a quoted text: they say so, or "Begin Text" follows them."""
    joint = load_yaml("positions.yaml")["joint"]
    lead = range(min(len(texts), int(joint["lead_sentences"])))
    starts = tuple(joint["text_start"])
    found = [i for i in lead if any(w in texts[i].lower() for w in joint["introductions"])]
    # "The following statement was issued by the United States as Chair. It is endorsed by 93 other countries: ...":
    # the sentence after an introduction may name its authors
    after = [i + 1 for i in found if i + 1 in lead and any(w in texts[i + 1].lower() for w in joint["authorship"])]
    return found + after + [i - 1 for i in lead if i > 0 and texts[i].lower().strip(" :.").startswith(starts)]


def _parties(texts: list[str], context: ArticleContext, title: str = "") -> tuple[tuple[str, ...], bool]:
    """A government text's parties (its publisher and the countries of the people its lead names) and whether it is
    their joint statement (its title or lead says so)."""
    joint = load_yaml("positions.yaml")["joint"]
    lead = range(min(len(texts), int(joint["lead_sentences"])))
    named = [m.code for i in lead for m in context.mentions.get(i, []) if m.code and m.kind == "person"
             and _takes_part(texts[i], m, joint["discussed"])]
    # The sentence that says it is a joint statement names who makes it ("released by the ministers of X and Y");
    # so does the one that introduces a quoted text, or the one just before "Begin Text".
    says = [i for i in lead if any(w in texts[i].lower() for w in joint["texts"])] + _introductions(texts)
    codes = [_listed(texts[i], context.mentions.get(i, [])) for i in sorted(set(says))]
    signatories = next((found for found in codes if len(found) >= 2), [])
    joint_text = bool(signatories) or any(w in text.lower() for w in joint["texts"] for text in
                                          [title, *(texts[i] for i in lead)])
    titled = title_parties(title)  # "U.S.-EU-Canada Joint Statement on Venezuela"
    if joint_text and not signatories and len(titled) < 2:
        # "Representatives of Egypt, France, ... met in Paris": the parties
        named_states = [_listed(texts[i], context.mentions.get(i, [])) for i in lead]
        signatories = next((found for found in named_states if len(found) >= 2), [])
    return tuple(dict.fromkeys([context.author, *titled, *signatories, *named])), joint_text


def _takes_part(text: str, mention: Mention, discussed: list[str]) -> bool:
    """Whether a person a lead sentence names is one of its parties: not a possessor ("President Putin's war") and
    not named after what was discussed ("to discuss ... President Putin")."""
    if mention.end >= 0 and text[mention.end:mention.end + 2] in {"'s", "’s"}:
        return False
    before = text[:mention.position].lower()
    return not any(f" {word} " in f" {before} " or before.rstrip().endswith(word) for word in discussed)


# Capitalised names joined by hyphens: "U.S.-EU-Canada", "Republic of Korea-U.S.-Japan Trilateral Meeting".
_HYPHENATED = re.compile(r"[A-Z][\w.]*(?: (?:of |the )*[A-Z][\w.]*)*(?:-[A-Z][\w.]*(?: (?:of |the )*[A-Z][\w.]*)*)+")


def title_parties(title: str) -> list[str]:
    """The parties a title names as a hyphenated list ("U.S.-Iraq Strategic Dialogue", "Republic of Korea-U.S.-Japan
    Trilateral"): every part an actor (the first may end and the last begin the list), at least two of them."""
    forms = surface_forms(frozenset({"country", "demonym", "organisation"}))
    for match in _HYPHENATED.finditer(title or ""):
        parts = match.group().split("-")
        codes = []
        for n, part in enumerate(parts):
            words_ = part.split()
            # the first part may carry words before the list, the last the words after it ("Canada Joint Statement")
            spans = [words_[k:] for k in range(len(words_))] if n == 0 else \
                [words_[:k] for k in range(len(words_), 0, -1)] if n == len(parts) - 1 else [words_]
            code = next((forms[" ".join(w)] for w in spans if " ".join(w) in forms), None)
            if code is None:
                break
            codes.append(code)
        else:
            if len(set(codes)) >= 2:
                return list(dict.fromkeys(codes))
    return []


# Between two members of a list: a comma or "and", and perhaps an office ("and the High Representative of the").
_LIST_GAP = re.compile(r"^\s*(?:,|[Aa]nd|, and|&|,? as well as)?\s*(?:[Tt]he\s+)?(?:[A-Z][\w-]*\s+){0,4}(?:of\s+)?"
                       r"(?:the\s+)?$")


def _listed(text: str, mentions: list[Mention]) -> list[str]:
    """The longest enumeration of actors in a sentence ("Egypt, France, Germany and the United States"): who a
    joint text's lead names as its parties, not the country they met "to discuss"."""
    best: list[str] = []
    run: list[Mention] = []
    for mention in sorted((m for m in mentions if m.code and m.end >= 0), key=lambda m: m.position):
        if run and not _LIST_GAP.match(text[run[-1].end : mention.position]):
            run = []
        run.append(mention)
        codes = list(dict.fromkeys(m.code for m in run))
        best = codes if len(codes) > len(best) else best
    return best


@lru_cache(maxsize=1)
def _titled_name() -> re.Pattern:
    # "Secretary of State", not "Secretary Of State"
    capitalised = (" ".join(w if w in {"of", "for", "and", "the"} else w.capitalize() for w in t.split())
                   for t in words().person_titles)
    titles = "|".join(re.escape(t) for t in sorted(capitalised, key=len, reverse=True))
    return re.compile(rf"\b(?:{titles}) ((?:[A-Z][\w'’-]*\.? ){{0,2}}[A-Z][\w'’-]+)")


def _publisher(meta: dict) -> str | None:
    """The government an article is published by, when its outlet or author is a seat of government."""
    for value in (meta.get("outlet") or "", meta.get("author") or ""):
        for form, code in surface_forms(frozenset({"seat"})).items():
            if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", value):
                return code
    return None


def positions_table(parsed: Iterable[tuple[str, int, object]], sentences: pd.DataFrame, documents: pd.DataFrame,
                    raw_mentions: pd.DataFrame | None = None, paragraphs: dict[str, list[int]] | None = None,
                    links: dict[str, Links] | None = None) -> pd.DataFrame:
    """One row per (article, sentence, holder) stance from parsed candidate sentences (document, index, Doc);
    links, each article's people and offices linked to a country when the caller has found them already."""
    meta = documents.set_index("document").reindex(columns=["published", "outlet", "author", "title"]).fillna("") \
        .to_dict("index") if not documents.empty else {}
    ordered = {doc: group.sort_values("sentence") for doc, group in sentences.groupby("document")}
    by_document = {doc: list(group["text"]) for doc, group in ordered.items()}
    starts = {doc: [int(x) for x in group["start"]] for doc, group in ordered.items()}
    mentions = dict(iter(raw_mentions.groupby("document"))) if raw_mentions is not None and len(raw_mentions) else {}
    contexts: dict[str, ArticleContext] = {}
    rows = []
    for document, index, doc in parsed:
        info = meta.get(document, {"published": "", "outlet": "", "author": "", "title": ""})
        if document not in contexts:
            contexts[document] = article_context(by_document.get(document, []), mentions.get(document),
                                                 (paragraphs or {}).get(document), info,
                                                 None if links is None else links.get(document, Links({}, {})),
                                                 starts.get(document))
        found_here = stances_in(doc, contexts[document], index)
        texts = by_document.get(document, [])
        evidence = texts[index] if index < len(texts) else doc.text  # a sentence's copy may end in its whitespace
        _remember_group(contexts[document], found_here)
        for found in found_here:
            rows.append({
                "document": document, "country": actor_name(found.code), "iso3": found.code, "stance": found.stance,
                "evidence": evidence, "conditions": found.conditions, "attributed_to": found.attributed_to,
                "claimed_by": found.claimed_by, "published": info["published"], "outlet": info["outlet"],
                "sentence": index, "cue": found.cue, "cue_start": found.cue_start, "target": found.target,
                "target_head": found.target_head, "target_terms": found.target_terms,
                "target_phrase": found.target_phrase,
            })
    frame = pd.DataFrame(rows, columns=ARTICLE_COLUMNS).astype({"sentence": "int64", "cue_start": "int64"})
    return frame.drop_duplicates(["document", "iso3", "stance", "sentence"], ignore_index=True)


def _remember_group(context: ArticleContext, found: list) -> None:
    """Keep the latest several actors that one cue gave a stance to together: who "we" and "they" are next."""
    by_cue: dict[tuple[int, int], list[str]] = {}
    for stance in found:
        by_cue.setdefault((stance.cue_start, stance.cue_end), []).append(stance.code)
    groups = [codes for codes in by_cue.values() if len(set(codes)) >= 2]
    if groups:
        context.group = tuple(dict.fromkeys(groups[-1]))


def parse_candidates(items: Iterable[tuple[str, int, object]], *, nlp, batch_size: int = 64
                     ) -> Iterator[tuple[str, int, object]]:
    """Parse the sentences that may state a stance: (document, sentence index, Doc with parse and gazetteer
    entities). Items are (document, index, sentence) chosen by `is_candidate`; a sentence is a text or a Doc that
    has its tokens and entities already (a copy of the sentence from the pass over the whole article).

    A sentence longer than MAX_SENTENCE_CHARS is never given: the cost of parsing it and matching the stance rules
    against its parse grows faster than its length, for what is a table or a run of text without punctuation.
    """
    items = list(items)
    docs = (_tokenised(sentence, nlp) for _, _, sentence in items)
    # The attribute ruler's dictionary twin where the pipeline has it (the same attributes, a third of the time).
    ruler = "briefing_tag_map" if "briefing_tag_map" in nlp.pipe_names else "attribute_ruler"
    wanted = {"tok2vec", "tagger", "parser", ruler, "lemmatizer"}
    for name in [name for name in nlp.pipe_names if name in wanted]:  # the pipeline's order: the ruler reads the parse
        component = _lemmas(nlp.get_pipe(name)) if name == "lemmatizer" else nlp.get_pipe(name)
        docs = component.pipe(docs, batch_size=batch_size) if hasattr(component, "pipe") else map(component, docs)
    for (document, index, _), doc in zip(items, docs):
        yield document, index, doc


@lru_cache(maxsize=4)
def _lemmas(lemmatizer) -> CachedLemmas:
    """One cache of lemmas per lemmatizer, kept across chunks."""
    return CachedLemmas(lemmatizer)


def _tokenised(sentence, nlp):
    """A sentence as a Doc with tokens and gazetteer entities."""
    if isinstance(sentence, str):
        doc = nlp.make_doc(sentence)
        return nlp.get_pipe("entity_ruler")(doc) if "entity_ruler" in nlp.pipe_names else doc
    return sentence


def corpus_positions(article_positions: pd.DataFrame, topics_file: bytes | None,
                     override_rows: pd.DataFrame | None) -> pd.DataFrame:
    """Every article's positions with the corpus's topics and the analyst's review of single rows applied."""
    frame = article_positions.reindex(columns=ARTICLE_COLUMNS)
    # a table stored before a column existed reads it back empty: text columns as "", offsets as 0
    numeric = ["sentence", "cue_start"]
    frame[numeric] = frame[numeric].fillna(0).astype("int64")
    text = [c for c in ARTICLE_COLUMNS if c not in numeric]
    frame[text] = frame[text].fillna("")
    if "extracted_stance" in article_positions:  # a corpus table given again (stores, merged uploads)
        extracted = article_positions["extracted_stance"].fillna("")
        frame["stance"] = extracted.where(extracted != "", article_positions["stance"])
    frame = frame.assign(topic=assign_topics(frame, topics_file), source="extracted", review="",
                         extracted_stance=frame["stance"], note="")
    rows = override_rows[override_rows["document"] != ""] if override_rows is not None else None
    if rows is not None and not rows.empty:
        frame = _reviewed(frame, rows)
    return frame.reindex(columns=POSITION_COLUMNS).reset_index(drop=True)


def _reviewed(frame: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Positions with the analyst's decisions on single rows (document, sentence, country): accepted, rejected,
    or given another stance; the last decision on a row wins."""
    frame = frame.copy()
    key = frame["document"] + "\x1f" + frame["sentence"].astype(str) + "\x1f" + frame["iso3"]
    for row in rows.itertuples(index=False):
        mask = key == f"{row.document}\x1f{int(row.sentence)}\x1f{row.iso3}"
        if not mask.any():
            continue
        decision = row.decision
        frame.loc[mask, ["source", "review", "note"]] = ["analyst", {"accept": "accepted", "reject": "rejected",
                                                                    "set": "changed"}[decision], row.note]
        if decision == "set":
            frame.loc[mask, "stance"] = row.stance
        if row.topic:
            frame.loc[mask, "topic"] = row.topic
    return frame


def read_overrides(data: bytes | None, *, label: str = "positions_overrides.csv") -> tuple[pd.DataFrame, list[str]]:
    """The analyst's decisions, one warning per bad row (with its line number). A row with document and sentence
    reviews one position (decision accept, reject or set); one without sets a country's stance on a topic."""
    if not data:
        return pd.DataFrame(columns=OVERRIDE_COLUMNS).astype({"sentence": "int64"}), []
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig", errors="replace")))
    missing = [c for c in ("country", "stance") if c not in (reader.fieldnames or [])]
    if missing:
        return (pd.DataFrame(columns=OVERRIDE_COLUMNS).astype({"sentence": "int64"}),
                [f"{label}: line 1: missing columns {', '.join(missing)}; overrides ignored"])
    rows, warnings = [], []
    for row in reader:
        parsed, problem = _override_row({k: (v or "").strip() for k, v in row.items() if k})
        if problem:
            warnings.append(f"{label}: line {reader.line_num}: {problem}; row ignored")
        else:
            rows.append(parsed)
    return pd.DataFrame(rows, columns=OVERRIDE_COLUMNS).astype({"sentence": "int64"}), warnings


def _override_row(row: dict) -> tuple[dict | None, str]:
    """One override row checked: (the row, '') or (None, what is wrong with it)."""
    by_name = {name.casefold(): code for code, name in actor_codes().items()}
    name = row.get("country", "")
    code = by_name.get(name.casefold()) or (name.upper() if name.upper() in actor_codes() else None)
    stance, document = row.get("stance", "").lower(), row.get("document", "")
    decision = row.get("decision", "").lower() or "set"
    if code is None:
        return None, f"unknown country {name!r}"
    if decision not in DECISIONS:
        return None, f"unknown decision {decision!r} (use one of {', '.join(DECISIONS)})"
    if (decision == "set" or not document) and stance not in STANCES:
        return None, f"unknown stance {stance!r} (use one of {', '.join(STANCES)})"
    if document and not row.get("sentence", "").isdigit():
        return None, f"sentence {row.get('sentence', '')!r} is not a sentence number"
    if not document and not row.get("topic"):
        return None, "no topic (a row without document and sentence sets a country's stance on a topic)"
    return {"document": document, "sentence": int(row["sentence"]) if document else -1, "country": actor_name(code),
            "iso3": code, "topic": row.get("topic", ""), "stance": stance, "decision": decision,
            "note": row.get("note", "")}, ""


def _days_apart(a: str, b: str) -> int | None:
    if not a or not b:
        return None
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def _conflict(dated: list[dict], settings: dict) -> str:
    """The first pair of reports (newest first) in different stance groups within the conflict window, in words.

    Reports are sorted newest first, so the days between a report and later rows only grow: the first row after
    a report whose group differs is the only one that can be within the window. Linear in the reports.
    """
    groups = settings["groups"]
    next_other: list[int | None] = [None] * len(dated)
    for i in range(len(dated) - 2, -1, -1):
        differs = groups[dated[i + 1]["stance"]] != groups[dated[i]["stance"]]
        next_other[i] = i + 1 if differs else next_other[i + 1]
    for i, a in enumerate(dated):
        j = next_other[i]
        if j is None:
            continue
        b = dated[j]
        apart = _days_apart(a["published"], b["published"])
        if apart is not None and apart <= settings["window_days"]:
            return (f"{a['stance']} in {a['outlet'] or a['document']} ({a['published']}) versus "
                    f"{b['stance']} in {b['outlet'] or b['document']} ({b['published']})")
    return ""


def summarise(positions: pd.DataFrame, overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per country and topic: the latest stance its own side states (a claim by someone else only when there is
    none), with its evidence, report counts and a conflict flag between its own statements."""
    settings = _settings()
    kept = positions[positions["review"] != "rejected"] if "review" in positions else positions
    cells: dict[tuple[str, str], list[dict]] = {}
    # plain records: a pandas group per (country, topic) cell costs milliseconds, and a corpus has thousands
    for record in _records(kept, _SUMMARY_INPUTS):
        cells.setdefault((record["iso3"], record["topic"]), []).append(record)
    rows = [_summary_row(iso3, topic, group, settings) for (iso3, topic), group in sorted(cells.items())]
    summary = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    if overrides is not None and not overrides.empty:
        summary = _country_overrides(summary, overrides[overrides["document"] == ""])
    return summary.sort_values(["topic", "country"], ignore_index=True)


_SUMMARY_INPUTS = ("country", "iso3", "topic", "stance", "published", "outlet", "document", "sentence", "evidence",
                   "conditions", "attributed_to", "claimed_by", "source", "note")


def _records(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict]:
    """The frame's rows as dicts of the columns it has (column lists: to_dict reads Arrow strings one by one)."""
    present = [c for c in columns if c in frame]
    return [dict(zip(present, values)) for values in zip(*(frame[c].tolist() for c in present))]


def _summary_row(iso3: str, topic: str, group: list[dict], settings: dict) -> dict:
    """One (country, topic) cell of the summary from its reports."""
    own = [r for r in group if not r.get("claimed_by")]
    # Newest first; on the same date the more cautious stance (earlier in `precedence`) stands. Stable sorts, last
    # key first.
    ordered = sorted(own or group, key=lambda r: settings["precedence"].index(r["stance"]))
    ordered.sort(key=lambda r: r["published"], reverse=True)
    ordered.sort(key=lambda r: r["published"] == "")
    latest = ordered[0]
    conflict_note = _conflict([r for r in ordered if r["published"] != ""], settings) if own else ""
    return {
        "country": latest["country"], "iso3": iso3, "topic": topic, "stance": latest["stance"],
        "published": latest["published"], "outlet": latest["outlet"], "document": latest["document"],
        "sentence": int(latest["sentence"]), "evidence": latest["evidence"], "conditions": latest["conditions"],
        "attributed_to": latest["attributed_to"], "claimed_by": latest.get("claimed_by", ""),
        "reports": len(group),
        "outlets": len({r["outlet"] for r in group if isinstance(r["outlet"], str) and r["outlet"]}),
        "conflict": bool(conflict_note), "conflict_note": conflict_note,
        "source": latest.get("source", "extracted") or "extracted", "note": latest.get("note", "") or "",
    }


def _country_overrides(summary: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
    """The summary with the analyst's stance for whole (country, topic) cells."""
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
    return summary
