"""delivery-plan.xlsx as a spreadsheet user's tools open it: openpyxl here, LibreOffice
in tests/fixtures/workbook/ (its reading of the shipped release, checked in)."""

import csv
import datetime as dt
import importlib.util
import zipfile

import openpyxl
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.publish.workbook import WORKBOOK, _escape, _escape_all, write_workbook
from pipeline.schema import DATE, INTEGER, LIST, OBJECT, STRING, Column, Table
from pipeline.stages import PUBLISHED_TABLES
from tests.conftest import PROJECT

LIBREOFFICE_READING = PROJECT / "tests" / "fixtures" / "workbook"


@pytest.fixture(scope="module")
def workbook(shipped):
    return openpyxl.load_workbook(shipped / "processed" / WORKBOOK)


def _as_a_person_reads_it(value, kind):
    """A Parquet value as its workbook cell should hold it."""
    if value is None:
        return None
    if kind == LIST:
        return "\n".join(value)
    if kind == OBJECT:
        return "\n".join(f"{key}: {text}" for key, text in value)
    if kind == DATE:
        return dt.datetime(value.year, value.month, value.day)
    return value


def test_one_sheet_per_table_after_a_sheet_about_the_release(workbook, shipped):
    assert workbook.sheetnames == ["about", *PUBLISHED_TABLES]
    about = {row[0]: row[1] for row in workbook["about"].iter_rows(values_only=True) if row[0]}
    assert about["plan period"] == "2022/23"  # params.yaml
    assert about["read from"].startswith("knowsley-2030-delivery-plan.txt (sha256 ")
    assert "Tools should read the CSV or Parquet files" in about["this workbook"]
    assert about["sheet actions"] == PUBLISHED_TABLES["actions"].description
    assert about["timescale_raw"].startswith("string: Timescale cell")


@pytest.mark.parametrize("name", list(PUBLISHED_TABLES))
def test_every_cell_holds_the_parquet_value_with_its_type(workbook, shipped, name):
    table = PUBLISHED_TABLES[name]
    sheet = workbook[name]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == table.names
    parquet = pq.read_table(shipped / "processed" / f"{name}.parquet").to_pylist()
    assert len(rows) - 1 == len(parquet)
    kinds = table.types()
    for number, (cells, record) in enumerate(zip(rows[1:], parquet, strict=True), start=2):
        expected = [_as_a_person_reads_it(record[n], kinds[n]) for n in table.names]
        assert list(cells) == expected, f"{name} row {number}"


def test_the_header_is_frozen_and_filtered(workbook):
    for name in PUBLISHED_TABLES:
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
        assert sheet["A1"].font.b


def test_text_that_looks_like_a_date_or_a_number_stays_text(workbook):
    sheet = workbook["actions"]
    column = PUBLISHED_TABLES["actions"].names.index("timescale_raw") + 1
    cells = [sheet.cell(row, column) for row in range(2, sheet.max_row + 1)]
    looks_like = {c.value: c.data_type for c in cells if c.value in ("Mar-23", "2022", "2022/23")}
    assert looks_like == {"Mar-23": "s", "2022": "s", "2022/23": "s"}


def test_dates_are_dates_and_list_items_are_lines(workbook):
    sheet = workbook["actions"]
    names = PUBLISHED_TABLES["actions"].names
    end = sheet.cell(2, names.index("end_date") + 1)
    assert isinstance(end.value, dt.datetime) and end.is_date
    assert end.number_format == "yyyy\\-mm\\-dd"
    listed = [
        sheet.cell(row, names.index("org_ids") + 1)
        for row in range(2, sheet.max_row + 1)
        if "\n" in (sheet.cell(row, names.index("org_ids") + 1).value or "")
    ]
    assert listed and all(cell.alignment.wrap_text for cell in listed)
    widths = {sheet.column_dimensions[c].width for c in ("A", "H")}  # action_id, summary
    assert all(8 <= width <= 60 for width in widths) and len(widths) == 2


SAMPLE = Table(
    "sample",
    "hand-made cells",
    (
        Column("name", STRING, "text"),
        Column("items", LIST, "a list"),
        Column("count", INTEGER, "a number"),
    ),
)


def _sample_workbook(tmp_path, rows):
    frame = SAMPLE.frame(rows)
    path = tmp_path / "sample.xlsx"
    write_workbook({"sample": (frame, SAMPLE)}, [("release", "test")], path)
    return openpyxl.load_workbook(path)["sample"]


