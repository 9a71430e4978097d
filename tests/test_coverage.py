import pandas as pd
import pytest

from analysis.coverage import coverage_table, independent_texts, resolve_dates, support_table
from analysis.query import Filters, subset
from analysis.rewrites import find_rewrites


def _frames():
    documents = pd.DataFrame({
        "document": ["a.txt", "b.txt", "c.txt"], "outlet": ["Alpha", "Beta", ""],
        "published": ["2025-01-01", "2025-01-02", "2025-01-03"], "words": [100, 100, 100],
    })
    mentions = pd.DataFrame({
        "document": ["a.txt", "a.txt", "b.txt", "c.txt"], "sentence": [0, 1, 0, 0],
        "entity": ["France", "France", "France", "NATO"],
        "country_iso3": ["FRA", "FRA", "FRA", ""],
    })
    figures = pd.DataFrame({
        "document": ["a.txt", "c.txt"], "quantity": ["troops_cap", "troops_cap"], "quantity_label": ["Cap", "Cap"],
        "value": [10.0, 10.0], "unit": ["troops", "troops"],
    })
    positions = pd.DataFrame({"document": ["b.txt"], "country": ["France"], "topic": ["troops"], "stance": ["leading"]})
    return documents, mentions, figures, positions


def test_coverage_counts_outlet_by_item():
    documents, mentions, figures, positions = _frames()
    table = coverage_table(documents, mentions, figures, positions).set_index(["kind", "outlet", "item"])
    assert table.loc[("entity", "Alpha", "France"), "mentions"] == 2
    assert table.loc[("entity", "Alpha", "France"), "documents"] == 1
    assert table.loc[("entity", "(outlet unknown)", "NATO"), "mentions"] == 1
    assert table.loc[("country", "Beta", "France"), "mentions"] == 1
    assert table.loc[("figure quantity", "(outlet unknown)", "Cap"), "documents"] == 1
    assert table.loc[("topic", "Beta", "troops"), "mentions"] == 1


def test_support_counts_rewrites_once():
    documents, _, figures, positions = _frames()
    roots = {"a.txt": "a.txt", "b.txt": "b.txt", "c.txt": "a.txt"}  # c rewrites a
    support = support_table(documents, figures, positions, roots).set_index("key")
    cap = support.loc["troops_cap=10"]
    assert (cap["documents"], cap["independent_texts"], cap["outlets"], cap["single_source"]) == (2, 1, 1, True)
    independent = support_table(documents, figures, positions, {d: d for d in documents["document"]}).set_index("key")
    assert independent.loc["troops_cap=10", "independent_texts"] == 2
    assert independent.loc["troops_cap=10", "outlets"] == 2


def test_support_lists_articles_and_outlets_in_name_order_and_counts_unknown_outlets_per_text():
    documents = pd.DataFrame({"document": ["a.txt", "b.txt", "c.txt", "d.txt"], "outlet": ["Alpha", "", "", "Beta"]})
    figures = pd.DataFrame({
        "document": ["c.txt", "b.txt", "a.txt", "b.txt", "d.txt", "c.txt"],
        "quantity": ["cap", "cap", "cap", "cap", "cap", "cap"], "quantity_label": ["Cap"] * 6,
        "value": [10.0, 10.0, 10.0, 10.0, 12.0, 12.0], "unit": ["troops"] * 6,
    })
    positions = pd.DataFrame(columns=["document", "country", "topic", "stance"])
    roots = {"a.txt": "a.txt", "b.txt": "a.txt", "c.txt": "c.txt", "d.txt": "d.txt"}  # b rewrites a
    support = support_table(documents, figures, positions, roots).set_index("key")
    ten, twelve = support.loc["cap=10"], support.loc["cap=12"]
    # 10: Alpha carries a's text; b (no outlet) is a rewrite of it, c (no outlet) is a text of its own.
    assert (ten["documents"], ten["independent_texts"], ten["outlets"]) == (3, 2, 2)
    assert ten["document_list"] == "a.txt, b.txt, c.txt" and ten["outlet_list"] == "(outlet unknown), Alpha"
    assert (twelve["documents"], twelve["outlets"], twelve["document_list"]) == (2, 2, "c.txt, d.txt")
    assert twelve["outlet_list"] == "(outlet unknown), Beta" and twelve["item"] == "Cap: 12 troops"


def test_seed_rewrite_pair_is_found_and_no_other(seed_tables):
    pairs = set(zip(seed_tables.duplicates["original"], seed_tables.duplicates["rewrite"]))
    assert pairs == {("001_2efbc909c1ace07d.txt", "000_89a783d890bae77e.txt")}
    passages = seed_tables.exported()["duplicate_passages"]
    assert len(passages) >= 5 and (passages["text_original"] != "").all() and (passages["text_rewrite"] != "").all()
    assert passages["text_original"].str.contains("about 20 countries").any()
    # Texts are looked up from all sentences even when a view kept only some of them (a search).
    view = subset(seed_tables, Filters(search="zzz-no-sentence-has-this"))
    assert view.sentences.empty
    texts = view.passages_with_text(seed_tables.duplicate_passages)
    pd.testing.assert_frame_equal(texts, passages)


def test_twenty_countries_rests_on_one_original_text(seed_tables):
    support = seed_tables.support
    twenty = support[support["item"].str.contains("said what they could contribute: 20 countries")].iloc[0]
    assert twenty["documents"] == 2 and twenty["independent_texts"] == 1 and twenty["single_source"]
    assert twenty["document_list"] == "000_89a783d890bae77e.txt, 001_2efbc909c1ace07d.txt"


def test_unrelated_texts_are_not_duplicates():
    sentences = pd.DataFrame({
        "document": ["a"] * 3 + ["b"] * 3, "sentence": [0, 1, 2] * 2,
        "text": ["Ministers met in Brussels to plan a force for the region.", "They agreed to meet again next month.",
                 "Officials described the talks as constructive and detailed.",
                 "The football club sold its striker for a record fee this summer.",
                 "Fans protested outside the stadium.",
                 "The manager said the squad would be rebuilt around young players."],
    })
    documents = pd.DataFrame({"document": ["a", "b"], "published": ["", ""], "outlet": ["", ""]})
    duplicates, _, _ = find_rewrites(documents, sentences)
    assert duplicates.empty
    assert independent_texts(documents, duplicates) == {"a": "a", "b": "b"}


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("The coalition met virtually on Tuesday.", "2025-11-26", [("2025-11-25", "day", "on Tuesday")]),
        ("The leaders held a session on 25 November.", "2025-11-26", [("2025-11-25", "day", "25 November")]),
        ("The interview was published on Nov. 25.", "2025-11-26", [("2025-11-25", "day", "Nov. 25")]),
        ("Trump hosted Putin in August.", "2025-09-04", [("2025-08-01", "month", "in August")]),
        ("They met on September 4, 2025 in Paris.", "", [("2025-09-04", "day", "September 4, 2025")]),
        ("The talks resumed on 28 December.", "2026-01-05", [("2025-12-28", "day", "28 December")]),
        ("The coalition met virtually on Tuesday.", "", []),
    ],
)
def test_resolve_dates(sentence, published, expected):
    assert resolve_dates(sentence, published) == expected


def test_seed_events_are_dated_against_their_article(seed_tables):
    events = seed_tables.events
    wtx = events[(events["document"] == "004_12e71fb29c3e1acf.txt") & (events["date_text"] == "on Tuesday")]
    assert "2025-11-25" in set(wtx["date"])
    assert (events["evidence"] != "").all()
