"""A plan as a PDF: tables over many pages, read with pdfplumber.

What a PDF does to a plan table, and how each is read back:

- the header row repeats at the top of every page: a header with the same
  columns and no priority heading since the last one is a repeat and dropped;
- a row that does not fit breaks across the page: the part on the next page
  has empty cells where nothing spilled (Focus and Delivery always), and is joined
  to the row before;
- a browser leaves that row open at the page foot (side rules, no bottom
  rule): a rule is added where column rules end with none across them; a
  producer that rules a row only where it starts prints its tail above the
  next page's first rule: lines there in the table's type and columns are
  read as that tail;
- a cell's text wraps onto several lines: lines of one paragraph are joined
  with a space (a word wrapped at its hyphen, "co-" + "produced", without
  one), and a new paragraph starts at a bullet (a glyph, or a small filled
  shape as browsers draw them) or where the gap above a line is wider than
  the table's commonest line gap for that type size (paragraph spacing);
- a table with no ruling lines is read by position: columns start where the
  header row's labels start, a row at text in Focus or Delivery; running
  headers and footers (a page's first or last line repeated at one height)
  and page numbers are left out;
- words in a table's area that fall in no cell are reported, and stop the
  run at the extract gate: a row lost part of itself;
- other text outside the tables (a title, a note) is listed for review, once
  for each stretch between tables and headings, less the page furniture: a
  page's first or last line that another page has at the same height with the
  same words (numbers aside), and a line that is only a page number;
- at the foot of a page that spacing says nothing (LibreOffice and Word keep
  it whether or not the paragraph ended), so a row's continuation starts a new
  line when the part before it ended a sentence and the continuation opens
  with a capital or a bullet; a sentence that ends exactly at the foot of a
  page inside one paragraph is the case this reads wrongly;
- a footnote or endnote's mark in a cell or a priority heading (a number, small
  roman numeral, letter or symbol, printed smaller and raised against the word it
  follows) is no word of it: it is taken out and listed beside it;
- words of a cell struck through (a line or thin bar a little above their
  baseline, where an underline is below it) no longer stand, as a monitoring
  report's "~~Mar-26~~ Sep-26" says: they are taken out and listed beside it;
- a page whose text runs sideways (a landscape table on a portrait page) is
  read turned upright, as a person turns it;
- the ``Priority N: title`` headings sit between tables at the left margin,
  or in a row of their own inside one table.

Locators are ``page P row R`` (R counts the data rows of that page), and a
row that breaks across pages spans both.
"""

from __future__ import annotations

import bisect
import io
import itertools
import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

import pdfplumber
import regex
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSEOF, PSException
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import InputError
from pipeline.extract.assemble import (
    FOOTNOTE,
    PAGE_TEXT_UNREADABLE,
    PAGE_WITHOUT_TEXT,
    STRUCK_TEXT,
    SYMBOL_NOT_READ,
    Beside,
    Event,
    Extraction,
    HeaderRow,
    Heading,
    Span,
    Stray,
    TableRow,
    completes_header,
    events_to_rows,
    field_at,
    rag_column,
    rated_by_colour,
    struck_detail,
    symbol_glyph,
    with_beside,
)
from pipeline.extract.layout import (
    ALWAYS_FILLED,
    BULLET_GLYPHS,
    Header,
    HeaderLabels,
    continue_heading,
    header_fields,
    join_subheader,
    looks_like_continuation,
    match_heading_row,
    match_priority_heading,
)
from pipeline.extract.reshape import reshaped
from pipeline.forking import forking_helps, usable_cores
from pipeline.review import combine_review, review_entries
from pipeline.schema import is_rag_shape

_PARAGRAPH_GAP = 1.3  # times the font size: more space than a line's height above a line
_HEADING_INDENT = 20.0  # points from the page's left margin a heading may start
_PITCH_SLACK = 0.25  # times the font size: more than the line pitch is paragraph spacing
_PITCH_MAX = 1.6  # times the font size: a commoner gap than this is paragraphs, not lines
_LINE_TOLERANCE = 1.5  # points: words whose tops differ by less sit on one line
# Times the font size: a wider gap between two letters parts two words. Some producers
# (pdftocairo, cairo-based printing) leave a word space as a gap with no space glyph;
# pdfplumber's default, 3 points, is wider than a space at 8 points and glued the words.
# In the fixtures' producers letters of a word are at most 0.02 apart, words 0.19 at least.
_WORD_GAP = 0.1
_SENTENCE_END = regex.compile(r"[.;:!?]\s*$")
# A footnote or endnote's mark: a number, a small roman numeral or letter, or a
# symbol, printed smaller and raised against the word it follows.
_NOTE_MARK = regex.compile(r"\d{1,3}|[ivx]{1,4}|[a-z]|[*†‡§]{1,3}")
_MARK_SIZE = 0.8  # at most this times the size of the word before it
_MARK_RAISED = 0.2  # its foot at least this times that size above the word's
# A stroke through a word, as LibreOffice and Chromium draw one (a line, or a thin filled
# bar): between these times the type size above its baseline, where an underline is below.
_STRIKE_BAND = (0.12, 0.5)
_STRIKE_THICKNESS = 0.15  # at most this times the type size
_PRIVATE_USE = regex.compile(r"[\uF000-\uF0FF]")  # where symbol fonts' codes are printed
_PAGES_PER_WORKER_AT_LEAST = 4  # below that, starting a process costs more than it saves
# What pdfminer raises for a damaged, truncated or encrypted file. Only calls
# into pdfplumber are guarded, so a fault in this module is never reported as
# a damaged document.
_PDF_ERRORS = (
    PdfminerException,
    PDFSyntaxError,
    PDFPasswordIncorrect,
    PDFEncryptionError,
    PSEOF,
    PSException,
    ValueError,
    KeyError,
    TypeError,
    AssertionError,
)


