"""Write tables to CSV, XLSX or JSON files that open safely in spreadsheet programs."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

FORMATS = ("csv", "xlsx", "json")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix text a spreadsheet would evaluate as a formula with an apostrophe; leave other values alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _xlsx_cell(value: object) -> object:
    """A value an XLSX sheet accepts, neutralised: control characters it cannot store become U+FFFD
    (so offsets into the text stay true)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return neutralise(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value)


def safe_frame(frame: pd.DataFrame, *, xlsx: bool = False) -> pd.DataFrame:
    """A copy of frame whose text cells and column names cannot be run as spreadsheet formulas (nor, for XLSX,
    hold a control character that the format forbids)."""
    out = frame.copy()
    out.columns = [neutralise(column) for column in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_xlsx_cell if xlsx else neutralise)
    return out


def table_bytes(frame: pd.DataFrame, fmt: str, *, sheet: str = "table") -> bytes:
    """The bytes of one table in fmt: CSV is UTF-8 with BOM so Excel reads accents right.

    CSV rows end in CRLF, so that a cell holding a carriage return or a line break is quoted: a bare one would
    start a new row in a spreadsheet, and whatever followed it ("=HYPERLINK(...)") a new, unneutralised cell.
    """
    if fmt == "csv":
        return safe_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
    if fmt == "json":
        return frame.to_json(orient="records", force_ascii=False, indent=1).encode("utf-8")
    if fmt == "xlsx":
        import io

        from openpyxl.styles import Alignment, Font

        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            safe_frame(frame, xlsx=True).to_excel(writer, sheet_name=sheet[:31], index=False)
            sheet_obj = writer.sheets[sheet[:31]]
            sheet_obj.freeze_panes = "A2"
            for cell in sheet_obj[1]:
                cell.font = Font(bold=True)
            for index, column in enumerate(frame.columns, start=1):
                letter = sheet_obj.cell(row=1, column=index).column_letter
                longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
                wide = column in {"text", "evidence", "reason"}
                sheet_obj.column_dimensions[letter].width = 80 if wide else min(max(10, longest + 2), 40)
                if wide:
                    for cell in sheet_obj[letter][1:]:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | os.PathLike, fmt: str) -> list[Path]:
    """Write each table to OUT/NAME.FMT, each file replaced atomically; return the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        target = out / f"{name}.{fmt}"
        data = table_bytes(frame, fmt, sheet=name)
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        written.append(target)
    return written
