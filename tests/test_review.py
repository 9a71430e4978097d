"""The analyst's review on the Positions page (AppTest): who may edit, where a decision or a topics edit goes, and
what the page shows afterwards."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import streamlit
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from analysis.corpus import OVERRIDES_NAME, TOPICS_NAME
from analysis.topics import read_topics
from dashboard import editing
from dashboard.render import reader_link
from tests.conftest import SEEDS

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PASSWORD = "correct horse battery"
REVIEW_BUTTONS = {"positions.review.accept", "positions.review.reject", "positions.review.set"}


@pytest.fixture(autouse=True)
def secrets_file(tmp_path, monkeypatch) -> Path:
    """Streamlit's secrets come from tmp_path/secrets.toml alone (absent unless a test writes it): the secrets of the
    machine running the tests never decide them. AppTest's own `secrets` still replace them for a run."""
    path = tmp_path / "secrets.toml"
    monkeypatch.setattr(streamlit, "secrets", Secrets())
    with patch_config_options({"secrets.files": [str(path)]}):
        yield path


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    """A copy of the seed corpus (articles, sources.csv, topics.yaml; no store), shown by the app."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in (p for p in SEEDS.iterdir() if p.is_file()):
        shutil.copy(path, folder / path.name)
    monkeypatch.setenv("BRIEFING_CORPUS", str(folder))
    return folder


def positions_page(secrets: dict | None = None) -> AppTest:
    """A new browser session on the Positions page."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets.update(secrets or {})
    at.switch_page("views/positions.py").run()
    assert not at.exception
    return at


def france_leading(seed_tables, topic: str) -> tuple[str, int, str]:
    """The (document, sentence, country) of a position France is said to lead on topic."""
    rows = seed_tables.positions
    row = rows[(rows["topic"] == topic) & (rows["country"] == "France") & (rows["stance"] == "leading")].iloc[0]
    return row["document"], int(row["sentence"]), "France"


def decide(at: AppTest, key: tuple[str, int, str], button: str, *, note: str = "", stance: str | None = None) -> None:
    at.selectbox(key="positions.review.row").set_value(key)
    at.text_input(key="positions.review.note").input(note)
    if stance is not None:
        at.selectbox(key="positions.review.stance").set_value(stance)
    at.button(key=f"positions.review.{button}").click().run()
    assert not at.exception


def override_rows(folder: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO((folder / OVERRIDES_NAME).read_text("utf-8"))))


def history_of(at: AppTest, country: str):
    at.selectbox(key="positions.country").set_value(country).run()
    return at.dataframe[1].value  # after the country-by-country table


def set_by_of(history, key: tuple[str, int, str]) -> set[str]:
    """The Set by cells of a country's history rows from one sentence (found by their link to it)."""
    document, sentence, _ = key
    return set(history[history["read"] == reader_link(document, sentence)]["set_by"])


def shown_controls(at: AppTest) -> set[str]:
    return {b.key for b in at.button} & REVIEW_BUTTONS


def shown_link(at: AppTest, country: str) -> str:
    """The sentence the country-by-country table links a country's stance to."""
    table = at.dataframe[0].value.set_index("country")
    return table.loc[country, "read"]


def test_a_local_editor_without_password_writes_decisions_beside_the_corpus(corpus, seed_tables):
    at = positions_page()
    topic = at.selectbox(key="positions.topic").value
    summary = seed_tables.position_summary.set_index(["country", "topic"]).loc[("France", topic)]
    key = (summary["document"], int(summary["sentence"]), "France")  # the stance the map shows for France
    assert shown_link(at, "France") == reader_link(key[0], key[1])
    assert shown_controls(at) == REVIEW_BUTTONS and not (corpus / OVERRIDES_NAME).exists()
    assert not at.error and "editing.password" not in {t.key for t in at.text_input}  # no secrets file, no field
    decide(at, key, "reject", note="London and Paris, not France alone")
    assert override_rows(corpus) == [{"document": key[0], "sentence": str(key[1]), "country": "France", "topic": "",
                                      "stance": "", "decision": "reject", "note": "London and Paris, not France alone"}]
    assert "rejected: saved to positions_overrides.csv in the corpus folder" in at.success[0].value
    label = at.selectbox(key="positions.review.row").options[at.selectbox(key="positions.review.row").index]
    assert label.endswith("analyst (rejected)")
    history = history_of(at, "France")
    assert set_by_of(history, key) == {"analyst (rejected)"}
    assert set(history[history["set_by"] == "analyst (rejected)"]["note"]) == {"London and Paris, not France alone"}
    assert shown_link(at, "France") != reader_link(key[0], key[1])  # the map and table stand on another report now
    # A second decision is added to the file, the first kept; the history shows the new stance and the old one.
    rows = seed_tables.positions
    france = rows[(rows["topic"] == topic) & (rows["country"] == "France")]
    alone = france.groupby(["document", "sentence"])["stance"].transform("size") == 1  # one stance in its sentence
    other = france[alone & (france["stance"] == "committed")].iloc[0]
    other = (other["document"], int(other["sentence"]), "France")
    decide(at, other, "set", stance="opposed")
    assert [(r["sentence"], r["decision"], r["stance"]) for r in override_rows(corpus)] == [
        (str(key[1]), "reject", ""), (str(other[1]), "set", "opposed")]
    history = history_of(at, "France")
    changed = history[history["read"] == reader_link(other[0], other[1])]
    assert set(changed["set_by"]) == {"analyst (changed from committed)"} and set(changed["stance"]) == {"Opposed"}
    # Another session reads the same folder: it sees the decisions too.
    assert set_by_of(history_of(positions_page(), "France"), key) == {"analyst (rejected)"}


