"""Helpers for real-browser tests: a streamlit server on a free port and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage",
]
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def chromium_path() -> str:
    """Debian's chromium, or skip (fail on CI, where .ci/run installs it)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    message = "Debian's chromium is not installed (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(corpus: Path, *, timeout: float = 180):
    """Run `streamlit run dashboard/app.py -- CORPUS` on a free loopback port until the block ends."""
    with app_server(ROOT / "dashboard" / "app.py", str(corpus), launcher=[sys.executable, "-m", "streamlit"],
                    timeout=timeout) as (base, _):
        yield base


@contextmanager
def chromium():
    """Debian's Chromium driven by Playwright; new contexts from it are fresh, isolated browsers."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, *, width: int = 1280, height: int = 900, color_scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True,
                                  color_scheme=color_scheme)
    return context.new_page()


def wait_ready(page, *, timeout_ms: int = 120_000) -> None:
    """Wait until the app has finished running its script (and any spinner is gone)."""
    page.wait_for_selector(READY, timeout=timeout_ms)
    page.wait_for_timeout(500)
    page.wait_for_selector(READY, timeout=timeout_ms)


def full_screenshot(page, path) -> None:
    """Screenshot of the whole app: Streamlit scrolls inside its own container, so grow the viewport to fit it."""
    size = page.viewport_size
    height = page.evaluate(
        "() => { const m = document.querySelector(\"[data-testid='stMain']\") || document.body;"
        " return Math.ceil(Math.max(m.scrollHeight, document.body.scrollHeight)); }"
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(height + 40, size["height"]), 8000)})
    page.wait_for_timeout(600)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def streamlit_launcher(python: str | os.PathLike = sys.executable) -> list[str]:
    """How to start streamlit: the venv's `streamlit` script (as a host would run it), else `python -m`."""
    script = Path(python).parent / "streamlit"
    return [str(script)] if script.is_file() else [str(python), "-m", "streamlit"]


@contextmanager
def app_server(app: Path, *script_args: str, launcher: list[str] | None = None, cwd: Path = ROOT,
               env: dict[str, str] | None = None, timeout: float = 180):
    """`streamlit run APP -- SCRIPT_ARGS` headless on a free loopback port, with the launcher, working folder
    and environment chosen by the caller; yields (base URL, the server process) until the block ends."""
    port = free_port()
    (ROOT / "tests" / "artifacts").mkdir(exist_ok=True)
    log = open(ROOT / "tests" / "artifacts" / f"streamlit-{port}.log", "w+b")
    process = subprocess.Popen(
        [*(launcher or streamlit_launcher()), "run", str(app), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", "--", *script_args],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while not healthy(base):
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                output = log.read().decode(errors="replace")
                pytest.fail(f"streamlit did not become healthy; its output:\n{output}")
            time.sleep(0.3)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def healthy(base: str) -> bool:
    """True when the server's health endpoint answers 200 "ok"."""
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:
        return False


def sidebar_nav(page, title: str) -> None:
    """Open a view through the sidebar navigation: same session (a fresh page load starts a new one)."""
    page.locator("[data-testid='stSidebarNav']").get_by_text(title, exact=True).click()
    wait_ready(page)


def search_sentences(page, text: str) -> None:
    """Type into the sidebar's "Sentences containing" filter, commit it (Enter), wait for the rerun."""
    box = page.locator("[data-testid='stSidebar']").get_by_label("Sentences containing")
    box.fill(text)
    box.press("Enter")
    wait_ready(page)


def files_containing(folder: Path, needle: bytes, *, skip_dirs: frozenset[str] = frozenset()) -> list[Path]:
    """Every regular file below folder holding needle (symlinks not followed, skip_dirs left out)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in skip_dirs]
        for name in filenames:
            path = Path(dirpath) / name
            try:
                if path.is_file() and not path.is_symlink() and needle in path.read_bytes():
                    found.append(path)
            except OSError:
                continue  # vanished or unreadable between listing and reading
    return found
