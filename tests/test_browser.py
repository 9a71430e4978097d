"""Real browser: streamlit serves the seeds, Debian's Chromium opens every view, filters, shares and uploads."""

import csv
import io
import re

import pytest

from tests.browser import chromium, full_screenshot, new_page, streamlit_server, wait_ready
from tests.conftest import SEEDS

pytestmark = pytest.mark.browser

def see(locator, timeout: int = 30_000) -> None:
    """Wait until the (first) element is visible: Streamlit streams elements in after the script finishes."""
    locator.first.wait_for(state="visible", timeout=timeout)


VIEWS = ["overview", "sources", "figures", "positions", "entities", "reader", "upload"]


@pytest.fixture(scope="module")
def base():
    with streamlit_server(SEEDS) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def _charts(page, count: int) -> None:
    charts = page.locator("[data-testid='stVegaLiteChart']")
    charts.first.wait_for(state="visible")
    assert charts.count() == count
    assert charts.first.bounding_box()["height"] > 100


def test_every_view_in_chromium(base, browser, artifacts):
    page = new_page(browser)
    page.goto(f"{base}/")
    wait_ready(page)
    see(page.get_by_role("heading", name="Briefing Desk"))
    see(page.get_by_text("Independent texts", exact=True))
    see(page.get_by_role("heading", name="Positions on troops for a post-war force"))
    _charts(page, 1)
    full_screenshot(page, artifacts / "overview.png")

    page.goto(f"{base}/sources")
    wait_ready(page)
    table = page.locator("[data-testid='stDataFrame']").first
    table.wait_for(state="visible")
    assert table.bounding_box()["height"] > 150  # five rows drawn, not an empty grid
    see(page.get_by_text("Rewrites of one text"))
    full_screenshot(page, artifacts / "sources.png")

    page.goto(f"{base}/figures?figures.quantity=countries_committing_troops")
    wait_ready(page)
    see(page.get_by_text("Why the sources differ"))
    _charts(page, 1)
    full_screenshot(page, artifacts / "figures.png")

    page.goto(f"{base}/positions")
    wait_ready(page)
    see(page.get_by_text("13 countries have a reported stance on troops for a post-war force"))
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.wait_for(state="visible")
    page.wait_for_timeout(1500)  # the map's shapes render after the chart frame
    assert chart.locator("path").count() > 100  # country outlines from the shipped GeoJSON, offline
    full_screenshot(page, artifacts / "positions.png")

    page.goto(f"{base}/entities?entities.actor=country")
    wait_ready(page)
    see(page.get_by_text("Most often together"))
    _charts(page, 2)
    full_screenshot(page, artifacts / "entities.png")

    page.goto(f"{base}/reader?reader.document=004_12e71fb29c3e1acf.txt&reader.show_chrome=1&reader.sentence=18")
    wait_ready(page)
    see(page.get_by_text("Sentence 19 of"))
    see(page.get_by_text("removed, navigation or menu"))
    full_screenshot(page, artifacts / "reader.png")
    page.get_by_text("Show removed page chrome").click()
    wait_ready(page)
    assert page.get_by_text("removed, navigation or menu").count() == 0
    assert "reader.show_chrome" not in page.url
    page.context.close()


