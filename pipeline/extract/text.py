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
"""

from __future__ import annotations

from pipeline.errors import InputError
from pipeline.extract.assemble import (
    Event,
    Extraction,
    Heading,
    Span,
    Stray,
    events_to_rows,
    table_row_event,
)
from pipeline.extract.layout import (
    HeaderLabels,
    continue_heading,
    is_rule_row,
    match_priority_heading,
)


def read_text_export(data: bytes, source_file: str, labels: HeaderLabels) -> Extraction:
    """Rows of a text export, from its bytes."""
    text = decode_text(data, source_file)
    return events_to_rows(text_to_events(text, labels), source_file)


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
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
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
        event, table_header = table_row_event(cells, span, labels, table_header)
        if event:
            events.append(event)
    return events
