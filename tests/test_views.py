"""In-process smoke tests of every dashboard view with Streamlit's AppTest."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.render import highlighted_article_html

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def visible(markup: str) -> str:
    """What a reader sees of an HTML block: tags dropped, entities decoded."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.fixture
def app(monkeypatch):
    def make(corpus: Path | None = None) -> AppTest:
        if corpus is not None:
            monkeypatch.setenv("BRIEFING_CORPUS", str(corpus))
        return AppTest.from_file(APP, default_timeout=180)

    return make


def test_sources_view_lists_every_article(app):
    at = app()
    at.switch_page("views/sources.py").run()
    assert not at.exception
    assert at.title[0].value == "Sources"
    assert [m.value for m in at.metric][:2] == ["5", "2"]
    table = at.dataframe[0].value
    assert len(table) == 5
    assert "WTX News" in set(table["outlet"])


def test_sources_view_lists_skipped_files(app, tmp_path):
    (tmp_path / "good.txt").write_text("The ministers met on Thursday and agreed a plan for the coming months.",
                                       encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    at = app(tmp_path)
    at.switch_page("views/sources.py").run()
    assert not at.exception
    skipped = at.dataframe[-1].value
    assert list(skipped.iloc[0]) == ["empty.txt", "empty file"]


def test_reader_shows_body_and_toggles_chrome(app):
    at = app().run()
    at.switch_page("views/reader.py").run()
    assert not at.exception
    at.selectbox(key="reader.document").set_value("004_12e71fb29c3e1acf.txt").run()
    article = visible(at.main.markdown[-1].value)
    assert "France and the United Kingdom have urged" in article
    assert "Close Menu" not in article
    at.toggle(key="reader.show_chrome").set_value(True).run()
    article = visible(at.main.markdown[-1].value)
    assert "Close Menu" in article and "removed, navigation or menu (1 line)" in article


def test_reader_selection_comes_from_the_url(app):
    at = app()
    at.query_params["reader.document"] = "003_5a750be892cdb197.txt"
    at.switch_page("views/reader.py").run()
    assert at.selectbox(key="reader.document").value == "003_5a750be892cdb197.txt"


def test_reader_never_renders_article_html(app, tmp_path):
    (tmp_path / "evil.txt").write_text(
        "The minister said <script>alert('x')</script> and <img src=x onerror=alert(1)> were in the leaked memo today.",
        encoding="utf-8",
    )
    at = app(tmp_path).run()
    at.switch_page("views/reader.py").run()
    article = at.main.markdown[-1].value
    assert "<script>" not in article and "<img" not in article
    assert "&#60;script&#62;" in article


def test_article_html_escapes_chrome_reasons_and_text():
    import pandas as pd

    lines = pd.DataFrame([{"text": "<b>x</b>", "kind": "chrome", "reason": "<i>why</i>", "body_start": -1,
                           "body_text": ""},
                          {"text": "[a](http://x) <s>", "kind": "body", "reason": "", "body_start": 0,
                           "body_text": "[a](http://x) <s>"}])
    empty = pd.DataFrame(columns=["document", "sentence", "start", "end", "label", "entity", "quantity_label",
                                  "country",
                                  "stance", "topic", "text"])
    out = highlighted_article_html(lines, mentions=empty, figures=empty, stances=empty, sentences=empty,
                                   show_chrome=True)
    assert "<b>" not in out and "<i>" not in out and "<s>" not in out and "&#60;b&#62;" in out
    assert "](" not in out


def test_reader_highlights_entities_figures_stances_and_the_linked_sentence(app):
    at = app()
    at.query_params["reader.document"] = "004_12e71fb29c3e1acf.txt"
    at.query_params["reader.sentence"] = "18"
    at.switch_page("views/reader.py").run()
    assert not at.exception
    import html

    article = html.unescape(at.main.markdown[-1].value)
    assert 'title="person: Emmanuel Macron"' in article
    assert "figure: Immobilised Russian assets" in article
    assert "Sweden: open (Troops for a post-war force)" in article
    assert "the sentence you came to read" in article
    assert at.info[0].value.startswith("Sentence 19 of")


def test_reader_writes_its_state_to_the_url_and_a_copied_url_restores_it(app):
    at = app().run()
    at.switch_page("views/reader.py").run()
    at.selectbox(key="reader.document").set_value("001_2efbc909c1ace07d.txt").run()
    at.toggle(key="reader.show_chrome").set_value(True).run()
    shared = dict(at.query_params)
    assert shared == {"reader.document": "001_2efbc909c1ace07d.txt", "reader.show_chrome": "1"}
    fresh = app()
    for key, value in shared.items():
        fresh.query_params[key] = value
    fresh.switch_page("views/reader.py").run()
    assert fresh.selectbox(key="reader.document").value == "001_2efbc909c1ace07d.txt"
    assert fresh.toggle(key="reader.show_chrome").value is True
    assert "Martin Fornusek is a reporter" in fresh.main.markdown[-1].value


def _entities(app, **params):
    at = app()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("views/entities.py").run()
    assert not at.exception
    return at


def test_entities_view_chart_summary_and_evidence(app):
    at = _entities(app)
    summary = at.markdown[0].value
    assert summary.startswith("Ukraine leads with")
    evidence = at.dataframe[-1].value
    assert len(evidence) > 0 and evidence["text"].str.contains("Ukrain").all()


def test_entities_view_country_actor_and_rate(app):
    at = _entities(app)
    at.radio(key="entities.actor").set_value("country").run()
    at.radio(key="entities.unit").set_value("per1000").run()
    assert "per 1,000 words" in at.markdown[0].value
    at.selectbox(key="entities.entity").set_value("United Kingdom").run()
    evidence = at.dataframe[-1].value
    written = set(", ".join(evidence["as_written"]).split(", "))
    assert {"Britain", "British", "London", "Keir Starmer"} & written >= {"Britain", "London"}
    assert dict(at.query_params) == {"entities.actor": "country", "entities.unit": "per1000",
                                     "entities.entity": "United Kingdom"}


def test_entities_view_filters_by_type_and_outlet_from_the_url(app):
    at = _entities(app, **{"f.types": "PERSON", "f.outlets": "WTX News", "entities.n": "5"})
    assert at.multiselect(key="f.types").value == ["PERSON"]
    assert at.slider(key="entities.n").value == 5
    assert "1 of 5 articles match" in at.caption[0].value
    evidence = at.dataframe[-1].value
    assert set(evidence["outlet"]) == {"WTX News"}


def test_entities_view_empty_state(app):
    at = _entities(app, **{"f.from": "2025-11-26", "f.to": "2025-09-04"})
    assert "No entity mention" in at.info[0].value


def test_figures_view_headlines_chart_and_explanations(app):
    at = app()
    at.switch_page("views/figures.py").run()
    assert not at.exception
    cards = {m.label: m.value for m in at.metric}
    assert cards["Cap on Ukraine's army (troops)"] == "800,000"
    assert cards["Immobilised Russian assets"] == "€210bn"
    text = " ".join(m.value for m in at.markdown)
    assert "original and a revised version" in text
    at.selectbox(key="figures.quantity").set_value("countries_committing_troops").run()
    text = " ".join(m.value for m in at.markdown)
    assert "2025-09-04" in text and "countries committed" in text
    assert dict(at.query_params) == {"figures.quantity": "countries_committing_troops"}


def test_figures_table_filters(app):
    at = app()
    at.query_params["figures.units"] = "EUR"
    at.switch_page("views/figures.py").run()
    table = at.dataframe[-1].value
    assert list(table["shown"]) == ["€210bn"]
    assert "immobilised assets of the Russian Central Bank" in table["evidence"].iloc[0]


def test_positions_view_topic_selector_table_and_history(app):
    at = app()
    at.switch_page("views/positions.py").run()
    assert not at.exception
    assert "2 only with conditions" in at.markdown[0].value
    table = at.dataframe[0].value.set_index("country")
    assert table.loc["France", "stance_word"] == "Leading"
    assert table.loc["Turkey", "stance_word"] == "Only with conditions"
    # Macron's "Turkish soldiers will be present" is his claim: in Turkey's history, not a conflict with Turkey's own
    assert table.loc["Turkey", "conflict_note"] == ""
    at.selectbox(key="positions.country").set_value("Turkey").run()
    history = at.dataframe[1].value
    assert {"Only with conditions", "Open to it", "Committed"} <= set(history["stance"])
    claims = set(history.loc[history["stance"] == "Committed", "claimed_by"])
    assert claims == {"Emmanuel Macron (the French president)"}
    at.selectbox(key="positions.topic").set_value("Security guarantees").run()
    assert "security guarantees" in at.markdown[0].value
    assert dict(at.query_params) == {"positions.topic": "Security guarantees"}


def test_positions_view_applies_analyst_overrides(app, tmp_path):
    import shutil

    from tests.conftest import SEEDS

    for path in (p for p in SEEDS.iterdir() if p.is_file()):  # not the hidden analysis store
        shutil.copy(path, tmp_path / path.name)
    overrides = "country,topic,stance,note\nGermany,Troops for a post-war force,opposed,per ministry\n"
    (tmp_path / "positions_overrides.csv").write_text(overrides, "utf-8")
    at = app(tmp_path)
    at.switch_page("views/positions.py").run()
    table = at.dataframe[0].value.set_index("country")
    assert table.loc["Germany", "stance_word"] == "Opposed"
    assert table.loc["Germany", "source_word"] == "analyst override" and table.loc["Germany", "note"] == "per ministry"


def test_corpus_text_cannot_inject_markdown(app, tmp_path):
    (tmp_path / "a.txt").write_text(
        "The ministers from [Evil](http://evil.example) and ![x](http://evil.example/t.png) France met today in Paris. "
        "France pledged to send troops to the mission.", encoding="utf-8")
    (tmp_path / "sources.csv").write_text("file,outlet\na.txt,[Click](http://evil.example)\n", encoding="utf-8")
    at = app(tmp_path).run()
    for page in ("views/overview.py", "views/sources.py", "views/entities.py", "views/reader.py"):
        at.switch_page(page).run()
        assert not at.exception
        for block in at.markdown:
            assert "](http" not in block.value.replace("\\]\\(", "")


def test_overview_is_the_landing_page_and_links_to_details(app):
    at = app().run()
    assert not at.exception
    assert at.title[0].value == "Briefing Desk"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "5" and metrics["Independent texts"] == "4"
    text = " ".join(m.value for m in at.markdown)
    assert "Cap on Ukraine's army \\(troops\\): 800,000 troops" in text and "Kyiv Independent" in text
    assert "Only with conditions:** Germany, Turkey" in text
    assert "Committed:** United States (as claimed by Emmanuel Macron" in text  # only Macron says so
    assert "Contributing countries" in text and "rewrites 001" in text
    # The lead topic of positions.yaml, in its label's words: no story word is written in the dashboard.
    assert "Positions on troops for a post-war force" in {h.value for h in at.subheader}


def test_topic_labels_read_well_inside_a_sentence():
    from dashboard.prose import lower_first

    assert lower_first("Troops for a post-war force") == "troops for a post-war force"
    assert lower_first("Using frozen Russian assets") == "using frozen Russian assets"
    assert lower_first("US peace plan") == "US peace plan" and lower_first("") == ""


def test_sources_view_heatmap_single_source_and_rewrites(app):
    at = app()
    at.switch_page("views/sources.py").run()
    assert not at.exception
    single = at.dataframe[1].value
    twenty = single[single["item"].str.contains("20 countries")]
    assert list(twenty["independent_texts"]) == [1]
    text = " ".join(m.value for m in at.markdown)
    assert "rewrites **001" in text and "Similarity" in text
    at.radio(key="sources.kind").set_value("country").run()
    assert not at.exception and dict(at.query_params) == {"sources.kind": "country"}


def test_global_filters_apply_to_every_view_and_survive_navigation(app):
    at = app()
    at.query_params["f.outlets"] = "WTX News"
    at.query_params["f.from"] = "2025-11-01"
    at.run()
    assert not at.exception
    assert at.metric[0].value == "1"  # Overview: one WTX article in November
    for page in ("views/sources.py", "views/figures.py", "views/positions.py", "views/entities.py", "views/reader.py"):
        at.switch_page(page).run()
        assert not at.exception, page
        assert "1 of 5 articles match the filters" in " ".join(c.value for c in at.caption), page
        assert at.query_params["f.outlets"] == "WTX News" and at.query_params["f.from"] == "2025-11-01"
    at.switch_page("views/figures.py").run()
    assert {m.label for m in at.metric} >= {"Immobilised Russian assets", "Countries at the meeting"}
    assert "Countries committed to the force" not in {m.label for m in at.metric}


def test_search_and_country_filters(app):
    at = app()
    at.query_params["f.q"] = "ceasefire"
    at.switch_page("views/reader.py").run()
    assert not at.exception
    assert "4 of 5 articles match" in at.caption[0].value
    at = app()
    at.query_params["f.countries"] = "TUR"
    at.switch_page("views/positions.py").run()
    table = at.dataframe[0].value
    assert list(table["country"]) == ["Turkey"]


def test_filter_state_round_trips_through_the_url(app):
    at = app().run()
    at.multiselect(key="f.outlets").set_value(["Kyiv Independent"]).run()
    from datetime import date

    at.date_input(key="f.to").set_value(date(2025, 11, 25)).run()
    shared = dict(at.query_params)
    assert shared == {"f.outlets": "Kyiv Independent", "f.to": "2025-11-25"}
    fresh = app()
    for key, value in shared.items():
        fresh.query_params[key] = value
    fresh.run()
    assert fresh.multiselect(key="f.outlets").value == ["Kyiv Independent"]
    assert fresh.date_input(key="f.to").value == date(2025, 11, 25)
    assert fresh.metric[0].value == "1"


UPLOAD = ("Estonia pledged to send a company of soldiers to the reassurance force, the defence ministry said. "
          "Latvia ruled out any deployment of its troops before a ceasefire. The Baltic states met in Tallinn.")


def test_pasted_article_joins_every_view_for_this_session_only(app):
    at = app()
    at.switch_page("views/upload.py").run()
    at.text_area(key="add.text").set_value(UPLOAD)
    at.text_input(key="add.outlet").set_value("Baltic Wire")
    at.text_input(key="add.date").set_value("2025-11-27")
    at.button(key="add.go").click().run()
    assert not at.exception
    added = at.dataframe[0].value
    assert list(added["outlet"]) == ["Baltic Wire"] and list(added["published"]) == ["2025-11-27"]
    at.switch_page("views/positions.py").run()
    table = at.dataframe[0].value.set_index("country")
    assert table.loc["Estonia", "stance_word"] == "Committed" and table.loc["Latvia", "stance_word"] == "Opposed"
    at.switch_page("views/overview.py").run()
    assert at.metric[0].value == "6"
    other = app().run()  # another browser session of the same server
    assert other.metric[0].value == "5"
    other.switch_page("views/positions.py").run()
    assert "Estonia" not in set(other.dataframe[0].value["country"])


def test_upload_page_lists_rejected_input(app):
    at = app()
    at.switch_page("views/upload.py").run()
    at.text_area(key="add.text").set_value("   ")
    at.button(key="add.go").click().run()
    assert "Nothing to add" in at.warning[0].value


def test_filter_changes_never_rerun_the_nlp_and_a_restart_reads_the_store(app, monkeypatch, tmp_path):
    import shutil

    import streamlit as st

    import analysis.engine as engine_module
    from tests.conftest import SEEDS

    for path in (p for p in SEEDS.iterdir() if p.is_file()):
        shutil.copy(path, tmp_path / path.name)
    calls = []
    real = engine_module.analyse_documents
    monkeypatch.setattr(engine_module, "analyse_documents",
                        lambda docs, **k: calls.append(len(docs)) or real(docs, **k))
    st.cache_resource.clear()
    at = app(tmp_path).run()
    assert calls == [5]
    at.multiselect(key="f.outlets").set_value(["WTX News"]).run()
    at.text_input(key="f.q").set_value("troops").run()
    at.switch_page("views/entities.py").run()
    at.radio(key="entities.actor").set_value("country").run()
    assert not at.exception
    assert calls == [5]  # four reruns, one analysis
    st.cache_resource.clear()  # as after a server restart
    restarted = app(tmp_path).run()
    assert not restarted.exception
    assert calls == [5]  # the store's results are read, not recomputed
    assert (tmp_path / ".briefing-store" / "CURRENT").is_file()


def test_inert_html_escapes_once():
    from dashboard.render import inert_html

    assert inert_html("country's <b>[x](y)</b> & more") == (
        "country&#39;s &#60;b&#62;&#91;x&#93;&#40;y&#41;&#60;/b&#62; &#38; more"
    )
    import html

    assert html.unescape(inert_html("Kyiv's “force” & <i>")) == "Kyiv's “force” & <i>"


@pytest.mark.parametrize("params", [{"f.q": "zzzz-no-such-text"}, {"f.from": "2030-01-01"},
                                    {"f.countries": "NZL", "f.topics": "frozen_assets"}])
def test_every_view_has_an_empty_state(app, params):
    at = app()
    for key, value in params.items():
        at.query_params[key] = value
    for page in ("views/overview.py", "views/sources.py", "views/figures.py", "views/positions.py", "views/entities.py",
                 "views/reader.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception[0].message if at.exception else "")


@pytest.mark.parametrize("params", [{"f.from": "not-a-date"}, {"f.to": "3000-01-01"}, {"f.outlets": "Nobody|Nothing"},
                                    {"entities.n": "999"}, {"figures.quantity": "no_such_quantity"}])
def test_malformed_links_never_break_a_view(app, params):
    at = app()
    for key, value in params.items():
        at.query_params[key] = value
    for page in ("views/overview.py", "views/figures.py", "views/entities.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception[0].message if at.exception else "")


def test_a_corpus_the_dashboard_just_built_is_held_as_the_store_serves_it(tmp_path, monkeypatch):
    """After building (or rebuilding) a corpus's store, the dashboard keeps the store's tables, whose big rarely
    used ones are read on first use, not the copy the build assembled in memory."""
    import shutil

    from analysis.build import build_tables
    from analysis.store import Store, default_store
    from analysis.tables import Deferred
    from dashboard import data

    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).resolve().parent.parent / "seeds", corpus, ignore=shutil.ignore_patterns(".*"))
    data._tables.clear()
    tables = data._tables(str(corpus), "first")
    assert Store(default_store(corpus)).generation() is not None
    assert Deferred.pending(tables, "lines") is not None and Deferred.pending(tables, "duplicate_passages") is not None
    assert tables.lines.equals(build_tables(corpus).lines)
    data._tables.clear()


def test_the_stance_summary_counts_one_country_in_the_singular():
    import pandas as pd

    from dashboard import prose

    one = pd.DataFrame({"stance": ["opposed"], "conflict": [False], "country": ["Kosovo"]})
    assert prose.stance_summary(one, "Constructive proposal").startswith("1 country has a reported stance")
    two = pd.concat([one, one.assign(country="Serbia")])
    assert prose.stance_summary(two, "Constructive proposal").startswith("2 countries have a reported stance")
