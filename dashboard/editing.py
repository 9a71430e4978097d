"""The analyst's review in the dashboard: who may edit it, the controls that decide on single positions and edit the
topics, and where an edit goes (beside the corpus when its folder is writable, else this browser session only).

Who may edit:
- With `editor_password` set in Streamlit's secrets, whoever enters it in the sidebar's "Editor password" field, for
  the rest of their browser session. Set one on any server that people other than the analyst can reach.
- With no password set, only a browser on the machine that runs the dashboard: the request's Host header names
  localhost, 127.0.0.1 or [::1], the connection comes from a loopback address, and no proxy header says it was
  forwarded. A browser always sends a Host header, so a hosted dashboard's visitors are read-only; a session with no
  headers at all has no browser behind it (Streamlit's AppTest, bare mode) and counts as local. The Host header is
  the client's word: a crafted client could claim localhost, which is why a reachable server needs the password.
Everyone else sees the same pages read-only, with one line saying how editing is enabled.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from analysis import review
from analysis.charts import STANCE_WORDS
from analysis.corpus import OVERRIDES_NAME, TOPICS_NAME
from analysis.entities import outlet_labels
from analysis.stances import STANCES
from analysis.topics import read_topics
from dashboard.data import (
    SESSION_REVIEW,
    SESSION_TABLES,
    UPLOADS_REVIEW,
    corpus_folder,
    corpus_tables,
    folder_fingerprint,
    session_review_files,
    tables_key,
)
from dashboard.prose import lower_first

PASSWORD_SECRET = "editor_password"
UNLOCKED = "editing.unlocked"  # digest of the editor password this session entered
PASSWORD_FIELD = "editing.password"
NOTICE = "editing.notice"  # what the last edit did, shown once on the run after it
TOPICS_EDITOR = "positions.topics.editor"
# Headers a reverse proxy adds: a request carrying one came from elsewhere, even when the proxy runs on this machine.
PROXY_HEADERS = ("X-Forwarded-For", "X-Forwarded-Host", "X-Real-Ip", "Forwarded")
EVIDENCE_WORDS = 8  # words of a position's evidence its label shows


def editor_password() -> str:
    """The editor password from Streamlit's secrets, or "" when none is set (or there is no secrets file)."""
    try:
        value = st.secrets.get(PASSWORD_SECRET)
    except FileNotFoundError:  # no secrets file, or one that does not parse
        return ""
    return "" if value is None else str(value)


def is_local_request() -> bool:
    """Whether this session's browser reached the server on this machine (see the module's docstring)."""
    headers = st.context.headers
    if not headers:
        return True  # no browser connection at all: AppTest or bare mode
    if any(headers.get(name) for name in PROXY_HEADERS):
        return False
    remote = st.context.ip_address  # None for a loopback connection
    if isinstance(remote, str) and remote:
        return False
    return _local_host(headers.get("Host") or "")


def _local_host(host: str) -> bool:
    """Whether a Host header ("localhost:8501", "[::1]:8501", "127.0.0.1") names this machine."""
    try:
        name = urlsplit(f"//{host}").hostname or ""
    except ValueError:  # not a host name ("[::1" and the like)
        return False
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _digest(password: str) -> str:
    return hashlib.sha256(password.encode("utf-8")).hexdigest()


def can_edit() -> bool:
    """Whether this session may edit the review; draws the sidebar's password field when a password is set."""
    password = editor_password()
    if not password:
        return is_local_request()
    # The digest, not a flag: a session unlocked with an old password is locked again when the password changes.
    if hmac.compare_digest(st.session_state.get(UNLOCKED, ""), _digest(password)):
        if st.sidebar.button("Stop editing", key="editing.lock"):
            del st.session_state[UNLOCKED]
            st.rerun()
        return True
    entered = st.sidebar.text_input("Editor password", type="password", key=PASSWORD_FIELD)
    if entered and hmac.compare_digest(entered.encode("utf-8"), password.encode("utf-8")):
        st.session_state[UNLOCKED] = _digest(password)
        return True
    if entered:
        st.sidebar.error("Wrong editor password.")
    return False


def read_only_note() -> None:
    """The one line a visitor who may not edit sees where the review controls would be."""
    if editor_password():
        st.caption("Read-only. To review positions and topics, enter the editor password in the sidebar.")
    else:
        st.caption("Read-only. Positions and topics can be reviewed from a browser on the machine that runs the "
                   "dashboard (localhost), or by anyone once an `editor_password` is set in Streamlit's secrets.")