def test_b_with_a_password_only_who_enters_it_may_edit(corpus, seed_tables):
    at = positions_page({"editor_password": PASSWORD})
    assert shown_controls(at) == set() and not at.data_editor
    assert any("enter the editor password in the sidebar" in c.value for c in at.caption)
    assert at.sidebar.text_input(key="editing.password").label == "Editor password"
    assert list(at.dataframe[-1].value["label"])[:1] == ["Troops for a post-war force"]  # topics, read-only
    at.sidebar.text_input(key="editing.password").input("correct horse").run()
    assert shown_controls(at) == set() and "Wrong editor password." in [e.value for e in at.error]
    at.sidebar.text_input(key="editing.password").input(PASSWORD).run()
    assert shown_controls(at) == REVIEW_BUTTONS and at.data_editor
    assert not (corpus / OVERRIDES_NAME).exists()
    key = france_leading(seed_tables, at.selectbox(key="positions.topic").value)
    decide(at, key, "accept")
    assert [(r["document"], r["decision"]) for r in override_rows(corpus)] == [(key[0], "accept")]
    assert shown_controls(at) == REVIEW_BUTTONS  # remembered for the session, the field gone
    assert set_by_of(history_of(at, "France"), key) == {"analyst (accepted)"}
    # Another browser session has not entered the password.
    assert shown_controls(positions_page({"editor_password": PASSWORD})) == set()
    at.sidebar.button(key="editing.lock").click().run()
    assert shown_controls(at) == set()


def test_b_a_visitor_without_password_cannot_write_by_sending_widget_state(corpus, seed_tables):
    at = positions_page({"editor_password": PASSWORD})
    key = france_leading(seed_tables, at.selectbox(key="positions.topic").value)
    # What a crafted client could send: a rerun claiming the review's widgets, which this session was never shown.
    at.session_state["positions.review.row"] = key
    at.session_state["positions.review.reject"] = True
    at.run()
    assert not at.exception and shown_controls(at) == set()
    assert not (corpus / OVERRIDES_NAME).exists()


@pytest.fixture
def read_only(corpus, tmp_path, monkeypatch):
    """The corpus folder made read-only (as root, where chmod does not bite, can_write is made to say so)."""
    if os.geteuid() == 0:
        from analysis import review

        monkeypatch.setattr(review, "can_write", lambda folder: False)
        yield corpus
        return
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the store goes to a per-user cache
    corpus.chmod(0o555)
    try:
        yield corpus
    finally:
        corpus.chmod(0o755)


