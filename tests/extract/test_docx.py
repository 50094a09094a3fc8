"""The Word reader on small documents made here with python-docx."""

import io

import pytest
from docx import Document

from pipeline.errors import InputError
from pipeline.extract.docx import read_word
from tests.conftest import HEADER, ROW


def docx_bytes(build) -> bytes:
    document = Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_table(document, rows, header=HEADER):
    table = document.add_table(rows=1, cols=len(header))
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.text = label
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    return table


def test_heading_then_table_gives_rows_with_table_and_row_locators(labels):
    def build(document):
        document.add_heading("Knowsley 2030 Strategy", level=0)
        document.add_heading(
            "Priority 1: Where strong & safe communities can shape their future", 1
        )
        plan_table(document, [ROW, (*ROW[:3], "Other", *ROW[4:])])
        document.add_heading("Priority 2: Health", 1)
        plan_table(document, [ROW])

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert rows.priority_number.tolist() == [1, 1, 2]
    assert rows.priority_title[0] == "Where strong & safe communities can shape their future"
    assert rows.source_locator.tolist() == ["table 1 row 2", "table 1 row 3", "table 2 row 2"]
    assert rows.headline_action.tolist() == [
        "Community Asset Transfers",
        "Other",
        "Community Asset Transfers",
    ]


def test_list_paragraphs_in_a_cell_become_lines(labels):
    def build(document):
        document.add_heading("Priority 1: Safe", 1)
        table = plan_table(document, [ROW])
        cell = table.rows[1].cells[4]
        cell.text = "Includes:"
        cell.add_paragraph("Develop the Playing Pitch Strategy", style="List Bullet")
        cell.add_paragraph("Update the Environmental\tPolicy", style="List Bullet")

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert (
        rows.summary[0]
        == "Includes:\nDevelop the Playing Pitch Strategy\nUpdate the Environmental Policy"
    )


def test_merged_cells(labels):
    def build(document):
        document.add_heading("Priority 1: Safe", 1)
        table = plan_table(document, [ROW, (*ROW[:3], "Second", *ROW[4:])])
        # Focus merged down two rows; Summary merged across Summary and Organisation.
        # merge() gathers both cells' text into the top one; a merged cell holds one value.
        table.cell(1, 0).merge(table.cell(2, 0)).text = "Internal"
        merged = table.cell(1, 4).merge(table.cell(1, 5))
        merged.text = "One summary across two columns"

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert rows.focus.tolist() == ["Internal", "Internal"]
    assert rows.summary[0] == "One summary across two columns"
    assert rows.organisation_raw[0] == ""
    assert rows.headline_action.tolist() == ["Community Asset Transfers", "Second"]


def test_table_without_a_timescale_column(labels):
    def build(document):
        document.add_heading("Priority 4: Economy", 1)
        plan_table(document, [ROW[:7]], header=HEADER[:7])

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert rows.timescale_raw[0] is None


def test_document_that_is_not_a_plan_gives_no_rows(labels):
    rows = read_word(docx_bytes(lambda d: d.add_paragraph("Dear colleague")), "x.docx", labels).rows
    assert rows.empty


def test_unreadable_word_file_is_an_input_error(labels):
    with pytest.raises(InputError, match="not a readable Word document"):
        read_word(b"PK\x03\x04 not really a zip", "plan.docx", labels)


def test_text_of_a_table_nested_in_a_cell_is_read_not_dropped(labels):
    def build(document):
        document.add_paragraph("Priority 1: Safe")
        table = plan_table(document, [ROW])
        nested = table.rows[1].cells[4].add_table(rows=1, cols=2)
        nested.rows[0].cells[0].text, nested.rows[0].cells[1].text = "Phase 1", "Pilot in Huyton"

    (summary,) = read_word(docx_bytes(build), "plan.docx", labels).rows.summary
    assert summary == "Implementation plan\nPhase 1\nPilot in Huyton"
