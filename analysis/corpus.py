"""Read a folder (or a set of uploaded files) of articles into documents, skipping bad files with reasons."""

from __future__ import annotations

import csv
import datetime
import errno
import functools
import hashlib
import io
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from analysis.clean import Cleaned, clean_text
from analysis.encoding import MIXED_ENCODING, DecodeError, decode_bytes
from analysis.htmlpage import parse_html
from analysis.metadata import infer_metadata, parse_date

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
MANIFEST_NAME = "sources.csv"
MANIFEST_COLUMNS = ("file", "outlet", "url", "published", "title", "author")
METADATA_FIELDS = ("outlet", "author", "published", "title", "url")
# Files in a corpus folder that configure it rather than hold articles.
OVERRIDES_NAME = "positions_overrides.csv"
TOPICS_NAME = "topics.yaml"
FIGURES_NAME = "figures.yaml"
CONTROL_FILES = {MANIFEST_NAME, OVERRIDES_NAME, TOPICS_NAME, FIGURES_NAME}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_BYTES_ENV = "BRIEFING_MAX_BYTES"
# Limits that keep one hostile or broken article from stalling the whole build.
# Text per article (page text for HTML, before chrome removal): spaCy's memory grows with the characters it
# processes at once and jusText's paragraph classification with the square of the paragraph count. 200,000
# characters is about 30,000 words, several times a long feature; a longer article is skipped with its length
# as the reason.
MAX_TEXT_CHARS = 200_000
# A "sentence" longer than this is a table, a list or text without punctuation, not prose: it is split and kept
# like any other, but not searched for figures (analysis.figures) or parsed for stances (analysis.positions),
# whose rules grow faster than linearly with sentence length.
MAX_SENTENCE_CHARS = 2_000

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)---[ \t]*\n", re.DOTALL)
# Link text holds no bracket and the target no newline, with at most one level of parentheses ("Foo_(bar)"):
# so each character is looked at a bounded number of times, whatever the file ("[[[[..." included).
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_MD_HEADING = re.compile(r"^(\s{0,3})#{1,6}\s+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")


class CorpusError(OSError):
    """The corpus as a whole cannot be read (missing folder, not a folder, no permission)."""


class TooLong(ValueError):
    """An article's text is longer than the analysis takes (MAX_TEXT_CHARS)."""


@dataclass(frozen=True)
class Skipped:
    """A file that was not analysed, and why, in one line."""

    document: str
    reason: str

    def __str__(self) -> str:
        return f"{self.document}: {self.reason}"


@dataclass(frozen=True)
class Document:
    """One article: its text, where each metadata value came from, and the cleaner's verdict."""

    document: str
    format: str
    encoding: str
    text: str
    content_hash: str
    metadata: dict[str, str | None]
    metadata_source: dict[str, str]
    cleaned: Cleaned
    size_bytes: int
    # Warnings raised while reading this file (encoding, front matter): a store keeps them with its reading, so an
    # unchanged file that is not read again still reports them.
    read_warnings: tuple[str, ...] = ()

    @property
    def body(self) -> str:
        return self.cleaned.body

    @property
    def words(self) -> int:
        return len(self.cleaned.body.split())

    @property
    def label(self) -> str:
        """Title when known, else the file name: what a reader calls this article."""
        return self.metadata.get("title") or self.document