def read_pdf(
    data: bytes, source_file: str, labels: HeaderLabels, workers: int | None = None
) -> Extraction:
    """Rows of a PDF plan, from its bytes.

    Pages are laid out in parallel (``workers`` processes, default one per
    core; a short PDF stays in this process): nearly all the time goes to
    pdfminer interpreting each page, and pages are independent until the
    rules that cross them (a repeated header, a row broken over a page).
    """
    page_count = _page_count(data, source_file)
    workers = min(workers or usable_cores(), page_count // _PAGES_PER_WORKER_AT_LEAST or 1)
    heading = labels.heading
    if workers <= 1 or not forking_helps():
        pages = _lay_out_pages(data, source_file, heading, 1, page_count)
    else:
        bounds = [round(page_count * n / workers) for n in range(workers + 1)]
        ranges = [(first + 1, last) for first, last in itertools.pairwise(bounds)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            parts = pool.map(
                _lay_out_pages,
                *zip(*[(data, source_file, heading, a, b) for a, b in ranges], strict=True),
            )
            pages = [page for part in parts for page in part]
    scanned = [n for n, blocks in enumerate(pages, 1) if any(b.image_only for b in blocks)]
    unreadable = [n for n, blocks in enumerate(pages, 1) if any(b.unreadable for b in blocks)]
    if unreadable and len(scanned) + len(unreadable) == page_count:
        raise InputError(
            source_file,
            f"its text cannot be read: on {_pages(unreadable, page_count)} the characters are codes its "
            "fonts give no letters for (the PDF has no map from its glyphs to characters, as "
            "some printers and tools make one), though a person reads the words; use the "
            "document it was made from, or run it through OCR",
        )
    if scanned and len(scanned) == page_count:
        raise InputError(
            source_file,
            f"no text on any of its {page_count} page(s), only pictures: a scan of the plan? "
            "The pipeline reads a PDF's text; use the document it was made from, or run it "
            "through OCR first",
        )
    events, beside = pages_to_events(pages, labels)
    events = reshaped(events, labels)
    rows = events_to_rows(events, source_file)
    headed = any(isinstance(event, HeaderRow) for event in events)
    if not headed and (split := _header_split_over_pages(pages, labels)):
        raise InputError(
            source_file,
            f"its table's columns are split over pages ({split}), as a spreadsheet prints "
            "a table wider than its page: no page has a header row naming Headline Action "
            "and two more. Print it to fit one page wide, or read the spreadsheet's own "
            "export (CSV or tab-separated text)",
        )
    extraction = with_beside(rows, beside, source_file)
    unread = review_entries(
        [
            {
                "source_file": source_file,
                "source_locator": f"page {number}",
                "value": "",
                "reason": PAGE_WITHOUT_TEXT,
                "detail": f"page {number} holds pictures and no text (a scanned page?): "
                "nothing on it is read; check it against the document",
            }
            for number in scanned
        ]
        + [
            {
                "source_file": source_file,
                "source_locator": f"page {number}",
                "value": "",
                "reason": PAGE_TEXT_UNREADABLE,
                "detail": f"page {number}'s characters are codes its fonts give no letters "
                "for (no map from glyph to character): nothing on it is read; check it "
                "against the document",
            }
            for number in unreadable
        ]
    )
    return Extraction(extraction.rows, combine_review(extraction.review, unread))


def _header_split_over_pages(pages: list[list[_Block]], labels: HeaderLabels) -> str:
    """The column labels each page heads its table with, when only together they make a
    header ("page 1: Priority, Focus, Delivery; page 2: Key Objective, Headline Action"):
    a spreadsheet printed page by page, its columns spread over pages. Else ""."""
    found: list[tuple[int, list[str]]] = []
    for number, blocks in enumerate(pages, 1):
        lines = [
            line
            for block in blocks
            for line in (
                block.rows[:2]
                or [[_text(cell) for cell in _split_at_gaps(words)] for words in block.lines[:4]]
            )
        ]
        named = [[cell for cell in line if labels.exact(cell)] for line in lines]
        mostly = [  # a header's line: two of its three filled cells at least are labels
            known
            for known, line in zip(named, lines, strict=True)
            if known and 3 * len(known) >= 2 * sum(1 for cell in line if cell.strip())
        ]
        if best := max(mostly, key=len, default=[]):
            found.append((number, best))
    together = [label for _, named in found for label in named]
    if len(found) < 2 or header_fields(together, labels) is None:
        return ""
    return "; ".join(f"page {number}: {', '.join(named)}" for number, named in found)


def _page_count(data: bytes, source_file: str) -> int:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except _PDF_ERRORS as error:
        raise InputError(source_file, _pdf_problem(error)) from None


@dataclass(frozen=True)
class _Block:
    """A heading, a table, or words a table left unread, of one page, in reading order."""

    top: float
    heading: Heading | None = None
    rows: tuple[tuple[str, ...], ...] = ()  # a table's rows, as cell texts
    fills: tuple[tuple[str | None, ...], ...] = ()  # their cells' shading, in hex
    # each row's raised note marks: (column, the mark, the word it follows)
    marks: tuple[tuple[tuple[int, str, str], ...], ...] = ()
    struck: tuple[tuple[tuple[int, str], ...], ...] = ()  # each row's: (column, struck words)
    shape_colours: tuple[tuple[str | None, ...], ...] = ()  # a coloured shape's, in hex
    heading_marks: tuple[tuple[str, str], ...] = ()  # a heading's: (the mark, the word before)
    unplaced: str = ""  # words in a table's area that are in none of its cells
    tail: bool = False  # rows: a row's tail printed above the page's first rule
    # a page with no ruled table: its lines between headings, as words, for
    # reading a table laid out by whitespace alone (see _Borderless)
    lines: tuple[tuple[dict, ...], ...] = ()
    # a page with ruled tables: its lines outside them (a title, a note, page furniture)
    outside: tuple[tuple[dict, ...], ...] = ()
    image_only: bool = False  # a page with pictures and no text: a scan, most likely
    unreadable: bool = False  # a page of characters with no letters (_unreadable)


def _lay_out_pages(
    data: bytes, source_file: str, heading: regex.Pattern, first: int, last: int
) -> list[list[_Block]]:
    """Headings (``heading`` the plan's priority heading) and tables of pages ``first``
    to ``last`` (from 1), as pdfplumber finds them."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            _page_blocks(_upright(pdf, pdf.pages[n - 1], source_file), n, source_file, heading)
            for n in range(first, last + 1)
        ]


def _upright(pdf, page, source_file: str):
    """The page turned so that its text reads from left to right.

    A landscape table on a portrait page (printed so, or its page turned in a
    viewer) reads sideways: pdfminer gives each character in a column of its own,
    and no table would be found. Reading it as a person does means turning it a
    quarter or a half, the way most of its characters run: the page is read again
    as if its /Rotate said so.
    """
    try:
        runs = Counter(_direction(c["matrix"]) for c in page.chars).most_common(1)
        turn = _TURNS.get(runs[0][0]) if runs else None
        if turn is None:
            return page  # nearly every page: its text runs left to right
        page.page_obj.attrs["Rotate"] = page.page_obj.rotate = (page.rotation + turn) % 360
        return pdfplumber.page.Page(pdf, page.page_obj, page.page_number, page.initial_doctop)
    except _PDF_ERRORS as error:
        raise InputError(source_file, _pdf_problem(error), f"page {page.page_number}") from None


def _unreadable(chars: list[dict]) -> bool:
    """Most of the page's characters (spaces aside) are codes a font gives no letter
    for: pdfminer's "(cid:12)", or a control code (a glyph's own number taken for a
    character)."""
    shown = [c["text"] for c in chars if not c["text"].isspace()]
    codes = sum(1 for text in shown if text.startswith("(cid:") or text < " ")
    return codes > len(shown) / 2


def _pages(numbers: list[int], page_count: int) -> str:
    if len(numbers) == page_count:
        return f"all {page_count} pages" if page_count > 1 else "its page"
    return "pages " + ", ".join(map(str, numbers)) if len(numbers) > 1 else f"page {numbers[0]}"


# The way a character runs, as the page is shown, and the turn that makes it run to the right.
_TURNS = {(0, 1): 90, (0, -1): 270, (-1, 0): 180}


def _direction(matrix: tuple) -> tuple[int, int]:
    """The way a character's baseline runs: (1, 0) to the right, (0, 1) up the page."""
    a, b = matrix[0], matrix[1]
    if abs(a) >= abs(b):
        return (1 if a > 0 else -1, 0)
    return (0, 1 if b > 0 else -1)


def _page_blocks(page, page_number: int, source_file: str, heading: regex.Pattern) -> list[_Block]:
    try:
        settings = {"explicit_horizontal_lines": _open_row_rules(page.edges)}
        tables = page.find_tables(settings)
        words = page.extract_words(extra_attrs=["size"], x_tolerance_ratio=_WORD_GAP)
        words = _with_glyphs(words, page.chars)
        words += _drawn_bullets(page.curves + page.rects, words)
        if not words and page.images:
            return [_Block(0.0, image_only=True)]
        if _unreadable(page.chars):
            return [_Block(0.0, unreadable=True)]
    except _PDF_ERRORS as error:
        raise InputError(source_file, _pdf_problem(error), f"page {page_number}") from None
    boxes = [table.bbox for table in tables]
    outside = _word_lines([w for w in words if not any(_inside(w, box) for box in boxes)])
    headings, heading_lines = _headings(outside, page_number, heading)
    blocks = [_Block(top, heading=found, heading_marks=m) for top, found, m in headings]
    prose = [line for n, line in enumerate(outside) if n not in heading_lines]
    if not tables:
        cuts = sorted(top for top, *_ in headings)
        for _, group in itertools.groupby(
            prose, key=lambda line: bisect.bisect(cuts, line[0]["top"])
        ):
            part = tuple(tuple(line) for line in group)
            blocks.append(_Block(part[0][0]["top"], lines=part))
    first = min(tables, key=lambda table: table.bbox[1], default=None)
    read: set[int] = set()  # the words of prose lines read as part of a table
    if first and not any(top < first.bbox[1] for top, *_ in headings):
        tail = _tail_above(first, prose, [w for w in words if _inside(w, first.bbox)])
        if tail:  # every word of it is in a column (_tail_above), so none is left over
            cells, _ = _words_by_cell(tail, first.rows[0].cells)
            blocks.append(_Block(tail[0]["top"], rows=tuple(_cell_texts([cells])), tail=True))
            read.update(map(id, tail))
    struck = _struck_through(words, page) if tables else set()
    for table in tables:
        inside = [w for w in words if _inside(w, table.bbox)]
        rows, marks, struck_words, shapes, unread = _table_cells(table, inside, page.chars, struck)
        fills = _cell_fills(table, page.rects)
        blocks.append(
            _Block(
                table.bbox[1],
                rows=rows,
                fills=fills,
                marks=marks,
                struck=struck_words,
                shape_colours=shapes,
            )
        )
        if unread:
            blocks.append(_Block(unread[0]["top"], unplaced=_text(unread)))
        below = _lines_below(table.bbox, prose)
        if below:
            blocks.append(_Block(below[0]["top"], unplaced=_text(below)))
            read.update(map(id, below))
    if tables:  # the rest of the prose, one block for each stretch between tables and headings
        cuts = sorted([table.bbox[1] for table in tables] + [top for top, *_ in headings])
        rest = [line for line in prose if id(line[0]) not in read]
        for _, group in itertools.groupby(
            rest, key=lambda line: bisect.bisect(cuts, line[0]["top"])
        ):
            part = tuple(tuple(line) for line in group)
            blocks.append(_Block(part[0][0]["top"], outside=part))
    return sorted(blocks, key=lambda block: block.top)


def _text(words: list[dict]) -> str:
    return " ".join(line for _, _, line in _lines(words))


def _tail_above(table, lines: list[list[dict]], table_words: list[dict]) -> list[dict]:
    """Words straight above a page's first table that are the tail of the page before's
    last row, printed with no rule above it: in the table's type, each word inside one
    of its columns. A title or running header over the table is neither, and stays out.
    """
    above = _lines_above(table.bbox, lines)
    sizes = sorted(w["size"] for w in table_words)
    body = sizes[len(sizes) // 2] if sizes else 0
    columns = [cell for cell in table.rows[0].cells if cell]
    in_type = all(abs(w["size"] - body) < 0.5 for w in above)
    in_columns = all(
        any(
            c[0] - _RULE_TOLERANCE <= w["x0"] and w["x1"] <= c[2] + _RULE_TOLERANCE for c in columns
        )
        for w in above
    )
    return above if above and in_type and in_columns else []


def _lines_above(box: tuple[float, float, float, float], lines: list[list[dict]]) -> list[dict]:
    """Words of the lines straight above a table, inside its width (the mirror of
    _lines_below)."""
    x0, top, x1, _ = box
    found: list[dict] = []
    for line in reversed(lines):
        left, right = min(w["x0"] for w in line), max(w["x1"] for w in line)
        bottom = max(w["bottom"] for w in line)
        if not (left >= x0 - _RULE_TOLERANCE and right <= x1 + _RULE_TOLERANCE) or bottom > top:
            continue
        if top - bottom > _PARAGRAPH_GAP * max(w["size"] for w in line) * 1.5:
            break
        found = line + found
        top = min(w["top"] for w in line)
    return found


def _words_by_cell(words: list[dict], cells: list) -> tuple[list[list[dict]], list[dict]]:
    """Words put in a table row's cells (x ranges; None for a cell merged into the one
    before); and the words in none of them."""
    per_cell: list[list[dict]] = [[] for _ in cells]
    unread = []
    for word in words:
        middle = (word["x0"] + word["x1"]) / 2
        column = next(
            (n for n, cell in enumerate(cells) if cell and cell[0] <= middle <= cell[2]), None
        )
        if column is None:
            unread.append(word)
        else:
            per_cell[column].append(word)
    return per_cell, unread


def _cell_texts(rows: list[list[list[dict]]]) -> list[tuple[str, ...]]:
    """Each row's cells (as words) as texts, paragraphs told apart by the table's line pitch."""
    lines = [[_lines(words) for words in row] for row in rows]
    pitches = _line_pitch([cell for row in lines for cell in row])
    return [tuple(_paragraphs(cell, pitches) for cell in row) for row in lines]


def _line_pitch(cells: list[list[tuple[float, float, str]]]) -> dict[float, float]:
    """The distance from one line to the next within a paragraph, by type size: for each
    size, the commonest gap above a line of that size in the table.

    Producers set lines 1.15 to 1.4 times the type size apart, so a fixed multiple
    cannot tell a wrapped line from a new paragraph; the commonest gap in a table
    is a wrapped line's, since most lines are. Sizes are told apart because a
    table may set its lists in another type than its paragraphs.
    """
    gaps: dict[float, Counter] = {}
    for cell in cells:
        for above, below in itertools.pairwise(cell):
            size = round(below[1], 1)
            gaps.setdefault(size, Counter())[round((below[0] - above[0]) * 2) / 2] += 1
    return {
        size: max(counts.items(), key=lambda item: (item[1], -item[0]))[0]
        for size, counts in gaps.items()
    }


def _lines_below(box: tuple[float, float, float, float], lines: list[list[dict]]) -> list[dict]:
    """Words of the lines that run on straight below a table, inside its width.

    A row whose bottom rule is missing (or that a producer ends in no rule)
    leaves its text there, outside every cell: it is part of the table's area,
    not prose, when no more than a blank line separates it from the table.
    """
    x0, _, x1, bottom = box
    found: list[dict] = []
    for line in lines:
        left, right = min(w["x0"] for w in line), max(w["x1"] for w in line)
        inside = left >= x0 - _RULE_TOLERANCE and right <= x1 + _RULE_TOLERANCE
        if not inside or line[0]["top"] < bottom:
            continue
        size = max(w["size"] for w in line)
        if line[0]["top"] - bottom > _PARAGRAPH_GAP * size * 1.5:
            break
        found += line
        bottom = max(w["bottom"] for w in line)
    return found


# A list item's bullet drawn as a shape (a browser's disc or square): filled, about
# square, a few points across.
_BULLET_SIZE = (1.5, 7.0)  # points, smallest and largest side
_BULLET_GAP = 15.0  # points at most between the shape and its item's first word


def _drawn_bullets(shapes: list[dict], words: list[dict]) -> list[dict]:
    """A "•" word for each bullet drawn as a shape, on its item's first line.

    Browsers draw list markers as filled discs or squares, not characters; a
    summary's items would otherwise run together as one paragraph. The shape
    takes the position of the line it marks, just left of its first word.
    """
    smallest, largest = _BULLET_SIZE
    bullets = []
    for shape in shapes:
        width, height = shape["x1"] - shape["x0"], shape["bottom"] - shape["top"]
        if not (
            shape.get("fill") and smallest <= width <= largest and smallest <= height <= largest
        ):
            continue
        middle = (shape["top"] + shape["bottom"]) / 2
        marked = [
            w
            for w in words
            if w["top"] <= middle <= w["bottom"] and 0 <= w["x0"] - shape["x1"] <= _BULLET_GAP
        ]
        if marked:
            first = min(marked, key=lambda w: w["x0"])
            bullets.append(first | {"text": "\u2022", "x0": shape["x0"], "x1": shape["x1"]})
    return bullets


_RULE_TOLERANCE = 2.0  # points: a horizontal rule this near a column rule's end closes it


def _open_row_rules(edges: list[dict]) -> list[dict]:
    """Rules to close rows whose column rules run on with no rule across their end.

    A browser printing a row that breaks at the page foot draws the cells'
    side rules down to the foot and no bottom rule (and may leave out the top
    rule of the part on the next page). pdfplumber makes cells only where
    rules meet, so that part, words and all, would be left out of the table.
    Where two or more column rules end at one height with no horizontal rule
    there, a rule across them is added.
    """
    across = [e for e in edges if e["orientation"] == "h" and e["width"] > _RULE_TOLERANCE]
    ends: dict[int, list[float]] = {}
    for edge in edges:
        if edge["orientation"] != "v" or edge["height"] <= _RULE_TOLERANCE:
            continue
        x = (edge["x0"] + edge["x1"]) / 2
        for y in (edge["top"], edge["bottom"]):
            if not any(
                abs(h["top"] - y) <= _RULE_TOLERANCE
                and h["x0"] - _RULE_TOLERANCE <= x <= h["x1"] + _RULE_TOLERANCE
                for h in across
            ):
                ends.setdefault(round(y), []).append(x)
    return [
        {"object_type": "line", "x0": min(xs), "x1": max(xs), "top": y, "bottom": y}
        | {"width": max(xs) - min(xs), "height": 0}
        for y, xs in ends.items()
        if len(xs) >= 2
    ]


def _pdf_problem(error: Exception) -> str:
    # pdfplumber wraps pdfminer's exception as its first argument
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return "the PDF is password-protected: save an unprotected copy"
    return f"a damaged or truncated PDF ({type(cause).__name__}: {cause})"


@dataclass
class _Reading:
    """State carried from page to page."""

    header: Header | None = None
    heading_since_header: bool = True
    last_row: TableRow | None = None
    columns: _Columns | None = None  # a table without rules, read across pages
    repeated_header: bool = False  # the row before was a header repeated on a new page


def pages_to_events(
    pages: list[list[_Block]], labels: HeaderLabels
) -> tuple[list[Event], list[Beside]]:
    """Events from every page's blocks, applying the rules that cross pages, and what
    was taken out of their cells to be listed beside them (a raised note mark, a
    symbol no glyph is known for)."""
    events: list[Event] = []
    beside: list[Beside] = []
    state = _Reading()
    furniture = _running_lines(pages)
    for page_number, blocks in enumerate(pages, 1):
        data_row = 0
        for block in blocks:
            if block.heading:
                events.append(block.heading)
                state.heading_since_header = True
                beside += [
                    Beside(block.heading.span, None, block.heading.title, FOOTNOTE, _noted(m, a))
                    for m, a in block.heading_marks
                ]
                continue
            span = Span("page", (page_number, data_row), (page_number, data_row))
            if block.unplaced:
                events.append(Stray(block.unplaced, span, in_table=True))
                continue
            if block.rows and not block.tail:
                block = _without_frame(block, state.header, labels)
            rows, said, left_out = block.rows, [], ""
            if block.outside:
                said = [_text(run) for run in _apart(_without_furniture(block.outside, furniture))]
            elif block.tail and state.last_row is None:  # nothing to continue: prose
                said = [" ".join(" ".join(cell.split()) for row in rows for cell in row if cell)]
                rows = ()
            elif block.lines:
                rows, state.columns, before, left_out = _borderless_rows(
                    block.lines, state.columns, labels, furniture
                )
                said = [before] if before else []
            # a title or a note outside the tables: said, not dropped
            events += [Stray(text, span, in_table=False) for text in said]
            for position, cells in enumerate(rows, 1):
                header = header_fields(list(cells), labels)
                span = Span("page", (page_number, 0), (page_number, 0))
                if header:
                    if header == state.header and not state.heading_since_header:
                        state.repeated_header = True
                        continue  # the header repeated on a new page
                    state.header, state.heading_since_header = header, False
                    events.append(HeaderRow(header, span, from_positions=bool(block.lines)))
                    continue
                repeated, state.repeated_header = state.repeated_header, False
                if completes_header(events, cells, span, labels) or (
                    repeated and join_subheader(state.header, cells, labels)
                ):
                    continue  # a header's second row: the parts of a grouped column
                if not any(cell.strip() for cell in cells):
                    continue
                heading = match_heading_row(cells, labels.heading)
                if heading:
                    span = Span("page", (page_number, 0), (page_number, 0))
                    events.append(Heading(heading.number, heading.title, span, inside_table=True))
                    continue
                data_row += 1
                span = Span("page", (page_number, data_row), (page_number, data_row))
                if block.fills:
                    rag = rag_column(state.header, cells, labels)
                    shapes = block.shape_colours[position - 1]
                    shape = shapes[rag] if rag is not None and rag < len(shapes) else None
                    fills = list(block.fills[position - 1])
                    cells = rated_by_colour(cells, rag, fills, shape)
                beside += [
                    Beside(
                        span, field_at(state.header, column), cells[column], FOOTNOTE, _noted(m, a)
                    )
                    for column, m, a in (block.marks[position - 1] if block.marks else ())
                ]
                beside += [
                    Beside(
                        span,
                        field_at(state.header, column),
                        cells[column],
                        STRUCK_TEXT,
                        struck_detail([words], "cell"),
                    )
                    for column, words in (block.struck[position - 1] if block.struck else ())
                ]
                cells, unread = _without_unknown_symbols(cells, span, state.header)
                beside += unread
                continues = state.last_row is not None and looks_like_continuation(
                    cells, state.header, after_page_break=data_row == 1
                )
                if position == len(rows):  # where a page break can split a row
                    cells = tuple(c + "\n" if _SENTENCE_END.search(c) else c for c in cells)
                row = TableRow(tuple(cells), span, continues_previous=continues)
                events.append(row)
                state.last_row = row
            if left_out:  # text below a table without rules, past a gap: said, not dropped
                span = Span("page", (page_number, data_row), (page_number, data_row))
                events.append(Stray(left_out, span, in_table=False))
    return events, beside


def _without_frame(block: _Block, header: Header | None, labels: HeaderLabels) -> _Block:
    """The table without the empty columns at its edges that a frame drawn around it
    makes (a plan boxed in a bordered cell prints a gap between the frame and the table
    on each side on every page but the first), when its header is then ``header``, the
    table's before: a header of two more columns would start a new table and part a row
    broken over the page. Any other table as it is."""
    found = next((h for cells in block.rows[:3] if (h := header_fields(list(cells), labels))), None)
    if header is None or found is None:
        return block
    width = len(found.labels)
    empty = {
        n
        for n in range(width)
        if not found.labels[n].strip()
        and all(n >= len(row) or not row[n].strip() for row in block.rows)
    }
    first = next((n for n in range(width) if n not in empty), width)
    last = next((n for n in reversed(range(width)) if n not in empty), -1)
    kept = list(range(first, last + 1))
    if len(kept) == width or header_fields([found.labels[n] for n in kept], labels) != header:
        return block
    place = {column: n for n, column in enumerate(kept)}

    def cut(rows: tuple) -> tuple:
        return tuple(tuple(row[n] for n in kept if n < len(row)) for row in rows)

    def moved(rows: tuple) -> tuple:  # (column, ...) entries of each row, renumbered
        return tuple(tuple((place[c], *rest) for c, *rest in row if c in place) for row in rows)

    return replace(
        block,
        rows=cut(block.rows),
        fills=cut(block.fills),
        shape_colours=cut(block.shape_colours),
        marks=moved(block.marks),
        struck=moved(block.struck),
    )


def _noted(mark: str, after: str) -> str:
    return (
        f"a raised note mark {mark!r} after {after!r}: a footnote or endnote's number, its "
        "words printed at the page foot or the document's end (text outside the tables); "
        "not read into the cell or heading"
    )


def _running_lines(pages: list[list[_Block]]) -> set[tuple[int, str]]:
    """Running headers and footers: a page's first or last line outside its ruled tables
    that another page has at the same height with the same words (numbers aside)."""
    seen: Counter = Counter()
    for blocks in pages:
        lines = [line for block in blocks for line in (*block.lines, *block.outside)]
        seen.update({_line_key(line) for line in lines[:1] + lines[-1:]})
    return {key for key, pages_with_it in seen.items() if pages_with_it > 1}


def _apart(lines: tuple[tuple[dict, ...], ...]) -> list[list[dict]]:
    """The lines' words, in one run for each stretch with no blank taller than three
    lines in it (a note below a table, then a footer at the page's foot)."""
    runs: list[list[dict]] = []
    bottom = None
    for line in lines:
        if bottom is None or line[0]["top"] - bottom > _TABLE_GAP * max(w["size"] for w in line):
            runs.append([])
        runs[-1] += line
        bottom = max(w["bottom"] for w in line)
    return runs


def _without_furniture(
    lines: tuple[tuple[dict, ...], ...], furniture: set[tuple[int, str]]
) -> tuple[tuple[dict, ...], ...]:
    """The lines less running headers and footers (_running_lines) and page numbers."""
    return tuple(
        line
        for line in lines
        if _line_key(line) not in furniture
        and not _PAGE_NUMBER.match(" ".join(w["text"] for w in line))
    )


def _line_key(line: tuple[dict, ...]) -> tuple[int, str]:
    text = " ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"]))
    return round(min(w["top"] for w in line)), regex.sub(r"\d+", "#", text)


