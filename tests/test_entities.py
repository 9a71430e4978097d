import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.tokens import Doc, Span

from analysis.entities import (
    canonical_text,
    cooccurrence_table,
    entity_table,
    filter_mentions,
    mentions_frame,
    mentions_from_doc,
    resolve,
    top_entities,
)
from analysis.nlp import load_pipeline


@pytest.fixture(scope="module")
def vocab():
    return load_pipeline().nlp.vocab


def make_doc(vocab, words, ents):
    """A Doc with hand-set entities: ents is a list of (start_token, end_token, label, id)."""
    doc = Doc(vocab, words=words)
    doc.ents = [Span(doc, s, e, label=label, span_id=entity_id or 0) for s, e, label, entity_id in ents]
    return doc


def mentions_of(doc, name="a.txt"):
    return list(mentions_from_doc(doc, document=name, sentence_starts=[0]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Kyiv's", "Kyiv"), ("Macron’s", "Macron"), ("“Coalition of the Willing,”", "Coalition of the Willing"),
     ("the Kremlin", "Kremlin"), ("  Keir   Starmer ", "Keir Starmer"), ("French-", "French"), ("Allies'", "Allies")],
)
def test_canonical_text(text, expected):
    assert canonical_text(text) == expected


@given(st.text(max_size=40))
def test_canonical_text_is_idempotent_and_total(text):
    once = canonical_text(text)
    assert canonical_text(once) == once


def test_gazetteer_id_sets_name_type_and_country(vocab):
    doc = make_doc(vocab, ["Officials", "in", "Kyiv", "and", "the", "U.K.", "met", "Trump"],
                   [(2, 3, "PERSON", "place:kyiv"), (5, 6, "GPE", "GBR"), (7, 8, "ORG", "person:donald-trump")])
    found = {(m.text, m.entity, m.label, m.country_iso3) for m in mentions_of(doc)}
    assert found == {("Kyiv", "Kyiv", "GPE", "UKR"), ("U.K.", "United Kingdom", "GPE", "GBR"),
                     ("Trump", "Donald Trump", "PERSON", "USA")}


def test_possessive_is_not_part_of_the_mention(vocab):
    doc = make_doc(vocab, ["Borisova", "'s", "plan"], [(0, 2, "PERSON", None)])
    (mention,) = mentions_of(doc)
    assert (mention.text, mention.entity, mention.start, mention.end) == ("Borisova", "Borisova", 0, 8)


def test_surname_resolves_to_full_name_in_article_then_corpus(vocab):
    first = make_doc(vocab, ["Anna", "Borisova", "spoke", ".", "Borisova", "left", "."],
                     [(0, 2, "PERSON", None), (4, 5, "PERSON", None)])
    second = make_doc(vocab, ["Borisova", "said", "no", "."], [(0, 1, "ORG", None)])
    mentions = resolve(mentions_of(first, "a.txt") + mentions_of(second, "b.txt"))
    assert {m.entity for m in mentions} == {"Anna Borisova"}
    assert len({m.entity_id for m in mentions}) == 1


def test_ambiguous_surname_is_left_alone(vocab):
    doc = make_doc(vocab, ["Anna", "Berg", "and", "Lars", "Berg", "met", ".", "Berg", "spoke"],
                   [(0, 2, "PERSON", None), (3, 5, "PERSON", None), (7, 8, "PERSON", None)])
    assert {m.entity for m in resolve(mentions_of(doc))} == {"Anna Berg", "Lars Berg", "Berg"}


def test_majority_label_wins_for_unknown_names(vocab):
    docs = [make_doc(vocab, ["Acme", "Corp", "said"], [(0, 2, "ORG", None)]) for _ in range(2)]
    docs.append(make_doc(vocab, ["Acme", "Corp", "said"], [(0, 2, "PERSON", None)]))
    mentions = resolve([m for i, d in enumerate(docs) for m in mentions_of(d, f"{i}.txt")])
    assert {(m.label, m.entity_id) for m in mentions} == {("ORG", "ORG:acme-corp")}


def test_tables_and_queries_on_a_small_corpus(vocab):
    a = make_doc(vocab, ["Paris", "and", "France", "agree", "."], [(0, 1, "GPE", "place:paris"), (2, 3, "GPE", "FRA")])
    b = make_doc(vocab, ["France", "said", "."], [(0, 1, "GPE", "FRA")])
    mentions = mentions_frame(resolve(mentions_of(a, "a.txt") + mentions_of(b, "b.txt")))
    documents = pd.DataFrame({"document": ["a.txt", "b.txt"], "outlet": ["Alpha", ""], "published": ["2025-01-01", ""],
                              "words": [500, 1500]})
    entities = entity_table(mentions, documents).set_index("entity")
    assert entities.loc["France", "mentions"] == 2 and entities.loc["France", "outlets"] == 2
    assert entities.loc["France", "outlet_counts"] == "Alpha: 1; (outlet unknown): 1"
    pairs = cooccurrence_table(mentions, sentences_total=2)
    assert list(pairs[["entity_a", "entity_b", "sentences"]].iloc[0]) == ["France", "Paris", 1]
    assert pairs["pmi"].iloc[0] == pytest.approx(0.0)  # France is in every sentence: no association
    filtered, kept = filter_mentions(mentions, documents)
    by_country = top_entities(filtered, kept, actor="country")
    assert set(by_country["entity"]) == {"France"} and by_country["total"].iloc[0] == 3
    rate = top_entities(filtered, kept, per_1000_words=True)
    assert rate.groupby("entity")["value"].sum()["France"] == pytest.approx(1.0)  # 2 mentions in 2,000 words
    dated, _ = filter_mentions(mentions, documents, date_from="2025-01-01")
    assert set(dated["document"]) == {"a.txt"}


