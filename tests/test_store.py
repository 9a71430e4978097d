"""The analysis store: incremental builds, atomic generations, kill-safety, and parallel / distributed engines."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import analysis.build as build_module
import analysis.registry as registry_module
import analysis.store as store_module
from analysis.build import BuildOptions, add_articles, build, build_tables
from analysis.cli import main
from analysis.corpus import read_corpus
from analysis.query import Filters, subset
from analysis.store import Store, StoreError, default_store
from analysis.tables import Deferred, Tables

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NEW_ARTICLE = """Baltic ministers meet on air defence

By Ilse Marten, Nordic Wire, 2025-12-02

Estonia said on Tuesday it would send 150 soldiers to the reassurance force for Ukraine if a ceasefire holds.
Latvia is open to joining the mission, its defence minister said, but wants a clear mandate first.
The ministers agreed to spend €1.2bn on shared air defence over the next three years.
"""


def assert_same_tables(a: Tables, b: Tables) -> None:
    for name in Tables.EXPORTED:
        left, right = getattr(a, name).reset_index(drop=True), getattr(b, name).reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=name)
    assert a.corpus_hash == b.corpus_hash
    assert a.warnings == b.warnings


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns(".*"))
    return folder


def test_second_build_reuses_every_article_and_loads_the_same_tables(corpus, tmp_path):
    store = Store(tmp_path / "store")
    first = build(corpus, store=store.root)
    assert (first.analysed, first.reused, first.removed) == (5, 0, 0)
    again = build(corpus, store=store.root)
    assert (again.analysed, again.reused, again.removed) == (0, 5, 0)
    assert_same_tables(store.load_tables(), build_tables(corpus))
    assert_same_tables(again.tables, first.tables)


def test_adding_changing_and_removing_one_article_reanalyses_only_that_article(corpus, tmp_path):
    store = Store(tmp_path / "store")
    build(corpus, store=store.root)
    (corpus / "baltic.txt").write_text(NEW_ARTICLE, "utf-8")
    added = build(corpus, store=store.root)
    assert (added.analysed, added.reused, added.removed) == (1, 5, 0)
    assert_same_tables(added.tables, build_tables(corpus))
    assert "baltic.txt" in set(added.tables.figures["document"])

    (corpus / "baltic.txt").write_text(NEW_ARTICLE.replace("150 soldiers", "300 soldiers"), "utf-8")
    changed = build(corpus, store=store.root)
    assert (changed.analysed, changed.reused) == (1, 5)
    values = set(changed.tables.figures.loc[changed.tables.figures["document"] == "baltic.txt", "value"])
    assert 300 in values and 150 not in values

    victim = sorted(p.name for p in corpus.glob("*.txt"))[0]
    (corpus / victim).unlink()
    removed = build(corpus, store=store.root)
    assert (removed.analysed, removed.reused, removed.removed) == (0, 5, 1)
    assert victim not in set(removed.tables.documents["document"])
    assert victim not in set(removed.tables.mentions["document"])
    assert_same_tables(removed.tables, build_tables(corpus))


def test_an_unchanged_folder_is_not_read_again_and_a_touched_one_is(corpus, tmp_path, monkeypatch):
    store = Store(tmp_path / "store")
    first = build(corpus, store=store.root)
    calls = []
    real_read = build_module.read_corpus
    monkeypatch.setattr(build_module, "read_corpus", lambda *a, **k: calls.append(1) or real_read(*a, **k))
    again = build(corpus, store=store.root)
    assert calls == [] and (again.analysed, again.reused) == (0, 5)
    assert_same_tables(again.tables, first.tables)

    victim = sorted(corpus.glob("*.txt"))[0]
    os.utime(victim, ns=(victim.stat().st_atime_ns, victim.stat().st_mtime_ns + 10**9))  # touched, same text
    touched = build(corpus, store=store.root)
    assert calls == [1] and (touched.analysed, touched.reused) == (0, 5)
    build(corpus, store=store.root)  # confirmed up to date by the touched run: not read again
    assert calls == [1]

    (corpus / "baltic.txt").write_text(NEW_ARTICLE, "utf-8")
    added = build(corpus, store=store.root)
    assert calls == [1, 1] and added.analysed == 1
    assert_same_tables(added.tables, build_tables(read_corpus(corpus)))  # read_corpus itself: not counted
    monkeypatch.setenv("BRIEFING_MODEL", "a_model_that_is_not_installed")  # another model asked for: read again
    build(corpus, store=store.root)
    assert len(calls) == 3


def test_an_unchanged_file_still_reports_what_was_wrong_with_it(corpus, tmp_path):
    """A file the store does not read again keeps its reading warnings (front matter, mixed encodings)."""
    (corpus / "notes.md").write_text("---\ntitle: [unclosed\n---\n" + NEW_ARTICLE, "utf-8")
    (corpus / "mixed.txt").write_bytes(
        "Le ministre a déclaré à l’AFP : ".encode() + b"\x93non\x94. "
        + NEW_ARTICLE.replace("Baltic", "Nordic").encode())
    store = Store(tmp_path / "store")
    first = build(corpus, store=store.root)
    assert any(w.startswith("notes.md:") and "front matter" in w for w in first.tables.warnings)
    assert any(w.startswith("mixed.txt:") and "mixed encodings" in w for w in first.tables.warnings)
    (corpus / "baltic.txt").write_text(NEW_ARTICLE, "utf-8")  # something else changes: the two are not read again
    again = build(corpus, store=store.root)
    assert again.reused == first.analysed
    assert [w for w in again.tables.warnings if w.startswith(("notes.md:", "mixed.txt:"))] == [
        w for w in first.tables.warnings if w.startswith(("notes.md:", "mixed.txt:"))]
    assert_same_tables(again.tables, build_tables(corpus))
    assert_same_tables(Store(tmp_path / "store").load_tables(), again.tables)


def test_a_manifest_change_reanalyses_only_the_article_it_describes(corpus, tmp_path):
    store = Store(tmp_path / "store")
    build(corpus, store=store.root)
    name = sorted(p.name for p in corpus.glob("*.txt"))[0]
    manifest = corpus / "sources.csv"
    lines = (manifest.read_text("utf-8").splitlines() if manifest.exists()
             else ["file,outlet,url,published,title,author"])
    lines = [line for line in lines if not line.startswith(name + ",")]
    lines.append(f"{name},Test Gazette,,2025-12-24,,")
    manifest.write_text("\n".join(lines) + "\n", "utf-8")
    result = build(corpus, store=store.root)
    assert result.analysed == 1
    row = result.tables.documents.set_index("document").loc[name]
    assert (row["outlet"], row["published"]) == ("Test Gazette", "2025-12-24")


def test_a_new_analysis_version_reanalyses_everything(corpus, tmp_path, monkeypatch):
    store = Store(tmp_path / "store")
    build(corpus, store=store.root)
    monkeypatch.setattr(build_module, "ANALYSIS_VERSION", "test-next")
    assert build(corpus, store=store.root).analysed == 5


def test_new_corpus_level_code_assembles_the_tables_again_without_analysing_articles(corpus, tmp_path, monkeypatch):
    store = Store(tmp_path / "store")
    build(corpus, store=store.root)
    generation = store.generation()
    monkeypatch.setattr(build_module, "CORPUS_VERSION", "test-next")
    again = build(corpus, store=store.root)
    assert (again.analysed, again.reused) == (0, 5) and store.generation() != generation
    assert_same_tables(again.tables, build_tables(corpus))


def test_the_rewrite_search_is_kept_with_a_generation_and_updated_from_it(corpus, tmp_path, monkeypatch):
    store = Store(tmp_path / "store")
    build(corpus, store=store.root)
    assert (store.generation() / store_module.REWRITE_INDEX / "vectors.npz").is_file()
    searches = []
    real = build_module.assemble
    monkeypatch.setattr(build_module, "assemble",
                        lambda *a, **k: searches.append(k.get("previous_rewrites")) or real(*a, **k))
    (corpus / "baltic.txt").write_text(NEW_ARTICLE, "utf-8")
    added = build(corpus, store=store.root)
    assert searches[-1] is not None and len(searches[-1].index.documents) == 5
    assert_same_tables(added.tables, build_tables(corpus))
    shutil.rmtree(store.generation() / store_module.REWRITE_INDEX)  # lost or unreadable: searched from scratch
    (corpus / "baltic.txt").unlink()
    removed = build(corpus, store=store.root)
    assert searches[-1] is None
    assert_same_tables(removed.tables, build_tables(corpus))


def test_big_rarely_used_tables_are_read_on_first_use_even_after_their_generation_is_gone(corpus, tmp_path):
    store = Store(tmp_path / "store")
    built = build(corpus, store=store.root).tables
    loaded = store.load_tables()
    for table, name in ((loaded, "lines"), (loaded, "duplicate_passages"), (loaded.parts, "raw_mentions")):
        assert Deferred.pending(table, name) is not None, name
    shutil.rmtree(store.generation())  # what a later build's clean-up does to a generation a reader still holds
    for document in built.documents["document"]:  # one article's lines, read without loading the table
        expected = built.lines[built.lines["document"] == document].reset_index(drop=True)
        pd.testing.assert_frame_equal(loaded.lines_of(document), expected, check_dtype=False)
    assert Deferred.pending(loaded, "lines") is not None
    assert len(built.duplicates)  # the seeds hold one rewrite pair
    for pair in [*built.duplicates.itertuples(), *built.duplicates.assign(original="none.txt").itertuples()]:
        passages = built.duplicate_passages  # one pair's shared sentences, read without loading the table
        shared = built.passages_with_text(passages[(passages["original"] == pair.original)
                                                   & (passages["rewrite"] == pair.rewrite)].reset_index(drop=True))
        found = loaded.passages_of(pair.original, pair.rewrite)
        assert len(found) == pair.shared_sentences if pair.original != "none.txt" else found.empty
        pd.testing.assert_frame_equal(found, shared, check_dtype=False)
        assert Deferred.pending(loaded, "duplicate_passages") is not None
    assert_same_tables(loaded, built)
    pd.testing.assert_frame_equal(loaded.parts.raw_mentions, built.parts.raw_mentions, check_dtype=False)
    assert loaded.parts.lines is loaded.lines  # read once for both
    pd.testing.assert_frame_equal(loaded.lines_of(document), expected, check_dtype=False)  # from memory now
    view = subset(built, Filters(outlets=(sorted(set(built.documents["outlet"]) - {""})[0],)))
    assert Deferred.pending(view, "lines") is not None and Deferred.pending(view, "duplicate_passages") is not None
    assert Deferred.pending(built, "rewrite_index") is not None and view.rewrite_index is None  # not read for a view
    kept = set(view.documents["document"])
    assert set(view.lines["document"]) == kept and len(view.lines) == built.lines["document"].isin(kept).sum()
    assert set(view.duplicate_passages["original"]) <= kept


def test_articles_joined_to_a_loaded_store_equal_a_build_of_both_and_reuse_its_rewrite_search(corpus, tmp_path,
                                                                                              monkeypatch):
    store = Store(tmp_path / "store")
    build(corpus, store=store.root)
    base = store.load_tables()
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "baltic.txt").write_text(NEW_ARTICLE, "utf-8")
    new = read_corpus(extra)
    searches = []
    real = registry_module.find_rewrites
    monkeypatch.setattr(registry_module, "find_rewrites",
                        lambda *a, **k: searches.append(k["previous"]) or real(*a, **k))
    joined = add_articles(base, new)
    assert searches[-1] is not None and len(searches[-1].index.documents) == 5
    (corpus / "baltic.txt").write_text(NEW_ARTICLE, "utf-8")
    both = build_tables(corpus)
    for name in Tables.EXPORTED:
        pd.testing.assert_frame_equal(getattr(joined, name).reset_index(drop=True),
                                      getattr(both, name).reset_index(drop=True), check_dtype=False, obj=name)


def test_old_generations_and_unused_shards_are_removed(corpus, tmp_path):
    store = Store(tmp_path / "store")
    for text in ("one 1", "two 2", "three 3"):
        (corpus / "extra.txt").write_text(NEW_ARTICLE + text, "utf-8")
        build(corpus, store=store.root)
    generations = [p for p in store.root.iterdir() if p.name.startswith("gen-")]
    assert len(generations) == 2  # the current one and the one before it, for readers still on it
    used = set()
    for generation in generations:
        used |= set(pd.read_parquet(generation / "files.parquet")["shard"])
    assert {p.name for p in (store.root / "shards").iterdir()} == used


def test_an_unfinished_write_is_invisible_and_cleaned_up(corpus, tmp_path):
    store = Store(tmp_path / "store")
    build(corpus, store=store.root)
    before = store.load_tables()
    (store.root / ".tmp-gen-half-written").mkdir()
    (store.root / ".tmp-gen-half-written" / "meta.json").write_text("{", "utf-8")
    assert_same_tables(store.load_tables(), before)
    build(corpus, store=store.root)
    assert not any(p.name.startswith(".tmp-") for p in store.root.iterdir())


def test_a_broken_store_is_reported_and_then_rebuilt(corpus, tmp_path):
    store = Store(tmp_path / "store")
    build(corpus, store=store.root)
    (store.root / "CURRENT").write_text("gen-does-not-exist", "utf-8")
    with pytest.raises(StoreError, match="not a complete build"):
        store.load_tables()
    assert build(corpus, store=store.root).analysed == 5
    assert len(store.load_tables().documents) == 5


def test_default_store_is_inside_a_writable_corpus_and_in_the_cache_otherwise(corpus, tmp_path, monkeypatch):
    assert default_store(corpus) == corpus.resolve() / ".briefing-store"
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert str(default_store(readonly)).startswith(str(tmp_path / "cache" / "briefing-desk" / "stores"))


def test_cli_build_reports_reuse_and_the_store_is_hidden_from_the_corpus(corpus, capsys):
    assert main(["build", str(corpus)]) == 0
    assert "5 articles analysed, 0 reused" in capsys.readouterr().out
    assert main(["build", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "0 articles analysed, 5 reused" in out
    assert "5 articles analysed (" in out  # the store's hidden folder is not read as articles


def _build_in_subprocess(corpus: Path, store: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "analysis", "build", str(corpus), "--store", str(store), "-q"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_a_build_killed_at_any_point_leaves_the_previous_store_complete(corpus, tmp_path):
    """Kill `python -m analysis build` at spread-out moments: readers always see one whole build, and a later
    build finishes with the same tables as an uninterrupted one."""
    store_dir = tmp_path / "store"
    assert main(["build", str(corpus), "--store", str(store_dir), "-q"]) == 0
    (corpus / "new_first.txt").write_text(NEW_ARTICLE, "utf-8")
    started = time.monotonic()
    _build_in_subprocess(corpus, store_dir).wait(timeout=300)
    full_run = time.monotonic() - started  # one article to analyse, like each build below
    kills = 0
    for step, fraction in enumerate((0.2, 0.4, 0.55, 0.7, 0.85, 0.95)):
        (corpus / f"new_{step}.txt").write_text(NEW_ARTICLE.replace("150", str(500 + step)), "utf-8")
        previous = Store(store_dir).load_tables()
        process = _build_in_subprocess(corpus, store_dir)
        time.sleep(full_run * fraction)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=60)
        seen = Store(store_dir).load_tables()
        try:
            assert_same_tables(seen, previous)
        except AssertionError:
            assert_same_tables(seen, build_tables(corpus))
    assert kills >= 3, "the builds finished before they could be killed; the test proved nothing"
    assert main(["build", str(corpus), "--store", str(store_dir), "-q"]) == 0
    assert_same_tables(Store(store_dir).load_tables(), build_tables(corpus))


@pytest.mark.slow
def test_two_local_processes_give_the_same_tables(corpus, tmp_path):
    result = build(corpus, store=tmp_path / "store", options=BuildOptions(jobs=2, chunk_size=2))
    assert result.analysed == 5
    assert_same_tables(result.tables, build_tables(corpus))


@pytest.mark.slow
def test_dask_engine_on_a_two_worker_local_cluster_gives_the_same_tables(corpus, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        options = BuildOptions(engine="dask", scheduler=cluster.scheduler_address, chunk_size=2)
        result = build(corpus, store=tmp_path / "store", options=options)
        with distributed.Client(cluster.scheduler_address) as client:
            assert len(client.scheduler_info()["workers"]) == 2
            # Each worker loaded the model once and ran chunks (3 chunks of 2, 2 and 1 articles).
            loaded = client.run(lambda: len(__import__("analysis.nlp", fromlist=["_loaded"])._loaded))
            assert sorted(loaded.values()) == [1, 1]
        assert main(["build", str(corpus), "--store", str(tmp_path / "cli"), "-q", "--engine", "dask",
                     "--scheduler", cluster.scheduler_address]) == 0
    assert result.analysed == 5
    expected = build_tables(corpus)
    assert_same_tables(result.tables, expected)
    assert_same_tables(Store(tmp_path / "cli").load_tables(), expected)


def test_dask_engine_without_a_scheduler_is_a_usage_error(corpus, capsys):
    assert main(["build", str(corpus), "--engine", "dask"]) == 2
    assert "--scheduler" in capsys.readouterr().err