_CELL_GAP = 0.6  # times the font size: a gap wider than a word space parts two columns
_HEADER_LINES = 3  # lines a header label may wrap onto
_TABLE_GAP = 3.0  # times the font size: a blank this high below a row ends the table
_PAGE_NUMBER = regex.compile(r"^(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?$", regex.IGNORECASE)


@dataclass(frozen=True)
class _Columns:
    """A table laid out by whitespace alone: where each column's text starts, and its header."""

    starts: tuple[float, ...]
    header: Header


def _borderless_rows(
    lines: tuple[tuple[dict, ...], ...],
    columns: _Columns | None,
    labels: HeaderLabels,
    furniture: set[tuple[int, str]] = frozenset(),
) -> tuple[list[tuple[str, ...]], _Columns | None, str, str]:
    """Rows of cell texts (the header's labels first, where the lines hold a header) of a
    table with no rules, the columns to read the next page's lines with, and the text of
    the lines above its header and below the table, left out (for the review list).

    Columns start where the header row's labels start (a label wrapped onto a
    second or third line joins its column). A row starts at a line with text
    in the Focus or Delivery column (every action fills them; for a table
    with neither, the first column); the lines before the first such line
    continue the previous page's last row. A blank taller than three lines
    ends the table. Below the header, a running header or footer (``furniture``,
    see _running_lines) and a line that is only a page number are left out.
    """
    found = _borderless_header(lines, labels)
    rows: list[tuple[str, ...]] = []
    before: tuple[tuple[dict, ...], ...] = ()
    if found:
        (header_starts, after_header), columns = found
        rows.append(columns.header.labels)
        before, lines = lines[:header_starts], lines[after_header:]
    elif columns is None:  # no table yet: prose
        before, lines = lines, ()
    before_text = _text([w for line in _without_furniture(before, furniture) for w in line])
    if columns is None:
        return [], None, before_text, ""
    lines = _without_furniture(lines, furniture)
    lead = [n for n, f in enumerate(columns.header.fields) if f in ALWAYS_FILLED] or [0]
    groups: list[list[dict]] = []
    bottom, left_out = None, []
    for index, line in enumerate(lines):
        size = max(w["size"] for w in line)
        if bottom is not None and line[0]["top"] - bottom > _TABLE_GAP * size:
            left_out = [w for later in lines[index:] for w in later]
            break
        bottom = max(w["bottom"] for w in line)
        starts_row = any(_column(w, columns.starts) in lead for w in line)
        if starts_row or not groups:
            groups.append([])
        groups[-1] += line
    row_cells = []
    for words in groups:
        per_column = [[] for _ in columns.starts]
        for word in words:
            per_column[_column(word, columns.starts)].append(word)
        row_cells.append(per_column)
    return rows + _cell_texts(row_cells), columns, before_text, _text(left_out) if left_out else ""


