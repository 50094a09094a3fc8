"""A plan laid out as one small table per action, an action card: its labels down the
first column with each value beside its label ("Headline Action | Youth Investment
Fund"), or in label and value pairs across a row. A reader sees such a card as rows of
two cells under no header row; here each card becomes a header row of its labels and
one table row of its values, so the rest of extraction reads it as a plan table.

The labels decide, as a header row's do (layout.header_fields): a card names the
Headline Action and two more known columns, or its rows are left as they were read (and
reviewed as rows under no header). A label the vocabulary does not know is a column kept
in other_columns, as in a table, and so is a card's title, a row of one cell across
the card above its first label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.extract.assemble import Event, HeaderRow, Heading, TableRow, join_wrapped
from pipeline.extract.layout import Header, HeaderLabels, header_fields

# The column a card's title row is kept under, in other_columns: it has no label.
CARD_TITLE = "(card title)"


@dataclass
class _Card:
    """The label and value pairs of one card so far, and the rows they were read from."""

    labels: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    fields: list[str | None] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)


def read_cards(events: list[Event], labels: HeaderLabels) -> list[Event]:
    """The events with each action card in them read as a header row and a table row;
    a card's header row is left out when the card before gave one its columns fit."""
    read: list[Event] = []
    card = _Card()
    header: Header | None = None  # the columns of the last card read, while cards go on

    def close() -> None:
        nonlocal card, header
        found = header_fields(card.labels, labels) if card.rows else None
        if found is None:
            read.extend(card.rows)  # no card: the rows as the reader saw them
        else:
            span = card.rows[0].span.to(card.rows[-1].span)
            values = _in_columns(card, found, header)
            if values is None:
                header, values = found, card.values
                read.append(HeaderRow(found, card.rows[0].span, from_cards=True))
            read.append(TableRow(tuple(values), span))
        card = _Card()

    title: TableRow | None = None  # a row above a card that may be its title
    for event in events:
        pairs = (
            _pairs(event.cells, labels, bool(card.rows)) if isinstance(event, TableRow) else None
        )
        if title is not None:
            if pairs and labels.read(pairs[0][0])[0]:  # a card starts under it
                card.labels.append(CARD_TITLE)
                card.values.append(" ".join(title.cells[0].split()))
                card.fields.append(None)
                card.rows.append(title)
            else:
                read.append(title)
            title = None
        if not isinstance(event, TableRow):
            close()
            if isinstance(event, HeaderRow) or (
                isinstance(event, Heading) and not event.inside_table
            ):
                header = None  # a table's own columns, or a priority's first card's
            read.append(event)
            continue
        if pairs is None:
            close()
            if _may_be_a_title(event.cells, labels):
                title = event
            else:
                read.append(event)
            continue
        for label, value in pairs:
            name = labels.read(label)[0] if label else None
            if not label or (card.labels and _same_label(card, name, label)):
                # a value wrapped onto the next row (a page break), or a label merged
                # down two rows: the last value goes on
                card.values[-1] = join_wrapped(card.values[-1], value)
                continue
            if name and name in card.fields:  # a label again: the next card starts
                close()
            card.labels.append(label)
            card.values.append(value)
            card.fields.append(name)
        card.rows.append(event)
    close()
    read.extend([title] if title else [])
    return read


def _may_be_a_title(cells: tuple[str, ...], labels: HeaderLabels) -> bool:
    """A row of one cell across a card ("Action 1.01: Hub"), no label: a card's title
    if a card starts under it."""
    return (
        len(cells) > 1
        and all(not cell.strip() for cell in cells[1:])
        and (labels.read(cells[0].strip())[0] is None)
    )


def _pairs(cells: tuple[str, ...], labels: HeaderLabels, open_card: bool):
    """The (label, value) pairs a row of a card holds, or None for a row that is no
    part of one: a known label and its value, in two cells (the rest empty) or in pairs
    across the row; a row with no label goes on the value before, within a card."""
    texts = [cell.strip() for cell in cells]
    filled = [text for text in texts if text]
    if not filled:
        return None
    paired = list(zip(texts[0::2], texts[1::2], strict=False))
    if (
        len(texts) >= 4
        and len(texts) % 2 == 0
        and all(labels.read(label)[0] for label, _ in paired if label)
        and all(label for label, value in paired if value)
        and sum(1 for label, _ in paired if label) >= 2
    ):
        return [(label, value) for label, value in paired if label]
    if len(filled) > 2 or (len(filled) == 2 and not texts[0]):
        return None
    label, value = (
        (texts[0], filled[-1] if len(filled) == 2 else "") if texts[0] else ("", filled[0])
    )
    if not label:
        return [(label, value)] if open_card else None
    known = labels.read(label)[0] is not None
    if known or (open_card and value and len(label) <= labels.longest):
        return [(label, value)]
    return None


def _same_label(card: _Card, name: str | None, label: str) -> bool:
    """The label of the card's last pair again, as a label merged down two rows reads."""
    return (name is not None and name == card.fields[-1]) or label == card.labels[-1]


def _in_columns(card: _Card, card_header: Header, header: Header | None) -> list[str] | None:
    """The card's values in the columns of the card before, when each of its labels has
    a column there (a card may leave out a label the one before had); else None."""
    if header is None:
        return None
    values = [""] * len(header.fields)
    for name, label, value in zip(card_header.fields, card.labels, card.values, strict=True):
        if name:
            position = header.fields.index(name) if name in header.fields else None
        else:
            same = [n for n, other in enumerate(header.labels) if other == label]
            position = same[0] if same and header.fields[same[0]] is None else None
        if position is None:
            return None
        values[position] = value
    return values
