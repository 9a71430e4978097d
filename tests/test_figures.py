import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.build import build_tables
from analysis.corpus import read_corpus
from analysis.figures import FIGURE_COLUMNS, classify, discrepancies_table, figures_table, format_value, parse_figures


def only(text):
    found = list(parse_figures(text))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("limited the army to 600,000 troops", 600_000, "troops"),
        ("growth of 1.5 percent", 1.5, "percent"),
        ("twenty-six countries are prepared", 26, "countries"),
        ("two dozen leaders met", 24, "leaders"),
        ("assets worth €210 billion on EU soil", 210e9, "EUR"),
        ("assets worth €210bn on EU soil", 210e9, "EUR"),
        ("a 600k army", 600_000, "army"),
        ("a loan of $1.1 billion", 1.1e9, "USD"),
        ("spending of £185bn a year", 185e9, "GBP"),
        ("inflation of 12.5%", 12.5, "percent"),
        ("about 3 per cent", 3, "percent"),
        ("1.5 million euros in aid", 1.5e6, "EUR"),
        ("USD 40 million for drones", 40e6, "USD"),
        ("the 28-point plan", 28, "points"),
        ("a 600,000-soldier limit", 600_000, "troops"),
        ("reduced to 19 points in Geneva", 19, "points"),
        ("26 European countries signed", 26, "countries"),
        ("ready by 2030", 2030, "year"),
    ],
)
def test_parses_value_and_unit(text, value, unit):
    figure = only(text)
    assert figure.value == pytest.approx(value)
    assert figure.unit == unit
    assert figure.text in text


@pytest.mark.parametrize(
    ("text", "qualifier", "low", "high"),
    [
        ("about 20 countries", "about", None, None),
        ("around 20 countries", "around", None, None),
        ("approximately 30 leaders", "approximately", None, None),
        ("more than 30 countries", "more than", 30, None),
        ("up to 5,000 soldiers", "up to", None, 5000),
        ("several thousand troops each", "several", 3000, 9000),
        ("thousands of troops", "thousands of", 2000, 9999),
    ],
)
def test_qualifiers_and_vague_amounts_are_approximate(text, qualifier, low, high):
    figure = only(text)
    assert figure.approximate and figure.qualifier == qualifier
    assert (figure.low, figure.high) == (low, high)


@pytest.mark.parametrize(
    "text",
    [
        "Among them, Point 8 said NATO agrees",  # a label
        "talks on 25 November in Geneva",  # a date
        "published on Nov. 25 by RTL",
        "the meeting on September 4, 2025",
        "on 2025-11-26 the ministers",
        "the call at 10:30 lasted",  # a clock reading
        "2 min read",  # the age of an article
        "a two-hour virtual meeting",  # a duration
        "the second meeting in two weeks",
        "since the end of World War Two",  # a name
        "COVID-19 and the G7 and F-16 jets",
        "his career began in 2021 after university",  # the year of an ordinary date
        "one of them said",
        "the 21st century",
    ],
)
def test_things_that_are_not_figures(text):
    assert list(parse_figures(text)) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_string_yields_figures_whose_text_it_contains(text):
    for figure in parse_figures(text):
        assert text[figure.start : figure.end] == figure.text
        assert figure.text and figure.text in text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["about", "26", "countries", "€210bn", "two dozen", "by", "2030", "troops", ",", "of",
                                 "Point", "8", "several", "thousand", "-point", "600,000", "Nov.", "25", "%"]),
                max_size=12))
def test_number_heavy_strings_never_raise(words):
    text = " ".join(words)
    for figure in parse_figures(text):
        classify(figure, text)
        assert figure.text in text


def test_format_value():
    assert format_value(210e9, "EUR") == "€210bn"
    assert format_value(600_000, "troops") == "600,000 troops"
    assert format_value(2030, "year") == "2030"


# Quality gate against the hand-checked seed figures.

def _matches(found: pd.DataFrame, gold: dict) -> pd.DataFrame:
    same = found[(found["document"] == gold["document"]) & (found["value"].round(3) == round(float(gold["value"]), 3))]
    return same[same["text"].map(lambda t: gold["text"] in t or t in gold["text"])]


def test_figures_gold_gate(seed_tables, gold):
    figures = seed_tables.figures
    right = 0
    wrong = []
    for expected in gold["figures"]:
        hits = _matches(figures, expected)
        ok = hits[(hits["unit"] == expected["unit"]) & (hits["quantity"] == expected["quantity"])]
        if len(ok):
            right += 1
        else:
            wrong.append((expected, hits[["text", "unit", "quantity"]].to_dict("records")))
    false_positives = [
        bad for bad in gold["not_figures"]
        if figures[(figures["document"] == bad["document"])
                   & figures["text"].str.contains(bad["text"], regex=False)].shape[0]
    ]
    recall = right / len(gold["figures"])
    precision = 1 - len(false_positives) / len(gold["not_figures"])
    print(f"\nfigures gate: recall {recall:.2f} ({right}/{len(gold['figures'])} gold figures with value, unit and "
          "quantity), "
          f"precision on not_figures {precision:.2f} ({len(false_positives)} reported)")
    assert not wrong, wrong
    assert not false_positives, false_positives