def test_entity_table_counts_outlets_most_first_and_dates_each_entity():
    rows = [("d.txt", "France"), ("c.txt", "France"), ("a.txt", "France"), ("b.txt", "France"), ("b.txt", "France"),
            ("c.txt", "NATO"), ("x.txt", "NATO")]  # x.txt is not listed: counted, but with no outlet or date
    mentions = pd.DataFrame({"document": [d for d, _ in rows], "sentence": range(len(rows)),
                             "entity": [e for _, e in rows],
                             "entity_id": [{"France": "FRA", "NATO": "ORG:nato"}[e] for _, e in rows],
                             "label": [{"France": "GPE", "NATO": "ORG"}[e] for _, e in rows],
                             "country_iso3": [{"France": "FRA", "NATO": ""}[e] for _, e in rows]})
    documents = pd.DataFrame({"document": ["a.txt", "b.txt", "c.txt", "d.txt"],
                              "outlet": ["Alpha", "Beta", "Gamma", "Beta"],
                              "published": ["2025-03-01", "", "2025-01-15", "2025-02-01"]})
    table = entity_table(mentions, documents).set_index("entity")
    france, nato = table.loc["France"], table.loc["NATO"]
    assert (france["mentions"], france["documents"], france["outlets"]) == (5, 4, 3)
    # Beta 3; Gamma and Alpha 1 each, Gamma first because it is mentioned first.
    assert france["outlet_counts"] == "Beta: 3; Gamma: 1; Alpha: 1"
    assert (france["first_date"], france["last_date"]) == ("2025-01-15", "2025-03-01")  # the undated b.txt is skipped
    assert (nato["mentions"], nato["documents"], nato["outlets"], nato["outlet_counts"]) == (2, 2, 1, "Gamma: 1")
    assert (nato["first_date"], nato["last_date"]) == ("2025-01-15", "2025-01-15")
    assert list(table.index) == ["France", "NATO"]


# Quality gate against the hand-checked seed expectations.

def _surface_entities(mentions: pd.DataFrame, surface: str) -> set[str]:
    bare = re.sub(r"^the\s+", "", surface)
    return set(mentions.loc[mentions["text"] == bare, "entity_id"])


def test_gold_same_entity_groups_resolve_to_one_entity(seed_tables, gold):
    mentions = seed_tables.mentions
    for group in gold["entities"]["same_entity"]:
        ids = set()
        for surface in group:
            found = _surface_entities(mentions, surface)
            assert found, f"{surface!r} is not found in the seed mentions"
            ids |= found
        assert len(ids) == 1, (group, ids)


def test_gold_expected_types(seed_tables, gold):
    mentions = seed_tables.mentions
    for name, label in gold["entities"]["expected_type"].items():
        labels = set(mentions.loc[(mentions["entity"] == name) | (mentions["text"] == name), "label"])
        assert labels == {label}, (name, labels)


def test_gold_page_furniture_names_are_absent(seed_tables, gold):
    mentions = seed_tables.mentions
    for name in gold["entities"]["not_in_story"]:
        assert not mentions["entity"].str.contains(name, regex=False).any(), name
        assert not mentions["text"].str.contains(name, regex=False).any(), name


def test_united_kingdom_counted_once_with_all_its_forms(seed_tables):
    entities = seed_tables.entities
    uk = entities[entities["entity_id"] == "GBR"]
    assert list(uk["entity"]) == ["United Kingdom"]
    forms = set(seed_tables.mentions.loc[seed_tables.mentions["entity_id"] == "GBR", "text"])
    assert {"UK", "U.K.", "United Kingdom", "Britain"} <= forms
    assert not entities["entity"].isin(["UK", "U.K.", "Britain"]).any()


def test_mention_offsets_slice_their_sentence(seed_tables):
    sentences = seed_tables.sentences.set_index(["document", "sentence"])
    for row in seed_tables.mentions.itertuples(index=False):
        sentence = sentences.loc[(row.document, row.sentence)]
        assert sentence["start"] <= row.start and row.end <= sentence["end"]
        assert sentence["text"][row.start - sentence["start"] : row.end - sentence["start"]] == row.text


def test_shipped_gazetteer_matches_its_sources():
    pytest.importorskip("countryinfo")
    from countryinfo import CountryInfo

    from analysis.gazetteer import (
        CATALOG_FILE,
        PATTERNS_FILE,
        WORLD_FILE,
        generate,
        load_curated,
        render,
        world_geojson,
    )

    jsonl, catalog_json = render(*generate(load_curated(), CountryInfo.all()))
    assert PATTERNS_FILE.read_text("utf-8") == jsonl, "run `python -m analysis.gazetteer` and commit the data files"
    assert CATALOG_FILE.read_text("utf-8") == catalog_json
    assert WORLD_FILE.read_text("utf-8") == world_geojson(CountryInfo.all())
    served = WORLD_FILE.parent.parent.parent / "dashboard" / "static" / "world.geojson"
    assert served.read_text("utf-8") == WORLD_FILE.read_text("utf-8"), (
        "copy analysis/data/world.geojson to dashboard/static/")