@dataclass
class Corpus:
    """The documents read from one place, the files skipped and the warnings raised on the way."""

    root: str
    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    overrides: bytes | None = None  # positions_overrides.csv, applied by analysis.positions
    topics: bytes | None = None  # topics.yaml, the analyst's topics (analysis.topics)
    figures: bytes | None = None  # figures.yaml, the analyst's named measures (analysis.figures)
    # Per document: its file's signature and its sources.csv row, which a store compares to reuse a reading.
    provenance: dict[str, tuple[str, dict]] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Hash over every analysed text and its metadata: equal hashes mean equal analysis input."""
        digest = hashlib.sha256()
        for doc in sorted(self.documents, key=lambda d: d.document):
            digest.update(doc.document.encode())
            digest.update(doc.content_hash.encode())
            digest.update(repr(sorted(doc.metadata.items())).encode())
        return digest.hexdigest()[:16]


@dataclass(frozen=True)
class SourceFile:
    """A file offered to the corpus: a safe relative name and a way to get its bytes."""

    name: str
    size: int
    read: object  # Callable[[], bytes]
    signature: str = ""  # size and modification time: what a store compares to reuse an earlier reading


# reuse(file, manifest_row) -> an earlier reading of an unchanged file, or None to read it now.
Reuse = Callable[[SourceFile, dict], "Document | None"]


def max_bytes_default() -> int:
    value = os.environ.get(MAX_BYTES_ENV)
    return int(value) if value and value.isdigit() else DEFAULT_MAX_BYTES


def safe_name(name: str) -> str | None:
    """A relative POSIX name with no parent references or absolute parts, or None when there is none."""
    plain = name.split("/")
    if "\\" not in name and not ({"", ".", ".."} & set(plain)) and not re.match(r"^[A-Za-z]:$", plain[0]):
        return name  # already relative and normal (the usual case: no path parsing needed)
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".", "/")]
    if not parts or any(p == ".." for p in parts) or re.match(r"^[A-Za-z]:$", parts[0]):
        return None
    return "/".join(parts)


def _normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.lstrip("\ufeff")


def content_hash(text: str) -> str:
    """Hash of a text with line endings and trailing space normalised, so re-saved copies match."""
    canonical = "\n".join(line.rstrip() for line in _normalise_text(text).strip().split("\n"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _markdown_to_text(text: str) -> tuple[str, str | None]:
    title = None
    for line in text.split("\n"):
        match = re.match(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", line)
        if match:
            title = match.group(1).strip()
            break
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub(r"\1", text)
    text = _MD_EMPHASIS.sub("", text)
    return text, title


def _front_matter(text: str, name: str, warnings: list[str]) -> tuple[str, dict[str, str]]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, {}
    rest = text[match.end() :]
    try:
        data = yaml.safe_load(match.group("yaml"))
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 2}" if where is not None else ""
        warnings.append(f"{name}:{line} front matter is not valid YAML; ignored")
        return rest, {}
    if not isinstance(data, dict):
        warnings.append(f"{name}: front matter is not a key: value mapping; ignored")
        return rest, {}
    values: dict[str, str] = {}
    for key, value in data.items():
        key = str(key).strip().lower()
        key = {"date": "published", "source": "outlet", "publication": "outlet", "byline": "author"}.get(key, key)
        if key not in METADATA_FIELDS or value in (None, ""):
            continue
        if isinstance(value, (datetime.date, datetime.time)):
            values[key] = value.isoformat()
        elif isinstance(value, (str, int, float)):
            values[key] = str(value).strip()
        else:  # a list or mapping (possibly a YAML alias bomb): never turned into text
            warnings.append(f"{name}: front matter {key} is not a single value; ignored")
    return rest, values


def normalise_date(value: str) -> str | None:
    """ISO date for a date written in any supported form, or None."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[T ].*)?", value):
        found = parse_date(value[:10])
    else:
        found = parse_date(value)
    return found.isoformat() if found else None


