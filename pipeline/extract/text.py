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

A Markdown export's pipe table ("| Internal | Strategic |", as Google Docs and pandoc
write one) is read the same way, a row to a line; a table written as HTML inside the
text (pandoc's Markdown of a table whose cells hold lists) is refused, as its rows
would read as prose.

A spreadsheet's export (tab-separated with quoted cells, or a CSV) is read a
record at a time instead: a quoted cell keeps its line breaks and delimiters.
An export that keeps no tab at all (and is no CSV) cannot say where one cell
ends and the next begins, so its table is refused with where its header stands
and why.
"""

from __future__ import annotations

import csv
import io
import itertools

import regex

from pipeline.errors import InputError
from pipeline.extract.assemble import (
    STRUCK_TEXT,
    Beside,
    Event,
    Extraction,
    HeaderRow,
    Heading,
    Span,
    Stray,
    TableRow,
    add_prose,
    completes_header,
    events_to_rows,
    field_at,
    struck_detail,
    table_row_event,
    with_beside,
)
from pipeline.extract.layout import (
    HeaderLabels,
    continue_heading,
    header_fields,
    is_rule_row,
    match_priority_heading,
)
from pipeline.extract.reshape import reshaped


def read_text_export(data: bytes, source_file: str, labels: HeaderLabels) -> Extraction:
    """Rows of a text export, from its bytes."""
    text = decode_text(data, source_file)
    _refuse_html_table(text, source_file)
    events, beside = text_to_events(text, labels)
    lines = _lines(text)
    delimiter = _spreadsheet_delimiter(events, lines, labels)
    if delimiter:
        events, beside = spreadsheet_to_events(text, delimiter, labels), []
    rows = events_to_rows(reshaped(events, labels), source_file)
    extraction = with_beside(rows, beside, source_file)
    if extraction.rows.empty and "\t" not in text:
        _refuse_untabbed_table(lines, labels, source_file)
    return extraction


_HTML_TABLE = regex.compile(r"^ *<table[\s>]", regex.IGNORECASE | regex.MULTILINE)


def _refuse_html_table(text: str, source_file: str) -> None:
    """An InputError for an export that writes a table as HTML (pandoc's Markdown of a
    table whose cells hold paragraphs or lists): its rows would read as prose, and the
    actions in it be lost from the dataset."""
    found = _HTML_TABLE.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise InputError(
            source_file,
            "a table is written as HTML (<table>, as pandoc writes a table whose cells hold "
            "paragraphs or lists into Markdown), which the text reader does not read; read "
            "the Word or PDF document itself, or a text export that separates cells with tabs",
            f"line {line}",
        )


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


def text_to_events(text: str, labels: HeaderLabels) -> tuple[list[Event], list[Beside]]:
    """Headings, header rows and table rows of the export, in reading order, and the
    words struck through in a Markdown table's cells (``~~Mar-26~~``), not read.

    Lines are numbered from 1 as an editor shows them; prose outside tables
    and blank lines (page breaks) give no event.
    """
    lines = _lines(text)
    events: list[Event] = []
    beside: list[Beside] = []
    table_header = None  # the current table's columns
    index = 0
    while index < len(lines):
        line = lines[index].replace("\f", "")
        number = index + 1
        index += 1
        if not line.strip():
            continue
        piped = _pipe_cells(line)
        if "\t" not in line and piped is None:
            start = match_priority_heading(line, labels.heading)
            if start is None:  # prose: a title, a note between tables
                add_prose(events, line, Span("line", (number,), (number,)))
                continue
            title, closed, last = [start.title], start.closed, number
            while not closed and index < len(lines):
                wrapped = lines[index]
                if not wrapped.strip() or "\t" in wrapped or _pipe_cells(wrapped):
                    break
                part, closed = continue_heading(wrapped)
                title.append(part)
                index += 1
                last = index
            span = Span("line", (number,), (last,))
            events.append(Heading(start.number, " ".join(" ".join(title).split()), span))
            continue
        # a vertical tab is a line break in a cell (Word's own text of a manual break)
        cells = piped or line.replace("\v", "\n").split("\t")
        span = Span("line", (number,), (number,))
        if is_rule_row(cells):
            continue
        joined = completes_header(events, cells, span, labels)
        if joined:
            table_header = joined
            continue
        struck = [_STRUCK.findall(cell) for cell in cells] if piped else []
        cells = [" ".join(_STRUCK.sub(" ", cell).split()) for cell in cells] if piped else cells
        event, table_header = table_row_event(cells, span, labels, table_header)
        if event:
            events.append(event)
        beside += [
            Beside(
                span, field_at(table_header, n), cells[n], STRUCK_TEXT, struck_detail(words, "cell")
            )
            for n, words in enumerate(struck)
            if words and not isinstance(event, HeaderRow)
        ]
    return events, beside


# Markdown's strikethrough: words a monitoring report says no longer stand.
_STRUCK = regex.compile(r"~~(.+?)~~")


def _pipe_cells(line: str) -> list[str] | None:
    """The cells of a Markdown pipe table's row ("| Internal | Strategic |", as Google
    Docs and pandoc write a table), a backslash's escape undone ("KMBC \\- C&N"); None
    for a line that is no such row, or one with a tab (a tab-separated export's)."""
    stripped = line.strip()
    if "\t" in line or len(stripped) < 2 or stripped[0] != "|" or stripped[-1] != "|":
        return None
    if stripped.endswith("\\|"):
        return None  # the last pipe is escaped: text, not a row's edge
    cells = _UNESCAPED_PIPE.split(stripped[1:-1])
    return [_MARKDOWN_ESCAPE.sub(r"\1", cell.strip()) for cell in cells]


# A pipe that parts two cells, and a character escaped (CommonMark: any ASCII punctuation).
_UNESCAPED_PIPE = regex.compile(r"(?<!\\)\|")
_MARKDOWN_ESCAPE = regex.compile(r"\\([!-/:-@\[-`{-~])")


def _spreadsheet_delimiter(events: list[Event], lines: list[str], labels: HeaderLabels) -> str:
    """The delimiter when the text is a spreadsheet's export rather than a document's:
    tab-separated with every header cell in double quotes (as LibreOffice quotes every
    cell) or with a quoted cell going on over the next line (as Excel quotes a cell that
    holds a line break), or comma-separated (a CSV, with no tab-separated header).
    Empty for a text export."""
    headers = [event for event in events if isinstance(event, HeaderRow)]
    for event in headers:
        filled = [label for label in event.header.labels if label.strip()]
        if all(len(label) > 1 and label[0] == label[-1] == '"' for label in filled):
            return "\t"
    if headers and any(_opens_quoted_cell(line) for line in lines if "\t" in line):
        return "\t"
    if not headers and any(header_fields(_csv_cells(line), labels) for line in lines):
        return ","
    return ""


def _opens_quoted_cell(line: str) -> bool:
    """A line whose last cell opens a quote it does not close: a spreadsheet's quoted
    cell going on over the next line (a line break in the cell)."""
    last = line.rsplit("\t", 1)[-1]
    return last.startswith('"') and last.count('"') % 2 == 1


def _csv_cells(line: str) -> list[str]:
    return next(csv.reader([line]), [])


def spreadsheet_to_events(text: str, delimiter: str, labels: HeaderLabels) -> list[Event]:
    """Headings, header rows and table rows of a spreadsheet's export, a record at a time:
    a quoted cell may hold line breaks (its lines) and the delimiter. A record of one
    cell before any header that is no priority heading is prose, as in a text export."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    events: list[Event] = []
    header = None
    last = 0
    for record in reader:
        first, last = last + 1, reader.line_num
        cells = [cell.replace("\r\n", "\n").replace("\v", "\n") for cell in record]
        filled = [cell for cell in cells if cell.strip()]
        if not filled:
            continue
        span = Span("line", (first,), (last,))
        joined = completes_header(events, cells, span, labels)
        if joined:
            header = joined
            continue
        event, header = table_row_event(cells, span, labels, header)
        if header is None and isinstance(event, TableRow) and len(filled) == 1:
            event = Stray(" ".join(filled[0].split()), span, in_table=False)
        if event:
            events.append(event)
    return events


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


_COLUMN_GAP = regex.compile(r"\s{2,}")
_CELLS_LOST = (
    "so where one cell ends and the next begins is lost; read the Word or PDF document "
    "itself, or a text export that separates cells with tabs"
)


def _refuse_untabbed_table(lines: list[str], labels: HeaderLabels, source_file: str) -> None:
    """An InputError naming where an export without tabs shows a table's header and how
    it laid the table out, when it shows one: "no plan table" alone would send a person
    looking for a heading and labels that are there."""
    for number, line in enumerate(lines, 1):
        if header_fields(_COLUMN_GAP.split(line.strip()), labels):
            raise InputError(
                source_file,
                "no plan table found: the header row's columns are lined up with spaces (as "
                f"pdftotext -layout writes a table), not tabs, {_CELLS_LOST}",
                f"line {number}",
            )
    read = _label_lines(lines, labels)
    found = _labels_one_per_line(read, labels)
    if found:
        first, last = found
        raise InputError(
            source_file,
            "no plan table found: the header's labels stand one per line (as LibreOffice's "
            f"Text export and pdftotext write a table), with no tabs, {_CELLS_LOST}",
            f"line {first}-{last}",
        )
    found = _card_labels_one_per_line(read, labels)
    if found:
        first, last = found
        raise InputError(
            source_file,
            "no plan table found: its actions are laid out as cards, each label on a line of "
            "its own before its value (as LibreOffice's Text export writes a small table), "
            f"with no tabs, {_CELLS_LOST}",
            f"line {first}-{last}",
        )


def _label_lines(lines: list[str], labels: HeaderLabels) -> list[tuple[int, int, str] | None]:
    """For each filled line, the header label it is (its first and last line, a label
    wrapping onto the next line, and its text), or None."""
    filled = [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]
    read: list[tuple[int, int, str] | None] = []
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
    return read


def _labels_one_per_line(
    read: list[tuple[int, int, str] | None], labels: HeaderLabels
) -> tuple[int, int] | None:
    """The first and last line of a run of header labels, one to a line, that makes a
    header row; blank lines between are allowed."""
    for is_label, run in itertools.groupby(read, key=bool):
        labelled = [label for label in run if label]
        if is_label and header_fields([text for _, _, text in labelled], labels):
            return labelled[0][0], labelled[-1][1]
    return None


def _card_labels_one_per_line(
    read: list[tuple[int, int, str] | None], labels: HeaderLabels
) -> tuple[int, int] | None:
    """The first and last line of an action card's labels (cards.py), each on a line of
    its own before its value: a card ends where a label of it comes again."""
    card: list[tuple[int, int, str]] = []
    for label in [*filter(None, read), None]:
        field = label and labels.exact(label[2])
        if label is None or field in {labels.exact(text) for _, _, text in card}:
            if header_fields([text for _, _, text in card], labels):
                return card[0][0], card[-1][1]
            card = []
        if label:
            card.append(label)
    return None
