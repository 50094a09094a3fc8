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

import itertools
from dataclasses import dataclass, field

from pipeline.extract.assemble import (
    CARD_TITLE,
    Event,
    HeaderRow,
    Heading,
    Stray,
    TableRow,
    join_wrapped,
)
from pipeline.extract.layout import Header, HeaderLabels, header_fields


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
    order: list[str] = []  # the known fields of the document's first card, in its order

    def close() -> None:
        nonlocal card, header
        found = header_fields(card.labels, labels) if card.rows else None
        if found is None:
            read.extend(card.rows)  # no card: the rows as the reader saw them
        elif not _in_order(card.fields, order or [f for f in card.fields if f]):
            read.append(_out_of_order(card, order))
        else:
            order[:] = order or [f for f in card.fields if f]
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
            joined = _label_goes_on(card, label, labels)
            if joined:  # "Partnership/" then "Organisation": a label broken over a page
                card.labels[-1], card.fields[-1] = joined
                card.values[-1] = join_wrapped(card.values[-1], value)
                continue
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


def _label_goes_on(card: _Card, label: str, labels: HeaderLabels) -> tuple[str, str] | None:
    """The label and field that the card's last label makes with ``label`` after it (a
    label cell broken over a page: "Partnership/" then "Organisation", "Lead Officer/"
    then "Organisation"), if they make the last label's field or one the card lacks."""
    if not (card.labels and label):
        return None
    joined = f"{card.labels[-1]} {label}"
    name = labels.exact(joined)  # as listed: a close spelling of two labels is none
    if name and (name == card.fields[-1] or name not in card.fields):
        return joined, name
    return None


def _in_order(fields: list[str | None], order: list[str]) -> bool:
    """The card's known fields come in the order of the document's first card (one
    may be left out, one the first card lacks may come anywhere)."""
    places = [order.index(name) for name in fields if name in order]
    return all(a < b for a, b in itertools.pairwise(places))


def _out_of_order(card: _Card, order: list[str]) -> Stray:
    """A card whose labels run in another order than the first card's: most likely two
    cards' halves read as one (where one card ends and the next begins went wrong), so
    none of it is read into a row, and the extract gate stops on its words."""
    pairs = zip(card.labels, card.values, strict=True)
    words = " | ".join(f"{label}: {value}" for label, value in pairs)
    span = card.rows[0].span.to(card.rows[-1].span)
    why = (
        "an action card whose labels run in another order than the first card's "
        f"({', '.join(order)}): where one card ends and the next begins cannot be told, "
        "so none of its words is read into a row"
    )
    return Stray(words, span, in_table=True, why=why)


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
