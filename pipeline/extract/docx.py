"""A plan as a Word document: tables, the headings between them, list paragraphs in cells.

Body paragraphs and tables are walked in document order, so each table takes
the priority heading before it. A cell's paragraphs (list items included, their
bullets being numbering rather than text) become lines of the cell. A
horizontally merged cell fills its first column and leaves the others empty; a
vertically merged cell repeats its text down the rows it spans, as a reader of
the document sees it.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from pipeline.errors import InputError
from pipeline.extract.assemble import (
    Event,
    Extraction,
    Heading,
    Span,
    events_to_rows,
    table_row_event,
)
from pipeline.extract.layout import (
    HeaderLabels,
    match_priority_heading,
)


def read_word(data: bytes, source_file: str, labels: HeaderLabels) -> Extraction:
    """Rows of a .docx plan, from its bytes."""
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(source_file, f"not a readable Word document ({error})") from None
    return events_to_rows(word_to_events(document, labels), source_file)


def word_to_events(document, labels: HeaderLabels) -> list[Event]:
    """Headings, header rows and table rows, in document order; locators are table and row."""
    events: list[Event] = []
    table_number = 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            text = " ".join(Paragraph(element, document).text.split())
            start = match_priority_heading(text)
            if start:
                span = Span("table", (table_number + 1, 0), (table_number + 1, 0))
                events.append(Heading(start.number, start.title, span))
        elif element.tag == qn("w:tbl"):
            table_number += 1
            events += _table_events(Table(element, document), table_number, labels)
    return events


def _table_events(table: Table, number: int, labels: HeaderLabels) -> list[Event]:
    events: list[Event] = []
    above: list[str] = []
    table_header = None
    for row_number, row in enumerate(table.rows, 1):
        cells = _row_texts(row, above)
        above = cells
        span = Span("table", (number, row_number), (number, row_number))
        event, table_header = table_row_event(cells, span, labels, table_header)
        if event:
            events.append(event)
    return events


def _row_texts(row, above: list[str]) -> list[str]:
    texts = [""] * row.grid_cols_before
    for tc in row._tr.tc_lst:
        if tc.vMerge == "continue":
            text = above[len(texts)] if len(texts) < len(above) else ""
        else:
            text = _cell_text(_Cell(tc, row.table))
        texts.append(text)
        texts += [""] * (tc.grid_span - 1)
    return texts


def _cell_text(cell: _Cell) -> str:
    """One line per paragraph, every paragraph the cell holds: those of a table nested
    in it or of a content control too, which ``cell.paragraphs`` leaves out. A tab
    typed in a cell is only spacing."""
    return "\n".join(Paragraph(p, cell).text.replace("\t", " ") for p in cell._tc.iter(qn("w:p")))
