"""Layout events from any reader, assembled into the one row shape.

Each reader (text, PDF, Word) says what it sees in reading order: a priority
heading, a header row, a table row, a row that continues the one before. This
module turns that into rows with their cells and source locators, so
everything after extraction is format-blind.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd
import regex

from pipeline.extract.layout import (
    ALWAYS_FILLED,
    BULLET_GLYPHS,
    PRIORITY_COLUMN,
    Header,
    HeaderLabels,
    header_fields,
    join_subheader,
    looks_like_continuation,
    match_heading_row,
    read_priority_cell,
)
from pipeline.review import MISSING_COLUMN, combine_review, review_entries
from pipeline.schema import (
    CELL_FIELDS,
    EXPECTED_FIELDS,
    ROWS,
    STAND_INS,
    assign_objects,
    is_rag_shape,
)

# The review reason for words a reader saw in a table but could not place; the
# extract gate stops a run that has any, since a row lost part of itself.
WORDS_NOT_PLACED = "words_not_placed"
# A PDF page with pictures and no text, whose content (a scanned page?) is not read.
PAGE_WITHOUT_TEXT = "page_without_text"
# A PDF page whose characters are codes its fonts give no letters for (no map from
# glyph to character, "(cid:12)" or control codes): a person reads the page, a program
# cannot; not read.
PAGE_TEXT_UNREADABLE = "page_text_unreadable"
# A Word cell holding changes tracked and neither accepted nor rejected, read as accepted.
TRACKED_CHANGE = "tracked_change"
# A Word footnote or endnote, or a reviewer's comment, on a cell or paragraph: its words
# are not the cell's value, so they are listed beside it.
FOOTNOTE = "footnote"
COMMENT = "comment"
# Words in a Word document that Word does not show as its text: formatted hidden, or a
# content control's placeholder (nothing entered); listed, not read into the cell.
HIDDEN_TEXT = "hidden_text"
PLACEHOLDER_TEXT = "placeholder_text"
# Words struck through, in Word or on a PDF page: a monitoring report's way of saying a
# date or sentence no longer stands ("~~Mar-26~~ Sep-26"); listed, not read into the cell.
STRUCK_TEXT = "struck_text"
# A symbol from a symbol font (Wingdings, Webdings, ...) whose glyph the readers cannot
# name: left out of the cell, listed with its code (and font, in Word).
SYMBOL_NOT_READ = "symbol_not_read"
# A plan laid out as one small table per action, labels beside values (cards.py): said
# once for each run of cards with the same labels, which are read as a table's header.
ACTION_CARDS = "action_cards"
# The column a card's title row is kept under, in other_columns: it has no label.
CARD_TITLE = "(card title)"
# Review reasons the run's summary counts per document, and what each count is of.
COUNTED_PER_DOCUMENT = {
    TRACKED_CHANGE: "cell(s) or row(s) with changes tracked and not yet accepted or rejected, "
    "read as accepted",
    FOOTNOTE: "footnote(s) or endnote(s), their words not read into the cell or paragraph",
    COMMENT: "comment(s), their words not read into the cell or paragraph",
    HIDDEN_TEXT: "cell(s) or paragraph(s) with text formatted hidden, not read",
    PLACEHOLDER_TEXT: "content control(s) showing their placeholder, read as empty",
    STRUCK_TEXT: "cell(s) or paragraph(s) with words struck through, not read",
    SYMBOL_NOT_READ: "cell(s) or paragraph(s) with a symbol font's glyph not read",
}
# Review reasons said once per table (or page) about the document's shape: the run
# summary repeats them.
TABLE_NOTES = (
    "unknown_column",
    "header_close_match",
    "empty_column",
    MISSING_COLUMN,
    "table_without_rules",
    ACTION_CARDS,
    PAGE_WITHOUT_TEXT,
    PAGE_TEXT_UNREADABLE,
)


def struck_detail(pieces: list[str], where: str) -> str:
    """What a struck_text entry says: the struck words, each piece apart."""
    words = " / ".join(repr(" ".join(piece.split())) for piece in pieces if piece.strip())
    return f"struck-through text {words} (no longer standing): not read into the {where}"


@dataclass(frozen=True)
class Span:
    """Where something sits in its document: lines of a text file, a PDF page, a Word table
    or a Word paragraph outside the tables (counted in the body, empty ones too)."""

    unit: str  # "line", "page", "table" or "paragraph"
    first: tuple[int, ...]
    last: tuple[int, ...]

    def to(self, other: Span) -> Span:
        return Span(self.unit, self.first, other.last)

    def __str__(self) -> str:
        if self.unit in ("line", "paragraph"):
            (a,), (b,) = self.first, self.last
            return f"{self.unit} {a}" if a == b else f"{self.unit} {a}-{b}"
        if self.unit == "page":
            return _span_text("page", "row", self.first, self.last)
        return _span_text("table", "row", self.first, self.last)


def _span_text(outer: str, inner: str, first: tuple[int, ...], last: tuple[int, ...]) -> str:
    (a_outer, a_inner), (b_outer, b_inner) = first, last
    if a_outer != b_outer:
        return f"{outer} {a_outer} {inner} {a_inner} - {outer} {b_outer} {inner} {b_inner}"
    if a_inner == b_inner:
        return f"{outer} {a_outer} {inner} {a_inner}"
    return f"{outer} {a_outer} {inner} {a_inner}-{b_inner}"


@dataclass(frozen=True)
class Heading:
    number: int
    title: str
    span: Span
    inside_table: bool = False  # a heading row of a table: the table's columns go on


@dataclass(frozen=True)
class HeaderRow:
    header: Header
    span: Span
    from_positions: bool = False  # a table with no rules: columns read from label positions
    from_cards: bool = False  # an action card's labels: see cards.py


@dataclass(frozen=True)
class TableRow:
    cells: tuple[str, ...]
    span: Span
    continues_previous: bool = False  # the reader saw a wrapped tail of the row before


@dataclass(frozen=True)
class Stray:
    """Text the reader could put in no row: inside a table's area (a lost fragment of a
    row) or outside every table (a title, a note between tables)."""

    text: str
    span: Span
    in_table: bool
    why: str = ""  # what the words inside a table's area are, when the reader knows


Event = Heading | HeaderRow | TableRow | Stray


@dataclass(frozen=True)
class Beside:
    """Something a cell, row or paragraph holds beside the text read from it: changes
    tracked and not yet accepted or rejected, a footnote or endnote (or its mark), a
    comment, words Word does not show."""

    span: Span
    field: str | None  # the field its column fills, when the table's header is known
    text: str  # the cell or paragraph as read (tracked changes accepted)
    reason: str
    detail: str  # what it is and its words


def field_at(header: Header | None, position: int) -> str | None:
    """The field a row's cell at ``position`` fills, when the table's header is known."""
    return header.fields[position] if header and position < len(header.fields) else None


def with_beside(extraction: Extraction, beside: list[Beside], source_file: str) -> Extraction:
    """The extraction with a review entry for each thing beside a cell or paragraph."""
    listed = [
        {
            "source_file": source_file,
            "source_locator": str(entry.span),
            "field": entry.field,
            "value": entry.text,
            "reason": entry.reason,
            "detail": entry.detail,
        }
        for entry in beside
    ]
    return Extraction(extraction.rows, combine_review(extraction.review, review_entries(listed)))


@dataclass
class Extraction:
    """What a reader gives back: the rows it placed, and the ones it could not."""

    rows: pd.DataFrame
    review: pd.DataFrame


@dataclass
class _OpenRow:
    cells: list[str]
    span: Span
    table_number: int
    header: Header
    heading: Heading


@dataclass
class _OpenTable:
    header: HeaderRow
    where: str  # "table 3 (Priority 2)", for the review list
    filled: set[int] = field(default_factory=set)  # positions of unknown columns with a value


@dataclass
class _Assembly:
    source_file: str
    rows: list[dict] = field(default_factory=list)
    review: list[dict] = field(default_factory=list)
    table: _OpenTable | None = None
    missing_said: set[tuple] = field(default_factory=set)  # (priority or table, field) listed

    def close(self, row: _OpenRow | None) -> None:
        if row is None:
            return
        record = {
            "source_file": self.source_file,
            "source_locator": str(row.span),
            "row_order": len(self.rows) + 1,
            "table_number": row.table_number,
            "priority_number": row.heading.number,
            "priority_title": row.heading.title,
        }
        record.update(dict.fromkeys(CELL_FIELDS))
        other = {}
        for position, name in enumerate(row.header.fields):
            # a reader's end-of-paragraph mark, kept for a continuation that did not come
            cell = row.cells[position].rstrip("\n") if position < len(row.cells) else ""
            if name == PRIORITY_COLUMN:
                continue  # read into priority_number and priority_title
            if name:
                record[name] = cell
            elif cell.strip():
                other[row.header.other_label(position)] = cell
                if self.table:
                    self.table.filled.add(position)
        record["other_columns"] = other or None
        self.rows.append(record)
        if all(record[name] is not None and not record[name].strip() for name in ALWAYS_FILLED):
            self.review.append(
                self.entry(
                    row.span,
                    record["headline_action"] or "",
                    "row_without_focus_delivery",
                    "Focus and Delivery are empty, but the headline and two of organisation, "
                    "officer and timescale are filled: read as an action of its own",
                    field="focus",
                )
            )

    def entry(self, span: Span, value: str, reason: str, detail: str, field=None) -> dict:
        return {
            "action_id": None,
            "source_file": self.source_file,
            "source_locator": str(span),
            "field": field,
            "value": value,
            "reason": reason,
            "detail": detail,
        }

    def start_table(self, header: HeaderRow, number: int, heading: Heading | None) -> None:
        """Say once per table which columns are read from a close spelling or kept unknown;
        a column with no label is judged when the table ends, by whether it holds anything."""
        self.end_table()
        where = f"table {number}" + (f" (Priority {heading.number})" if heading else "")
        self.table = _OpenTable(header, where)
        if header.from_positions:
            detail = (
                f"{where}: a table with no ruling lines; its columns are taken from where "
                "the header row's labels start and its rows from where Focus or Delivery "
                "has text: check a few of its rows against the document"
            )
            self.review.append(self.entry(header.span, "", "table_without_rules", detail))
        if header.from_cards:
            labels = " | ".join(" ".join(label.split()) for label in header.header.labels)
            detail = (
                f"{where}: actions laid out one to a small table, each label beside its value; "
                "the labels of its first card are read as the header row and each card as "
                "one row: check a few of its rows against the document"
            )
            self.review.append(self.entry(header.span, labels, ACTION_CARDS, detail))
        for position, name in enumerate(header.header.fields):
            label = " ".join(header.header.labels[position].split())
            if position in header.header.close:
                detail = (
                    f"{where}: column {position + 1} read as {name}, its label being close "
                    "to a listed one; add the spelling to reference/columns.yaml"
                )
                self.review.append(
                    self.entry(header.span, label, "header_close_match", detail, name)
                )
            elif name is None and label:
                self._unknown_column(self.table, position)
        for name in EXPECTED_FIELDS:
            said = (heading.number if heading else where, name)
            present = {name, *STAND_INS[name]} & set(header.header.fields)
            if present or said in self.missing_said:
                continue
            self.missing_said.add(said)
            column = name.removesuffix("_raw").replace("_", " ").capitalize()
            detail = (
                f"{where}: no {column} column, so none of its actions has a {column.lower()}; "
                "listed once here rather than for each action"
            )
            entry = self.entry(header.span, "", MISSING_COLUMN, detail, name)
            self.review.append(entry | {"priority_number": heading.number if heading else None})

    def _unknown_column(self, table: _OpenTable, position: int) -> None:
        header = table.header.header
        kept = f"its cells are published in other_columns as {header.other_label(position)!r}"
        repeated = dict(header.repeated).get(position)
        if repeated:  # "RAG" and "RAG Status" side by side: which one is the rating?
            first = header.fields.index(repeated) + 1
            detail = (
                f"{table.where}: column {position + 1} names {repeated} again (column {first} "
                f"is read as it); {kept}"
            )
        elif header.labels[position] == CARD_TITLE:
            detail = f"{table.where}: the cards have a title row above their labels; {kept}"
        else:
            detail = (
                f"{table.where}: column {position + 1} is no known field; {kept} (if it is "
                "one, add its label to reference/columns.yaml)"
            )
        label = " ".join(table.header.header.labels[position].split())
        self.review.append(
            self.entry(table.header.span, label, "unknown_column", detail, "other_columns")
        )

    def end_table(self) -> None:
        table, self.table = self.table, None
        if table is None:
            return
        header = table.header.header
        for position, (name, label) in enumerate(zip(header.fields, header.labels, strict=True)):
            if name or label.strip():
                continue
            if position in table.filled:
                self._unknown_column(table, position)
            else:
                detail = f"{table.where}: column {position + 1} has no label and no values: ignored"
                self.review.append(self.entry(table.header.span, "", "empty_column", detail))

    def note(self, row: TableRow, reason: str, detail: str) -> None:
        """List a row in the review list (the caller decides whether it is also left out)."""
        value = " | ".join(cell.strip() for cell in row.cells)
        self.review.append(self.entry(row.span, value, reason, detail))


def table_row_event(
    cells: list[str], span: Span, labels: HeaderLabels, header: Header | None
) -> tuple[Event | None, Header | None]:
    """What a row of a table is, for a reader that sees whole rows (text, Word): a header
    row, a priority heading row, a data row or nothing; and the table's columns after it."""
    found = header_fields(cells, labels)
    if found:
        return HeaderRow(found, span), found
    heading = match_heading_row(cells, labels.heading)
    if heading:
        return Heading(heading.number, heading.title, span, inside_table=True), header
    if any(cell.strip() for cell in cells):
        continues = looks_like_continuation(cells, header)
        return TableRow(tuple(cells), span, continues_previous=continues), header
    return None, header


