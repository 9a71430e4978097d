"""Rewrites: pairs of articles where one copies or rewrites the other, and the sentences they share.

An article's features are hashed word unigrams and bigrams of its body (English stop words removed, sublinear
counts, unit length). They depend on that article's text alone, unlike TF-IDF weights, which depend on the whole
corpus. So adding, changing or removing articles leaves every other article's vector, and every similarity
between two other articles, exactly as it was. A store keeps the vectors and each article's candidate list
(`RewriteIndex`), and the next build compares only the changed articles with the rest. It gets the same tables
as a build from scratch, because both run the same steps on the same numbers:

1. Candidates: for each article, its CANDIDATES_PER_ARTICLE most similar others with a whole-text cosine of at
   least CANDIDATE_SIMILARITY (ties broken by name). A wire story reprinted by many outlets links every copy to
   a few others, and `coverage.independent_texts` still closes the group.
2. Alignment: a candidate pair is a rewrite when at least REWRITE_SHARE of one article's sentences have a
   counterpart in the other (sentence cosine >= SENTENCE_SIMILARITY, same hashed features). The earlier-published
   article is the original.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.frames import interleave, name_ranks, positions_in, word_counts
from analysis.lexicon import load_yaml
from analysis.runtime import bounded_thread_map

DUPLICATE_COLUMNS = ["original", "rewrite", "score", "shared_sentences", "document_similarity", "direction"]
# Shared passages are kept as sentence numbers: a corpus of many rewrites has millions of them, and their texts are
# in `sentences` already. `coverage.passage_texts` adds the texts back where a reader or an export needs them.
PASSAGE_COLUMNS = ["original", "rewrite", "sentence_original", "sentence_rewrite", "similarity"]
PASSAGE_TEXT_COLUMNS = ["text_original", "text_rewrite"]
NEIGHBOUR_COLUMNS = ["document", "neighbour", "similarity"]
_PASSAGE_TYPES = {"sentence_original": "int64", "sentence_rewrite": "int64", "similarity": "float64"}

# Candidate pairs need this much whole-text similarity before their sentences are aligned.
CANDIDATE_SIMILARITY = 0.12
# Sentence alignment runs on each article's most similar others only, so the cost grows with articles, not pairs.
CANDIDATES_PER_ARTICLE = 8
# Two sentences "say the same" at this cosine or above; a text is a rewrite when this share of one side's sentences do.
# On the seed articles the one true pair shares 71% of its sentences at 0.3 and no other pair more than 10%.
SENTENCE_SIMILARITY = 0.3
REWRITE_SHARE = 0.3
MIN_WORDS_PER_SENTENCE = 6
HASH_FEATURES = 2**20


def index_version() -> str:
    """What stored vectors, candidate lists and pair results depend on besides the articles: the settings above, the
    code of this module (CORPUS_VERSION), the stop words and pandas's string hashing. A store's index made with
    another value is not used."""
    from importlib.metadata import version

    from analysis import CORPUS_VERSION

    return json.dumps([CORPUS_VERSION, version("pandas"), HASH_FEATURES, sorted(stop_words()), CANDIDATE_SIMILARITY,
                       CANDIDATES_PER_ARTICLE, MIN_WORDS_PER_SENTENCE, SENTENCE_SIMILARITY, REWRITE_SHARE])


_TOKEN = re.compile(r"\b\w\w+\b")  # words of two or more letters or digits


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """The English stop words left out of a text's features."""
    return frozenset(load_yaml("stop_words.yaml")["words"])


