"""The tab-separated text export of a plan (as Word or a PDF tool saves it).

What the export does to a table, and how each is read back:

- a priority heading is a bold line, ``**Priority N: title**``, whose title may
  wrap onto the next line;
- each table starts with a header row; the columns are known by their labels,
  never by position (a table may lack a column);
- a cell that wraps spills onto a continuation line that has text only in the
  columns that spilled, placed by tab position (its Focus and Delivery cells
  are empty); a page break puts blank lines between a row and its continuation;
- markdown rule rows of dashes appear between rows and mean nothing;
- HTML lists and paragraphs sit inside cells (cleaned later, format-blind).

An export that keeps no tab at all cannot say where one cell ends and the next
begins, so its table is refused with where its header stands and why.
"""

from __future__ import annotations

import csv
import itertools

import regex

from pipeline.errors import InputError
from pipeline.extract.assemble import (
    Event,
    Extraction,
    HeaderRow,
    Heading,
    Span,
    Stray,
    completes_header,
    events_to_rows,
    table_row_event,
)
from pipeline.extract.layout import (
    HeaderLabels,
    continue_heading,
    header_fields,
    is_rule_row,
    match_priority_heading,
)


def read_text_export(data: bytes, source_file: str, labels: HeaderLabels) -> Extraction:
    """Rows of a text export, from its bytes."""
    text = decode_text(data, source_file)
    events = text_to_events(text, labels)
    _refuse_quoted_header(events, source_file)
    extraction = events_to_rows(events, source_file)
    if extraction.rows.empty and "\t" not in text:
        _refuse_untabbed_table(_lines(text), labels, source_file)
    return extraction


def decode_text(data: bytes, source_file: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, as Word on Windows saves it."""
    if b"\x00" in data:
        raise InputError(source_file, "binary content (NUL bytes): not a text export")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise InputError(
                source_file,
                f"not UTF-8 or Windows-1252 text (byte 0x{data[error.start]:02x})",
                f"byte {error.start}",
            ) from None
    if not text.strip():
        raise InputError(source_file, "the file is empty")
    return text


def text_to_events(text: str, labels: HeaderLabels) -> list[Event]:
    """Headings, header rows and table rows of the export, in reading order.

    Lines are numbered from 1 as an editor shows them; prose outside tables
    and blank lines (page breaks) give no event.
    """
    lines = _lines(text)
    events: list[Event] = []
    table_header = None  # the current table's columns
    index = 0
    while index < len(lines):
        line = lines[index].replace("\f", "")
        number = index + 1
        index += 1
        if not line.strip():
            continue
        if "\t" not in line:
            start = match_priority_heading(line)
            if start is None:  # prose: a title, a note between tables
                span = Span("line", (number,), (number,))
                if events and isinstance(events[-1], Stray):  # one entry for a run of prose
                    before = events.pop()
                    span, line = before.span.to(span), f"{before.text} {line}"
                events.append(Stray(" ".join(line.split()), span, in_table=False))
                continue
            title, closed, last = [start.title], start.closed, number
            while not closed and index < len(lines):
                wrapped = lines[index]
                if not wrapped.strip() or "\t" in wrapped:
                    break
                part, closed = continue_heading(wrapped)
                title.append(part)
                index += 1
                last = index
            span = Span("line", (number,), (last,))
            events.append(Heading(start.number, " ".join(" ".join(title).split()), span))
            continue
        cells = line.split("\t")
        span = Span("line", (number,), (number,))
        if is_rule_row(cells):
            continue
        joined = completes_header(events, cells, span, labels)
        if joined:
            table_header = joined
            continue
        event, table_header = table_row_event(cells, span, labels, table_header)
        if event:
            events.append(event)
    return events


def _refuse_quoted_header(events: list[Event], source_file: str) -> None:
    """An InputError for a header row whose every cell is in double quotes, as a
    spreadsheet saves tab-separated text: it quotes every cell (which would be read
    with its quotes) and splits a cell holding a line break over two lines."""
    for event in events:
        if isinstance(event, HeaderRow):
            filled = [label for label in event.header.labels if label.strip()]
            if all(len(label) > 1 and label[0] == label[-1] == '"' for label in filled):
                raise InputError(
                    source_file,
                    "no plan table read: every cell of the header row is in double quotes, "
                    "as a spreadsheet saves tab-separated text (a cell holding a line break "
                    "split over two lines); that is not a format the pipeline reads: read "
                    "the Word or PDF document itself",
                    str(event.span),
                )


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


_COLUMN_GAP = regex.compile(r"\s{2,}")
_READ_INSTEAD = (
    "read the Word or PDF document itself, or a text export that separates cells with tabs"
)
_CELLS_LOST = f"so where one cell ends and the next begins is lost; {_READ_INSTEAD}"
# How a header row reads in an export without tabs, split as that export separates its cells.
_UNTABBED_HEADER_ROWS = (
    (
        lambda line: _COLUMN_GAP.split(line.strip()),
        "the header row's columns are lined up with spaces (as pdftotext -layout writes a "
        f"table), not tabs, {_CELLS_LOST}",
    ),
    (
        lambda line: next(csv.reader([line])),
        "the header row's cells are separated by commas (a spreadsheet's CSV), not tabs, and "
        "CSV is not a format the pipeline reads; read the Word or PDF document itself",
    ),
)


def _refuse_untabbed_table(lines: list[str], labels: HeaderLabels, source_file: str) -> None:
    """An InputError naming where an export without tabs shows a table's header and how
    it laid the table out, when it shows one: "no plan table" alone would send a person
    looking for a heading and labels that are there."""
    for number, line in enumerate(lines, 1):
        for cells_of, layout in _UNTABBED_HEADER_ROWS:
            if header_fields(cells_of(line), labels):
                raise InputError(source_file, f"no plan table found: {layout}", f"line {number}")
    found = _labels_one_per_line(lines, labels)
    if found:
        first, last = found
        raise InputError(
            source_file,
            "no plan table found: the header's labels stand one per line (as LibreOffice's "
            f"Text export and pdftotext write a table), with no tabs, {_CELLS_LOST}",
            f"line {first}-{last}",
        )


def _labels_one_per_line(lines: list[str], labels: HeaderLabels) -> tuple[int, int] | None:
    """The first and last line of a run of header labels, one to a line, that makes a
    header row; a label may wrap onto the next line, and blank lines between are allowed."""
    filled = [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]
    read: list[tuple[int, int, str] | None] = []  # each label's first and last line, and text
    position = 0
    while position < len(filled):
        (first, text), wrapped = filled[position], filled[position + 1 : position + 2]
        if labels.exact(text):
            read.append((first, first, text))
        elif wrapped and labels.exact(joined := f"{text} {wrapped[0][1]}"):
            read.append((first, wrapped[0][0], joined))
            position += 1
        else:
            read.append(None)
        position += 1
    for is_label, run in itertools.groupby(read, key=bool):
        labelled = [label for label in run if label]
        if is_label and header_fields([text for _, _, text in labelled], labels):
            return labelled[0][0], labelled[-1][1]
    return None