def test_filter_then_share_the_url_with_a_fresh_browser(base, browser, artifacts):
    page = new_page(browser)
    page.goto(f"{base}/figures")
    wait_ready(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stMultiSelect']").first.click()
    page.get_by_role("option", name="WTX News").click()
    page.keyboard.press("Escape")
    wait_ready(page)
    page.wait_for_function("() => window.location.search.includes('f.outlets=WTX')")
    for part, digits in (("year", "2025"), ("month", "11"), ("day", "01")):
        sidebar.get_by_role("spinbutton", name=f"{part}, Published from").click()
        page.keyboard.type(digits)
    page.get_by_role("heading", name="Figures", exact=True).click()  # leaving the field commits the date
    wait_ready(page)
    page.wait_for_function("() => window.location.search.includes('f.from=2025-11-01')")
    see(page.get_by_text("1 of 5 articles match the filters"))
    shared = page.url
    offered = page.locator("[data-testid='stSidebar'] [data-testid='stCode']").inner_text().strip()
    assert offered == shared, (offered, shared)  # the "Share this view" box holds the very URL in the address bar
    page.context.close()

    fresh = new_page(browser)  # a new browser context: no cookies, no session, only the URL
    fresh.goto(shared)
    wait_ready(fresh)
    see(fresh.get_by_text("1 of 5 articles match the filters"))
    labels = fresh.locator("[data-testid='stMetric']")
    labels.filter(has_text="Immobilised Russian assets").wait_for()
    assert labels.filter(has_text="Countries committed to the force").count() == 0
    full_screenshot(fresh, artifacts / "shared_view.png")
    fresh.context.close()


def test_upload_an_article_in_the_browser(base, browser, artifacts, tmp_path):
    article = tmp_path / "baltic.txt"
    article.write_text(
        "By Anna Berg\n\nEstonia pledged to send a company of soldiers to the reassurance force, the defence ministry "
        "said on Monday.\n\nLatvia ruled out any deployment of its troops before a ceasefire is agreed.\n",
        encoding="utf-8",
    )
    page = new_page(browser)
    page.goto(f"{base}/upload")
    wait_ready(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(article))
    page.get_by_text("baltic.txt").wait_for()
    page.get_by_role("button", name="Analyse and add").click()
    wait_ready(page)
    see(page.get_by_text("Added in this session"))
    full_screenshot(page, artifacts / "upload.png")
    # Navigate inside the app (same session): the upload is in every view. A fresh page load is a new session.
    page.locator("[data-testid='stSidebarNav']").get_by_text("Positions").click()
    wait_ready(page)
    # the uploaded article's Estonia (committed) and Latvia (opposed) join the seeds' 13 countries
    summary = page.get_by_text("15 countries have a reported stance")
    summary.wait_for()
    assert "5 opposed" in summary.inner_text()
    page.locator("[data-testid='stSidebarNav']").get_by_text("Overview").click()
    wait_ready(page)
    assert page.locator("[data-testid='stMetricValue']").first.inner_text() == "6"
    page.context.close()

    other = new_page(browser)  # another visitor of the same server never sees it
    other.goto(f"{base}/")
    wait_ready(other)
    other.locator("[data-testid='stMetricValue']").first.wait_for()
    assert other.locator("[data-testid='stMetricValue']").first.inner_text() == "5"
    other.context.close()


@pytest.mark.parametrize("scheme", ["dark"])
def test_views_in_the_dark_theme(base, browser, artifacts, scheme):
    page = new_page(browser, color_scheme=scheme)
    for view in VIEWS:
        page.goto(f"{base}/{view}")
        wait_ready(page)
        background = page.evaluate(
            "() => getComputedStyle(document.querySelector(\"[data-testid='stApp']\")).backgroundColor")
        assert background not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), background
        full_screenshot(page, artifacts / f"{view}_{scheme}.png")
    page.context.close()


def test_narrow_window(base, browser, artifacts):
    page = new_page(browser, width=420, height=900)
    page.goto(f"{base}/figures")
    wait_ready(page)
    see(page.get_by_role("heading", name="Figures", exact=True))
    full_screenshot(page, artifacts / "figures_narrow.png")
    page.context.close()


def test_download_a_chart_and_a_table(base, browser, tmp_path):
    page = new_page(browser)
    page.goto(f"{base}/figures?figures.quantity=ukraine_army_cap")
    wait_ready(page)
    with page.expect_download(timeout=120_000) as info:
        page.locator("[data-testid='stDownloadButton']").filter(has_text="PNG").first.click()
    png = tmp_path / info.value.suggested_filename
    info.value.save_as(png)
    assert png.name.startswith("figure_ukraine_army_cap_") and png.read_bytes().startswith(b"\x89PNG")
    buttons = page.locator("[data-testid='stDownloadButton']").filter(has_text="CSV")
    with page.expect_download(timeout=60_000) as info:
        buttons.first.click()  # the measures table
    measures = tmp_path / info.value.suggested_filename
    info.value.save_as(measures)
    assert measures.name.startswith("measures_") and "Cap on Ukraine" in measures.read_text("utf-8-sig")
    with page.expect_download(timeout=60_000) as info:
        buttons.last.click()  # every figure
    csv = tmp_path / info.value.suggested_filename
    info.value.save_as(csv)
    assert csv.name.startswith("figures_") and "800,000" in csv.read_text("utf-8-sig")
    page.context.close()


def test_entity_evidence_download_holds_every_sentence_the_caption_counts(base, browser, tmp_path):
    page = new_page(browser)
    page.goto(f"{base}/entities?entities.entity=Ukraine")
    wait_ready(page)
    caption = page.get_by_text(re.compile(r"[\d,]+ sentences in [\d,]+ articles name Ukraine")).first.inner_text()
    count = int(re.match(r"([\d,]+) sentences", caption).group(1).replace(",", ""))
    with page.expect_download(timeout=60_000) as info:  # the evidence table, built when clicked
        page.locator(".st-key-entities-evidence_files-csv [data-testid='stDownloadButton']").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))
    assert path.name.startswith("entity_evidence_") and len(rows) == count > 10
    assert {"text", "as_written", "outlet", "document"} <= set(rows[0]) and "read" not in rows[0]
    page.context.close()