def _features(text: str, stop: frozenset[str]) -> list[str]:
    """A text's words (lower case, stop words out) and the pairs of consecutive ones."""
    words = [w for w in _TOKEN.findall(text.lower()) if w not in stop]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def hashed_vectors(texts: list[str], *, batch: int = 2048):
    """Unit-length rows of hashed unigram and bigram counts (sublinear), float32, column indices sorted.

    Each feature's column is its pandas hash (SipHash, fixed key) modulo HASH_FEATURES, so a text's vector depends
    on that text alone. Sorted indices make a cosine bit-for-bit the same whichever of the two rows is on the left
    of the product, so a similarity computed for a new article equals the one a full build computes for the other
    article. Texts are hashed `batch` at a time: a corpus's sentences have millions of features, and only one
    batch of them is held as Python strings at once."""
    from scipy import sparse

    if not texts:
        return sparse.csr_matrix((0, HASH_FEATURES), dtype=np.float32)
    return sparse.vstack([_hashed_batch(texts[i : i + batch]) for i in range(0, len(texts), batch)],
                         format="csr", dtype=np.float32)


def _hashed_batch(texts: list[str]):
    from scipy import sparse

    stop = stop_words()
    features = [_features(text, stop) for text in texts]
    lengths = np.fromiter((len(f) for f in features), dtype=np.int64, count=len(features))
    flat = np.fromiter(itertools.chain.from_iterable(features), dtype=object, count=int(lengths.sum()))
    del features
    columns = (pd.util.hash_array(flat, categorize=False) % np.uint64(HASH_FEATURES)).astype(np.int32)
    rows = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
    matrix = sparse.csr_matrix((np.ones(len(columns), dtype=np.float32), (rows, columns)),
                               shape=(len(texts), HASH_FEATURES), dtype=np.float32)
    matrix.sum_duplicates()  # counts
    matrix.sort_indices()
    np.log(matrix.data, out=matrix.data)
    matrix.data += 1
    counts = np.diff(matrix.indptr)
    owners = np.repeat(np.arange(len(texts)), counts)
    norms = np.sqrt(np.bincount(owners, weights=matrix.data.astype(np.float64) ** 2, minlength=len(texts)))
    matrix.data /= norms.astype(np.float32)[owners]
    return matrix


