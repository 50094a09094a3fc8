"""A plan as a Word document: tables, the headings between them, list paragraphs in cells.

Body paragraphs and tables are walked in document order, so each table takes
the priority heading before it. A cell's paragraphs (list items included, their
bullets being numbering rather than text) become lines of the cell. A
horizontally merged cell fills its first column and leaves the others empty; a
vertically merged cell repeats its text down the rows it spans, as a reader of
the document sees it.

A paragraph's text is every run in it, whatever wraps the run (a content
control, a smart tag, a field, a hyperlink). Changes tracked and not yet
accepted or rejected are read as accepted, as Word's Simple Markup shows them:
inserted text is read, deleted text is not. Each cell they touch is listed for
review with the words inserted and deleted, so a pending edit is never silent.

A text box is read once: Word keeps a second, VML copy of it for older readers
(``mc:Fallback``), which is skipped. In a cell its paragraphs are lines of the
cell; in the body they are text outside the tables. Footnotes, endnotes and
comments are not a cell's value: each is listed for review beside the cell or
paragraph its mark is in, with its words (and a comment's author). So are words
Word does not show as the document's text: a run formatted hidden, and a content
control still showing its placeholder ("Click or tap here to enter text."); and
words struck through, which a monitoring report uses to say a date or sentence no
longer stands ("~~Mar-26~~ Sep-26"). Rows
and cells inside content controls (a repeating section's items) are read. A
symbol font's code (Insert > Symbol, or a tick typed as "ü" in Wingdings) is read
as the glyph Word draws; one the reader cannot name is listed, not lost.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from dataclasses import dataclass

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table, _Row

from pipeline.errors import InputError
from pipeline.extract.assemble import (
    COMMENT,
    FOOTNOTE,
    HIDDEN_TEXT,
    PLACEHOLDER_TEXT,
    STRUCK_TEXT,
    SYMBOL_NOT_READ,
    TRACKED_CHANGE,
    Beside,
    Event,
    Extraction,
    Heading,
    Span,
    add_prose,
    completes_header,
    events_to_rows,
    field_at,
    is_symbol_font,
    rag_column,
    rated_by_colour,
    struck_detail,
    symbol_glyph,
    table_row_event,
    with_beside,
)
from pipeline.extract.layout import (
    HeaderLabels,
    header_fields,
    is_contents_entry,
    match_priority_heading,
)
from pipeline.extract.reshape import reshaped
from pipeline.extract.word_numbering import list_numbers


def read_word(data: bytes, source_file: str, labels: HeaderLabels) -> Extraction:
    """Rows of a .docx plan, from its bytes."""
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(source_file, f"not a readable Word document ({error})") from None
    events, beside = word_to_events(document, labels)
    return with_beside(events_to_rows(reshaped(events, labels), source_file), beside, source_file)


def word_to_events(document, labels: HeaderLabels) -> tuple[list[Event], list[Beside]]:
    """Headings, header rows, table rows and the paragraphs outside tables, in document
    order (locators are table and row, or paragraph), and what is beside their text."""
    events: list[Event] = []
    beside: list[Beside] = []
    notes = _notes(document)
    body = document.element.body
    numbers = list_numbers(document, (p for p in body.iter(_P) if _shown(p)))
    table_number = paragraph_number = 0
    for element in _blocks(body, labels):
        if element.tag == _P:
            paragraph_number += 1
            span = Span("paragraph", (paragraph_number,), (paragraph_number,))
            written = _numbered_text(element, numbers)
            text = " ".join(written.split())
            contents = is_contents_entry(written)  # its tab to the page number
            start = None if contents else match_priority_heading(text, labels.heading)
            if start:
                heading_span = Span("table", (table_number + 1, 0), (table_number + 1, 0))
                events.append(Heading(start.number, start.title, heading_span))
            elif text:  # a title or a note
                add_prose(events, text, span)
            for boxed in _text_boxes(element):
                add_prose(events, boxed, span)
            beside += _marked(element, notes, span, None, text, "paragraph")
            beside += _unshown(element, span, None, text, "paragraph")
        elif element.tag == _TBL:
            table_number += 1
            table = Table(element, document)
            events += _table_events(table, table_number, labels, notes, beside, numbers)
    return events, beside


def _within_controls(parent, tag: str):
    """The children of ``parent`` with ``tag`` (a table's rows, a row's cells), those
    inside content controls too, which python-docx's rows and cells leave out."""
    for element in parent.iterchildren():
        if element.tag == tag:
            yield element
        elif element.tag in _CONTAINERS:
            yield from _within_controls(element, tag)