def test_tracker_and_discrepancies_on_seeds(seed_tables):
    figures = seed_tables.figures
    cap = figures[figures["quantity"] == "ukraine_army_cap"]
    assert set(cap["value"]) == {600_000, 800_000}
    assert cap["document"].nunique() >= 2
    assets = figures[figures["quantity"] == "frozen_russian_assets"].iloc[0]
    assert (assets["value"], assets["unit"]) == (210_000_000_000, "EUR")
    table = seed_tables.discrepancies.set_index("family")
    countries = table.loc["contributing_countries"]
    assert {countries["value_a"], countries["value_b"]} == {20, 26}
    assert {"dates", "wording", "approximate"} <= set(countries["reasons"].split(", "))
    assert "2025-09-04" in countries["explanation"] and "committed to deploying" in countries["explanation"]
    assert "said what they are prepared to do" in countries["explanation"]
    assert "version" in table.loc["ukraine_army_cap", "reasons"]
    assert "Original versus revised" in table.loc["peace_plan_points", "explanation"]


UNSEEN = """Berlin raises defence spending as NATO target looms

Germany's cabinet approved a defence budget of €86 billion for next year, up from €62bn, officials said on Wednesday.
The finance ministry said spending would reach 3.5% of economic output by 2029, and about 20,000 soldiers would be recruited.
Critics in the Bundestag said more than 40 projects were delayed, and that several hundred tanks still awaited repairs.
"""  # noqa: E501 (an article's line)


def test_figures_in_an_article_never_seen_before(tmp_path):
    (tmp_path / "budget.txt").write_text(UNSEEN, encoding="utf-8")
    tables = build_tables(read_corpus(tmp_path))
    figures = tables.figures.set_index("text")
    assert figures.loc["€86 billion", "value"] == 86e9 and figures.loc["€62bn", "unit"] == "EUR"
    assert figures.loc["3.5%", "unit"] == "percent"
    assert figures.loc["2029", "unit"] == "year"
    assert figures.loc["about 20,000 soldiers", "unit"] == "troops"
    assert figures.loc["about 20,000 soldiers", "approximate"]
    assert figures.loc["more than 40 projects", "low"] == 40
    assert figures.loc["several hundred tanks", "high"] == 900
    # Unseen figures group by what they count, not under the story's quantities.
    assert figures.loc["€86 billion", "quantity"] == figures.loc["€62bn", "quantity"] == "other_eur"
    assert figures.loc["more than 40 projects", "quantity"] == "other_projects"
    assert "cap" not in " ".join(tables.figures["quantity"])


def test_currency_pairs_are_explained_as_not_converted():
    rows = [
        {"document": "a", "sentence": 0, "text": "Russian assets worth €210 billion", "start": 0, "end": 10},
        {"document": "b", "sentence": 0, "text": "Russian assets worth $245 billion", "start": 0, "end": 10},
    ]
    documents = pd.DataFrame({"document": ["a", "b"], "published": ["2025-11-01", "2025-11-01"], "outlet": ["X", "Y"]})
    figures = figures_table(pd.DataFrame(rows), documents)
    assert set(figures["quantity"]) == {"frozen_russian_assets"}
    (row,) = discrepancies_table(figures).to_dict("records")
    assert "currency" in row["reasons"] and "not converted" in row["explanation"]


def test_headline_other_values_are_the_most_reported_few_and_a_count_of_the_rest():
    from analysis.figures import OTHER_VALUES_SHOWN, headline_figures, lexicon

    key = lexicon().quantities[0]["key"]
    values = [500.0] * 3 + [700.0] * 2 + [float(v) for v in range(1000, 1000 + 40)] + [900.0]
    rows = [{c: "" for c in FIGURE_COLUMNS} | {"quantity": key, "value": v, "unit": "troops", "approximate": False,
             "document": f"d{i}.txt", "sentence": 0, "published": "2025-01-01" if v != 900.0 else "2025-02-01"}
            for i, v in enumerate(values)]
    headline = headline_figures(pd.DataFrame(rows, columns=FIGURE_COLUMNS)).iloc[0]
    assert headline["value"] == 900.0
    shown, rest = headline["other_values"].split(" and ")
    assert shown.split(", ")[:2] == ["500 troops", "700 troops"]  # most reported first
    assert len(shown.split(", ")) == OTHER_VALUES_SHOWN
    assert rest == f"{42 - OTHER_VALUES_SHOWN} other values"