@dataclass
class RewriteIndex:
    """What a rewrite search computed, so that the next search compares only changed articles with the rest."""

    documents: list[str]  # articles with sentences long enough to compare, in corpus order
    fingerprints: list[str]  # per article: its usable sentences and publication date
    vectors: object  # scipy CSR matrix, one row per article of `documents`
    neighbours: pd.DataFrame  # NEIGHBOUR_COLUMNS: each article's candidates
    version: str = field(default_factory=index_version)

    def save(self, folder: Path) -> None:
        from scipy import sparse

        folder.mkdir(parents=True, exist_ok=True)
        sparse.save_npz(folder / "vectors.npz", self.vectors, compressed=False)
        pd.DataFrame({"document": self.documents, "fingerprint": self.fingerprints}).to_parquet(
            folder / "documents.parquet", index=False)
        self.neighbours.to_parquet(folder / "neighbours.parquet", index=False)
        (folder / "index.json").write_text(json.dumps({"version": self.version}), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> RewriteIndex | None:
        """The index saved in folder, or None when there is none or it was made with other settings."""
        from scipy import sparse

        try:
            if json.loads((folder / "index.json").read_text("utf-8")).get("version") != index_version():
                return None
            documents = pd.read_parquet(folder / "documents.parquet")
            vectors = sparse.load_npz(folder / "vectors.npz").tocsr()
            neighbours = pd.read_parquet(folder / "neighbours.parquet")
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # missing or damaged: search afresh
            return None
        if vectors.shape[0] != len(documents):
            return None
        vectors.sort_indices()
        return cls(documents["document"].tolist(), documents["fingerprint"].tolist(), vectors,
                   neighbours.astype({"similarity": "float32"}))


@dataclass
class PreviousSearch:
    """An earlier search's index and results (its duplicates and passages tables), for articles that did not change.
    Only valid for sentences split by the same model and analysis version."""

    index: RewriteIndex
    duplicates: pd.DataFrame
    passages: pd.DataFrame
    # Articles known to have the same sentences and publication date as when the index was made (a store knows
    # them by their keys): their sentences are not read again. Others are compared by fingerprint.
    unchanged: frozenset[str] = frozenset()


def find_rewrites(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    previous: PreviousSearch | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, RewriteIndex]:
    """Rewrite pairs (DUPLICATE_COLUMNS), their shared passages (PASSAGE_COLUMNS) and the index for the next search.

    With a previous search, unchanged articles keep their vectors, candidates and pair results, and only pairs
    touching a changed article are aligned again. The result is the same as without it."""
    old = previous if previous is not None and previous.index.version == index_version() else None
    articles = _comparable_articles(documents, sentences, old)
    kept, fresh, vectors = _article_vectors(articles, old)
    candidates = _stored_candidates(articles, kept, fresh, old)
    fresh_positions = np.array([articles.position[d] for d in fresh], dtype=np.int64)
    rows_again = _list_again(candidates, vectors, articles.rank, set(fresh_positions.tolist()) if kept else set())
    if fresh and kept:
        _add_gained_candidates(candidates, rows_again, fresh_positions, articles.rank)
    pairs, todo, reused = _pairs_to_align(candidates.lists, candidates.previous_pairs, len(articles.names))
    duplicates, passages = _search_results(articles, pairs, todo, reused, old, documents, sentences)
    return duplicates, passages, _index(articles, vectors, candidates.lists)


@dataclass
class _Articles:
    """The articles a search compares (those with sentences long enough), in corpus order, and what it knows of them."""

    all_names: list[str]  # every listed article, in corpus order
    published: dict[str, str]
    trusted: set[str]  # vouched for as unchanged by the caller: their sentences are not read
    usable: _Usable  # the usable sentences of every article but the trusted ones
    names: list[str]  # the articles compared, in corpus order
    fingerprints: list[str]  # per article of names
    old_fingerprint: dict[str, str]  # article -> its fingerprint in the previous search's index
    position: dict[str, int] = field(init=False)  # article -> its place in names
    rank: np.ndarray = field(init=False)  # per place in names: the article's rank in name order

    def __post_init__(self) -> None:
        self.position = {d: i for i, d in enumerate(self.names)}
        self.rank = name_ranks(self.names)


def _comparable_articles(documents: pd.DataFrame, sentences: pd.DataFrame, old: PreviousSearch | None) -> _Articles:
    """The articles with sentences to compare and their fingerprints (a vouched-for article keeps its stored one)."""
    all_names = documents["document"].tolist()
    published = dict(zip(documents["document"], documents["published"]))
    # Articles the caller vouches for keep their vector and fingerprint without their sentences being looked at.
    trusted = {d for d in old.unchanged if d in published} if old else set()
    examined = [d for d in all_names if d not in trusted] if trusted else all_names
    usable = _usable_sentences(sentences, documents, examined if trusted else None)
    fingerprints_of = dict(zip(usable.names, _fingerprints(usable.frame, usable.names, usable.blocks, published)))
    old_fingerprint = dict(zip(old.index.documents, old.index.fingerprints)) if old else {}
    fingerprints_of.update((d, old_fingerprint[d]) for d in trusted if d in old_fingerprint)
    names = [d for d in all_names if d in fingerprints_of]
    return _Articles(all_names, published, trusted, usable, names, [fingerprints_of[d] for d in names],
                     old_fingerprint)


def _article_vectors(articles: _Articles, old: PreviousSearch | None):
    """The articles kept (same fingerprint as before) and fresh, and every article's vector in names order."""
    from scipy import sparse

    names = articles.names
    kept = [d for d, f in zip(names, articles.fingerprints) if articles.old_fingerprint.get(d) == f]
    kept_set = set(kept)
    fresh = [d for d in names if d not in kept_set]
    # Kept articles keep their stored vectors; the others are computed.
    pieces, position_in_stack = [], {}
    if kept:
        before = {d: i for i, d in enumerate(old.index.documents)}
        pieces.append(old.index.vectors[[before[d] for d in kept]])
        position_in_stack.update({d: i for i, d in enumerate(kept)})
    if fresh:
        texts, blocks = articles.usable.texts, articles.usable.blocks
        pieces.append(hashed_vectors([" ".join(texts[i] for i in blocks[d]) for d in fresh]))
        position_in_stack.update({d: len(kept) + i for i, d in enumerate(fresh)})
    if not pieces:
        return kept, fresh, sparse.csr_matrix((0, HASH_FEATURES), dtype=np.float32)
    vectors = sparse.vstack(pieces, format="csr", dtype=np.float32)[[position_in_stack[d] for d in names]]
    vectors.sort_indices()
    return kept, fresh, vectors


@dataclass
class _Candidates:
    """Each article's candidate list, and what the next stages of an incremental search need."""

    lists: dict[int, list[tuple[int, float]]]  # position -> [(candidate's position, similarity)], best first
    again: list[int]  # positions whose list is computed afresh, in order
    to_beat: np.ndarray | None  # per position: what a changed article must reach to join a kept article's list
    previous_pairs: np.ndarray  # keys of the pairs of two kept articles, decided by the previous search


def _stored_candidates(
    articles: _Articles, kept: list[str], fresh: list[str], old: PreviousSearch | None
) -> _Candidates:
    """The kept articles' stored candidate lists; changed articles, and kept ones that lost a candidate, list again."""
    position, count = articles.position, len(articles.names)
    again = [position[d] for d in fresh]
    if not old:
        return _Candidates({}, sorted(set(again)), None, np.array([], dtype=np.int64))
    is_kept = np.zeros(count + 1, dtype=bool)  # the last slot stands for "not an article any more"
    is_kept[[position[d] for d in kept]] = True
    table = old.index.neighbours
    owner, neighbour = positions_in(table["document"], articles.names), positions_in(table["neighbour"], articles.names)
    owner_kept, neighbour_kept = is_kept[owner], is_kept[neighbour]
    # A kept article that lost a candidate is compared again: its next best is not stored.
    dirty = np.unique(owner[owner_kept & ~neighbour_kept])
    again += dirty.tolist()
    listed = owner_kept & ~np.isin(owner, dirty)
    similarity = table["similarity"].to_numpy(dtype=np.float32)
    lists: dict[int, list[tuple[int, float]]] = {position[d]: [] for d in kept}  # a list may be empty: no rows
    for i, j, value in zip(owner[listed].tolist(), neighbour[listed].tolist(), similarity[listed].tolist()):
        lists[i].append((j, value))
    # Each listed article's weakest candidate, or -inf while its list has room: what a changed article must reach.
    counts = np.bincount(owner[listed], minlength=count + 1)[:count]
    weakest = np.full(count + 1, np.inf, dtype=np.float32)
    np.minimum.at(weakest, owner[listed], similarity[listed])
    to_beat = np.where(counts < CANDIDATES_PER_ARTICLE, -np.inf, weakest[:count])
    both = owner_kept & neighbour_kept
    return _Candidates(lists, sorted(set(again)), to_beat, np.unique(_pair_keys(owner[both], neighbour[both], count)))


def _list_again(candidates: _Candidates, vectors, rank: np.ndarray, remember: set[int]) -> dict:
    """Compute the candidate lists of candidates.again; return the rows of those in remember, as far as they reach."""
    rows_again = {}  # a changed article's similarities that can make a candidate, when others keep their lists
    for start, block in _similarity_blocks(vectors, candidates.again):
        for offset in range(block.shape[0]):
            i = candidates.again[start + offset]
            columns, values = _row(block, offset)
            candidates.lists[i] = _top(i, columns, values, rank)
            if i in remember:
                keep = values >= CANDIDATE_SIMILARITY
                rows_again[i] = (columns[keep], values[keep])
    return rows_again


def _add_gained_candidates(candidates: _Candidates, rows_again: dict, fresh_positions: np.ndarray,
                           rank: np.ndarray) -> None:
    """Add to each kept article's list the changed articles that now beat its weakest candidate."""
    # Similarities are read off the changed articles' rows (the same numbers a full build computes from the other side).
    lists, again = candidates.lists, set(candidates.again)
    gained = _transposed(rows_again, fresh_positions, len(rank))
    best = np.full(len(rank), -np.inf, dtype=np.float32)
    nonempty = np.flatnonzero(np.diff(gained.indptr))
    if len(nonempty):
        best[nonempty] = np.maximum.reduceat(gained.data, gained.indptr[nonempty])
    for i in np.flatnonzero(np.isfinite(best) & (best >= candidates.to_beat)).tolist():  # ties too: names decide them
        if i in again or i not in lists:
            continue
        start, end = gained.indptr[i], gained.indptr[i + 1]
        columns = np.concatenate([np.array([j for j, _ in lists[i]], dtype=np.int64),
                                  fresh_positions[gained.indices[start:end]]])
        values = np.concatenate([np.array([v for _, v in lists[i]], dtype=np.float32), gained.data[start:end]])
        lists[i] = _top(i, columns, values, rank)


def _pairs_to_align(lists: dict, previous_pairs: np.ndarray, count: int) -> tuple[dict, list, np.ndarray]:
    """Every candidate link as a pair (i < j) with its similarity, the pairs to align, and the keys of the rest."""
    # Links in either direction make one pair; a pair the previous search decided keeps its result.
    pairs: dict[tuple[int, int], float] = {}
    for i, listed_pairs in lists.items():
        for j, value in listed_pairs:
            pairs[(min(i, j), max(i, j))] = value
    keys = np.fromiter((i * count + j for i, j in pairs), dtype=np.int64, count=len(pairs))
    known = np.isin(keys, previous_pairs)
    todo = sorted(pair for pair, decided in zip(pairs, known.tolist()) if not decided)
    return pairs, todo, keys[known]


def _search_results(articles: _Articles, pairs: dict, todo: list, reused: np.ndarray, old: PreviousSearch | None,
                    documents: pd.DataFrame, sentences: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The duplicates and passages tables: the pairs of todo aligned, merged with the reused pairs' results."""
    names, rank, usable = articles.names, articles.rank, articles.usable
    if articles.trusted and todo:  # the sentences of the articles being aligned, vouched-for ones included
        involved = {names[i] for pair in todo for i in pair}
        usable = _usable_sentences(sentences, documents, [d for d in articles.all_names if d in involved])
    new_pairs, new_passages = _align(todo, pairs, names, usable.blocks, usable.texts, usable.numbers,
                                     articles.published, rank)
    duplicates = pd.DataFrame(new_pairs, columns=DUPLICATE_COLUMNS)
    passages = _sorted_passages(pd.DataFrame(new_passages, columns=PASSAGE_COLUMNS), names, rank)
    if old:
        reused_duplicates, reused_passages = _reused_results(old, reused, names)
        if len(reused_duplicates):
            duplicates = (pd.concat([reused_duplicates, duplicates], ignore_index=True) if len(duplicates)
                          else reused_duplicates)
            passages = _merged_passages(reused_passages, passages, names, rank)
    duplicates = duplicates.astype({"score": "float64", "shared_sentences": "int64", "document_similarity": "float64"})
    duplicates = duplicates.sort_values(["score", "original", "rewrite"], ascending=[False, True, True],
                                        ignore_index=True)[DUPLICATE_COLUMNS]
    return duplicates, passages


def _index(articles: _Articles, vectors, lists: dict) -> RewriteIndex:
    """What the next search reuses: the articles, their fingerprints and vectors, and their candidate lists."""
    names = articles.names
    neighbour_rows = [(names[i], names[j], value) for i in sorted(lists) for j, value in lists[i]]
    neighbours = pd.DataFrame(neighbour_rows, columns=NEIGHBOUR_COLUMNS).astype({"similarity": "float32"})
    return RewriteIndex(names, articles.fingerprints, vectors, neighbours)


@dataclass
class _Usable:
    """Sentences long enough to compare, each article's rows one block, articles in corpus order."""

    frame: pd.DataFrame
    names: list[str]  # articles with at least one such sentence
    blocks: dict[str, np.ndarray]  # article -> its rows of frame
    texts: list[str]
    numbers: np.ndarray  # sentence numbers within their article


def _usable_sentences(sentences: pd.DataFrame, documents: pd.DataFrame, only: list[str] | None = None) -> _Usable:
    """The sentences worth comparing, of every listed article or of those in only."""
    if only is not None:
        sentences = sentences[positions_in(sentences["document"], only) < len(only)]
    usable = sentences[word_counts(sentences["text"]) >= MIN_WORDS_PER_SENTENCE]
    corpus_order = positions_in(usable["document"], documents["document"])
    arranged = np.argsort(corpus_order, kind="stable")
    arranged = arranged[corpus_order[arranged] < len(documents)]  # sentences of no listed article are left out
    usable, corpus_order = usable.iloc[arranged].reset_index(drop=True), corpus_order[arranged]
    starts = np.flatnonzero(np.r_[True, corpus_order[1:] != corpus_order[:-1]]) if len(usable) else np.array([], int)
    ends = np.r_[starts[1:], len(usable)]
    all_names = documents["document"].tolist()
    blocks = {all_names[corpus_order[a]]: np.arange(a, b) for a, b in zip(starts.tolist(), ends.tolist())}
    names = [all_names[corpus_order[a]] for a in starts.tolist()]
    return _Usable(usable, names, blocks, usable["text"].tolist(), usable["sentence"].to_numpy())


def _fingerprints(usable: pd.DataFrame, names: list[str], blocks: dict, published: dict) -> list[str]:
    """Per article: a digest of its usable sentences (numbers and texts) and publication date."""
    if usable.empty:
        return []
    hashes = pd.util.hash_pandas_object(usable[["sentence", "text"]], index=False).to_numpy()
    found = []
    for name in names:
        digest = hashlib.sha1(hashes[blocks[name]].tobytes())
        digest.update(str(published.get(name, "")).encode("utf-8", "surrogatepass"))
        found.append(digest.hexdigest()[:20])
    return found


def _row(block, offset: int):
    start, end = block.indptr[offset], block.indptr[offset + 1]
    return block.indices[start:end].astype(np.int64), block.data[start:end]


def _top(i: int, columns: np.ndarray, values: np.ndarray, rank: np.ndarray) -> list[tuple[int, float]]:
    """Article i's candidates: the CANDIDATES_PER_ARTICLE most similar others at CANDIDATE_SIMILARITY or above,
    ties broken by name."""
    keep = (values >= CANDIDATE_SIMILARITY) & (columns != i)
    columns, values = columns[keep], values[keep]
    if len(values) > CANDIDATES_PER_ARTICLE:
        # Everything at least as similar as the K-th best (ties included), then the exact order of those few.
        kth = np.partition(values, len(values) - CANDIDATES_PER_ARTICLE)[len(values) - CANDIDATES_PER_ARTICLE]
        near = values >= kth
        columns, values = columns[near], values[near]
    ordered = np.lexsort((rank[columns], -values))[:CANDIDATES_PER_ARTICLE]
    return [(int(columns[k]), float(values[k])) for k in ordered]


def _transposed(rows_again: dict, fresh_positions: np.ndarray, count: int):
    """Similarities of every article (rows) with each changed article (columns, in fresh_positions order), from the
    changed articles' own rows."""
    from scipy import sparse

    columns, values, owners = [], [], []
    for k, j in enumerate(fresh_positions.tolist()):
        found, similarity = rows_again[j]
        columns.append(found)
        values.append(similarity)
        owners.append(np.full(len(found), k, dtype=np.int64))
    matrix = sparse.csr_matrix((np.concatenate(values).astype(np.float32),
                                (np.concatenate(columns), np.concatenate(owners))),
                               shape=(count, len(fresh_positions)), dtype=np.float32)
    matrix.sort_indices()
    return matrix


def _similarity_blocks(vectors, rows: list[int], *, block: int = 1024, workers: int | None = None):
    """(offset into rows, vectors[rows[offset:offset + block]] @ vectors.T), in order, column indices sorted. scipy's
    sparse product releases the interpreter lock, so `workers` threads compute blocks side by side."""
    if not rows:
        return
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    transposed = vectors.T.tocsr()
    starts = list(range(0, len(rows), block))

    def product(start: int):
        result = (vectors[rows[start : start + block]] @ transposed).tocsr()
        result.sort_indices()
        return result

    for number, result in enumerate(bounded_thread_map(product, starts, workers=workers if len(starts) > 1 else 1)):
        yield starts[number], result


def _align(todo, pairs, names, blocks, texts, sentence_numbers, published, rank):
    """Pair rows and shared passages of the pairs in todo ((i, j) positions, i < j) that are rewrites."""
    if not todo:
        return [], []
    involved = sorted({names[i] for pair in todo for i in pair}, key=lambda d: blocks[d][0])
    rows = np.concatenate([blocks[d] for d in involved])
    local = np.empty(len(texts), dtype=np.int64)
    local[rows] = np.arange(len(rows))
    sentence_vectors = hashed_vectors([texts[r] for r in rows])
    partners: dict[int, list[int]] = defaultdict(list)
    for i, j in todo:
        # Each pair is aligned from the article whose name sorts first: the passages (each of its sentences' best
        # counterpart) and the containment tie-break then depend on the two articles only, not on corpus order.
        first, second = (i, j) if rank[i] < rank[j] else (j, i)
        partners[first].append(second)
    found_pairs, found_passages = [], []
    for i, group in partners.items():
        # One sparse product per article against all its candidates, split into one block per candidate.
        a, rows_a = names[i], blocks[names[i]]
        rows_all = np.concatenate([blocks[names[j]] for j in group])
        products = (sentence_vectors[local[rows_a]] @ sentence_vectors[local[rows_all]].T).toarray()
        offset = 0
        for j in group:
            b, rows_b = names[j], blocks[names[j]]
            matrix = products[:, offset : offset + len(rows_b)]
            offset += len(rows_b)
            value = pairs[(min(i, j), max(i, j))]
            pair = _aligned_pair(a, b, rows_a, rows_b, matrix, value, published, sentence_numbers)
            if pair is not None:
                found_pairs.append(pair[0])
                found_passages += pair[1]
    return found_pairs, found_passages


def _aligned_pair(a, b, rows_a, rows_b, matrix, value, published, sentence_numbers):
    """The pair row and shared passages when a and b share enough sentences, else None."""
    best_a, best_b = matrix.max(axis=1), matrix.max(axis=0)
    share_a = float((best_a >= SENTENCE_SIMILARITY).mean())
    share_b = float((best_b >= SENTENCE_SIMILARITY).mean())
    score = max(share_a, share_b)
    if score < REWRITE_SHARE:
        return None
    date_a, date_b = published.get(a, ""), published.get(b, "")
    if date_a and date_b and date_a != date_b:
        original, rewrite, direction = (a, b, "by date") if date_a < date_b else (b, a, "by date")
    else:
        # Undecided by date: the text whose sentences are more fully contained in the other is the rewrite.
        original, rewrite, direction = (b, a, "by containment") if share_a >= share_b else (a, b, "by containment")
    flip = original == b
    found = []
    for x, y in zip(*np.nonzero((matrix >= SENTENCE_SIMILARITY) & (matrix == best_a[:, None]))):
        # each sentence's best counterpart only
        ra, rb = rows_a[x], rows_b[y]
        first, second = (rb, ra) if flip else (ra, rb)
        found.append((original, rewrite, int(sentence_numbers[first]), int(sentence_numbers[second]),
                      round(float(matrix[x, y]), 3)))
    return (original, rewrite, round(score, 3), len(found), round(float(value), 3), direction), found


def _reused_results(old: PreviousSearch, reused: np.ndarray, names: list[str]):
    """The previous search's duplicates and passages of the pairs it already decided (reused: pair keys)."""

    def wanted(frame: pd.DataFrame) -> np.ndarray:
        keys = _pair_keys(positions_in(frame["original"], names), positions_in(frame["rewrite"], names), len(names))
        return np.isin(keys, reused)

    passages = old.passages[PASSAGE_COLUMNS]
    # A pair's passages are one run of rows: its names are looked up once per run, not once per row (millions).
    starts = _runs(passages)
    sizes = np.diff(np.r_[starts, len(passages)])
    keep = np.repeat(wanted(passages.iloc[starts]), sizes) if len(passages) else np.zeros(0, dtype=bool)
    return old.duplicates[wanted(old.duplicates)].reset_index(drop=True), passages[keep].reset_index(drop=True)


def _runs(passages: pd.DataFrame) -> np.ndarray:
    """First row of each run of rows of one pair (a pair's passages are one run in the order `_sorted_passages`
    leaves them in)."""
    if passages.empty:
        return np.zeros(0, dtype=np.int64)

    def changes(column: pd.Series) -> pd.Series:  # compared in Arrow, not as Python strings
        return column.iloc[1:].reset_index(drop=True) != column.iloc[:-1].reset_index(drop=True)

    change = (changes(passages["original"]) | changes(passages["rewrite"])).to_numpy(dtype=bool)
    return np.flatnonzero(np.r_[True, change])


def _sorted_passages(passages: pd.DataFrame, names: list[str], rank: np.ndarray) -> pd.DataFrame:
    """Passages by original, rewrite (names compared by rank: much faster on millions of rows) and sentence numbers."""
    passages = passages.astype(_PASSAGE_TYPES)
    return passages.iloc[np.lexsort((passages["sentence_rewrite"].to_numpy(), passages["sentence_original"].to_numpy(),
                                     rank[positions_in(passages["rewrite"], names)],
                                     rank[positions_in(passages["original"], names)]))].reset_index(drop=True)


def _merged_passages(reused: pd.DataFrame, fresh: pd.DataFrame, names: list[str], rank: np.ndarray) -> pd.DataFrame:
    """Reused passages (in pair order, as stored) and new ones (sorted) in one table in pair order. Each new pair's
    run goes in between the reused runs, so the millions of reused rows are not sorted again."""
    if fresh.empty:
        return reused.astype(_PASSAGE_TYPES)
    if reused.empty:
        return fresh
    merged = interleave(reused, _pair_order(reused, names, rank), fresh, _pair_order(fresh, names, rank))
    if merged is None:  # not in pair order (never written so): sort everything
        return _sorted_passages(pd.concat([reused, fresh], ignore_index=True), names, rank)
    return merged.astype(_PASSAGE_TYPES)


def _pair_order(passages: pd.DataFrame, names: list[str], rank: np.ndarray) -> np.ndarray:
    """Per row: its pair's place in pair order (original's name, then rewrite's), its names looked up once per run."""
    starts = _runs(passages)
    first = passages.iloc[starts]
    # A name not in the corpus any more sorts last (never happens: reused pairs are kept).
    order_of = np.append(rank, len(names))
    keys = (order_of[positions_in(first["original"], names)] * (len(names) + 1)
            + order_of[positions_in(first["rewrite"], names)])
    return np.repeat(keys, np.diff(np.r_[starts, len(passages)]))


def _pair_keys(first: np.ndarray, second: np.ndarray, count: int) -> np.ndarray:
    """One integer per unordered pair of positions (-1 when either is not an article: position `count`)."""
    low, high = np.minimum(first, second), np.maximum(first, second)
    return np.where(high < count, low * count + high, -1)