def read_manifest(
    data: bytes, *, known: set[str] | None, label: str = MANIFEST_NAME
) -> tuple[dict[str, dict], list[str]]:
    """Rows of sources.csv by file name, and one warning per problem, each with its line number."""
    warnings: list[str] = []
    try:
        text = decode_bytes(data).text
    except DecodeError as exc:
        return {}, [f"{label}: {exc}; manifest ignored"]
    reader = csv.reader(io.StringIO(_normalise_text(text)))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return {}, [f"{label}: empty manifest; ignored"]
    columns = [h.strip().lower() for h in header]
    if "file" not in columns:
        expected = ",".join(MANIFEST_COLUMNS)
        return {}, [f"{label}: line 1: no 'file' column (expected columns {expected}); manifest ignored"]
    missing = [c for c in MANIFEST_COLUMNS if c not in columns]
    if missing:
        warnings.append(f"{label}: line 1: missing columns {', '.join(missing)}")
    unknown = [c for c in columns if c and c not in MANIFEST_COLUMNS]
    if unknown:
        warnings.append(f"{label}: line 1: unknown columns {', '.join(unknown)} ignored")
    rows: dict[str, dict] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(columns):
                warnings.append(
                    f"{label}: line {line}: {len(row)} cells but {len(columns)} columns; extra cells ignored")
            record = {c: (row[i].strip() if i < len(row) else "")
                      for i, c in enumerate(columns) if c in MANIFEST_COLUMNS}
            name = safe_name(record.get("file", ""))
            if not name:
                warnings.append(f"{label}: line {line}: no usable file name; row ignored")
                continue
            if name in rows:
                warnings.append(f"{label}: line {line}: duplicate row for {name}; the first row is used")
                continue
            if known is not None and name not in known:
                warnings.append(f"{label}: line {line}: {name} is not in the corpus; row ignored")
                continue
            if record.get("published"):
                iso = normalise_date(record["published"])
                if iso is None:
                    warnings.append(
                        f"{label}: line {line}: unreadable date {record['published']!r} for {name}; ignored")
                record["published"] = iso or ""
            rows[name] = {k: v for k, v in record.items() if k != "file" and v}
    except csv.Error as exc:
        warnings.append(f"{label}: line {reader.line_num}: {exc}; rest of the manifest ignored")
    return rows, warnings