# Symbol fonts draw a glyph of their own for a character code: Word's Insert > Symbol
# writes w:sym (a font and a code), older documents type "ü" in Wingdings for a tick,
# and a PDF keeps the code, in the private-use block (U+F0FC), in that font or in
# LibreOffice's OpenSymbol, which stands in for them keeping their codes. These are
# the glyphs plans use for ticks, crosses, boxes and bullets, by font and code (the
# low byte: Word writes F0FC and FC alike); any other is not read, and listed
# (symbol_not_read).
_WINGDINGS = {
    0x28: "☎",
    0x6C: "●",
    0x6E: "■",
    0x6F: "□",
    0x71: "❑",
    0x75: "◆",
    0x76: "❖",
    0xA7: "▪",
    0xD8: "➢",
    0xFB: "✗",
    0xFC: "✓",
    0xFD: "☒",
    0xFE: "☑",
}
_SYMBOL = {0xB7: "•", 0xD6: "√"}
SYMBOL_GLYPHS = {
    "wingdings": _WINGDINGS,
    "wingdings2": {0x4F: "✗", 0x50: "✓", 0x52: "☑", 0x54: "☒"},
    "wingdings3": {},
    "webdings": {},
    "symbol": _SYMBOL,
    # Wingdings 2 left out: its codes are other glyphs in Wingdings
    "opensymbol": {**_WINGDINGS, **_SYMBOL},
}


