"""Articles added in a browser session: analysis.corpus.read_uploads turns uploads and pasted text into a corpus."""

from analysis.corpus import read_uploads

TEXT = (b"Estonia pledged to send a company of soldiers to the reassurance force, the defence ministry said on "
        b"Monday in Tallinn.")


def test_uploaded_files_are_read_under_uploads_with_their_manifest():
    manifest = b"file,outlet,published,title\nbaltic.txt,Baltic Wire,2025-11-27,Estonia pledges a company\n"
    corpus, files, rejected = read_uploads([("C:\\Users\\me\\baltic.txt", TEXT), ("sources.csv", manifest)])
    assert list(files) == ["uploads/baltic.txt"] and files["uploads/baltic.txt"] == TEXT
    assert rejected == [] and corpus.root == "uploads"
    (doc,) = corpus.documents
    assert doc.document == "uploads/baltic.txt"
    assert doc.metadata["outlet"] == "Baltic Wire" and doc.metadata["published"] == "2025-11-27"
    assert doc.metadata["title"] == "Estonia pledges a company"


def test_bad_names_other_csvs_and_unreadable_files_are_rejected_with_reasons():
    corpus, files, rejected = read_uploads([("../", TEXT), ("notes.csv", b"a,b\n1,2\n"), ("empty.txt", b""),
                                            ("fine.md", TEXT)])
    assert rejected == ["../: not a usable file name",
                        "notes.csv: only a manifest named sources.csv is accepted as CSV",
                        "uploads/empty.txt: empty file"]
    assert set(files) == {"uploads/empty.txt", "uploads/fine.md"}
    assert [d.document for d in corpus.documents] == ["uploads/fine.md"]


def test_pasted_text_gets_front_matter_for_what_is_given():
    corpus, files, rejected = read_uploads([], pasted=TEXT.decode(), title=' Estonia "pledges" ', outlet="Baltic Wire",
                                           published="2025-11-27")
    assert list(files) == ["uploads/pasted_001.md"] and rejected == []
    stored = files["uploads/pasted_001.md"].decode("utf-8")
    assert stored.startswith('---\ntitle: "Estonia pledges"\noutlet: "Baltic Wire"\ndate: "2025-11-27"\n---\n')
    (doc,) = corpus.documents
    assert doc.metadata["title"] == "Estonia pledges" and doc.metadata["outlet"] == "Baltic Wire"
    assert doc.metadata["published"] == "2025-11-27" and doc.body.startswith("Estonia pledged")


def test_blank_paste_adds_nothing_and_earlier_uploads_are_kept():
    corpus, files, rejected = read_uploads([], pasted="   ")
    assert files == {} and corpus.documents == [] and rejected == []
    earlier = {"uploads/first.txt": TEXT}
    corpus, files, _ = read_uploads([], pasted="Latvia ruled out any deployment of its troops before a ceasefire.",
                                    existing=earlier)
    assert list(files) == ["uploads/first.txt", "uploads/pasted_002.md"] and earlier == {"uploads/first.txt": TEXT}
    assert [d.document for d in corpus.documents] == ["uploads/first.txt", "uploads/pasted_002.md"]