def prefix_manifest(data: bytes, prefix: str) -> bytes:
    """The manifest with prefix put before every file name (for files stored under a folder), other cells untouched."""
    try:
        text = decode_bytes(data).text
    except DecodeError:
        return data
    rows = list(csv.reader(io.StringIO(_normalise_text(text))))
    if not rows:
        return data
    columns = [h.strip().lower() for h in rows[0]]
    if "file" not in columns:
        return data
    index = columns.index("file")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        if len(row) > index and row[index].strip():
            row = [*row[:index], prefix + row[index].strip(), *row[index + 1 :]]
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def _check_length(text: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise TooLong(f"too long to analyse: {len(text):,} characters of text, over the {MAX_TEXT_CHARS:,} limit")


def _document_from_text(
    name: str, fmt: str, text: str, encoding: str, size: int, manifest_row: dict, warnings: list[str]
) -> Document:
    """The analysed article; raises TooLong before any costly step when its text is over MAX_TEXT_CHARS."""
    text = _normalise_text(text)
    if fmt != "html":  # markup only shrinks a text file; a page is measured by its visible text below
        _check_length(text)
    values: dict[str, str | None] = dict.fromkeys(METADATA_FIELDS)
    source: dict[str, str] = {}

    def offer(field_values: dict[str, str], origin: str) -> None:
        for key, value in field_values.items():
            if key in values and values[key] is None and value:
                if key == "published":
                    value = normalise_date(str(value))
                    if value is None:
                        continue
                values[key] = value
                source[key] = origin

    offer(manifest_row, "manifest")
    body_text, front = _front_matter(text, name, warnings) if fmt != "html" else (text, {})
    offer(front, "front matter")
    main_content = None
    if fmt == "html":
        page = parse_html(text, max_text=MAX_TEXT_CHARS)
        _check_length(page.text)
        body_text, main_content = page.text, page.main_content
        offer(page.metadata, "page metadata")
    elif fmt == "markdown":
        body_text, md_title = _markdown_to_text(body_text)
        offer({"title": md_title} if md_title else {}, "inferred")
    inferred = infer_metadata(body_text)
    offer({k: getattr(inferred, k) for k in ("outlet", "author", "published", "title") if getattr(inferred, k)},
          "inferred")
    cleaned = clean_text(body_text, title=values["title"], author=values["author"], main_content=main_content)
    return Document(
        document=name,
        format=fmt,
        encoding=encoding,
        text=body_text,
        content_hash=content_hash(text),
        metadata=values,
        metadata_source=source,
        cleaned=cleaned,
        size_bytes=size,
        read_warnings=tuple(warnings),
    )


def read_sources(
    files: Iterable[SourceFile],
    *,
    manifest: bytes | None = None,
    root: str = "",
    max_bytes: int | None = None,
    reuse: Reuse | None = None,
    mapper: Callable | None = None,
) -> Corpus:
    """Analyse-ready documents from files; each bad file becomes one Skipped line and never stops the rest.

    reuse lets a store hand back its own record of a file it has seen unchanged, instead of reading and cleaning it.
    mapper (default: map) runs the per-file reading; a process pool's map reads files in parallel.
    """
    limit = max_bytes if max_bytes is not None else max_bytes_default()
    corpus = Corpus(root=root)
    offered = sorted(files, key=lambda f: f.name)
    rows = _manifest_rows(corpus, manifest, {f.name for f in offered})
    pending: list[tuple[SourceFile, Document | None]] = []  # (file, a store's earlier reading of it)
    for item in offered:
        refusal = _refusal(item, limit)
        if refusal is not None:
            corpus.skipped.append(Skipped(item.name, refusal))
        else:
            pending.append((item, reuse(item, rows.get(item.name, {})) if reuse is not None else None))
    # Decoding and cleaning each file depends on that file alone: a process pool's map can do it in parallel.
    to_read = [(item, FORMATS[PurePosixPath(item.name).suffix.lower()], rows.get(item.name, {}))
               for item, earlier in pending if earlier is None]
    readings = iter((mapper or map)(_read_one, to_read))
    seen: dict[str, str] = {}  # content hash -> the first file with that text
    for item, earlier in pending:
        if earlier is not None:
            corpus.warnings.extend(earlier.read_warnings)
            _admit(corpus, item, earlier, rows, seen, fresh=False)
            continue
        doc, warnings = next(readings)
        corpus.warnings.extend(warnings)
        if isinstance(doc, Skipped):
            corpus.skipped.append(doc)
        else:
            _admit(corpus, item, doc, rows, seen, fresh=True)
    return corpus


def _manifest_rows(corpus: Corpus, manifest: bytes | None, names: set[str]) -> dict[str, dict]:
    """The manifest's rows by file name (none without a manifest); its problems go to the corpus's warnings."""
    if manifest is None:
        return {}
    rows, problems = read_manifest(manifest, known=names)
    corpus.warnings.extend(problems)
    return rows


def _refusal(item: SourceFile, limit: int) -> str | None:
    """Why a file is not read at all (its name, type or size), or None when it is read."""
    name = item.name
    if safe_name(name) != name:
        return "unsafe file name (absolute, or with '..' or a drive); not read"
    suffix = PurePosixPath(name).suffix.lower()
    if FORMATS.get(suffix) is None:
        return f"unsupported file type {suffix or '(none)'}; use .txt, .md or .html"
    if item.size > limit:
        return f"too large: {item.size / 1_048_576:.1f} MB is over the {limit / 1_048_576:.1f} MB limit"
    if item.size == 0:
        return "empty file"
    return None


def _admit(corpus: Corpus, item: SourceFile, doc: Document, rows: dict, seen: dict[str, str], *, fresh: bool) -> None:
    """Add a reading to the corpus, unless its text repeats an earlier file's or (read now) it has no article text."""
    name = item.name
    if doc.content_hash in seen:
        corpus.skipped.append(Skipped(name, f"duplicate of {seen[doc.content_hash]} (same text)"))
        return
    if fresh and not doc.body.strip():
        chrome = doc.cleaned.chrome_lines
        corpus.skipped.append(Skipped(name, (
            f"no article text found: all {chrome} non-blank lines look like page chrome" if chrome
            else "no article text found: no visible text once markup and front matter are removed"
        )))
        return
    seen[doc.content_hash] = name
    corpus.documents.append(doc)
    corpus.provenance[name] = (item.signature, rows.get(name, {}))


def _read_one(job: tuple[SourceFile, str, dict]) -> tuple[Document | Skipped, list[str]]:
    """One file read, decoded and cleaned: its Document, or why it is skipped; and the warnings it raised."""
    item, fmt, manifest_row = job
    name = item.name
    try:
        data = item.read()
    except OSError as exc:
        return Skipped(name, f"cannot be read: {exc.strerror or exc}"), []
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        return Skipped(name, str(exc)), []
    if not decoded.text.strip():
        return Skipped(name, "only whitespace, no text"), []
    warnings: list[str] = []
    if decoded.encoding == MIXED_ENCODING:
        warnings.append(f"{name}: mixed encodings (UTF-8 with stray cp1252 bytes); both were read, check its accents")
    try:
        doc = _document_from_text(name, fmt, decoded.text, decoded.encoding, len(data), manifest_row, warnings)
        return doc, warnings
    except TooLong as exc:
        return Skipped(name, str(exc)), []


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def read_corpus(
    folder: str | os.PathLike,
    *,
    max_bytes: int | None = None,
    reuse: Reuse | None = None,
    mapper: Callable | None = None,
) -> Corpus:
    """Read every article file below folder (recursively, hidden files excepted) and its sources.csv."""
    root = Path(folder)
    if not root.exists():
        raise CorpusError(f"{root}: corpus folder does not exist")
    if not root.is_dir():
        raise CorpusError(f"{root}: not a folder")
    if not os.access(root, os.R_OK | os.X_OK):
        raise CorpusError(f"{root}: corpus folder is not readable")
    listing = _list_folder(root)
    manifest_bytes, manifest_problem = _control_file(listing.manifest, MANIFEST_NAME, "manifest")
    corpus = read_sources(listing.files, manifest=manifest_bytes, root=str(root), max_bytes=max_bytes, reuse=reuse,
                          mapper=mapper)
    corpus.skipped.extend(listing.outside)
    corpus.overrides, overrides_problem = _control_file(listing.overrides, OVERRIDES_NAME, "overrides")
    if overrides_problem:
        corpus.warnings.append(overrides_problem)
    corpus.topics, topics_problem = _control_file(listing.topics, TOPICS_NAME, "topics")
    if topics_problem:
        corpus.warnings.append(topics_problem)
    corpus.figures, figures_problem = _control_file(listing.figures, FIGURES_NAME, "figures")
    if figures_problem:
        corpus.warnings.append(figures_problem)
    if manifest_problem:
        corpus.warnings.insert(0, manifest_problem)
    return corpus


@dataclass
class _Listing:
    """What a walk of a corpus folder found: article files, entries not read (and why) and the control files."""

    files: list[SourceFile] = field(default_factory=list)
    outside: list[Skipped] = field(default_factory=list)
    manifest: Path | None = None
    overrides: Path | None = None
    topics: Path | None = None
    figures: Path | None = None


def _list_folder(root: Path) -> _Listing:
    """Every file below root, folder by folder and by name; hidden entries and links to folders are left out."""
    listing = _Listing()
    resolved_root = root.resolve()

    def unreadable_folder(exc: OSError) -> None:
        name = Path(exc.filename).relative_to(root).as_posix() if exc.filename else str(root)
        reason = f"folder cannot be read: {exc.strerror or exc}; its files are not read"
        listing.outside.append(Skipped(f"{name}/", reason))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable_folder):
        dirnames[:] = _followed_folders(root, dirpath, dirnames, listing.outside)
        # Plain strings, not Path objects: in a large folder, parsing paths costs more than reading the disk.
        relative = os.path.relpath(dirpath, root)
        prefix = "" if relative == os.curdir else relative.replace(os.sep, "/") + "/"
        for filename in sorted(filenames):
            if not filename.startswith("."):
                _list_file(listing, os.path.join(dirpath, filename), prefix + filename, resolved_root)
    return listing


