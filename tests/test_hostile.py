"""Hostile and broken input: each case gets a one-line message naming its file, the rest is still analysed;
no article text reaches a page as markup or a spreadsheet as a formula; nothing outside the corpus is read."""

from __future__ import annotations

import csv
import io
import os
import time
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from analysis.build import build_tables
from analysis.corpus import (
    MAX_SENTENCE_CHARS,
    MAX_TEXT_CHARS,
    CorpusError,
    SourceFile,
    read_corpus,
    read_sources,
)
from analysis.export import table_bytes
from dashboard.render import highlighted_article_html, inert_html, md

GOOD = (
    "France pledged to send 2,000 troops to the reassurance force, the minister said on Thursday.\n\n"
    "Officials said the planning cell would report back within a month, and several capitals offered staff.\n"
)
OTHER = "The ministers met in Paris today to agree on a plan for the force, officials said on Friday.\n"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", GOOD)
    return buffer.getvalue()


def _write(name: str, data: bytes | str):
    def setup(folder: Path, outside: Path) -> None:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return setup


def _fifty_megabytes(folder: Path, outside: Path) -> None:
    line = (OTHER * 8).encode()
    with open(folder / "huge.txt", "wb") as handle:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            handle.write(line)


def _link_out(folder: Path, outside: Path) -> None:
    (outside / "secret.txt").write_text(OTHER, encoding="utf-8")
    (folder / "leak.txt").symlink_to(outside / "secret.txt")


def _link_loop(folder: Path, outside: Path) -> None:
    (folder / "loop.txt").symlink_to(folder / "round.txt")
    (folder / "round.txt").symlink_to(folder / "loop.txt")


def _dangling(folder: Path, outside: Path) -> None:
    (folder / "gone.txt").symlink_to(outside / "deleted.txt")


def _fifo(folder: Path, outside: Path) -> None:
    os.mkfifo(folder / "pipe.txt")  # reading it would block for ever


def _folder_link(folder: Path, outside: Path) -> None:
    (outside / "secret.txt").write_text(OTHER, encoding="utf-8")
    (folder / "linked").symlink_to(outside, target_is_directory=True)


EVIL_HTML = (
    "<html><head><script>document.title='pwned'</script></head><body>"
    "<iframe src='javascript:alert(1)'>framed text</iframe><svg onload='alert(2)'><text>svg text</text></svg>"
    "<p onmouseover='alert(3)'>The <a href='javascript:alert(4)'>defence ministers</a> met in Paris "
    "on Thursday to agree a plan for the force, officials said.</p><img src=x onerror='alert(5)'>"
    "<script>alert(6)</script><noscript>enable scripts</noscript></body></html>"
)
LEVELS = list(zip("abcdefgh", "bcdefghi", strict=True))  # each alias nine times the one before: 9**9 "lol"s
YAML_BOMB = (
    "---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"{new}: &{new} [{', '.join([f'*{old}'] * 9)}]\n" for old, new in LEVELS)
    + "title: *i\n---\n"
    + OTHER
)


@dataclass(frozen=True)
class Case:
    id: str
    setup: object  # (folder, outside) -> None
    name: str  # the file the message must name
    message: str | None  # fragment of its skip reason or warning; None: the file is analysed
    absent: tuple[str, ...] = ()  # for analysed files: text that must not reach its body


