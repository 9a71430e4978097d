"""The app runs from exactly what a host installs: a fresh venv, `pip install -r requirements.txt`.

One venv is built per test session from a copy of the repository's files (not an editable install of this
working tree), as Streamlit Community Cloud or a plain server would. The app is then served twice: from the
checkout, as Community Cloud runs it (`streamlit run dashboard/app.py` at the repository root, seeds by
default), and from the installed package alone with BRIEFING_CORPUS set, as on a server that has nothing but
the venv, the config file and a folder of articles. A package-data file missing from the wheel fails the
second. Every view is opened in Chromium.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser import ROOT, app_server, chromium, healthy, new_page, wait_ready
from tests.conftest import SEEDS

pytestmark = [pytest.mark.browser, pytest.mark.hosting]

# URL path (file stem under dashboard/views) -> the heading that view shows.
VIEWS = {
    "overview": "Briefing Desk", "sources": "Sources", "figures": "Figures", "positions": "Positions",
    "entities": "Entities", "reader": "Reader", "upload": "Add articles",
}
NOT_SHIPPED = {".git", ".venv", "venv", "__pycache__", "build", ".pytest_cache", ".hypothesis", "artifacts"}


@dataclass
class Host:
    checkout: Path
    venv: Path
    site: Path  # the venv's site-packages


def copy_checkout(target: Path) -> None:
    """The repository's files as a clone would have them: tracked and new unignored files, no build output."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True)
    if listed.returncode == 0 and listed.stdout:
        for name in listed.stdout.decode().split("\0"):
            source = ROOT / name
            if name and source.is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
    else:  # not a git checkout (e.g. an unpacked archive): copy everything but build and test output
        shutil.copytree(ROOT, target, ignore=lambda _d, names: [n for n in names if n in NOT_SHIPPED
                                                                or n.endswith(".egg-info")])


def host_env(**extra: str) -> dict[str, str]:
    """The environment of a clean host: nothing of this test run's venv or settings leaks in."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BRIEFING_", "STREAMLIT_", "PYTHON")) and k != "VIRTUAL_ENV"}
    return {**env, **extra}


def run(command: list, *, cwd: Path, timeout: float) -> str:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=host_env(), capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.fixture(scope="session")
def host(tmp_path_factory) -> Host:
    area = tmp_path_factory.mktemp("host")
    checkout, venv = area / "checkout", area / "venv"
    checkout.mkdir()
    copy_checkout(checkout)
    assert (checkout / "requirements.txt").is_file(), "no requirements.txt for the host to install"
    run([sys.executable, "-m", "venv", venv], cwd=area, timeout=300)
    # Exactly the host's step, from the repository root: Community Cloud and a plain server do the same.
    run([venv / "bin" / "pip", "install", "-q", "-r", "requirements.txt"], cwd=checkout, timeout=1800)
    site = Path(run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                    cwd=area, timeout=60).strip())
    return Host(checkout, venv, site)


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def every_view(browser, base: str) -> None:
    """Open each view in a fresh page: its heading shows and no exception is drawn."""
    page = new_page(browser)
    for view, heading in VIEWS.items():
        page.goto(f"{base}/{view}")
        wait_ready(page)
        page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=60_000)
        errors = page.locator("[data-testid='stException']")
        assert errors.count() == 0, f"{view}: {errors.first.inner_text()}"
        if view == "positions":  # the map's outlines come from the static file served next to app.py
            chart = page.locator("[data-testid='stVegaLiteChart']").first
            chart.wait_for(state="visible", timeout=60_000)
            page.wait_for_function(
                "() => document.querySelectorAll(\"[data-testid='stVegaLiteChart'] path\").length > 100",
                timeout=60_000)
    page.context.close()


def test_requirements_install_the_project_itself_with_its_data(host):
    """requirements.txt installs the package (not editable) with every data file; the deps are consistent."""
    where = run([host.venv / "bin" / "python", "-c",
                 "import json, analysis, dashboard, spacy, streamlit; "
                 "print(json.dumps([analysis.__file__, dashboard.__file__]))"], cwd=host.venv, timeout=300)
    for module_file in json.loads(where):
        assert Path(module_file).is_relative_to(host.site), f"{module_file} is not the installed copy"
    run([host.venv / "bin" / "python", "-m", "pip", "check"], cwd=host.venv, timeout=300)
    for folder in ("analysis/data", "dashboard/static", "dashboard/views"):
        shipped = sorted(p.name for p in (host.checkout / folder).iterdir() if p.is_file())
        installed = sorted(p.name for p in (host.site / folder).iterdir() if p.is_file()) \
            if (host.site / folder).is_dir() else []
        missing = sorted(set(shipped) - set(installed))
        assert shipped and not missing, f"{folder}: not installed: {missing}"


def test_every_view_as_community_cloud_runs_it(host, browser):
    """`streamlit run dashboard/app.py` from the repository root, no arguments: the seeds."""
    launcher = [str(host.venv / "bin" / "streamlit")]
    with app_server(Path("dashboard/app.py"), launcher=launcher, cwd=host.checkout,
                    env=host_env()) as (base, _):
        assert healthy(base)
        every_view(browser, base)


def test_every_view_from_the_installed_package_alone(host, browser, tmp_path):
    """A server with the venv, the config file and a corpus named in BRIEFING_CORPUS; no source tree."""
    server, corpus = tmp_path / "server", tmp_path / "articles"
    shutil.copytree(host.checkout / ".streamlit", server / ".streamlit")
    shutil.copytree(SEEDS, corpus)
    launcher = [str(host.venv / "bin" / "streamlit")]
    with app_server(host.site / "dashboard" / "app.py", launcher=launcher, cwd=server,
                    env=host_env(BRIEFING_CORPUS=str(corpus))) as (base, _):
        assert healthy(base)
        with urllib.request.urlopen(f"{base}/app/static/world.geojson", timeout=30) as response:
            assert json.loads(response.read())["features"], "the map outlines are not served"
        every_view(browser, base)
        page = new_page(browser)
        page.goto(f"{base}/sources")
        wait_ready(page)
        page.get_by_text(str(corpus)).first.wait_for()  # the corpus named in BRIEFING_CORPUS is the one shown
        page.get_by_text("All 5 articles").wait_for()
        page.context.close()