def _borderless_header(
    lines: tuple[tuple[dict, ...], ...], labels: HeaderLabels
) -> tuple[tuple[int, int], _Columns] | None:
    """The first line (with up to two more a label wraps onto) that reads as a header,
    split into columns at gaps wider than a word space; and the index of its first line
    and the index after it."""
    for index, line in enumerate(lines):
        cells = _split_at_gaps(line)
        if len(cells) < 3:
            continue
        starts = tuple(cell[0]["x0"] for cell in cells)
        best: tuple[int, Header] | None = None
        for count in range(1, _HEADER_LINES + 1):
            group = lines[index : index + count]
            if len(group) < count:
                break
            words = [w for part in group for w in part]
            texts = [[] for _ in starts]
            for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
                texts[_column(word, starts)].append(word["text"])
            header = header_fields([" ".join(t) for t in texts], labels)
            known = sum(1 for f in header.fields if f) if header else 0
            if header and (best is None or known > sum(1 for f in best[1].fields if f)):
                best = (count, header)
        if best:
            return (index, index + best[0]), _Columns(starts, best[1])
    return None


def _split_at_gaps(line: tuple[dict, ...]) -> list[list[dict]]:
    cells: list[list[dict]] = []
    for word in sorted(line, key=lambda w: w["x0"]):
        if cells and word["x0"] - cells[-1][-1]["x1"] <= _CELL_GAP * word["size"]:
            cells[-1].append(word)
        else:
            cells.append([word])
    return cells


