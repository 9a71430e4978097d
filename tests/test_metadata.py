from datetime import date

import pytest

from analysis.corpus import read_corpus
from analysis.metadata import infer_metadata, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date 2025-11-26 French President", date(2025, 11, 26)),
        ("November 26, 2025", date(2025, 11, 26)),
        ("on 4 September 2025 in Paris", date(2025, 9, 4)),
        ("Nov. 3, 2024", date(2024, 11, 3)),
        ("Sept 30th, 2023", date(2023, 9, 30)),
        ("no date here", None),
        ("February 30, 2025", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_byline_bio_and_copyright():
    page = "\n".join(
        [
            "Menu",
            "Ceasefire talks resume in Geneva after a week of delays",
            "By Anna Kowalska - Europe desk",
            "Delegations met on Monday.",
            "Ceasefire talks resume in Geneva after a week of delays",
            "Posted on March 3, 2026",
            "© 2026 Baltic Monitor. All rights reserved.",
        ]
    )
    found = infer_metadata(page)
    assert found.author == "Anna Kowalska"
    assert found.outlet == "Baltic Monitor"
    assert found.published == "2026-03-03"
    assert found.title == "Ceasefire talks resume in Geneva after a week of delays"


def test_reporter_bio_names_author_and_outlet():
    found = infer_metadata("Text.\nJohn Smith is a senior correspondent for the Northern Herald, covering defence.")
    assert (found.author, found.outlet) == ("John Smith", "Northern Herald")


def test_seed_metadata_inferred_without_manifest_matches_gold(seeds_without_manifest, gold):
    corpus = read_corpus(seeds_without_manifest)
    by_name = {d.document: d for d in corpus.documents}
    for name, expected in gold["documents"].items():
        doc = by_name[name]
        for key in ("outlet", "published", "author"):
            assert doc.metadata[key] == expected[key], (name, key)
            if expected[key]:
                assert doc.metadata_source[key] == "inferred", (name, key)


def test_manifest_beats_front_matter_beats_inference(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ntitle: Front matter title\noutlet: Front Outlet\ndate: 2024-01-02\n---\n"
        "# Markdown heading\n\nBy Jane Roe\n\nThe ministers agreed on a plan for the coming months, officials said.\n",
        encoding="utf-8",
    )
    manifest = "file,outlet,url,published,title,author\na.md,Manifest Outlet,,,,\n"
    (tmp_path / "sources.csv").write_text(manifest, encoding="utf-8")
    doc = read_corpus(tmp_path).documents[0]
    assert doc.metadata["outlet"] == "Manifest Outlet" and doc.metadata_source["outlet"] == "manifest"
    assert doc.metadata["title"] == "Front matter title" and doc.metadata_source["title"] == "front matter"
    assert doc.metadata["published"] == "2024-01-02" and doc.metadata_source["published"] == "front matter"
    assert doc.metadata["author"] == "Jane Roe" and doc.metadata_source["author"] == "inferred"