def _followed_folders(root: Path, dirpath: str, dirnames: list[str], outside: list[Skipped]) -> list[str]:
    """The subfolders of dirpath to walk into, by name: not hidden ones, nor links to folders (noted in outside)."""
    kept = []
    for dirname in sorted(d for d in dirnames if not d.startswith(".")):
        if os.path.islink(os.path.join(dirpath, dirname)):
            name = (Path(dirpath) / dirname).relative_to(root).as_posix()
            outside.append(Skipped(f"{name}/", "link to a folder; links to folders are not followed"))
        else:
            kept.append(dirname)
    return kept


def _list_file(listing: _Listing, path: str, name: str, resolved_root: Path) -> None:
    """Put one file of the folder in the listing: as an article, a control file, or an entry not read."""
    info = _file_status(path, name, resolved_root)
    if isinstance(info, Skipped):
        listing.outside.append(info)
        return
    if name == MANIFEST_NAME:
        listing.manifest = Path(path)
        return
    if name == OVERRIDES_NAME:
        listing.overrides = Path(path)
        return
    if name == TOPICS_NAME:
        listing.topics = Path(path)
        return
    if name == FIGURES_NAME:
        listing.figures = Path(path)
        return
    if name in CONTROL_FILES:
        return
    if not stat.S_ISREG(info.st_mode):  # reading a pipe or a device could block or never end
        listing.outside.append(Skipped(name, "not a regular file (a pipe, socket or device); not read"))
        return
    listing.files.append(SourceFile(name, info.st_size, functools.partial(_read_bytes, path),
                                    f"{info.st_size}:{info.st_mtime_ns}"))


