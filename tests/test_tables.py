import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from analysis.cli import main
from analysis.export import neutralise, table_bytes
from analysis.tables import Tables
from tests.conftest import SEEDS

DESIGN_DOCUMENT_COLUMNS = ["document", "title", "outlet", "author", "published", "url", "words", "chrome_lines",
                           "content_hash"]
DESIGN_SENTENCE_COLUMNS = ["document", "sentence", "start", "end", "text"]
DESIGN_MENTION_COLUMNS = ["document", "sentence", "start", "end", "text", "label", "entity", "entity_id",
                          "country_iso3"]
ENTITY_COLUMNS = ["entity", "entity_id", "label", "country_iso3", "mentions", "documents", "outlets", "outlet_counts",
                  "first_date", "last_date"]
PAIR_COLUMNS = ["entity_a", "entity_b", "sentences", "documents", "pmi"]


def test_tables_have_design_columns(seed_tables):
    assert list(seed_tables.documents.columns[: len(DESIGN_DOCUMENT_COLUMNS)]) == DESIGN_DOCUMENT_COLUMNS
    assert list(seed_tables.sentences.columns) == DESIGN_SENTENCE_COLUMNS


def test_sentence_offsets_slice_the_body(seed_tables):
    from analysis.corpus import read_corpus

    bodies = {d.document: d.body for d in read_corpus(SEEDS).documents}
    for row in seed_tables.sentences.itertuples(index=False):
        assert bodies[row.document][row.start : row.end] == row.text
    counts = seed_tables.sentences.groupby("document").size()
    assert (counts >= 5).all()


