"""The dashboard's only Streamlit cache layer: which corpus to show, its tables, this session's uploads and review
files, filtered views."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import streamlit as st

from analysis.build import build, build_tables, folder_signature, reviewed
from analysis.charts import world
from analysis.corpus import OVERRIDES_NAME, TOPICS_NAME
from analysis.entities import outlet_labels
from analysis.query import Filters, articles_only, subset
from analysis.runtime import release_memory, use_system_allocator
from analysis.store import Store, StoreError, default_store
from analysis.tables import Deferred, Tables
from dashboard.state import current

# A long-running server with many filtered views must hand the memory Arrow frees back to the system.
use_system_allocator()

CORPUS_ENV = "BRIEFING_CORPUS"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT / "seeds"
APP_PATH = REPO_ROOT / "dashboard" / "app.py"
# Uploaded articles and their analysis live here, in this browser session only: never on disk, never shared.
SESSION_TABLES = "uploads.tables"
# Review files (name -> bytes) this browser session keeps because the corpus folder could not take them
# (dashboard.editing puts them here): they apply to this session's tables only.
SESSION_REVIEW = "review.files"
# (tables_key of this session's uploaded tables, {name: bytes}): the review files as they apply to those tables, which
# were merged with the files of their day and may hold decisions on uploaded articles (never written to disk). They
# stand while those tables do: a new upload starts again from the corpus's files.
UPLOADS_REVIEW = "review.uploads"
# How long a look at the corpus folder's files stands: articles added to it show up within this many seconds,
# and reruns in between do not walk a folder of thousands of files.
FINGERPRINT_SECONDS = 10


def corpus_folder() -> Path:
    """The corpus folder: first script argument (`streamlit run dashboard/app.py -- DIR`), then BRIEFING_CORPUS,
    then seeds/."""
    # `streamlit run` puts the script first in sys.argv; anything else (pytest, AppTest) is not ours to read.
    launched_by_streamlit = bool(sys.argv) and Path(sys.argv[0]).resolve() == APP_PATH
    args = [a for a in sys.argv[1:] if not a.startswith("-")] if launched_by_streamlit else []
    if args:
        return Path(args[0]).expanduser()
    if os.environ.get(CORPUS_ENV):
        return Path(os.environ[CORPUS_ENV]).expanduser()
    return DEFAULT_CORPUS


@st.cache_data(ttl=FINGERPRINT_SECONDS, show_spinner=False)
def folder_fingerprint(folder: Path) -> str:
    """Cheap change detector: the store's signature of every file below folder (names, sizes, times, links)."""
    return folder_signature(folder, requested_model="", max_bytes=None)


@st.cache_resource(max_entries=4, show_spinner="Reading the analysis store (new or changed articles are analysed)…")
def _tables(folder: str, fingerprint: str) -> Tables:
    for attempt in range(2):
        try:
            store = Store(default_store(folder))
            tables = build(folder, store=store.root).tables
            if Deferred.pending(tables, "lines") is None:
                # Just built: hold the tables as the store serves them, so page lines, shared passages and raw
                # mentions are read when a view needs them, not held in memory for good.
                tables = store.load_tables()
            return tables
        except PermissionError:
            break  # nowhere to keep a store: analyse in memory
        except (StoreError, OSError, ValueError):
            if attempt:  # a store another process is rewriting can vanish under a reader once; not twice
                break
    return build_tables(folder)


def corpus_tables() -> Tables:
    """Tables of the configured corpus (shared by all sessions, read-only), from its analysis store: only new or
    changed articles are analysed, and only when the folder's files change."""
    folder = corpus_folder()
    return _tables(str(folder), folder_fingerprint(folder))


def load_tables() -> Tables:
    """This session's tables: the corpus plus anything this browser session uploaded, with the review files it
    keeps. Treat them as read-only."""
    tables = st.session_state.get(SESSION_TABLES) or corpus_tables()
    files = _review_files(tables)
    overrides, topics = files[OVERRIDES_NAME], files[TOPICS_NAME]
    if overrides == tables.overrides and topics == tables.topics:
        return tables
    return _reviewed(f"{tables_key(tables)}>{review_digest(overrides, topics)}", tables, overrides, topics)


def session_review_files() -> dict[str, bytes | None]:
    """The review files (name -> bytes, None when absent) this session's tables are made with."""
    return _review_files(st.session_state.get(SESSION_TABLES) or corpus_tables())