def keep(name: str, change: Callable[[bytes | None], bytes], *, done: str, session_only: bool = False) -> None:
    """Apply change (current bytes -> new bytes) to a review file and rerun: beside the corpus when its folder is
    writable, else (or when session_only) for this session; done says what changed, shown next run with where it
    went."""
    before = session_review_files()[name]  # as this session's tables have it, before any copy below changes
    folder = corpus_folder()
    if session_only:
        where = "kept for this browser session only, like the uploaded article it is about"
    elif review.can_write(folder):
        where = _save(folder, name, change)
    else:
        where = _keep_for_session(name, change, "the corpus folder is not writable")
    if SESSION_TABLES in st.session_state:
        # Uploaded articles were merged with the files of their day: their tables get their own copy of the change.
        uploaded = tables_key(st.session_state[SESSION_TABLES])
        owner, copies = st.session_state.get(UPLOADS_REVIEW) or ("", {})
        st.session_state[UPLOADS_REVIEW] = (uploaded, {**(copies if owner == uploaded else {}), name: change(before)})
    st.session_state[NOTICE] = f"{done}: {where}."
    st.rerun()


def _save(folder: Path, name: str, change: Callable[[bytes | None], bytes]) -> str:
    """Write the changed file beside the corpus; where it went, in words."""
    kept = dict(st.session_state.get(SESSION_REVIEW) or {})
    try:
        # From this session's own copy when it has one (the folder was read-only before): nothing decided is lost.
        # Else from the file as it is now, not as the tables read it up to FINGERPRINT_SECONDS ago: another editor
        # may just have saved.
        current = kept.pop(name) if name in kept else _read(folder / name)
        review.save(folder, name, change(current))
    except (review.ReviewError, OSError) as error:  # e.g. the folder turned read-only, or the disk is full
        return _keep_for_session(name, change, f"not saved: {error}")
    st.session_state[SESSION_REVIEW] = kept
    folder_fingerprint.clear()  # the next run rebuilds the corpus tables with the new file
    return f"saved to {name} in the corpus folder"


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _keep_for_session(name: str, change: Callable[[bytes | None], bytes], why: str) -> str:
    """Keep the changed file for this session's tables; where it went, in words."""
    kept = dict(st.session_state.get(SESSION_REVIEW) or {})
    tables = corpus_tables()
    kept[name] = change(kept[name] if name in kept else tables.overrides if name == OVERRIDES_NAME else tables.topics)
    st.session_state[SESSION_REVIEW] = kept
    return f"kept for this browser session only ({why})"


def uploaded_here(document: str) -> bool:
    """Whether document is an article this session uploaded (not one of the corpus folder's)."""
    if SESSION_TABLES not in st.session_state:
        return False
    return document not in set(corpus_tables().documents["document"])


def show_notice() -> None:
    """What the last edit did, once."""
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.success(notice)


def set_by(rows: pd.DataFrame) -> pd.Series:
    """Who set each position's stance, in words: "extracted from text", "analyst (rejected)", "analyst (changed
    from committed)"."""
    review_state = rows["review"].fillna("")
    was = rows["extracted_stance"].map(STANCE_WORDS).fillna("").map(lower_first)
    words = ("analyst (" + review_state.where(review_state != "changed", "changed from " + was) + ")")
    words = words.where(review_state != "", "analyst")
    return words.where(rows["source"] == "analyst", "extracted from text")


def position_choices(positions: pd.DataFrame, topic: str) -> dict[tuple[str, int, str], str]:
    """The positions on topic by country, newest first, each keyed (document, sentence, country) as a decision names
    it and labelled country · stance · outlet · date · first words of its evidence (· the analyst's decision)."""
    rows = positions[positions["topic"] == topic].sort_values(
        ["country", "published", "document", "sentence"], ascending=[True, False, True, True])
    choices: dict[tuple[str, int, str], str] = {}
    for row, outlet, by in zip(rows.itertuples(index=False), outlet_labels(rows["outlet"]), set_by(rows),
                               strict=True):
        key = (row.document, int(row.sentence), row.country)
        if key in choices:
            continue  # one decision covers every stance that sentence states for the country
        evidence = " ".join(str(row.evidence).split()[:EVIDENCE_WORDS]).strip("“”\"'")
        parts = [row.country, STANCE_WORDS.get(row.stance, row.stance), outlet, row.published or "undated",
                 f"“{evidence}…”"] + ([by] if row.source == "analyst" else [])
        label = " · ".join(parts)
        # The browser sends the chosen label back: two alike must differ, or the second could never be chosen.
        choices[key] = label if label not in choices.values() else f"{label} · {row.document} #{row.sentence + 1}"
    return choices