CASES = [
    Case("empty", _write("empty.txt", b""), "empty.txt", "empty file"),
    Case("whitespace", _write("blank.md", " \n\t\r\n\u00a0\u3000\n"), "blank.md", "only whitespace, no text"),
    Case(
        "pdf",
        _write("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj"),
        "report.txt",
        "binary file: looks like a PDF document, not text",
    ),
    Case(
        "png",
        _write("photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        "photo.md",
        "binary file: looks like a PNG image, not text",
    ),
    Case("zip", _write("notes.html", _zip()), "notes.html", "binary file: looks like a ZIP archive"),
    Case(
        "undecodable",
        _write("garbage.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 0xFF, 0xFE, 14, 15, 16, 17]) * 60),
        "garbage.txt",
        "undecodable: not valid UTF-8 and no known encoding reads it as text",
    ),
    Case(
        "bad-utf16",
        _write("utf16.txt", b"\xff\xfe" + "Troops".encode("utf-16-le") + b"\x00\xdc"),
        "utf16.txt",
        "undecodable: has a utf-16 byte-order mark but invalid bytes",
    ),
    Case(
        "mixed-encodings",
        _write("mixed.txt", "Le ministre a déclaré à l’AFP : ".encode() + b"\x93non\x94. " + OTHER.encode()),
        "mixed.txt",
        "mixed encodings (UTF-8 with stray cp1252 bytes)",
    ),
    Case("50-megabytes", _fifty_megabytes, "huge.txt", "too large: 50.0 MB is over the 5.0 MB limit"),
    Case(
        "one-megabyte-sentence",
        _write("sentence.txt", "The " + "very " * 209_714 + "long sentence."),
        "sentence.txt",
        f"too long to analyse: 1,048,588 characters of text, over the {MAX_TEXT_CHARS:,} limit",
    ),
    Case(
        "long-line-without-punctuation",
        _write("line.txt", "word " * 30_000 + "\n\n" + OTHER),
        "line.txt",
        None,
    ),
    Case(
        "hostile-html",
        _write("evil.html", EVIL_HTML),
        "evil.html",
        None,
        ("pwned", "alert", "javascript", "framed text", "svg text", "enable scripts", "<"),
    ),
    Case(
        "markdown-links-and-brackets",
        _write("links.md", "[click](javascript:alert(1)) " + "[" * 100_000 + "\n\n" + OTHER),
        "links.md",
        None,
        ("javascript", "["),
    ),
    Case(
        "page-with-no-visible-text",
        _write("empty_page.html", "<html><script>alert(1)</script><style>p{}</style></html>"),
        "empty_page.html",
        "no article text found: no visible text once markup and front matter are removed",
    ),
    Case(
        "only-page-chrome",
        _write("menu.txt", "Home\nMenu\nSubscribe\nShare this article\nRead more\n"),
        "menu.txt",
        "no article text found: all 5 non-blank lines look like page chrome",
    ),
    Case(
        "duplicate-article",
        _write("good_copy.txt", GOOD.replace("\n", "\r\n")),
        "good_copy.txt",
        "duplicate of good.txt (same text)",
    ),
    Case(
        "yaml-alias-bomb",
        _write("bomb.md", YAML_BOMB),
        "bomb.md",
        "front matter title is not a single value; ignored",
    ),
    Case(
        "unsupported-type", _write("slides.pptx", b"PK\x03\x04"), "slides.pptx", "unsupported file type .pptx"
    ),
    Case(
        "manifest-missing-columns",
        _write("sources.csv", "file,outlet\ngood.txt,Example Times\n"),
        "sources.csv",
        "line 1: missing columns url, published, title, author",
    ),
    Case(
        "manifest-bad-date",
        _write("sources.csv", "file,outlet,url,published,title,author\ngood.txt,X,,31/02/2025,,\n"),
        "sources.csv",
        "line 2: unreadable date '31/02/2025' for good.txt; ignored",
    ),
    Case(
        "manifest-unknown-file",
        _write("sources.csv", "file,outlet,url,published,title,author\nghost.txt,X,,,,\n"),
        "sources.csv",
        "line 2: ghost.txt is not in the corpus; row ignored",
    ),
    Case(
        "manifest-duplicate-row",
        _write("sources.csv", "file,outlet,url,published,title,author\ngood.txt,X,,,,\ngood.txt,Y,,,,\n"),
        "sources.csv",
        "line 3: duplicate row for good.txt; the first row is used",
    ),
    Case(
        "manifest-path-outside",
        _write("sources.csv", "file,outlet,url,published,title,author\n../secret.txt,X,,,,\n"),
        "sources.csv",
        "line 2: no usable file name; row ignored",
    ),
    Case(
        "link-to-a-file-outside", _link_out, "leak.txt", "link to a file outside the corpus folder; not read"
    ),
    Case("link-loop", _link_loop, "loop.txt", "broken link: the links form a loop; not read"),
    Case("dangling-link", _dangling, "gone.txt", "broken link: No such file or directory; not read"),
    Case("named-pipe", _fifo, "pipe.txt", "not a regular file (a pipe, socket or device); not read"),
    Case(
        "link-to-a-folder-outside",
        _folder_link,
        "linked/",
        "link to a folder; links to folders are not followed",
    ),
]


def _messages(tables) -> list[str]:
    return [f"{row.document}: {row.reason}" for row in tables.skipped.itertuples(index=False)] + list(
        tables.warnings
    )


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_file_is_named_with_its_problem_and_the_good_article_is_still_analysed(
    case, tmp_path, monkeypatch
):
    monkeypatch.delenv("BRIEFING_MAX_BYTES", raising=False)
    folder, outside = tmp_path / "corpus", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    case.setup(folder, outside)

    tables = build_tables(folder)

    messages = _messages(tables)
    assert all(message and "\n" not in message for message in messages)
    if case.message is not None:
        hits = [m for m in messages if m.startswith(f"{case.name}: ") and case.message in m]
        assert hits, messages
    else:
        assert not [m for m in messages if m.startswith(f"{case.name}: ")], messages
        body = " ".join(tables.sentences.loc[tables.sentences["document"] == case.name, "text"])
        assert "officials said" in body
        for needle in case.absent:
            assert needle not in body, needle
    documents = set(tables.documents["document"])
    assert "good.txt" in documents
    assert (tables.sentences["document"] == "good.txt").sum() == 2
    assert ("good.txt", "FRA", "committed") in set(
        zip(tables.positions["document"], tables.positions["iso3"], tables.positions["stance"], strict=True)
    )
    assert 2000.0 in set(tables.figures.loc[tables.figures["document"] == "good.txt", "value"])
    assert "secret" not in " ".join(documents)


def test_size_limit_is_configurable_and_text_over_the_length_limit_is_refused(tmp_path, monkeypatch):
    _fifty_megabytes(tmp_path, tmp_path)
    monkeypatch.setenv("BRIEFING_MAX_BYTES", str(60 * 1024 * 1024))
    started = time.perf_counter()
    corpus = read_corpus(tmp_path)
    assert time.perf_counter() - started < 30
    assert corpus.documents == []
    assert str(corpus.skipped[0]).startswith("huge.txt: too long to analyse: 52,4")
    assert (
        read_corpus(tmp_path, max_bytes=1024).skipped[0].reason
        == "too large: 50.0 MB is over the 0.0 MB limit"
    )


def test_a_long_sentence_is_analysed_but_not_searched_for_figures_or_stances(tmp_path):
    claim = "France pledged to send 2,000 troops to the force and "
    sentence = "The minister said that " + claim * (20_000 // len(claim)) + "the rest followed."
    assert MAX_SENTENCE_CHARS < len(sentence) < MAX_TEXT_CHARS
    (tmp_path / "long.txt").write_text(sentence + "\n\n" + GOOD, encoding="utf-8")
    tables = build_tables(tmp_path)
    texts = tables.sentences["text"]
    assert texts.str.len().max() > MAX_SENTENCE_CHARS  # kept as one sentence, with its entities
    assert (tables.mentions["entity"] == "France").sum() > 370
    assert (tables.figures["text"] == "2,000 troops").sum() == 1  # from the short sentence only
    assert tables.positions["sentence"].tolist() == [
        tables.sentences.loc[texts.str.startswith("France pledged"), "sentence"].item()
    ]


@pytest.mark.parametrize(
    "name",
    [
        "../secret.txt",
        "../../etc/passwd.txt",
        "/etc/passwd.txt",
        "a/../../b.txt",
        "..\\win.txt",
        "C:\\x.txt",
        "C:/x.txt",
        "./a.txt",
        "",
    ],
)
def test_upload_names_with_path_parts_are_refused_before_reading(name):
    def read():
        raise AssertionError("an unsafe name was read")

    corpus = read_sources(
        [SourceFile(name, 10, read), SourceFile("fine.txt", len(GOOD), lambda: GOOD.encode())]
    )
    assert [d.document for d in corpus.documents] == ["fine.txt"]
    assert [str(s) for s in corpus.skipped] == [
        f"{name}: unsafe file name (absolute, or with '..' or a drive); not read"
    ]


def test_a_file_that_cannot_be_read_is_named():
    def read():
        raise PermissionError(13, "Permission denied")

    corpus = read_sources(
        [SourceFile("locked.txt", 10, read), SourceFile("fine.txt", len(GOOD), lambda: GOOD.encode())]
    )
    assert [str(s) for s in corpus.skipped] == ["locked.txt: cannot be read: Permission denied"]
    assert [d.document for d in corpus.documents] == ["fine.txt"]


def test_unreadable_corpus_folder_or_subfolder(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "a.txt").write_text(OTHER, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path).name == "private":  # what a folder without read permission does (tests may run as root)
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    corpus = read_corpus(tmp_path)
    assert [d.document for d in corpus.documents] == ["good.txt"]
    assert [str(s) for s in corpus.skipped] == [
        "private/: folder cannot be read: Permission denied; its files are not read"
    ]

    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(CorpusError, match="corpus folder is not readable"):
        build_tables(tmp_path)


def test_no_path_outside_the_corpus_is_read(tmp_path, monkeypatch):
    marker = "Secret ministers met in Vienna to agree a plan nobody else knows about, officials said."
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    for path in (outside / "secret.txt", outside / "folder" / "secret.txt"):
        path.write_text(marker, encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "leak.txt").symlink_to(outside / "secret.txt")
    (corpus / "linked").symlink_to(outside / "folder", target_is_directory=True)
    (corpus / "sources.csv").write_text(
        "file,outlet,url,published,title,author\n../outside/secret.txt,X,,,,\n"
        f"{outside / 'secret.txt'},Y,,,,\nlinked/secret.txt,Z,,,,\nleak.txt,W,,,,\n",
        encoding="utf-8",
    )
    read: list[Path] = []
    real_read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.resolve()) or real_read_bytes(self))

    tables = build_tables(corpus)

    assert read and all(path.is_relative_to(corpus.resolve()) for path in read)
    assert set(tables.documents["document"]) == {"good.txt"}
    for name, frame in tables.exported().items():
        assert not frame.astype(str).apply(lambda column: column.str.contains("Vienna")).any().any(), name
    assert "leak.txt: link to a file outside the corpus folder; not read" in _messages(tables)


# Output safety: article text is shown, never run.

HOSTILE_TEXTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "![x](http://evil.example/t.png)",
    "[click](javascript:alert(1))",
    "<http://evil.example>",
    "see www.evil.example and http://evil.example/x",
    "**bold** _em_ `code` # heading | table | ~~gone~~ $x$",
    '" onmouseover="alert(1)" \' &amp; &#60;b&#62;',
    "line one\n\nline <b>two</b>",
]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parsed(markup: str) -> _Elements:
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return parser