def visible_files(folder: Path) -> dict[str, bytes]:
    """The folder's files and their contents, the hidden analysis store left out."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


def test_c_a_read_only_corpus_keeps_the_decision_for_the_session(read_only, seed_tables):
    before = visible_files(read_only)
    at = positions_page()
    key = france_leading(seed_tables, at.selectbox(key="positions.topic").value)
    decide(at, key, "reject", note="session only")
    assert visible_files(read_only) == before
    assert "kept for this browser session only" in at.success[0].value
    history = history_of(at, "France")
    assert set_by_of(history, key) == {"analyst (rejected)"}
    # The session's next decision builds on the one it keeps.
    other = next(k for k in editing.position_choices(seed_tables.positions, at.selectbox(key="positions.topic").value)
                 if k != key and k[2] == "France")
    decide(at, other, "accept")
    history = history_of(at, "France")
    assert set_by_of(history, key) == {"analyst (rejected)"} and set_by_of(history, other) == {"analyst (accepted)"}
    assert visible_files(read_only) == before
    # Another browser session sees the corpus as it is.
    assert set_by_of(history_of(positions_page(), "France"), key) == {"extracted from text"}


def test_an_editor_adds_and_removes_topics(corpus):
    at = positions_page()
    editor = at.data_editor(key=editing.TOPICS_EDITOR)
    labels = list(editor.value["label"])
    assert labels[:2] == ["Troops for a post-war force", "Security guarantees"]
    at.session_state[editing.TOPICS_EDITOR] = {
        "edited_rows": {}, "deleted_rows": [len(labels) - 1],
        "added_rows": [{"label": "Sanctions", "terms": "sanctions, sanction , price cap"}]}
    at.button(key="positions.topics.save").click().run()
    assert not at.exception
    topics, warnings = read_topics((corpus / TOPICS_NAME).read_bytes())
    assert warnings == [] and [t.label for t in topics] == labels[:-1] + ["Sanctions"]
    assert topics[-1].terms == ("sanctions", "sanction", "price cap")
    assert "Topics saved (5)" in at.success[0].value
    assert list(at.data_editor(key=editing.TOPICS_EDITOR).value["label"]) == labels[:-1] + ["Sanctions"]


def test_a_topic_without_terms_is_refused(corpus):
    at = positions_page()
    before = (corpus / TOPICS_NAME).read_bytes()
    at.session_state[editing.TOPICS_EDITOR] = {"edited_rows": {}, "deleted_rows": [],
                                               "added_rows": [{"label": "Sanctions", "terms": " , "}]}
    at.button(key="positions.topics.save").click().run()
    assert "Topics not saved: “Sanctions” has no terms." in [e.value for e in at.error]
    assert (corpus / TOPICS_NAME).read_bytes() == before


@pytest.mark.parametrize(("headers", "ip", "local"), [
    ({}, None, True),  # no browser behind the session (AppTest, bare mode)
    ({"Host": "localhost:8501"}, None, True),
    ({"Host": "127.0.0.1:8501"}, None, True),
    ({"Host": "[::1]:8501"}, None, True),
    ({"Host": "LOCALHOST"}, None, True),
    ({"Host": "briefing.example.org"}, None, False),
    ({"Host": "localhost.example.org"}, None, False),
    ({"Host": "localhost:8501"}, "203.0.113.7", False),  # a remote client claiming localhost
    ({"Host": "127.0.0.1:8501", "X-Forwarded-For": "203.0.113.7"}, None, False),  # through a proxy on this machine
    ({"Host": "[::1"}, None, False),
    ({"Accept": "*/*"}, None, False),  # a connection without a Host header
])
def test_who_counts_as_local(monkeypatch, headers, ip, local):
    monkeypatch.setattr(streamlit, "context", SimpleNamespace(headers=headers, ip_address=ip))
    assert editing.is_local_request() is local


def test_the_password_comes_from_the_secrets_file_and_none_or_a_broken_one_means_none(secrets_file, monkeypatch):
    assert editing.editor_password() == ""
    secrets_file.write_text('editor_password = "s3cret"\n', "utf-8")
    monkeypatch.setattr(streamlit, "secrets", Secrets())
    assert editing.editor_password() == "s3cret"
    secrets_file.write_text('editor_password = "unclosed\n', "utf-8")
    monkeypatch.setattr(streamlit, "secrets", Secrets())
    assert editing.editor_password() == ""


UPLOAD = ("Estonia pledged to send a company of soldiers to the reassurance force, the defence ministry said. "
          "Latvia ruled out any deployment of its troops before a ceasefire. The Baltic states met in Tallinn.")


def test_decisions_on_an_uploaded_article_stay_in_the_session(corpus, seed_tables):
    at = AppTest.from_file(APP, default_timeout=180)
    at.switch_page("views/upload.py").run()
    at.text_area(key="add.text").set_value(UPLOAD)
    at.text_input(key="add.outlet").set_value("Baltic Wire")
    at.button(key="add.go").click().run()
    at.switch_page("views/positions.py").run()
    topic = at.selectbox(key="positions.topic").value
    assert "Estonia" in set(at.dataframe[0].value["country"])
    estonia = next(k for k in editing.position_choices(at.session_state["uploads.tables"].positions, topic)
                   if k[2] == "Estonia")
    decide(at, estonia, "reject", note="a test upload")
    assert not (corpus / OVERRIDES_NAME).exists()  # the uploaded article's name never reaches the corpus folder
    assert "like the uploaded article it is about" in at.success[0].value
    assert "Estonia" not in set(at.dataframe[0].value["country"])
    # A decision on one of the corpus's articles is saved; this session keeps showing both.
    key = france_leading(seed_tables, topic)
    decide(at, key, "reject")
    assert [(r["document"], r["decision"]) for r in override_rows(corpus)] == [(key[0], "reject")]
    assert "Estonia" not in set(at.dataframe[0].value["country"])
    assert set_by_of(history_of(at, "France"), key) == {"analyst (rejected)"}