def test_sentences_do_not_cross_paragraphs(seed_tables):
    assert not seed_tables.sentences["text"].str.contains("\n\n").any()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_cli_export_writes_documents_and_sentences(tmp_path, fmt):
    out = tmp_path / "out"
    assert main(["export", str(SEEDS), "--out", str(out), "--format", fmt, "-q"]) == 0
    for name, columns in (("documents", DESIGN_DOCUMENT_COLUMNS), ("sentences", DESIGN_SENTENCE_COLUMNS),
                          ("mentions", DESIGN_MENTION_COLUMNS), ("entities", ENTITY_COLUMNS),
                          ("cooccurrence", PAIR_COLUMNS)):
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            frame = pd.read_csv(path, encoding="utf-8-sig")
        elif fmt == "xlsx":
            frame = pd.read_excel(path)
        else:
            frame = pd.DataFrame(json.loads(path.read_text("utf-8")))
        assert list(frame.columns[: len(columns)]) == columns
    if fmt == "csv":
        assert (out / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_build_store_writes_every_table_as_parquet(tmp_path):
    store = tmp_path / "store"
    assert main(["build", str(SEEDS), "--store", str(store), "-q"]) == 0
    tables = store / (store / "CURRENT").read_text().strip() / "tables"
    assert len(pd.read_parquet(tables / "documents.parquet")) == 5

    assert {p.name for p in tables.iterdir()} >= {f"{name}.parquet" for name in Tables.EXPORTED}
    assert len(pd.read_parquet(tables / "mentions.parquet")) > 100


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1"])
def test_formula_cells_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_xlsx_has_frozen_header_and_no_formulas():
    frame = pd.DataFrame({"text": ["=1+1", "plain"], "n": [1, -2]})
    import io

    sheet = load_workbook(io.BytesIO(table_bytes(frame, "xlsx"))).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B3"].value == -2


def test_a_filter_that_keeps_every_article_shares_the_big_tables_and_one_that_narrows_them_copies_only_those_rows(
        seed_tables):
    from analysis.query import Filters, subset

    by_type = subset(seed_tables, Filters(labels=("PERSON",)))
    assert len(by_type.documents) == len(seed_tables.documents)
    assert by_type.sentences is seed_tables.sentences and by_type.lines is seed_tables.lines  # no copy per cached view
    assert set(by_type.mentions["label"]) == {"PERSON"}
    # Tables whose inputs the filter left whole are the build's own, and equal what recomputing them gives.
    from analysis.coverage import support_table
    from analysis.figures import discrepancies_table
    from analysis.positions import read_overrides, summarise

    for name in ("documents", "figures", "positions", "discrepancies", "support", "position_summary", "duplicates"):
        assert getattr(by_type, name) is getattr(seed_tables, name), name
    roots = dict(zip(seed_tables.documents["document"], seed_tables.documents["original"]))
    pd.testing.assert_frame_equal(by_type.discrepancies, discrepancies_table(by_type.figures))
    pd.testing.assert_frame_equal(by_type.support,
                                  support_table(by_type.documents, by_type.figures, by_type.positions, roots))
    pd.testing.assert_frame_equal(by_type.position_summary,
                                  summarise(by_type.positions, read_overrides(seed_tables.overrides)[0]))

    outlet = sorted(set(seed_tables.documents["outlet"]) - {""})[0]
    narrowed = subset(seed_tables, Filters(outlets=(outlet,)))
    kept = set(narrowed.documents["document"])
    assert 0 < len(kept) < len(seed_tables.documents)
    for name in ("sentences", "mentions", "figures", "positions", "lines"):
        frame = getattr(narrowed, name)
        assert set(frame["document"]) <= kept, name
        full = getattr(seed_tables, name)
        assert len(frame) == full["document"].isin(kept).sum(), name


@pytest.mark.parametrize("filters", [
    {"outlets": ("(outlet unknown)",), "labels": ("PERSON", "GPE")},
    {"outlets": ("(outlet unknown)", "WTX News"), "search": "troops"},
    {"date_from": "2025-11-01", "countries": ("FRA", "GBR")},
    {"date_to": "2025-11-25", "topics": ("troops",), "labels": ("GPE",)},
])
def test_a_view_narrowed_from_the_view_of_its_outlets_and_dates_equals_one_narrowed_from_the_build(seed_tables,
                                                                                                   filters):
    from analysis.query import Filters, articles_only, subset

    wanted = Filters(**filters)
    articles = subset(seed_tables, articles_only(wanted))
    assert 0 < len(articles.documents) < len(seed_tables.documents)
    direct, stepped = subset(seed_tables, wanted), subset(seed_tables, wanted, within=articles)
    for name in Tables.EXPORTED:
        pd.testing.assert_frame_equal(getattr(stepped, name).reset_index(drop=True),
                                      getattr(direct, name).reset_index(drop=True), check_dtype=False, obj=name)
    assert stepped.view == direct.view == repr(wanted)  # the cache tells the two views apart
    if not (wanted.search or wanted.countries):  # rows the rest of the filters keep whole are the view's own
        assert stepped.sentences is articles.sentences and stepped.figures is articles.figures
    with pytest.raises(ValueError):
        subset(seed_tables, wanted, within=seed_tables)


@st.composite
def _spliced_corpora(draw):
    """A generation's rows (articles in order, several rows each), which of its articles stay, and new articles'
    rows (in any order) that go in between."""
    names = [f"{c}.txt" for c in "bdfhjlnp"]
    before = draw(st.lists(st.sampled_from(names), unique=True, max_size=8).map(sorted))
    keep = draw(st.sets(st.sampled_from(before))) if before else set()
    new = draw(st.lists(st.sampled_from([f"{c}.txt" for c in "abcdefghijklmnopq"]), unique=True, max_size=5))
    new = [n for n in new if n not in keep]
    rows = lambda docs: [(d, i) for d in docs for i in range(draw(st.integers(0, 3)))]  # noqa: E731
    return before, frozenset(keep), new, rows(before), draw(st.permutations(rows(new)))


@settings(max_examples=150, deadline=None)
@given(_spliced_corpora())
def test_splicing_new_rows_into_a_generation_equals_concatenating_and_sorting(case):
    from analysis.tables import PARTS_TABLES, Parts, concat_parts, splice_parts

    before, keep, new, base_rows, new_rows = case

    def parts(rows):
        frame = pd.DataFrame(rows, columns=["document", "row"]).astype({"document": "str", "row": "int64"})
        return Parts(**{name: frame for name in PARTS_TABLES})

    def kept(source):
        return Parts(**{n: getattr(source, n)[getattr(source, n)["document"].isin(keep)] for n in PARTS_TABLES})

    order = sorted(keep | set(new))
    base, extra = parts(base_rows), parts(new_rows)
    expected = concat_parts([kept(base), extra]).in_order(order)
    found = splice_parts(base, keep, extra, order)
    for name in PARTS_TABLES:
        pd.testing.assert_frame_equal(getattr(found, name), getattr(expected, name), check_dtype=False, obj=name)
    shuffled = parts(list(reversed(base_rows)))  # a base out of order is sorted the general way
    pd.testing.assert_frame_equal(splice_parts(shuffled, keep, extra, order).documents,
                                  concat_parts([kept(shuffled), extra]).in_order(order).documents,
                                  check_dtype=False)