def is_symbol_font(name: str) -> bool:
    return _font_key(name) in SYMBOL_GLYPHS


def _font_key(name: str | None) -> str:
    """A font's name as SYMBOL_GLYPHS has it: "Wingdings 2" and a PDF's "Wingdings2"."""
    return (name or "").casefold().replace(" ", "")


def symbol_glyph(font: str | None, character: str) -> str | None:
    """The glyph a symbol font draws for a character, if it is one the readers know.
    OpenSymbol is a Unicode font: only its private-use codes stand for another's."""
    code, folded = ord(character), _font_key(font)
    if folded == "opensymbol" and code < 0xF000:
        return character
    if code >= 0xF000:  # the private-use block symbol fonts are mapped to
        code -= 0xF000
    return SYMBOL_GLYPHS.get(folded, {}).get(code)


def rag_column(
    header: Header | None, cells: list[str] | tuple[str, ...], labels: HeaderLabels
) -> int | None:
    """The position of the RAG rating's cell in a row: the table's RAG column, or in an
    action card (a row under no header, cards.py) the cell beside a RAG label."""
    if header:
        return header.fields.index("rag_status_raw") if "rag_status_raw" in header.fields else None
    label = cells[0].strip() if len(cells) > 1 else ""
    return 1 if label and labels.exact(label) == "rag_status_raw" else None