_RENDER = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_article_text_in_the_reader_is_text_not_markup(text):
    lines = pd.DataFrame(
        [
            {"text": text, "kind": "chrome", "reason": text, "body_start": -1, "body_text": ""},
            {"text": text, "kind": "body", "reason": "article text", "body_start": 0, "body_text": text},
            {"text": text, "kind": "heading", "reason": "", "body_start": -1, "body_text": ""},
        ]
    )
    mentions = pd.DataFrame([{"start": 0, "end": min(5, len(text)), "label": text, "entity": text}])
    figures = pd.DataFrame([{"start": 1, "end": min(8, len(text)), "quantity_label": text}])
    sentences = pd.DataFrame([{"sentence": 0, "start": 0, "end": len(text)}])
    stances = pd.DataFrame([{"sentence": 0, "country": text, "stance": text, "topic": text}])
    out = highlighted_article_html(
        lines,
        mentions=mentions,
        figures=figures,
        stances=stances,
        sentences=sentences,
        show_chrome=True,
        focus=0,
    )
    for markup in (
        out,
        _RENDER.render(out),
    ):  # as HTML, and as the markdown renderer that receives it sees it
        elements = _parsed(markup)
        assert {tag for tag, _ in elements.tags} <= {"div", "p", "span"}
        assert all(set(attrs) <= {"class", "style", "title"} for _, attrs in elements.tags)
        # Titles are tooltips (text); styles and classes come from the code alone.
        assert not any(
            word in (attrs.get(name) or "")
            for _, attrs in elements.tags
            for name in ("style", "class")
            for word in ("javascript", "evil", "alert", "url(")
        )
    shown = "".join(_parsed(out).text)
    for piece in text.split("\n\n"):
        assert shown.count(piece) >= 3  # the chrome line, the paragraph and the heading show the text itself


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_corpus_text_in_markdown_is_shown_literally(text):
    escaped = md(text)
    rendered = _RENDER.render(escaped)
    elements = _parsed(rendered)
    assert {tag for tag, _ in elements.tags} == {"p"}
    assert "".join(elements.text).strip() == text.replace("\n", " ").strip()
    assert "http://" not in escaped and "www." not in escaped  # nor an autolink for a GFM renderer
    assert _parsed(inert_html(text)).tags == []