def test_formula_like_text_is_kept_as_text_marked_as_typed_with_a_quote(tmp_path):
    sheet = _sample_workbook(
        tmp_path,
        [
            {"name": '=HYPERLINK("http://x")', "items": ["+44 151", "b"], "count": 1},
            {"name": "-5 days", "items": None, "count": None},
            {"name": "@risk", "items": ["a"], "count": 3},
        ],
    )
    cells = [sheet.cell(row, 1) for row in (2, 3, 4)] + [sheet.cell(2, 2)]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x")', "-5 days", "@risk", "+44 151\nb"]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert not sheet.cell(4, 2).quotePrefix  # plain text is not marked
    assert (sheet.cell(3, 2).value, sheet.cell(3, 3).value) == (None, None)  # missing: empty


def test_markup_and_padding_survive(tmp_path):
    written = ["Fish & Chips <b>", "  padded  ", "£45m “Year One”"]
    sheet = _sample_workbook(tmp_path, [{"name": t, "items": None, "count": 1} for t in written])
    assert [sheet.cell(row, 1).value for row in range(2, 5)] == written


def test_a_cell_longer_than_a_spreadsheet_holds_is_cut_and_says_so(tmp_path):
    sheet = _sample_workbook(
        tmp_path, [{"name": "a", "count": 1}, {"name": "x" * 40_000, "count": 2}]
    )
    cell = sheet.cell(3, 1).value
    assert len(cell) == 32_767 and cell.startswith("x" * 32_000)
    assert cell.endswith("40000 characters in all, every one in sample.csv and sample.parquet]")
    about = {row[0]: row[1] for row in sheet.parent["about"].iter_rows(values_only=True)}
    assert about["cut to fit"] == "sample row 3 name (40000 characters)"


def _cells_as_shown(value, kind) -> str:
    value = _as_a_person_reads_it(value, kind)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()  # the cell's format, yyyy-mm-dd
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return "" if value is None else str(value)


def _libreoffice_reading(name):
    with open(LIBREOFFICE_READING / f"{name}-by-libreoffice.csv", encoding="utf-8") as file:
        return list(csv.reader(file))


@pytest.mark.parametrize("name", list(PUBLISHED_TABLES))
def test_libreoffice_reads_every_sheet_as_the_release_holds_it(shipped, name):
    """LibreOffice Calc's CSV export of the shipped workbook, cells as shown
    (tests/fixtures/workbook/make_libreoffice_reading.sh: run it again when the
    shipped plan's release changes): Mar-23 and 2022 are text, dates are dates in
    the format set, list items are lines of one cell, missing is an empty cell."""
    table = PUBLISHED_TABLES[name]
    rows = _libreoffice_reading(name)
    assert rows[0] == table.names
    parquet = pq.read_table(shipped / "processed" / f"{name}.parquet").to_pylist()
    assert len(rows) - 1 == len(parquet)
    kinds = table.types()
    # every cell but the id of the release a history row came from: each run makes its own
    names = [n for n in table.names if n != "release_id"]
    for number, (cells, record) in enumerate(zip(rows[1:], parquet, strict=True), start=2):
        shown = dict(zip(table.names, cells, strict=True))
        assert [shown[n] for n in names] == [_cells_as_shown(record[n], kinds[n]) for n in names], (
            number
        )


def test_libreoffice_reads_the_cells_a_spreadsheet_could_misread_as_written(tmp_path):
    quirks = load_fixture_script("make_quirks_workbook")
    rows = _libreoffice_reading("quirks")
    assert rows == [["text", "items"]] + [
        [row["text"], "\n".join(row["items"] or [])] for row in quirks.ROWS
    ]
    # the checked-in quirks.xlsx is what the writer makes today
    quirks.write(tmp_path / "quirks.xlsx")
    assert _sheets(tmp_path / "quirks.xlsx") == _sheets(LIBREOFFICE_READING / "quirks.xlsx")


def _sheets(path):
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def load_fixture_script(name):
    spec = importlib.util.spec_from_file_location(name, LIBREOFFICE_READING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_TRICKY = st.text(
    alphabet=st.sampled_from(
        ["a", " ", "&", "<", ">", "\n", "_", "x", "0", "F", "\x01", "\x00", "\ufffe", "é"]
    )
)


@given(st.lists(_TRICKY, max_size=8))
def test_a_column_is_escaped_as_its_cells_are_one_by_one(texts):
    # a column is escaped in one go when it can be; the result must not differ
    assert _escape_all(texts) == [_escape(t) for t in texts]
