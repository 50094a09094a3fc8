"""Events read the way a person reads a table's shape, before they are assembled into
rows: action cards as rows of a table (cards.py), and a column with no known label
whose cells each name a priority ("Priority 1: title", often one cell merged down the
priority's rows) as the table's Priority column."""

from __future__ import annotations

from dataclasses import replace

from pipeline.extract.assemble import Event, HeaderRow, Heading, TableRow
from pipeline.extract.cards import read_cards
from pipeline.extract.layout import PRIORITY_COLUMN, HeaderLabels, match_priority_heading


def reshaped(events: list[Event], labels: HeaderLabels) -> list[Event]:
    """The events with cards read as rows and unlabelled priority columns named."""
    return _priority_columns(read_cards(events, labels), labels)


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