FORMULA_STARTS = ['=HYPERLINK("http://evil","x")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", FORMULA_STARTS)
def test_exported_csv_and_xlsx_never_hold_a_formula(value):
    frame = pd.DataFrame({"text": [value, "plain"], value: ["x", "y"], "n": [-1, 2]})
    table = pd.read_csv(io.BytesIO(table_bytes(frame, "csv")), encoding="utf-8-sig", keep_default_na=False)
    assert table["text"].tolist() == ["'" + value, "plain"] and list(table.columns) == [
        "text",
        "'" + value,
        "n",
    ]
    assert table["n"].tolist() == [-1, 2]  # numbers stay numbers
    sheet = load_workbook(io.BytesIO(table_bytes(frame, "xlsx"))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert sheet["A2"].value == "'" + value and sheet["B1"].value == "'" + value and sheet["C2"].value == -1


@pytest.mark.parametrize("value", ['plain\r=HYPERLINK("http://evil")', "plain\n@SUM(A1)", 'a,"b"\r\n+1'])
def test_a_line_break_inside_a_csv_cell_cannot_start_a_row_or_a_formula(value):
    data = table_bytes(pd.DataFrame({"text": [value], "n": [1]}), "csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [["text", "n"], [value, "1"]]


def test_xlsx_keeps_text_with_control_characters_it_cannot_store():
    frame = pd.DataFrame({"text": ["before\x1bafter", "\x01=1+1"]})
    sheet = load_workbook(io.BytesIO(table_bytes(frame, "xlsx"))).active
    assert [sheet["A2"].value, sheet["A3"].value] == ["before\ufffdafter", "\ufffd=1+1"]