def _review_files(tables: Tables) -> dict[str, bytes | None]:
    files = {OVERRIDES_NAME: tables.overrides, TOPICS_NAME: tables.topics}
    files.update(st.session_state.get(SESSION_REVIEW) or {})
    if SESSION_TABLES in st.session_state:
        owner, copies = st.session_state.get(UPLOADS_REVIEW) or ("", {})
        if owner == tables_key(tables):
            files.update(copies)
    return files


def review_digest(overrides: bytes | None, topics: bytes | None) -> str:
    """Short identity of a pair of review files (positions_overrides.csv, topics.yaml)."""
    digest = hashlib.sha256(overrides or b"")
    digest.update(b"\x1ftopics\x1f" + (topics or b""))
    return digest.hexdigest()[:16]


# cache_resource, not cache_data: filtered tables of a large corpus are big, and cache_data would
# pickle and unpickle them on every rerun. Views treat what they get as read-only. Entries are keyed by the
# tables' content, so only a session holding the same tables reaches them. Entries (those of uploads whose session
# has ended among them) are dropped VIEW_CACHE_SECONDS after they were computed, or earlier when newer entries
# push them out.
VIEW_CACHE_SECONDS = 3600


@st.cache_resource(max_entries=16, ttl=VIEW_CACHE_SECONDS, show_spinner="Applying this session's review…")
def _reviewed(key: str, _base: Tables, _overrides: bytes | None, _topics: bytes | None) -> Tables:
    # Keyed by the tables and the review files' content: sessions keeping the same files share one copy.
    return reviewed(_base, overrides=_overrides, topics=_topics)


@st.cache_resource(max_entries=16, ttl=VIEW_CACHE_SECONDS, show_spinner=False)
def _filtered(key: str, filters: Filters, _tables: Tables) -> Tables:
    articles = articles_only(filters)
    if articles.active and articles != filters:
        # Narrowed from the (cached) view of the same outlets and dates: views that differ only in entity types,
        # text, countries or topics share that view's sentences, figures and positions instead of copying them.
        view = subset(_tables, filters, within=_filtered(key, articles, _tables))
    else:
        view = subset(_tables, filters)
    release_memory()  # computing a view creates and frees many small objects: give their memory back
    return view


def tables_key(tables: Tables) -> str:
    """Identity of a set of tables: the build they come from, the review files applied to it and the filters that
    narrowed them."""
    # The review files count: tables re-made with other ones within the build's second share its corpus_hash and
    # built_at, and must not share its cached views.
    return f"{tables.corpus_hash}:{tables.built_at}:{review_digest(tables.overrides, tables.topics)}:{tables.view}"


@st.cache_resource(max_entries=512, ttl=VIEW_CACHE_SECONDS, show_spinner=False)
def _computed(name: str, key: str, args: tuple, _fn, _tables: Tables):
    result = _fn(_tables, *args)
    release_memory()
    return result


def computed(name: str, tables: Tables, fn, *args):
    """fn(tables, *args), computed once per set of tables and args and shared read-only by every rerun and
    session: what a view derives from the tables (aggregates, chart data) costs nothing the second time.
    name identifies fn in the cache; args must be hashable."""
    return _computed(name, tables_key(tables), args, fn, tables)


def view_tables() -> tuple[Tables, Tables]:
    """(tables the sidebar filters leave, all of this session's tables), for a view to show."""
    tables = load_tables()
    filters = current()
    if not filters.active:
        return tables, tables
    return _filtered(tables_key(tables), filters, tables), tables


def chart_outlets(full: Tables) -> list[str]:
    """Every outlet of this session's tables, labelled as charts show them: one colour per outlet in every view."""
    return computed("all_outlets", full, lambda t: sorted(set(outlet_labels(t.documents["outlet"]))))


def filter_caption(view: Tables, full: Tables) -> None:
    """The one line every view shows about what the filters leave."""
    filters = current()
    if filters.active:
        st.caption(f"{len(view.documents):,} of {len(full.documents):,} articles match the filters "
                   f"({filters.describe()}).")
    else:
        st.caption(f"All {len(full.documents):,} articles; narrow them with the filters in the sidebar.")


def mapped_countries() -> frozenset[str]:
    """ISO3 codes the shipped map can draw."""
    return frozenset(feature["id"] for feature in world()["features"])