def _blocks(parent, labels: HeaderLabels):
    """The body's paragraphs and tables in document order, those inside a block content
    control or custom XML too (python-docx's body walk sees only the control), and
    those inside a table that only lays the plan out (_lays_out_a_plan)."""
    for element in parent.iterchildren():
        if element.tag == _TBL and _lays_out_a_plan(element, labels):
            for tr in _within_controls(element, _TR):
                for tc in _within_controls(tr, _TC):
                    yield from _blocks(tc, labels)
        elif element.tag in (_P, _TBL):
            yield element
        elif element.tag in _CONTAINERS:
            yield from _blocks(element, labels)


def _lays_out_a_plan(table, labels: HeaderLabels) -> bool:
    """A table around the plan's headings and tables (a box or a page layout, one plan
    table or more in its cells): no row of its own is a header row, one of a table
    inside it is. Its cells are read as the body is, in order."""
    nested = [tbl for tbl in table.iter(_TBL) if tbl is not table]
    return any(_has_header(tbl, labels) for tbl in nested) and not _has_header(table, labels)


def _has_header(table, labels: HeaderLabels) -> bool:
    """One of the table's first rows reads as a header row."""
    rows = itertools.islice(_within_controls(table, _TR), 3)
    return any(
        header_fields([_cell_text(tc, {}) for tc in _within_controls(tr, _TC)], labels)
        for tr in rows
    )


def _table_events(
    table: Table,
    number: int,
    labels: HeaderLabels,
    notes: dict,
    beside: list[Beside],
    numbers: dict,
) -> list[Event]:
    events: list[Event] = []
    above: list[str] = []
    table_header = None
    for row_number, tr in enumerate(_within_controls(table._tbl, _TR), 1):
        row = _Row(tr, table)
        cells, own = _row_cells(row, above, numbers)
        fills: list[str | None] = [None] * len(cells)
        for n, tc in own:
            fills[n] = _fill(tc)
        column = rag_column(table_header, cells, labels)
        shape = next((_text_colour(tc) for n, tc in own if n == column), None)
        cells = list(rated_by_colour(cells, column, fills, shape))
        changes = [(n, change) for n, tc in own if (change := _changes(tc))]
        above = cells
        span = Span("table", (number, row_number), (number, row_number))
        joined = completes_header(events, cells, span, labels)
        event, table_header = (
            (None, joined) if joined else table_row_event(cells, span, labels, table_header)
        )
        if event:
            events.append(event)
        if row._tr.trPr is not None and row._tr.trPr.find(qn("w:del")) is not None:
            deleted = " | ".join(" / ".join(change.deleted) for _, change in changes)
            by = sorted(set().union(*(change.by for _, change in changes)))
            detail = f"a row deleted with tracking on{_who(by)} and not yet accepted or rejected"
            beside.append(Beside(span, None, deleted, TRACKED_CHANGE, f"{detail}: read as deleted"))
            continue
        beside += [
            Beside(span, field_at(table_header, n), cells[n], TRACKED_CHANGE, change.detail())
            for n, change in changes
        ]
        for n, tc in own:
            field = field_at(table_header, n)
            beside += _marked(tc, notes, span, field, cells[n], "cell")
            beside += _unshown(tc, span, field, cells[n], "cell")
    return events


def _row_cells(row, above: list[str], numbers: dict) -> tuple[list[str], list[tuple[int, object]]]:
    """The row's cell texts by grid column, and each cell it holds itself (not the
    continuation of a vertical merge) with its grid column."""
    texts = [""] * row.grid_cols_before
    own = []
    for tc in _within_controls(row._tr, _TC):
        if tc.vMerge == "continue":
            text = above[len(texts)] if len(texts) < len(above) else ""
        else:
            text = _cell_text(tc, numbers)
            own.append((len(texts), tc))
        texts.append(text)
        texts += [""] * (tc.grid_span - 1)
    return texts, own