def rated_by_colour(
    cells: list[str] | tuple[str, ...],
    column: int | None,
    fills: list[str | None],
    shape_colour: str | None = None,
) -> tuple[str, ...]:
    """The row's cells, its RAG cell (at ``column``, see rag_column) rated by colour
    alone read as that colour: empty and shaded, as its fill ("fill #00B050", ``fills``
    holding each column's in hex); a coloured shape its only text, as the shape and its
    colour ("● #00B050", ``shape_colour`` the RAG cell's text colour). Monitoring reports
    often rate so, and reference/rag_ratings.yaml says which colour is which rating."""
    cells = tuple(cells)
    if column is None or column >= len(cells):
        return cells
    text = cells[column].strip()
    fill = fills[column] if column < len(fills) else None
    if shape_colour and is_rag_shape(text):
        return (*cells[:column], f"{text} #{shape_colour}", *cells[column + 1 :])
    if fill and not text:
        return (*cells[:column], f"fill #{fill}", *cells[column + 1 :])
    return cells


def add_prose(events: list[Event], text: str, span: Span) -> None:
    """Text outside the tables (a title, a note), joined to the prose just before it:
    one review entry for a run of lines or paragraphs."""
    if events and isinstance(events[-1], Stray) and not events[-1].in_table:
        before = events.pop()
        span, text = before.span.to(span), f"{before.text} {text}"
    events.append(Stray(" ".join(text.split()), span, in_table=False))


