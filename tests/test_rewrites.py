"""Rewrite search: an update from an earlier search equals a search from scratch, whatever changed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analysis.rewrites as rewrites
from analysis.rewrites import PreviousSearch, find_rewrites


def _sentence(words: list[int]) -> str:
    return "The " + " ".join(f"w{w}" for w in words) + " went ahead."


@st.composite
def corpora(draw):
    """Articles drawn from a few stories: copies of a story share most sentences (rewrites), with some words and
    sentences of their own; then a second state of the corpus with articles removed, added and changed."""
    stories = [[draw(st.lists(st.integers(0, 200), min_size=4, max_size=9)) for _ in range(draw(st.integers(3, 6)))]
               for _ in range(draw(st.integers(1, 3)))]

    def article():
        story = stories[draw(st.integers(0, len(stories) - 1))]
        kept = [s for s in story if draw(st.booleans()) or len(story) < 4]
        extra = [draw(st.lists(st.integers(0, 200), min_size=4, max_size=9)) for _ in range(draw(st.integers(0, 3)))]
        date = draw(st.sampled_from(["", "2025-11-20", "2025-11-21", "2025-11-23"]))
        return date, [_sentence(words) for words in kept + extra]

    names = [f"a{i:02d}.txt" for i in range(draw(st.integers(3, 14)))]
    before = {name: article() for name in names}
    after = {name: value for name, value in before.items() if draw(st.integers(0, 4))}  # about one in five removed
    for name in list(after):
        if not draw(st.integers(0, 5)):
            after[name] = article()  # changed in place
    for i in range(draw(st.integers(0, 4))):
        after[f"b{i:02d}.txt"] = article()
    order = draw(st.permutations(sorted(after)))  # the corpus order may change too (an upload joins at the end)
    return before, {name: after[name] for name in order}


def _frames(corpus: dict[str, tuple[str, list[str]]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    names = list(corpus)
    documents = pd.DataFrame({"document": names, "published": [corpus[n][0] for n in names]})
    rows = [(n, i, text) for n in names for i, text in enumerate(corpus[n][1])]
    return documents, pd.DataFrame(rows, columns=["document", "sentence", "text"])


@pytest.fixture
def few_candidates(monkeypatch):
    """Two candidates per article, so new articles push older candidates out of lists."""
    monkeypatch.setattr(rewrites, "CANDIDATES_PER_ARTICLE", 2)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(corpora(), st.booleans())
def test_an_update_from_an_earlier_search_equals_a_search_from_scratch(few_candidates, states, vouch):
    before, after = states
    first = find_rewrites(*_frames(before))
    # A store vouches for the articles whose text and date it knows are unchanged: their sentences are not read.
    unchanged = frozenset(n for n in after if before.get(n) == after[n]) if vouch else frozenset()
    updated = find_rewrites(*_frames(after), previous=PreviousSearch(first[2], first[0], first[1], unchanged))
    scratch = find_rewrites(*_frames(after))
    pd.testing.assert_frame_equal(updated[0], scratch[0], obj="duplicates")
    pd.testing.assert_frame_equal(updated[1], scratch[1], obj="passages")
    pd.testing.assert_frame_equal(updated[2].neighbours, scratch[2].neighbours, obj="neighbours")
    assert updated[2].documents == scratch[2].documents and updated[2].fingerprints == scratch[2].fingerprints
    assert (updated[2].vectors != scratch[2].vectors).nnz == 0


def test_copies_of_a_story_are_rewrites_and_an_update_keeps_them(few_candidates):
    story = [_sentence([10 * i + k for k in range(5)]) for i in range(6)]
    other = [_sentence([100 + 10 * i + k for k in range(5)]) for i in range(6)]
    before = {"a.txt": ("2025-11-20", story), "b.txt": ("2025-11-21", story[:5] + other[:1]),
              "c.txt": ("2025-11-22", other)}
    duplicates, passages, index = find_rewrites(*_frames(before))
    assert list(zip(duplicates["original"], duplicates["rewrite"], duplicates["direction"])) == [
        ("a.txt", "b.txt", "by date")]
    assert passages["sentence_original"].tolist() == [0, 1, 2, 3, 4]
    after = {**before, "d.txt": ("2025-11-23", other[:4])}  # a rewrite of c
    updated = find_rewrites(*_frames(after), previous=PreviousSearch(index, duplicates, passages))
    pairs = set(zip(updated[0]["original"], updated[0]["rewrite"]))
    assert pairs == {("a.txt", "b.txt"), ("c.txt", "d.txt")}
    pd.testing.assert_frame_equal(updated[0], find_rewrites(*_frames(after))[0])


def test_a_saved_index_loads_and_one_of_other_settings_is_ignored(tmp_path, monkeypatch):
    story = [_sentence([10 * i + k for k in range(5)]) for i in range(6)]
    _, _, index = find_rewrites(*_frames({"a.txt": ("", story), "b.txt": ("", story[:4])}))
    index.save(tmp_path / "index")
    loaded = rewrites.RewriteIndex.load(tmp_path / "index")
    assert loaded.documents == index.documents and (loaded.vectors != index.vectors).nnz == 0
    pd.testing.assert_frame_equal(loaded.neighbours, index.neighbours)
    monkeypatch.setattr(rewrites, "SENTENCE_SIMILARITY", 0.9)  # pair results made with other settings: not reused
    assert rewrites.RewriteIndex.load(tmp_path / "index") is None
    monkeypatch.setattr(rewrites, "SENTENCE_SIMILARITY", 0.3)
    (tmp_path / "index" / "vectors.npz").write_bytes(b"PK\x03\x04 truncated")
    assert rewrites.RewriteIndex.load(tmp_path / "index") is None  # damaged: searched afresh
    assert rewrites.RewriteIndex.load(tmp_path / "missing") is None


def test_a_new_copy_tied_with_a_weakest_candidate_takes_its_place_by_name(few_candidates):
    story = [_sentence([10 * i + k for k in range(5)]) for i in range(6)]
    own = [_sentence([300 + 10 * i + k for k in range(5)]) for i in range(6)]
    before = {"a.txt": ("", story), "c.txt": ("", story[:5] + own[:1]), "e.txt": ("", story[:3] + own[1:4])}
    first = find_rewrites(*_frames(before))
    after = {**before, "d.txt": before["e.txt"]}  # as similar to a.txt as e.txt is, and its name sorts first
    updated = find_rewrites(*_frames(after), previous=PreviousSearch(first[2], first[0], first[1], frozenset(before)))
    scratch = find_rewrites(*_frames(after))
    listed = scratch[2].neighbours
    assert listed[listed["document"] == "a.txt"]["neighbour"].tolist() == ["c.txt", "d.txt"]
    pd.testing.assert_frame_equal(updated[2].neighbours, listed)
    pd.testing.assert_frame_equal(updated[0], scratch[0])


def test_hashed_vectors_depend_on_each_text_alone():
    texts = ["Troops were sent to Kyiv on Monday.", "The of and it", "", "Kyiv troops troops troops."]
    together = rewrites.hashed_vectors(texts)
    assert list(np.diff(together.indptr))[1:3] == [0, 0]  # stop words only, or nothing: no features
    norms = np.sqrt(np.asarray(together.multiply(together).sum(axis=1)).ravel())
    assert np.allclose(norms[[0, 3]], 1) and together.has_sorted_indices
    for i, text in enumerate(texts):  # the same row whatever else is hashed with it
        alone = rewrites.hashed_vectors([text])
        assert (alone != together[i]).nnz == 0
    # Words and pairs of consecutive words, repeats counted sublinearly: "troops" three times weighs 1 + ln 3,
    # "troops troops" twice 1 + ln 2, "kyiv" and "kyiv troops" 1.
    row = together[3]
    assert np.allclose(sorted(row.data / row.data.min()), [1, 1, 1 + np.log(2), 1 + np.log(3)])