def _cell_text(tc, numbers: dict) -> str:
    """One line per paragraph, every paragraph the cell holds: those of a table nested
    in it, a content control or a text box too, which ``cell.paragraphs`` leaves out. A
    tab typed in a cell is only spacing."""
    paragraphs = (p for p in tc.iter(_P) if _shown(p))
    return "\n".join(_numbered_text(p, numbers).replace("\t", " ") for p in paragraphs)


def _numbered_text(p, numbers: dict) -> str:
    """The paragraph's text after the number Word draws before it (word_numbering.py);
    a numbered paragraph with no text is its number."""
    text = _paragraph_text(p)
    number = numbers.get(p)
    if number is None:
        return text
    return number + text if text.strip() else number.rstrip()


def _fill(tc) -> str | None:
    """The cell's shading colour in hex; None for none, automatic or white."""
    shading = tc.find(_SHADING)
    fill = (shading.get(_FILL) or "").upper() if shading is not None else ""
    return fill if fill not in ("", "AUTO", "FFFFFF") else None


def _text_colour(tc) -> str | None:
    """The one colour (hex) of a cell's text, when all of it is one colour other than
    automatic or black; None otherwise."""
    colours = set()
    for run in tc.iter(_R):
        if _shown(run) and _read(run) and _run_text(run).strip():
            colour = run.find(_COLOUR)
            colours.add((colour.get(_VAL) or "").upper() if colour is not None else "")
    (only,) = colours if len(colours) == 1 else ("",)
    return only if only not in ("", "AUTO", "000000") else None


def _text_boxes(paragraph) -> list[str]:
    """The text of each paragraph in a text box anchored in a body paragraph."""
    inner = (p for p in paragraph.iter(_P) if p is not paragraph and _shown(p))
    return [text for p in inner if (text := " ".join(_paragraph_text(p).split()))]


def _shown(element) -> bool:
    """Not in the VML copy of a text box that Word keeps for older readers."""
    return next(element.iterancestors(_FALLBACK), None) is None