def document_notes(review: pd.DataFrame) -> list[str]:
    """What the run's summary and the extract gate's facts say of the documents' shape:
    each table note, and how many pending tracked changes, notes and comments each has."""
    notes = [
        f"{e.source_file}: {e.detail}" for e in review[review.reason.isin(TABLE_NOTES)].itertuples()
    ]
    for reason, what in COUNTED_PER_DOCUMENT.items():
        counts = review[review.reason == reason].groupby("source_file", sort=False).size()
        notes += [
            f"{source}: {count} {what}; each is in the review list ({reason})"
            for source, count in counts.items()
        ]
    return notes


def completes_header(
    events: list[Event], cells: list[str] | tuple[str, ...], span: Span, labels: HeaderLabels
) -> Header | None:
    """When ``cells`` are the second row of the header just read (the parts of a grouped
    column, see join_subheader), that header joined with them, in place of its event;
    else None, and ``events`` as they were."""
    last = events[-1] if events else None
    if not isinstance(last, HeaderRow):
        return None
    joined = join_subheader(last.header, cells, labels)
    if joined:
        events[-1] = HeaderRow(joined, last.span.to(span), last.from_positions)
    return joined


def events_to_rows(events: list[Event], source_file: str) -> Extraction:
    """Assemble reading-order events into ROWS, with duplicates marked.

    A row that cannot be placed (before any header, with more cells than its
    header, a continuation with nothing to continue) is not guessed at: it goes
    to the review list with its locator and the rest of the document goes on.
    Each table's columns that are read from a close spelling, kept unknown or
    empty are listed once.
    """
    assembly = _Assembly(source_file)
    heading: Heading | None = None
    header: Header | None = None
    table_number = 0
    open_row: _OpenRow | None = None

    last_header: Header | None = None
    previous: Event | None = None
    titles: dict[int, str] = {}  # each priority's title, as its first heading gives it
    for event in events:
        after_header, previous = isinstance(previous, HeaderRow), event
        if after_header and isinstance(event, TableRow) and _unread_header_row(event, header):
            detail = (
                "a second header row under a grouped column whose labels name no column "
                "(reference/columns.yaml, e.g. 'Timescale Start'): which field each column "
                "under it fills cannot be told, so no row of the table can be trusted"
            )
            assembly.note(event, WORDS_NOT_PLACED, detail)
            continue
        named = isinstance(event, TableRow) and _priority_of(event, header, heading)
        if named:  # a Priority column: the row says it is under another priority
            assembly.close(open_row)
            open_row, heading = None, named
        unread = isinstance(event, TableRow) and _unread_priority_cell(event, header)
        if unread:
            detail = (
                "the Priority column's cell names no priority ('Priority N: title', 'N. "
                "title' or 'N'): the row is read under the priority before, and the cell's "
                "words are only here"
            )
            entry = assembly.entry(event.span, unread, "priority_not_read", detail, "priority")
            assembly.review.append(entry)
        if isinstance(event, Stray) and event.in_table:
            detail = event.why or (
                "words inside the table's area that are in none of its cells (after this "
                "row): part of a row the document's layout hid from the reader"
            )
            assembly.review.append(assembly.entry(event.span, event.text, WORDS_NOT_PLACED, detail))
        elif isinstance(event, Stray):
            detail = "text outside every table (a title or a note): not part of any action"
            assembly.review.append(
                assembly.entry(event.span, event.text, "text_outside_tables", detail)
            )
        elif isinstance(event, Heading):
            assembly.close(open_row)
            open_row, heading = None, _titled_as_before(event, titles, assembly)
            header = header if event.inside_table else None
        elif isinstance(event, HeaderRow):
            assembly.close(open_row)
            open_row, header = None, event.header
            last_header = header
            table_number += 1
            assembly.start_table(event, table_number, heading)
        elif heading and header is None and _fits(event, last_header):
            # A table whose header row is missing, shaped like the table before it:
            # read it with those columns, and say so once.
            header = last_header
            table_number += 1
            assembly.note(
                event,
                "header_assumed",
                f"no header row under Priority {heading.number}; its rows are read with the "
                "columns of the table before",
            )
            open_row = _OpenRow(list(event.cells), event.span, table_number, header, heading)
        elif heading is None or header is None:
            missing = "priority heading" if heading is None else "header row"
            assembly.note(event, f"no_{missing.replace(' ', '_')}", f"row before any {missing}")
        elif _extra_cells(event.cells, header):
            assembly.note(
                event,
                "too_many_cells",
                f"{len(event.cells)} cells but the header names {len(header.fields)} columns",
            )
        elif event.continues_previous:
            if open_row is None:
                assembly.note(event, "orphan_continuation", "continues no row of its table")
            else:
                _continue_row(open_row, event)
        elif _note_across(event, header):
            assembly.close(open_row)
            open_row = None
            detail = (
                "text in the row's first cell only, and no headline: a note written across "
                "the table (or a row cut short), not an action; its words are only here"
            )
            text = " ".join(event.cells[0].split())
            assembly.review.append(assembly.entry(event.span, text, "note_in_table", detail))
        else:
            assembly.close(open_row)
            if len(event.cells) < len(header.fields):
                assembly.note(
                    event,
                    "too_few_cells",
                    f"{len(event.cells)} cells but the header names {len(header.fields)} columns",
                )
                open_row = None
            else:
                open_row = _OpenRow(list(event.cells), event.span, table_number, header, heading)
    assembly.close(open_row)
    assembly.end_table()

    rows = ROWS.frame(assembly.rows)
    rows = mark_duplicate_rows(rows)
    return Extraction(rows, review_entries(assembly.review))