def review_positions(positions: pd.DataFrame, topic: str) -> None:
    """Accept, reject or re-set one position on topic, with an optional note (a row of positions_overrides.csv)."""
    choices = position_choices(positions, topic)
    if not choices:
        return
    st.markdown("**Review a position**")
    chosen = st.selectbox("Position", list(choices), key="positions.review.row", format_func=choices.get)
    note = st.text_input("Note (optional)", key="positions.review.note", placeholder="e.g. the ministry denied it")
    accept, reject, stance_column, set_column = st.columns([1, 1, 2, 1], vertical_alignment="bottom")
    stance = stance_column.selectbox("Stance", STANCES, key="positions.review.stance", format_func=STANCE_WORDS.get)
    clicked = {"accept": accept.button("Accept", key="positions.review.accept"),
               "reject": reject.button("Reject", key="positions.review.reject"),
               "set": set_column.button("Set stance", key="positions.review.set")}
    decision = next((d for d, pressed in clicked.items() if pressed), None)
    if decision is None or chosen is None:
        return
    document, sentence, country = chosen
    change = partial(review.with_decision, document=document, sentence=sentence, country=country, decision=decision,
                     stance=stance if decision == "set" else "", note=note.strip())
    done = {"accept": "accepted", "reject": "rejected"}.get(decision) or f"set to {lower_first(STANCE_WORDS[stance])}"
    # An uploaded article lives in this session only, and so does what is decided about it.
    keep(OVERRIDES_NAME, change, done=f"{country}, sentence {sentence + 1} of {document}: {done}",
         session_only=uploaded_here(document))


TOPIC_COLUMNS = {"label": st.column_config.TextColumn("Topic"),
                 "terms": st.column_config.TextColumn("Terms (comma-separated)", width="large")}


def topics_frame(data: bytes | None) -> tuple[pd.DataFrame, list[str]]:
    """A topics file as rows of label and comma-separated terms, with the file's warnings."""
    topics, warnings = read_topics(data)
    frame = pd.DataFrame({"label": [t.label for t in topics], "terms": [", ".join(t.terms) for t in topics]},
                         columns=["label", "terms"], dtype=object)
    return frame, warnings


def topics_from_frame(frame: pd.DataFrame) -> tuple[list[dict], list[str]]:
    """Edited rows as topics ({label, terms}; empty rows dropped), and what is wrong with the others."""
    topics: list[dict] = []
    problems: list[str] = []
    for number, (label, terms) in enumerate(zip(frame["label"], frame["terms"], strict=True), 1):
        label = "" if pd.isna(label) else str(label).strip()
        words = [] if pd.isna(terms) else [t.strip() for t in str(terms).split(",") if t.strip()]
        if not label and not words:
            continue
        if not label:
            problems.append(f"Row {number} has terms but no topic name.")
        elif not words:
            problems.append(f"“{label}” has no terms.")
        elif any(t["label"] == label for t in topics):
            problems.append(f"“{label}” is listed twice.")
        else:
            topics.append({"label": label, "terms": words})
    return topics, problems


def topics_section(data: bytes | None, *, editable: bool) -> None:
    """The corpus's topics (label and terms); an editor adds, changes or removes them and saves topics.yaml."""
    frame, warnings = topics_frame(data)
    for warning in warnings:
        st.warning(warning)
    if frame.empty:
        st.caption("No topics file: positions are grouped by what they are about, each group named by its most "
                   "frequent phrase.")
    if not editable:
        if not frame.empty:
            st.dataframe(frame, hide_index=True, width="stretch", column_config=TOPIC_COLUMNS, key="positions.topics")
        return
    st.caption("A position goes to the topic whose terms name what it is about (else the words around its cue, else "
               "its sentence) most often; ties go to the first listed. Saving rewrites topics.yaml without comments.")
    edited = st.data_editor(frame, num_rows="dynamic", hide_index=True, width="stretch", column_config=TOPIC_COLUMNS,
                            key=TOPICS_EDITOR)
    if not st.button("Save topics", key="positions.topics.save"):
        return
    topics, problems = topics_from_frame(edited)
    try:
        if problems:
            raise review.ReviewError(" ".join(problems))
        written = review.with_topics(topics)
    except review.ReviewError as error:
        st.error(f"Topics not saved: {error}")
        return
    st.session_state.pop(TOPICS_EDITOR, None)  # the edits are in the file now: start the next run from it
    keep(TOPICS_NAME, lambda _current: written, done=f"Topics saved ({len(topics)})")