_P, _R, _TR, _TC, _T = qn("w:p"), qn("w:r"), qn("w:tr"), qn("w:tc"), qn("w:t")
_TBL = qn("w:tbl")
_SYM, _SYM_FONT, _SYM_CHAR = qn("w:sym"), qn("w:font"), qn("w:char")
_FONTS, _ASCII, _H_ANSI = f"{qn('w:rPr')}/{qn('w:rFonts')}", qn("w:ascii"), qn("w:hAnsi")
_FONTS_TAG = qn("w:rFonts")
_COLOUR = f"{qn('w:rPr')}/{qn('w:color')}"
_SHADING, _FILL = f"{qn('w:tcPr')}/{qn('w:shd')}", qn("w:fill")
_VANISH, _VANISH_PATH, _VAL = qn("w:vanish"), f"{qn('w:rPr')}/{qn('w:vanish')}", qn("w:val")
_STRIKES = (qn("w:strike"), qn("w:dstrike"))
_STRIKE_PATH, _DOUBLE_STRIKE_PATH = (f"{qn('w:rPr')}/{tag}" for tag in _STRIKES)
_SDT, _SDT_PROPERTIES, _SHOWING_PLACEHOLDER = qn("w:sdt"), qn("w:sdtPr"), qn("w:showingPlcHdr")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CONTAINERS = (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"))
# Tracked changes: text inserted or moved here, and text deleted or moved away.
_KEPT, _GONE = (qn("w:ins"), qn("w:moveTo")), (qn("w:del"), qn("w:moveFrom"))


def _paragraph_text(p) -> str:
    """Every run of the paragraph, the changes tracked in it accepted. python-docx's
    Paragraph.text reads only runs and hyperlinks directly in the paragraph, so a
    run in a tracked insertion, a content control, a smart tag or a field was lost."""
    return "".join(_run_text(r) for r in p.iter(_R) if _paragraph_of(r) is p and _read(r))


_RUN_CONTENT = frozenset(
    qn(f"w:{tag}") for tag in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab")
)


def _run_text(run) -> str:
    """The run's text as Word shows it: what python-docx's Run.text reads (its XPath
    was a quarter of the reader's time), a symbol font's codes as the glyphs they
    draw, and one it cannot name left out (and listed by _unshown)."""
    font = _symbol_font(run)
    pieces = []
    for child in run.iterchildren():
        if child.tag == _SYM:
            pieces.append(symbol_glyph(child.get(_SYM_FONT), _sym_character(child)))
        elif child.tag == _T and font:
            pieces += [symbol_glyph(font, character) for character in child.text or ""]
        elif child.tag in _RUN_CONTENT:
            pieces.append(str(child))
    return "".join(piece or "" for piece in pieces)


def _symbol_font(run) -> str | None:
    """The symbol font a run is set in (its own formatting), else None."""
    fonts = run.find(_FONTS)
    if fonts is None:
        return None
    name = fonts.get(_ASCII) or fonts.get(_H_ANSI) or ""
    return name if is_symbol_font(name) else None


def _unread_symbols(element) -> list[str]:
    """Each symbol in ``element`` no glyph is known for, as font and code."""
    unread = []
    for run in element.iter(_R):
        if not _shown(run) or not _read(run):
            continue
        font = _symbol_font(run)
        for child in run.iterchildren(_SYM, _T):
            if child.tag == _SYM:
                found = [(child.get(_SYM_FONT) or "", _sym_character(child))]
            else:
                found = [(font, character) for character in child.text or ""] if font else []
            unread += [
                f"{name} {ord(character):04X}"
                for name, character in found
                if symbol_glyph(name, character) is None
            ]
    return unread


def _sym_character(sym) -> str:
    return chr(int(sym.get(_SYM_CHAR) or "0", 16))


def _read(run) -> bool:
    """Whether a run is text Word shows as the document's: not deleted with tracking
    on, not formatted hidden or struck through, not a content control's placeholder."""
    return not (_gone(run) or _hidden(run) or _struck(run) or _placeholder_of(run) is not None)


def _hidden(run) -> bool:
    return _on(run.find(_VANISH_PATH))


def _struck(run) -> bool:
    """Struck through, once or twice: the writer's "no longer" ("~~Mar-26~~ Sep-26")."""
    return _on(run.find(_STRIKE_PATH)) or _on(run.find(_DOUBLE_STRIKE_PATH))


def _on(toggle) -> bool:
    """A run property that is on: present, and not switched off by its value."""
    return toggle is not None and toggle.get(_VAL, "true") not in ("0", "false", "off")


def _placeholder_of(run):
    """The content control around a run that shows its placeholder, else None."""
    for control in run.iterancestors(_SDT):
        properties = control.find(_SDT_PROPERTIES)
        if properties is not None and properties.find(_SHOWING_PLACEHOLDER) is not None:
            return control
    return None


def _unshown(element, span: Span, field, text: str, where: str) -> list[Beside]:
    """A review entry for the hidden words in ``element``, one for each content
    control in it showing its placeholder, and one for symbols no glyph is known for."""
    if next(element.iter(_VANISH, *_STRIKES, _SHOWING_PLACEHOLDER, _SYM, _FONTS_TAG), None) is None:
        return []  # most cells: nothing hidden or struck, no placeholder, no symbol font
    entries = []
    unread = _unread_symbols(element)
    if unread:
        detail = (
            f"symbol(s) {', '.join(unread)} (a symbol font's code, its glyph not one the reader "
            f"knows): not read into the {where}"
        )
        entries.append(Beside(span, field, text, SYMBOL_NOT_READ, detail))
    if next(element.iter(_VANISH, *_STRIKES, _SHOWING_PLACEHOLDER), None) is None:
        return entries  # no hidden or struck text, no placeholder
    hidden, struck, placeholders = [], [""], {}
    for run in element.iter(_R):
        if not _shown(run) or _gone(run):
            continue
        control = _placeholder_of(run)
        if control is not None:
            placeholders[control] = placeholders.get(control, "") + _run_text(run)
        elif _hidden(run):
            hidden.append(_run_text(run))
        elif _struck(run):  # runs struck one after another are one piece
            struck[-1] += _run_text(run)
        elif struck[-1] and _run_text(run).strip():
            struck.append("")
    if "".join(hidden).strip():
        words = " ".join("".join(hidden).split())
        detail = (
            f"hidden text {words!r} (Word neither shows nor prints it): not read into the {where}"
        )
        entries.append(Beside(span, field, text, HIDDEN_TEXT, detail))
    if "".join(struck).strip():
        entries.append(Beside(span, field, text, STRUCK_TEXT, struck_detail(struck, where)))
    for words in placeholders.values():
        detail = (
            f"a content control showing its placeholder {' '.join(words.split())!r} (nothing was "
            f"entered): not read into the {where}"
        )
        entries.append(Beside(span, field, text, PLACEHOLDER_TEXT, detail))
    return entries


def _paragraph_of(run):
    """The paragraph a run belongs to: its nearest, not one a text box in it holds."""
    return next(run.iterancestors(_P), None)


def _gone(run) -> bool:
    return next(run.iterancestors(*_GONE), None) is not None


@dataclass(frozen=True)
class _Changes:
    """What a cell's pending tracked changes did: each change's words, and by whom."""

    inserted: tuple[str, ...]
    deleted: tuple[str, ...]
    by: frozenset[str]

    def detail(self) -> str:
        words = "; ".join(
            f"{name}: {' / '.join(map(repr, pieces))}"
            for name, pieces in (("inserted", self.inserted), ("deleted", self.deleted))
            if pieces
        )
        return (
            f"changed with tracking on{_who(sorted(self.by))} and not yet accepted or "
            f"rejected: read as accepted; {words}"
        )


def _changes(tc) -> _Changes | None:
    """The tracked changes in a cell, each insertion or deletion's words on their own;
    None when it has none."""
    pieces: dict[bool, list[str]] = {True: [], False: []}  # gone -> the words of each change
    by: set[str] = set()
    last = None
    for run in tc.iter(_R):
        change = next(run.iterancestors(*_KEPT, *_GONE), None)
        if change is not None and _shown(run):
            gone = _gone(run)
            text = "".join(t.text or "" for t in run.iter(qn("w:delText"))) if gone else ""
            text += _run_text(run)  # a run moved away keeps its words in w:t
            if change is last:
                pieces[gone][-1] += text
            else:
                pieces[gone].append(text)
            date = (change.get(qn("w:date")) or "")[:10]
            by.add(" on ".join(filter(None, [change.get(qn("w:author")), date])))
        last = change
    inserted, deleted = (
        tuple(filter(None, (" ".join(piece.split()) for piece in pieces[gone])))
        for gone in (False, True)
    )
    if not inserted and not deleted:
        return None
    return _Changes(inserted, deleted, frozenset(filter(None, by)))


def _who(by: list[str]) -> str:
    return f" (by {', '.join(by)})" if by else ""


# Marks in the text pointing to words kept elsewhere in the package, by the part's name.
_MARKS = {
    qn("w:footnoteReference"): "footnote",
    qn("w:endnoteReference"): "endnote",
    qn("w:commentReference"): "comment",
}
_NOTE_PARTS = {"footnotes": "footnote", "endnotes": "endnote", "comments": "comment"}
_NOT_A_NOTE = ("separator", "continuationSeparator", "continuationNotice")


def _notes(document) -> dict[tuple[str, str], str]:
    """Each footnote, endnote and comment by kind and id: what it says, and for a
    comment who wrote it and when."""
    notes = {}
    for rel in document.part.rels.values():
        kind = _NOTE_PARTS.get(rel.reltype.rsplit("/", 1)[-1])
        if kind is None or rel.is_external:
            continue
        for note in parse_xml(rel.target_part.blob).iterchildren(qn(f"w:{kind}")):
            if note.get(qn("w:type")) in _NOT_A_NOTE:
                continue
            paragraphs = (p for p in note.iter(_P) if _shown(p))
            words = " ".join(" ".join(_paragraph_text(p).split()) for p in paragraphs).strip()
            date = (note.get(qn("w:date")) or "")[:10]
            by = " on ".join(filter(None, [note.get(qn("w:author")), date]))
            notes[kind, note.get(qn("w:id"))] = f"{words!r}{_who([by] if by else [])}"
    return notes


def _marked(element, notes: dict, span: Span, field, text: str, where: str) -> list[Beside]:
    """A review entry for each footnote, endnote or comment marked in ``element``."""
    entries = []
    for mark in element.iter(*_MARKS):
        if not _shown(mark) or _gone(mark):
            continue
        kind = _MARKS[mark.tag]
        said = notes.get((kind, mark.get(qn("w:id"))), "(its words are not in the document)")
        article = "an" if kind == "endnote" else "a"
        detail = f"{article} {kind} on this {where}: {said}; not read into the {where}"
        entries.append(
            Beside(span, field, text, COMMENT if kind == "comment" else FOOTNOTE, detail)
        )
    return entries