def _unread_header_row(row: TableRow, header: Header | None) -> bool:
    """A row just under a header that is a second header row join_subheader could not
    read: short words, no number, nothing under the headline, and some under a column
    whose own label is empty (the part of a grouped column merged above it)."""
    if header is None:
        return False
    filled = [n for n, cell in enumerate(row.cells) if cell.strip()]
    headline = header.fields.index("headline_action")
    return (
        bool(filled)
        and headline not in filled
        and any(n < len(header.labels) and not header.labels[n].strip() for n in filled)
        and all(
            len(row.cells[n]) <= _LABEL_LENGTH and not any(c.isdigit() for c in row.cells[n])
            for n in filled
        )
    )


_LABEL_LENGTH = 40  # characters: a column label is short


def _priority_of(row: TableRow, header: Header | None, heading: Heading | None) -> Heading | None:
    """The heading a new row's Priority cell names when it is another priority than
    ``heading``'s; a cell giving only the number gives no title."""
    if header is None or row.continues_previous or PRIORITY_COLUMN not in header.fields:
        return None
    position = header.fields.index(PRIORITY_COLUMN)
    start = read_priority_cell(row.cells[position]) if position < len(row.cells) else None
    if start is None or (heading and heading.number == start.number):
        return None
    return Heading(start.number, start.title, row.span, inside_table=True)


