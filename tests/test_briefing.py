import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile

import pytest
from openpyxl import load_workbook
from PIL import Image

from analysis.briefing import briefing_pack, chart_png, chart_svg, dated_name, pack_charts, source_line
from analysis.cli import main
from tests.conftest import SEEDS


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path:
        return path
    import os

    if os.environ.get("CI"):
        pytest.fail(f"{tool} is missing (apt-get install -y poppler-utils)")
    pytest.skip(f"{tool} is not installed")


@pytest.fixture(scope="module")
def pack(seed_tables):
    return zipfile.ZipFile(io.BytesIO(briefing_pack(seed_tables, caption="Filters: none")))


def test_source_line(seed_tables):
    assert source_line(seed_tables.documents) == (
        "Source: 5 articles from Kyiv Independent, WTX News and 3 of unknown outlet, 2025-09-04 to 2025-11-26"
    )


def test_chart_png_is_slide_sharp_and_svg_parses(seed_tables):
    title, chart = pack_charts(seed_tables)["countries"]
    png = chart_png(chart, title=title, source="Source: test", caption="Filters: none")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width >= 2400  # 900 pt wide at 200 ppi
    assert round(image.info["dpi"][0]) == 200
    raw = chart_svg(chart, title=title, source="Source: test", caption="Filters: none")
    svg = ET.fromstring(raw)
    assert svg.tag.endswith("svg")
    texts = " ".join("".join(t.itertext()) for t in svg.iter() if t.tag.endswith("text"))
    assert title in texts and "Source: test" in texts and "Filters: none" in texts


def test_map_exports_offline_with_outlines_inlined(seed_tables):
    title, chart = pack_charts(seed_tables)["positions_map"]
    svg = chart_svg(chart, title=title, source="Source: test").decode()
    assert svg.count("<path") > 100


def test_pack_contents(pack):
    names = pack.namelist()
    for stem in ("summary", "citations"):
        assert any(n.startswith(stem) for n in names)
    assert any(n.startswith("charts/positions_map_") and n.endswith(".png") for n in names)
    pngs = sum(n.startswith("charts/") and n.endswith(".png") for n in names)
    assert sum(n.endswith(".svg") for n in names) == pngs >= 4
    for table in ("figures", "positions", "documents", "mentions"):
        assert any(n.startswith(f"tables/{table}_") and n.endswith(".csv") for n in names)
        assert any(n.startswith(f"tables/{table}_") and n.endswith(".xlsx") for n in names)
    manifest = pack.read("MANIFEST.txt").decode()
    assert "corpus 08cc9dc53ef32059" in manifest and "as of " in manifest


def test_xlsx_in_pack_has_the_table_columns(pack):
    name = next(n for n in pack.namelist() if n.startswith("tables/figures_") and n.endswith(".xlsx"))
    sheet = load_workbook(io.BytesIO(pack.read(name))).active
    header = [c.value for c in sheet[1]]
    assert header[:9] == ["document", "sentence", "text", "value", "unit", "quantity", "approximate", "published",
                          "outlet"]
    assert sheet.freeze_panes == "A2"
    assert isinstance(sheet["D2"].value, float | int)


def test_every_number_in_the_summary_carries_a_citation(pack):
    html = pack.read(next(n for n in pack.namelist() if n.startswith("summary_") and n.endswith(".html"))).decode()
    headline_part = html.split("<h2>Headline figures</h2>")[1].split("<h2>")[0]
    for item in headline_part.split("<li>")[1:]:
        assert 'href="#c' in item, item
    citations = pack.read(next(n for n in pack.namelist() if n.startswith("citations_"))).decode("utf-8-sig")
    assert "Kyiv Independent" in citations and "800,000" in citations


def test_pdf_renders_and_reads_as_a_briefing(pack, tmp_path):
    name = next(n for n in pack.namelist() if n.endswith(".pdf"))
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(pack.read(name))
    subprocess.run([_poppler("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    page = Image.open(next(tmp_path.glob("page*.png")))
    assert page.width > 400 and page.height > 600
    text = subprocess.run([_poppler("pdftotext"), str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for needle in ("800,000 troops", "€210bn", "26 countries", "about 20 countries", "original and a revised version",
                   "[1]", "Citations"):
        assert needle in text, needle


def test_cli_brief_on_seeds(tmp_path):
    assert main(["brief", str(SEEDS), "--out", str(tmp_path), "-q"]) == 0
    assert (tmp_path / dated_name("briefing", "zip")).is_file()
    assert (tmp_path / dated_name("summary", "pdf")).read_bytes().startswith(b"%PDF")
