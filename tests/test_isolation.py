"""Uploads stay in their browser session: concurrent visitors see only their own; nothing lands on disk.

The server runs with TMPDIR and HOME pointed at fresh folders, on a copy of the seeds, with a 1 MB
per-file limit (BRIEFING_MAX_BYTES). Every uploaded text carries a random codeword that exists nowhere
else, so "is it on disk?" is a search for that codeword.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser import (
    ROOT,
    app_server,
    chromium,
    files_containing,
    new_page,
    search_sentences,
    sidebar_nav,
    wait_ready,
)
from tests.conftest import SEEDS

pytestmark = pytest.mark.browser

LIMIT = 1024 * 1024  # BRIEFING_MAX_BYTES for this server; also Starlette's in-memory spool size for an upload
# Never searched: version control and virtual environments (CI keeps .venv inside the checkout).
SKIP_DIRS = frozenset({".git", ".venv", "venv", "node_modules", "__pycache__"})


@dataclass
class Server:
    base: str
    pid: int
    tmp: Path
    home: Path
    corpus: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    area = tmp_path_factory.mktemp("isolated_server")
    tmp, home, corpus = area / "tmp", area / "home", area / "corpus"
    tmp.mkdir()
    home.mkdir()
    shutil.copytree(SEEDS, corpus)
    env = {**os.environ, "TMPDIR": str(tmp), "HOME": str(home), "BRIEFING_MAX_BYTES": str(LIMIT)}
    env.pop("BRIEFING_CORPUS", None)
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        env.pop(name, None)  # so caches and settings would land in the fresh HOME, where the scan looks
    with app_server(ROOT / "dashboard" / "app.py", str(corpus), env=env) as (base, process):
        yield Server(base, process.pid, tmp, home, corpus)


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def codeword() -> str:
    return "Kestrel" + secrets.token_hex(8)


def article(folder: Path, name: str, word: str) -> Path:
    path = folder / name
    path.write_text(
        f"By Anna Berg\n\nEstonia pledged to send a company of soldiers to the reassurance force, "
        f"the codeword {word} being used in the ministry's note on Monday.\n\nLatvia ruled out any "
        "deployment of its troops before a ceasefire is agreed, officials said.\n",
        encoding="utf-8",
    )
    return path


def upload(page, base: str, *paths: Path) -> None:
    """Open the upload view, choose the files, wait until the uploader lists them (no button clicked)."""
    page.goto(f"{base}/upload")
    wait_ready(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files([str(p) for p in paths])
    for path in paths:
        page.locator("[data-testid='stFileUploader']").get_by_text(path.name).wait_for(timeout=60_000)


def no_exception(page) -> None:
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


def snapshot(folder: Path) -> dict[str, str]:
    """Content hashes of the corpus's own files. Its hidden analysis store (corpus analysis, written on first
    load) is left out here; the codeword search below covers it."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def open_files_under(pid: int, folder: Path) -> list[str]:
    """Targets of the process's open file descriptors inside folder (unlinked ones end in " (deleted)")."""
    targets = []
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in fd_dir.iterdir() if fd_dir.is_dir() else []:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(folder) + os.sep):
            targets.append(target)
    return targets


def test_two_concurrent_sessions_each_see_only_their_own_uploads(server, browser, tmp_path):
    words = {"a": codeword(), "b": codeword()}
    pages = {key: new_page(browser) for key in words}  # two browser contexts: two visitors, no shared cookies
    for key, page in pages.items():
        upload(page, server.base, article(tmp_path, f"visitor_{key}.txt", words[key]))
    for page in pages.values():  # both analyses start before either has finished: they run side by side
        page.get_by_role("button", name="Analyse and add").click()
    for page in pages.values():
        page.get_by_text("Added in this session").wait_for(timeout=180_000)
        wait_ready(page)
        no_exception(page)

    for key, page in pages.items():
        other = words["b" if key == "a" else "a"]
        sidebar_nav(page, "Reader")  # same session: the upload is part of every view
        page.get_by_text("All 6 articles").wait_for()
        search_sentences(page, words[key])
        page.get_by_text("1 of 6 articles match the filters").wait_for()
        main = page.locator("[data-testid='stMain']")
        main.get_by_text(f"codeword {words[key]} being used").first.wait_for()  # its own text, in the Reader
        search_sentences(page, other)
        page.get_by_text("0 of 6 articles match the filters").wait_for()
        assert main.get_by_text(f"codeword {other}").count() == 0
        no_exception(page)
        page.context.close()

    fresh = new_page(browser)  # a third visitor, arriving afterwards, has the corpus alone
    fresh.goto(f"{server.base}/reader")
    wait_ready(fresh)
    fresh.get_by_text("All 5 articles").wait_for()
    for word in words.values():
        search_sentences(fresh, word)
        fresh.get_by_text("0 of 5 articles match the filters").wait_for()
    no_exception(fresh)
    fresh.context.close()


def test_uploads_are_never_written_to_the_servers_disk(server, browser, tmp_path):
    word = codeword()
    needle = word.encode()
    small = article(tmp_path, "small_note.txt", word)
    # Over 1 MB: Starlette spools such a request body to a temporary file in TMPDIR instead of memory.
    large = tmp_path / "long_report.txt"
    large.write_text(f"The codeword {word} was repeated in the report. " * 30_000, encoding="utf-8")
    assert large.stat().st_size > LIMIT
    corpus_before = snapshot(server.corpus)

    # While the upload runs, watch the server's TMPDIR and HOME (named files) and its open files (unnamed).
    seen_named: set[str] = set()
    seen_open: set[str] = set()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            for folder in (server.tmp, server.home):
                seen_named.update(str(p) for p in files_containing(folder, needle))
            seen_open.update(open_files_under(server.pid, server.tmp))
            stop.wait(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        page = new_page(browser)
        upload(page, server.base, small, large)
        page.get_by_role("button", name="Analyse and add").click()
        page.get_by_text("Added in this session").wait_for(timeout=180_000)
        wait_ready(page)
        no_exception(page)
        # The per-file limit applies to uploads: the large file is refused with its reason.
        refused = re.compile(r"long_report\.txt: too large: [\d.]+ MB is over the 1\.0 MB limit")
        page.get_by_text(refused).wait_for()
        sidebar_nav(page, "Reader")
        search_sentences(page, word)
        page.get_by_text("1 of 6 articles match the filters").wait_for()
    finally:
        stop.set()
        watcher.join(timeout=30)
    print(f"\nserver files open under TMPDIR during the upload: {sorted(seen_open) or 'none seen'}")

    assert not seen_named, f"files holding uploaded text appeared while uploading: {sorted(seen_named)}"
    assert open_files_under(server.pid, server.tmp) == [], "a temporary file of the upload is still open"
    leftovers = {folder: files_containing(folder, needle, skip_dirs=SKIP_DIRS)
                 for folder in (server.tmp, server.home, server.corpus, ROOT)}
    assert not any(leftovers.values()), f"uploaded text written to disk: {leftovers}"
    assert sorted(p.name for p in server.tmp.iterdir()) == [], "the server left files in its TMPDIR"
    assert snapshot(server.corpus) == corpus_before, "the corpus folder's articles changed"

    # The session is still alive and still has its article; what it uploaded was held in memory.
    page.get_by_text(f"codeword {word} being used").first.wait_for()
    page.context.close()