def _unread_priority_cell(row: TableRow, header: Header | None) -> str | None:
    """The text of a row's Priority cell when it names no priority (a title's tail
    printed past a page break, a note), which would otherwise be read nowhere."""
    if header is None or PRIORITY_COLUMN not in header.fields:
        return None
    position = header.fields.index(PRIORITY_COLUMN)
    cell = " ".join(row.cells[position].split()) if position < len(row.cells) else ""
    return cell if cell and read_priority_cell(cell) is None else None


# "(continued)", "- cont'd", "cont." after a heading repeated over a table split by hand
_CONTINUED = regex.compile(r"[\s\p{Pd}:,(]*\b(?:continued|cont['’]?d|cont)\b[.)\s]*$", regex.I)


def _titled_as_before(event: Heading, titles: dict[int, str], assembly: _Assembly) -> Heading:
    """A priority's heading seen again keeps the title it was first given, so one number
    has one title: "Priority 1: ... (continued)" over a table split by hand is listed
    once (heading_repeated); a different title is kept for its rows, and listed
    (priority_title_differs)."""
    first = titles.get(event.number) or event.title
    titles[event.number] = first
    if event.title == first or not event.title:
        return replace(event, title=first)
    name = f"Priority {event.number}"
    if _CONTINUED.sub("", event.title).split() == first.split():
        detail = f"{name}'s heading again: its rows are read under its first title, {first!r}"
        assembly.review.append(assembly.entry(event.span, event.title, "heading_repeated", detail))
        return replace(event, title=first)
    detail = f"{name} was titled {first!r} before: the rows under this heading keep this title"
    assembly.review.append(
        assembly.entry(event.span, event.title, "priority_title_differs", detail)
    )
    return event


def _note_across(row: TableRow, header: Header) -> bool:
    """A row whose only text is in its first cell, which is not the headline's: often
    one cell merged across the table ("Note: actions marked * are new")."""
    filled = [n for n, cell in enumerate(row.cells) if cell.strip()]
    return filled == [0] and header.fields[0] != "headline_action"


def _fits(row: TableRow, header: Header | None) -> bool:
    """A new (not continuing) row with as many cells as ``header`` names columns."""
    return (
        header is not None
        and not row.continues_previous
        and len(row.cells) >= len(header.fields)
        and not _extra_cells(row.cells, header)
    )


def _extra_cells(cells: tuple[str, ...], header: Header) -> bool:
    return any(cell.strip() for cell in cells[len(header.fields) :])


def _continue_row(row: _OpenRow, continuation: TableRow) -> None:
    for position, text in enumerate(continuation.cells[: len(row.cells)]):
        if text.strip():
            row.cells[position] = join_wrapped(row.cells[position], text)
    row.span = row.span.to(continuation.span)


# A page break that falls mid-sentence: the exporter opens the second half with
# "<p>" although it continues the paragraph before.
_OPENING_P = regex.compile(r"^\s*<p>", regex.IGNORECASE)
_ENDS_BLOCK = regex.compile(r"(?:[.:;!?]|>)\s*$")


def join_wrapped(before: str, after: str) -> str:
    """Join a cell's text with its wrapped tail from a continuation.

    A space joins the two halves of a sentence; a newline starts a new item
    when the first part ended its paragraph (a reader marks that with a
    trailing newline) or the tail opens with a bullet.
    """
    ended = before.rstrip(" ").endswith("\n")
    before, after = before.strip(), after.strip()
    if not before:
        return after
    if _OPENING_P.match(after) and not _ENDS_BLOCK.search(before):
        after = _OPENING_P.sub("", after)
    separator = "\n" if ended or after[:1] in BULLET_GLYPHS else " "
    return f"{before}{separator}{after}"


def mark_duplicate_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Point each row that repeats an earlier row of its priority at that row.

    Repeats are compared cell by cell with whitespace collapsed; a row is a
    duplicate only when every cell matches, so two actions that merely share a
    headline stay two actions.
    """
    first_seen: dict[tuple, str] = {}
    duplicate_of: list[str | None] = []
    columns = [rows[name].tolist() for name in ("priority_number", "source_locator", *CELL_FIELDS)]
    for priority, locator, *cells in zip(*columns, strict=True):  # lists: no row objects
        key = (priority, *(" ".join(cell.split()) if cell else cell for cell in cells))
        duplicate_of.append(first_seen.get(key))
        first_seen.setdefault(key, locator)
    return assign_objects(rows, duplicate_of=duplicate_of)
