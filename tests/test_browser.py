"""Real browser: streamlit serves the seeds, Debian's Chromium opens every view and takes screenshots."""

import pytest

from tests.browser import chromium_page, full_screenshot, streamlit_server, wait_ready
from tests.conftest import SEEDS

pytestmark = pytest.mark.browser


def _charts(page, count: int) -> None:
    charts = page.locator("[data-testid='stVegaLiteChart']")
    charts.first.wait_for(state="visible")
    assert charts.count() == count
    assert charts.first.bounding_box()["height"] > 100


def test_every_view_in_chromium(artifacts):
    with streamlit_server(SEEDS) as base, chromium_page() as page:
        page.goto(f"{base}/")
        wait_ready(page)
        assert page.get_by_role("heading", name="Briefing Desk").is_visible()
        assert page.get_by_text("Independent texts", exact=True).is_visible()
        _charts(page, 1)
        full_screenshot(page, artifacts / "overview.png")

        page.goto(f"{base}/sources")
        wait_ready(page)
        table = page.locator("[data-testid='stDataFrame']").first
        table.wait_for(state="visible")
        assert table.bounding_box()["height"] > 150  # five rows drawn, not an empty grid
        assert page.get_by_text("Rewrites of one text").is_visible()
        full_screenshot(page, artifacts / "sources.png")

        page.goto(f"{base}/figures?figures.quantity=countries_committing_troops")
        wait_ready(page)
        assert page.get_by_text("Why the sources differ").is_visible()
        _charts(page, 1)
        full_screenshot(page, artifacts / "figures.png")

        page.goto(f"{base}/positions")
        wait_ready(page)
        assert page.get_by_text("Sources of similar dates disagree on Turkey").is_visible()
        chart = page.locator("[data-testid='stVegaLiteChart']").first
        chart.wait_for(state="visible")
        page.wait_for_timeout(1500)  # the map's shapes render after the chart frame
        assert chart.locator("path").count() > 100  # country outlines from the shipped GeoJSON, offline
        full_screenshot(page, artifacts / "positions.png")

        page.goto(f"{base}/entities?entities.actor=country")
        wait_ready(page)
        assert page.get_by_text("Most often together").is_visible()
        _charts(page, 2)
        full_screenshot(page, artifacts / "entities.png")

        page.goto(f"{base}/reader?reader.document=004_12e71fb29c3e1acf.txt&reader.show_chrome=1")
        wait_ready(page)
        assert page.get_by_text("France and the United Kingdom have urged").is_visible()
        assert page.get_by_text("removed, navigation or menu").first.is_visible()
        full_screenshot(page, artifacts / "reader.png")
        page.get_by_text("Show removed page chrome").click()
        wait_ready(page)
        assert page.get_by_text("removed, navigation or menu").count() == 0
        assert "reader.show_chrome" not in page.url