def _column(word: dict, starts: tuple[float, ...]) -> int:
    """The column a word is in: the last whose text starts at or left of the word."""
    return max(bisect.bisect_right(starts, word["x0"] + _RULE_TOLERANCE) - 1, 0)


def _inside(word: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    middle_x, middle_y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def _headings(
    word_lines: list[list[dict]], page_number: int, heading: regex.Pattern
) -> tuple[list[tuple[float, Heading, tuple[tuple[str, str], ...]]], set[int]]:
    """Priority headings among the lines outside tables, a wrapped title joined, each
    with the raised note marks taken out of its title (mark, the word it follows), and
    which lines they take."""
    marks = [_note_marks(words) for words in word_lines]
    found, taken = [], set()
    lines = [
        _line([w for w in words if not any(w is mark for mark, _ in line_marks)])
        for words, line_marks in zip(word_lines, marks, strict=True)
    ]
    margin = min((w["x0"] for line in word_lines for w in line), default=0)
    index = 0
    while index < len(lines):
        top, size, text = lines[index][0], lines[index][1], lines[index][2]
        index += 1
        start = match_priority_heading(text, heading)
        # a heading starts at the page's left margin; "Priority 4: ..." further right is
        # a line of a cell (in a table with no rules, whose words are all outside tables)
        if not start or min(w["x0"] for w in word_lines[index - 1]) > margin + _HEADING_INDENT:
            continue
        taken.add(index - 1)
        mine, title, previous_top = [index - 1], [start.title], top
        left = min(w["x0"] for w in word_lines[index - 1])
        while index < len(lines) and lines[index][0] - previous_top < _PARAGRAPH_GAP * size * 1.4:
            part, _ = continue_heading(lines[index][2])
            # a wrapped title goes on in the heading's type, from its left edge
            same_type = abs(lines[index][1] - size) < 0.5
            aligned = abs(min(w["x0"] for w in word_lines[index]) - left) <= _RULE_TOLERANCE
            if match_priority_heading(part, heading) or not (same_type and aligned):
                break
            title.append(part)
            previous_top = lines[index][0]
            taken.add(index)
            mine.append(index)
            index += 1
        span = Span("page", (page_number, 0), (page_number, 0))
        title_marks = tuple(
            (mark["text"], before["text"]) for n in mine for mark, before in marks[n]
        )
        taken_here = " ".join(" ".join(title).split())
        found.append((top, Heading(start.number, taken_here, span), title_marks))
    return found, taken


def _table_cells(table, words: list[dict], chars: list[dict], struck_ids: set[int]):
    """Each row's cell texts, each row's raised note marks (column, mark, the word
    before it) and words struck through (column, words; ``struck_ids`` the ids of the
    page's struck words), the colour of each cell that is only a RAG shape ("●"), and
    the words of the table that fall in no cell."""
    rows = _rows(table)
    tops = [row.bbox[1] for row in rows]
    # a cell merged down several rows (a priority's heading beside its actions): its
    # words are the row's it starts in, wherever down the cell they are printed
    tall = [cell for cell in table.cells if any(cell[1] + 1 < top < cell[3] - 1 for top in tops)]
    per_row: list[list[dict]] = [[] for _ in rows]
    unread = []
    for word in words:
        x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        merged = next((c for c in tall if c[0] <= x <= c[2] and c[1] <= y <= c[3]), None)
        row_index = bisect.bisect_right(tops, merged[1] + 1 if merged else y) - 1
        (per_row[row_index] if row_index >= 0 else unread).append(word)
    cells, marks, struck, shapes = [], [], [], []
    for row, row_words in zip(rows, per_row, strict=True):
        row_cells, missed = _words_by_cell(row_words, row.cells)
        found = [(n, *mark) for n, cell in enumerate(row_cells) for mark in _note_marks(cell)]
        taken = {id(mark[1]) for mark in found} | struck_ids
        cells.append([[w for w in cell if id(w) not in taken] for cell in row_cells])
        marks.append(tuple((n, mark["text"], before["text"]) for n, mark, before in found))
        struck.append(
            tuple(
                (n, _text(out))
                for n, cell in enumerate(row_cells)
                if (out := [w for w in cell if id(w) in struck_ids])
            )
        )
        shapes.append(tuple(_shape_colour(cell, chars) for cell in cells[-1]))
        unread += missed
    return tuple(_cell_texts(cells)), tuple(marks), tuple(struck), tuple(shapes), unread


def _struck_through(words: list[dict], page) -> set[int]:
    """The ids of the words a stroke runs through from end to end ("~~Mar-26~~ Sep-26"):
    a horizontal line or thin bar a little above the word's baseline (an underline is
    below it, a cell's rule far above or below)."""
    strokes = sorted(
        ((s["top"] + s["bottom"]) / 2, s["x0"], s["x1"], s["bottom"] - s["top"])
        for s in page.lines + page.rects
        if s["x1"] > s["x0"]
    )
    if not strokes:
        return set()
    baselines = {
        (round(c["x0"], 1), round(c["top"], 1)): page.height - c["matrix"][5]
        for c in page.chars
        if c.get("upright", True)
    }
    heights = [stroke[0] for stroke in strokes]
    struck = set()
    for word in words:
        baseline = baselines.get((round(word["x0"], 1), round(word["top"], 1)))
        if baseline is None:
            continue
        size = word["size"]
        low, high = (baseline - share * size for share in reversed(_STRIKE_BAND))
        for _, x0, x1, thickness in strokes[
            bisect.bisect_left(heights, low) : bisect.bisect_right(heights, high)
        ]:
            across = x0 <= word["x0"] + 0.5 and x1 >= word["x1"] - 0.5
            if across and thickness <= _STRIKE_THICKNESS * size:
                struck.add(id(word))
                break
    return struck


def _shape_colour(words: list[dict], chars: list[dict]) -> str | None:
    """The one colour of a cell whose words are only RAG shapes ("●" in green), other
    than black; None for any other cell."""
    if not is_rag_shape(" ".join(w["text"] for w in words)):
        return None
    colours = {
        _hex(c)
        for c in chars
        if c["text"].strip()
        and any(_inside(c, (w["x0"], w["top"], w["x1"], w["bottom"])) for w in words)
    }
    (only,) = colours if len(colours) == 1 else (None,)
    return only if only != "000000" else None


def _with_glyphs(words: list[dict], chars: list[dict]) -> list[dict]:
    """The words, a symbol font's private-use codes (a Wingdings tick printed as U+F0FC,
    in Wingdings or LibreOffice's OpenSymbol) read as the glyphs they draw; a code no
    glyph is known for stays, for _without_unknown_symbols to list."""
    fonts = {c["text"]: _font_name(c["fontname"]) for c in chars if _PRIVATE_USE.match(c["text"])}
    if not fonts:
        return words  # nearly every page
    for word in words:
        if any(character in fonts for character in word["text"]):
            word["text"] = "".join(
                symbol_glyph(fonts[c], c) or c if c in fonts else c for c in word["text"]
            )
    return words


def _without_unknown_symbols(
    cells: tuple[str, ...], span: Span, header: Header | None
) -> tuple[tuple[str, ...], list[Beside]]:
    """The row's cells less the symbol-font codes no glyph is known for (a Webdings
    picture printed as U+F0B9, which the page shows as a box), each cell holding one
    listed, as the Word reader lists them; a bullet's code stays, a bullet."""
    kept, listed = list(cells), []
    for column, cell in enumerate(cells):
        codes = [c for c in _PRIVATE_USE.findall(cell) if c not in BULLET_GLYPHS]
        if not codes:
            continue
        unread = regex.compile(f"[{''.join(codes)}]")
        lines = cell.split("\n")
        kept[column] = "\n".join(" ".join(unread.sub(" ", line).split()) for line in lines)
        found = ", ".join(f"U+{ord(c):04X}" for c in codes)
        detail = (
            f"symbol(s) {found} (a symbol font's code, its glyph not one the reader knows): "
            "not read into the cell"
        )
        listed.append(Beside(span, field_at(header, column), kept[column], SYMBOL_NOT_READ, detail))
    return tuple(kept), listed


def _font_name(name: str) -> str:
    """A PDF font's family: "CAAAAA+OpenSymbol" is OpenSymbol, "Wingdings-Regular"
    Wingdings."""
    return regex.split(r"[-,]", name.rsplit("+", 1)[-1])[0]


def _note_marks(words: list[dict]) -> list[tuple[dict, dict]]:
    """The raised note marks among a cell's words ("Mar-23" then a small raised "2"),
    each with the word it follows: the note's words are printed at the page foot or
    the document's end, so the mark is no word of the cell."""
    marks = []
    for line in _word_lines(words):
        ordered = sorted(line, key=lambda w: w["x0"])
        for before, word in itertools.pairwise(ordered):
            if (
                _NOTE_MARK.fullmatch(word["text"])
                and word["size"] <= _MARK_SIZE * before["size"]
                and before["bottom"] - word["bottom"] >= _MARK_RAISED * before["size"]
                and word["x0"] - before["x1"] < _MARK_RAISED * before["size"]
            ):
                marks.append((word, before))
    return marks


def _rows(table) -> list:
    return [row for row in table.rows if any(row.cells)]


def _cell_fills(table, rects: list[dict]) -> tuple[tuple[str | None, ...], ...]:
    """Each row's cells' shading: the colour of the filled rectangle drawn last under
    most of the cell (None where there is none, or it is white)."""
    filled = [(rect, colour) for rect in rects if rect.get("fill") and (colour := _hex(rect))]
    return tuple(
        tuple(next(_covering(cell, filled), None) if cell else None for cell in row.cells)
        for row in _rows(table)
    )


def _covering(cell: tuple[float, float, float, float], filled: list):
    x0, top, x1, bottom = cell
    for rect, colour in reversed(filled):
        width = min(x1, rect["x1"]) - max(x0, rect["x0"])
        height = min(bottom, rect["bottom"]) - max(top, rect["top"])
        if width > 0 and height > 0 and width * height >= 0.8 * (x1 - x0) * (bottom - top):
            yield colour


def _hex(rect: dict) -> str | None:
    """A rectangle's fill colour as hex RGB (grey and CMYK converted); None for white or
    a colour given another way (a pattern)."""
    colour = rect.get("non_stroking_color")
    if not isinstance(colour, (tuple, list)) or not all(
        isinstance(v, (int, float)) for v in colour
    ):
        return None
    if len(colour) == 1:
        colour = (colour[0],) * 3
    elif len(colour) == 4:
        c, m, y, k = colour
        colour = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    if len(colour) != 3:
        return None
    found = "".join(f"{round(min(max(v, 0), 1) * 255):02X}" for v in colour)
    return None if found == "FFFFFF" else found


def _word_lines(words: list[dict]) -> list[list[dict]]:
    """Words grouped into lines, top to bottom; each line's first word is its topmost."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) < _LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def _line(words: list[dict]) -> tuple[float, float, str]:
    """(top, font size, text) of one line's words.

    A bullet glyph is often set in a larger type than its item, which raises the
    line; its words' own top and size place the line, so the gaps between lines
    measure the text's spacing.
    """
    text = [w for w in words if w["text"] not in BULLET_GLYPHS] or words
    return (
        min(w["top"] for w in text),
        max(w["size"] for w in text),
        " ".join(w["text"] for w in sorted(words, key=lambda w: w["x0"])),
    )


def _lines(words: list[dict]) -> list[tuple[float, float, str]]:
    """Words grouped into lines: (top, font size, text), top to bottom."""
    return [_line(line) for line in _word_lines(words)]


def _paragraphs(
    lines: list[tuple[float, float, str]], pitches: dict[float, float] | None = None
) -> str:
    """Lines of a cell joined: a space within a paragraph, a newline between them.

    A new paragraph starts at a bullet, at the next mark of a numbered or lettered
    list (Word draws "b)" with no more space above it than a wrapped line), or where
    the gap above a line is wider
    than the table's line pitch for its type size (``pitches``, _line_pitch) by
    a quarter of the size (paragraph spacing); with no pitch known, or one so
    wide that it must be paragraphs', wider than 1.3 times the type size.
    """
    text, previous = "", None
    for top, size, line in lines:
        pitch = (pitches or {}).get(round(size, 1))
        limit = pitch + _PITCH_SLACK * size if pitch and pitch < _PITCH_MAX * size else None
        if previous is None:
            text = line
        elif (
            line[0] in BULLET_GLYPHS
            or top - previous > (limit or _PARAGRAPH_GAP * size)
            or _next_list_item(text, line)
        ):
            text += "\n" + line
        elif _wrapped_at_hyphen(text, line):
            text += line
        else:
            text += " " + line
        previous = top
    return text


# A numbered or lettered list's mark opening a line: "1.", "b)", "(iii)".
_LIST_MARK = regex.compile(
    r"(?P<open>\(?)(?P<mark>\d{1,3}|[a-z]|[A-Z]|[ivxlc]{1,6}|[IVXLC]{1,6})(?P<close>[.)]) "
)


def _next_list_item(text: str, line: str) -> bool:
    """A line opening with the mark that comes after the one the paragraph before it
    opened with, in the same style: "b)" after "a)", "2." after "1.", "(iv)" after
    "(iii)". A wrapped line of a sentence rarely opens so."""
    this = _LIST_MARK.match(line)
    before = this and _LIST_MARK.match(text.rsplit("\n", 1)[-1])
    if not before or (before["open"], before["close"]) != (this["open"], this["close"]):
        return False
    first, second = before["mark"], this["mark"]
    if first.isdigit() and second.isdigit():
        return int(second) == int(first) + 1
    if _roman_value(first) and _roman_value(second) == _roman_value(first) + 1:
        return first.islower() == second.islower()
    return len(first) == len(second) == 1 and ord(second) == ord(first) + 1


def _roman_value(mark: str) -> int:
    """The value of a roman numeral ("iv" is 4); 0 for letters that are none."""
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    digits = [values.get(letter) for letter in mark.casefold()]
    if None in digits:
        return 0
    total = sum(
        -d if n + 1 < len(digits) and d < digits[n + 1] else d for n, d in enumerate(digits)
    )
    return total


def _wrapped_at_hyphen(text: str, line: str) -> bool:
    """A hyphen that ends a line inside a word: "co-" + "produced", "Multi-" + "Agency",
    "2022-" + "25"; but "2022-" + "Aims" was "2022- Aims"."""
    before, after = text[-2:-1], line[:1]
    return text.endswith("-") and (before.isalpha() or (before.isdigit() and after.isdigit()))