def _file_status(path: str, name: str, resolved_root: Path) -> os.stat_result | Skipped:
    """A file's status (a link's target's, when inside the folder), or why it is not read."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):  # a link may point anywhere: only its target inside the folder is read
            real = Path(path).resolve(strict=True)
            if not real.is_relative_to(resolved_root):
                return Skipped(name, "link to a file outside the corpus folder; not read")
            info = os.stat(path)
    except (OSError, RuntimeError) as exc:  # a dangling link, or links in a loop (RuntimeError before 3.13)
        if isinstance(exc, FileNotFoundError) or not isinstance(exc, OSError) or exc.errno == errno.ELOOP:
            reason = f"broken link: {getattr(exc, 'strerror', None) or 'the links form a loop'}; not read"
        else:
            reason = f"cannot be read: {exc.strerror or exc}"
        return Skipped(name, reason)
    return info


def _control_file(path: Path | None, label: str, what: str) -> tuple[bytes | None, str | None]:
    """The bytes of a control file found in the folder (None when there is none), or why it cannot be read."""
    if path is None:
        return None, None
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return None, f"{label}: cannot be read: {exc.strerror or exc}; {what} ignored"


def read_uploads(
    files: list[tuple[str, bytes]],
    *,
    pasted: str = "",
    title: str = "",
    outlet: str = "",
    published: str = "",
    existing: dict[str, bytes] | None = None,
) -> tuple[Corpus, dict[str, bytes], list[str]]:
    """Articles added in a browser session, read as a corpus of files under uploads/.

    files are (name as uploaded, bytes): only the last part of a name counts, a sources.csv is this upload's
    manifest, any other CSV and any unusable name is rejected. pasted is an article's text, stored as a markdown
    file with front matter for the title, outlet and date (published) given. existing are the session's earlier
    files (uploads/NAME -> bytes), kept unless an upload of the same name replaces them.
    Returns (the corpus read from all the session's files, the session's files, one line per file not added).
    """
    folder = "uploads"
    session = dict(existing or {})
    manifest = None
    rejected: list[str] = []
    for uploaded, data in files:
        name = safe_name(uploaded.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
        if name is None:
            rejected.append(f"{uploaded}: not a usable file name")
        elif name == MANIFEST_NAME:
            manifest = data
        elif name.endswith(".csv"):
            rejected.append(f"{name}: only a manifest named {MANIFEST_NAME} is accepted as CSV")
        else:
            session[f"{folder}/{name}"] = data
    if pasted.strip():
        given = (("title", title), ("outlet", outlet), ("date", published))
        front = "---\n" + "".join(f"{key}: \"{value.strip().replace(chr(34), '')}\"\n"
                                  for key, value in given if value.strip()) + "---\n"
        session[f"{folder}/pasted_{len(session) + 1:03d}.md"] = (front + pasted).encode("utf-8")
    corpus = read_sources(
        [SourceFile(name, len(data), (lambda d=data: d)) for name, data in session.items()],
        manifest=prefix_manifest(manifest, f"{folder}/") if manifest is not None else None, root=folder,
    )
    return corpus, session, rejected + [str(skipped) for skipped in corpus.skipped]
