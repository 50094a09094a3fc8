"""Events read the way a person reads a table's shape, before they are assembled into
rows: action cards as rows of a table (cards.py), a header whose labels were typed over
two rows as one header, and a column with no known label whose cells each name a
priority ("Priority 1: title", often one cell merged down the priority's rows) as the
table's Priority column."""

from __future__ import annotations

from dataclasses import replace

from pipeline.extract.assemble import Event, HeaderRow, Heading, Span, TableRow
from pipeline.extract.cards import read_cards
from pipeline.extract.layout import (
    PRIORITY_COLUMN,
    Header,
    HeaderLabels,
    as_read,
    header_fields,
    match_priority_heading,
)


def reshaped(events: list[Event], labels: HeaderLabels) -> list[Event]:
    """The events with cards read as rows, headers typed over two rows joined, and
    unlabelled priority columns named; a row's cells as a reader reads them ("Internal\u200b"
    is Internal, layout.AS_READ)."""
    events = [
        replace(event, cells=tuple(map(as_read, event.cells)))
        if isinstance(event, TableRow)
        else event
        for event in events
    ]
    return _priority_columns(_headers_over_two_rows(read_cards(events, labels), labels), labels)


def _headers_over_two_rows(events: list[Event], labels: HeaderLabels) -> list[Event]:
    """Each header whose labels were typed over two rows of the table ("Key" above
    "Objective", "Headline" above "Action"), read as one: the row above the header row,
    its cells joined to the header's below them, names more columns. The row above, when
    it comes again (a PDF's header repeated on each page), is that header's again."""
    read: list[Event] = []
    # the last header so joined: its upper row, its lower row's own header, and itself
    above: tuple[str, ...] | None = None
    lower: Header | None = None
    joined: Header | None = None
    counted: list[tuple[int, int]] = []  # (page, row) of upper rows a PDF counted as rows
    for event in events:
        before = read[-1] if read else None
        if isinstance(event, HeaderRow) and isinstance(before, TableRow):
            found = _joined_header(before.cells, event.header, labels)
            if found:
                read[-1] = HeaderRow(found, before.span, event.from_positions)
                above, lower, joined = before.cells, event.header, found
                counted += _page_row(before.span)
                continue
        if isinstance(event, HeaderRow) and joined and event.header == lower:
            # both rows repeated over a new page, the upper one left out below
            read.append(HeaderRow(joined, event.span, event.from_positions))
            continue
        if isinstance(event, HeaderRow) or (isinstance(event, Heading) and not event.inside_table):
            above = lower = joined = None
        if isinstance(event, TableRow) and event.cells == above:
            counted += _page_row(event.span)
            continue  # the header's upper row, repeated over a new page
        read.append(event)
    return [_counted_again(event, counted) for event in read] if counted else read


def _page_row(span: Span) -> list[tuple[int, int]]:
    """A PDF row's page and number: a PDF counts the rows under a page's header."""
    return [span.first] if span.unit == "page" and span.first == span.last else []


def _counted_again(event: Event, counted: list[tuple[int, int]]) -> Event:
    """The event with its page's rows counted without the header's upper rows, which the
    PDF reader counted as rows before the row below showed them to be half a header."""

    def less(place: tuple[int, ...]) -> tuple[int, ...]:
        page, row = place
        return (page, row - sum(1 for p, r in counted if p == page and r < row))

    span = event.span
    if span.unit != "page":
        return event
    return replace(event, span=Span(span.unit, less(span.first), less(span.last)))


def _joined_header(upper: tuple[str, ...], header: Header, labels: HeaderLabels) -> Header | None:
    """The header the two rows make, when it names more columns than the lower alone
    and a column wherever the lower names one ("Organisation" under "Lead Officer/"
    names the officer's); None otherwise."""
    if len(upper) != len(header.labels) or any(len(cell) > labels.longest for cell in upper):
        return None
    joined = [" ".join(f"{a} {b}".split()) for a, b in zip(upper, header.labels, strict=True)]
    found = header_fields(joined, labels)
    if found is None or any(
        lower and not both for lower, both in zip(header.fields, found.fields, strict=True)
    ):
        return None
    return found if sum(map(bool, found.fields)) > sum(map(bool, header.fields)) else None


def _priority_columns(events: list[Event], labels: HeaderLabels) -> list[Event]:
    """Each header row with no Priority column, given one where a column of no known
    field holds a priority heading in every cell that has text, and one at least."""
    read = list(events)
    for start, event in enumerate(read):
        if not isinstance(event, HeaderRow) or PRIORITY_COLUMN in event.header.fields:
            continue
        unknown = [n for n, field in enumerate(event.header.fields) if field is None]
        rows = _rows_under(read, start) if unknown else []
        for position in unknown:
            cells = (
                " ".join(row.cells[position].split()) for row in rows if position < len(row.cells)
            )
            named = [cell for cell in cells if cell]
            if named and all(match_priority_heading(cell, labels.heading) for cell in named):
                fields = list(event.header.fields)
                fields[position] = PRIORITY_COLUMN
                read[start] = replace(event, header=replace(event.header, fields=tuple(fields)))
                break
    return read


def _rows_under(events: list[Event], start: int) -> list[TableRow]:
    """The table rows after the header row at ``start``, up to the next header or
    priority heading outside a table."""
    rows = []
    for event in events[start + 1 :]:
        if isinstance(event, HeaderRow) or (isinstance(event, Heading) and not event.inside_table):
            break
        if isinstance(event, TableRow):
            rows.append(event)
    return rows
