import os
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.corpus import CorpusError, read_corpus, read_manifest, safe_name

ARTICLE = (
    "Defence ministers from nine countries met in Brussels on Thursday to plan a reassurance force.\n\n"
    "Officials said the planning cell would report back within a month, and several capitals offered staff.\n"
)
CP1252_ARTICLE = (
    "Le ministre a déclaré jeudi que l’armée française était prête à déployer des soldats.\n\n"
    "Les diplomates ont qualifié les discussions de « constructives » et de détaillées.\n"
)


@pytest.fixture
def bad_folder(tmp_path) -> Path:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    (tmp_path / "french.txt").write_bytes(CP1252_ARTICLE.encode("cp1252"))
    (tmp_path / "valid.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def test_bad_files_are_skipped_with_reasons_and_the_rest_analysed(bad_folder):
    corpus = read_corpus(bad_folder)
    assert sorted(d.document for d in corpus.documents) == ["french.txt", "valid.txt"]
    french = next(d for d in corpus.documents if d.document == "french.txt")
    assert french.encoding == "cp1252"
    assert "l’armée française" in french.body
    reasons = {s.document: s.reason for s in corpus.skipped}
    assert reasons == {"empty.txt": "empty file", "picture.txt": "binary file: looks like a PNG image, not text"}


def test_cli_on_bad_folder_exits_zero_and_names_each_skipped_file(bad_folder, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["export", str(bad_folder), "--out", str(out), "--format", "csv", "-q"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "skipped empty.txt: empty file" in err
    assert any(line.startswith("skipped picture.txt: binary file") for line in err)
    assert (out / "documents.csv").read_text("utf-8-sig").count("\n") == 3  # header + two articles


def test_nothing_usable_exits_one(tmp_path, capsys):
    (tmp_path / "a.txt").write_bytes(b"")
    assert main(["build", str(tmp_path)]) == 1
    assert "no usable article" in capsys.readouterr().err


def test_missing_or_non_folder_corpus(tmp_path, capsys):
    with pytest.raises(CorpusError, match="does not exist"):
        read_corpus(tmp_path / "nope")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(CorpusError, match="not a folder"):
        read_corpus(tmp_path / "file.txt")
    assert main(["build", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_oversized_duplicate_unsupported_and_whitespace_files(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE.replace("\n", "\r\n"), encoding="utf-8")  # same text, Windows line ends
    (tmp_path / "big.txt").write_text(ARTICLE * 400, encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "blank.md").write_text("   \n\t\n", encoding="utf-8")
    corpus = read_corpus(tmp_path, max_bytes=10_000)
    assert [d.document for d in corpus.documents] == ["a.txt"]
    reasons = {s.document: s.reason for s in corpus.skipped}
    assert reasons["b.txt"] == "duplicate of a.txt (same text)"
    assert reasons["big.txt"].startswith("too large")
    assert "unsupported file type .pdf" in reasons["notes.pdf"]
    assert reasons["blank.md"] == "only whitespace, no text"


def test_size_limit_is_configurable_by_environment(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("BRIEFING_MAX_BYTES", "50")
    assert read_corpus(tmp_path).skipped[0].reason.startswith("too large")


def test_link_outside_the_corpus_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(ARTICLE, encoding="utf-8")
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "a.txt").write_text(ARTICLE.replace("nine", "ten"), encoding="utf-8")
    (corpus_dir / "leak.txt").symlink_to(secret)
    corpus = read_corpus(corpus_dir)
    assert [d.document for d in corpus.documents] == ["a.txt"]
    assert corpus.skipped[0].document == "leak.txt" and "outside the corpus" in corpus.skipped[0].reason


def test_manifest_problems_are_reported_with_line_numbers():
    manifest = (
        "file,outlet,published,title\n"
        "a.txt,Outlet A,2025-11-26,Title\n"
        "b.txt,Outlet B,not a date,\n"
        "a.txt,Other,,\n"
        "ghost.txt,Nobody,,\n"
        "../etc/passwd,Evil,,\n"
    ).encode()
    rows, warnings = read_manifest(manifest, known={"a.txt", "b.txt"})
    assert rows["a.txt"] == {"outlet": "Outlet A", "published": "2025-11-26", "title": "Title"}
    assert "published" not in rows["b.txt"]
    text = "\n".join(warnings)
    assert "line 1: missing columns url, author" in text
    assert "line 3: unreadable date 'not a date'" in text
    assert "line 4: duplicate row for a.txt" in text
    assert "line 5: ghost.txt is not in the corpus" in text
    assert "line 6: no usable file name" in text


def test_manifest_without_file_column_is_ignored_with_a_reason():
    rows, warnings = read_manifest(b"name,outlet\na.txt,X\n", known={"a.txt"})
    assert rows == {} and "no 'file' column" in warnings[0]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.txt", "a.txt"), ("sub/a.txt", "sub/a.txt"), ("../a.txt", None), ("/etc/passwd", "etc/passwd"),
     ("..\\..\\win.ini", None), ("C:\\x.txt", None), ("", None)],
)
def test_safe_name(name, expected):
    assert safe_name(name) == expected


def test_seed_corpus_reads_all_five_with_manifest_metadata(seed_tables, gold):
    docs = seed_tables.documents.set_index("document")
    assert sorted(docs.index) == sorted(gold["documents"])
    for name, expected in gold["documents"].items():
        for key in ("outlet", "published", "author"):
            assert (docs.loc[name, key] or None) == expected[key], (name, key)
