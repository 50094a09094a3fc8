"""The PDF reader: its line rules on hand-made lines, and the rendering of the shipped plan."""

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.extract import extract_document
from pipeline.extract.layout import heading_pattern, label_index
from pipeline.extract.pdf import (
    _drawn_bullets,
    _headings,
    _hex,
    _note_marks,
    _open_row_rules,
    _paragraphs,
    _wrapped_at_hyphen,
)
from pipeline.publish.write import read_parquet
from pipeline.reference import load_column_labels
from pipeline.schema import ROWS
from tests.conftest import PLAN_PDF, PROJECT, ROW

PRODUCERS = PROJECT / "tests" / "fixtures" / "producers"

FIXTURES = PROJECT / "tests" / "fixtures"


def lines(*texts_and_gaps):
    """(text, gap above in points) pairs as reader lines at 8 pt."""
    top, out = 0.0, []
    for text, gap in texts_and_gaps:
        top += gap
        out.append((top, 8.0, text))
    return out


def test_wrapped_lines_of_a_paragraph_are_joined_with_a_space():
    assert _paragraphs(lines(("Strengthen systems and", 0), ("processes to enable", 9.2))) == (
        "Strengthen systems and processes to enable"
    )


def test_a_larger_gap_starts_a_new_paragraph():
    text = _paragraphs(
        lines(("Continue transformation including:", 0), ("Review the offer;", 12.2))
    )
    assert text == "Continue transformation including:\nReview the offer;"


def test_a_bullet_starts_a_new_item():
    text = _paragraphs(lines(("We will:", 0), ("\uf0b7 improve access", 9.2), ("to GPs", 9.2)))
    assert text == "We will:\n\uf0b7 improve access to GPs"


@pytest.mark.parametrize(
    ("first", "second"),
    [("a) Develop", "b) Adopt"), ("1. Develop", "2. Adopt"), ("(iii) Develop", "(iv) Adopt")],
)
def test_the_next_mark_of_a_numbered_list_starts_a_new_item(first, second):
    # Word puts no more space above "b)" than above a wrapped line
    text = _paragraphs(lines((first, 0), ("the strategy", 9.2), (second, 9.2), ("it", 9.2)))
    assert text == f"{first} the strategy\n{second} it"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Deliver phase", "2. Review"),  # no item before it
        ("1. Deliver phase", "3. Review"),  # not the next number
        ("a) Deliver phase", "b. Review"),  # another style of mark
    ],
)
def test_a_wrapped_line_opening_like_a_list_mark_stays_in_its_sentence(first, second):
    assert _paragraphs(lines((first, 0), (second, 9.2))) == f"{first} {second}"


def rule(x0, x1, top, bottom):
    """An edge as pdfplumber gives one: horizontal when its top is its bottom."""
    return {
        "orientation": "h" if top == bottom else "v",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
    }


def test_column_rules_running_to_the_page_foot_get_a_closing_rule():
    # A browser's page foot: the last row's side rules end at 561.7, no rule across.
    edges = [rule(40, 800, 444, 444), *(rule(x, x, 444, 561.7) for x in (40, 300, 800))]
    (closing,) = _open_row_rules(edges)
    assert (closing["top"], closing["x0"], closing["x1"]) == (562, 40, 800)


def test_rules_that_meet_a_rule_across_need_nothing():
    edges = [rule(40, 800, 444, 444), rule(40, 800, 500, 500)]
    edges += [rule(x, x, 444, 500) for x in (40, 300, 800)]
    assert _open_row_rules(edges) == []


def word(text, x0, top, size=9.0):
    x1, bottom = x0 + 6 * len(text), top + size
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": size}


def test_a_small_filled_disc_left_of_a_line_is_its_bullet():
    words = [word("Adopt", 330, 100), word("the", 366, 100), word("plan", 330, 111)]
    disc = {"x0": 324, "x1": 327, "top": 103, "bottom": 106, "fill": True}
    border = {"x0": 40, "x1": 40.7, "top": 90, "bottom": 200, "fill": True}
    (bullet,) = _drawn_bullets([disc, border], words)
    assert (bullet["text"], bullet["top"], bullet["x0"]) == ("\u2022", 100, 324)


def test_a_shape_with_no_text_beside_it_is_no_bullet():
    disc = {"x0": 324, "x1": 327, "top": 303, "bottom": 306, "fill": True}
    assert _drawn_bullets([disc], [word("Adopt", 330, 100)]) == []


def mark_after(before, text, size=5.2, raised=3.6, gap=0.0):
    """A word set ``size`` points, its foot ``raised`` above the foot of ``before``."""
    after = word(text, before["x1"] + gap, 0, size)
    after["bottom"] = before["bottom"] - raised
    after["top"] = after["bottom"] - size
    return after


@pytest.mark.parametrize(
    ("text", "size", "raised", "gap", "is_mark"),
    [
        ("2", 5.2, 3.6, 0.0, True),  # LibreOffice's footnote number: 58% size, raised 0.4
        ("i", 5.2, 3.6, 0.0, True),  # an endnote's roman numeral
        ("*", 6.0, 2.5, 0.5, True),
        ("2", 9.0, 0.0, 0.0, False),  # a number in the text's own size: "Phase 2"
        ("2", 5.2, 0.0, 0.0, False),  # small but on the line: not raised
        ("2", 5.2, 3.6, 4.0, False),  # apart from the word: a word of its own
        ("st", 5.2, 3.6, 0.0, False),  # "1st" with a raised ordinal: part of the word
        ("2023", 5.2, 3.6, 0.0, False),
    ],
)
def test_a_small_raised_mark_touching_a_word_is_a_note_mark(text, size, raised, gap, is_mark):
    before = word("Mar-23", 300, 147.7)
    found = _note_marks([before, mark_after(before, text, size, raised, gap)])
    assert [(mark["text"], follows["text"]) for mark, follows in found] == (
        [(text, "Mar-23")] if is_mark else []
    )


@pytest.mark.parametrize(
    ("text", "line", "joined"),
    [
        ("Knowsley Offer co-", "produced with all", True),
        ("Pan Merseyside Multi-", "Agency Response", True),
        ("Partnership - KMBC-", "Children's plus others", True),
        ("period 2022-", "25", True),
        ("due for completion June 2022-", "Aims to understand", False),
        ("Partnership -", "One Knowsley", False),
    ],
)
def test_a_word_wrapped_at_its_hyphen_is_rejoined(text, line, joined):
    assert _wrapped_at_hyphen(text, line) is joined


@pytest.fixture(scope="module")
def pdf_rows(pdf_published):
    """The rows read from the shipped plan's PDF, as the extract stage kept them (the
    session's one PDF run, whose published tables test_cross_format.py compares)."""
    return read_parquet(ROWS, pdf_published / "interim" / "extract" / "rows.parquet")


def test_header_repeated_on_every_page_is_dropped(pdf_rows):
    # 21 pages, six priorities: one table per priority, none starting at a repeated header.
    assert pdf_rows.table_number.max() == 6
    assert not (pdf_rows.headline_action == "Headline Action").any()


def test_row_broken_across_pages_is_one_row_spanning_both(pdf_rows):
    # The Community Safety Plan row (text export lines 47-51) breaks from page 3 to page 4.
    row = pdf_rows[
        pdf_rows.headline_action == "Community Safety Plan - Serious and organised crime"
    ]
    assert row.source_locator.tolist() == ["page 3 row 10 - page 4 row 1"]
    assert row.summary.iloc[0].split() == [
        "Aim:",
        "to",
        "support",
        "victims",
        "of",
        "crime",
        "and",
        "their",
        "children,",
        "as",
        "well",
        "as",
        "tackling",
        "those",
        "who",
        "perpetrate",
        "crime.",
        "Key",
        "Priority",
        "4:",
        "serious",
        "and",
        "organised",
        "crime",
    ]


def test_a_break_between_paragraphs_keeps_them_apart(pdf_rows):
    # Lines 89 of the export: <p> paragraphs; the page break falls after "...practice;".
    row = pdf_rows[pdf_rows.headline_action.str.startswith("Transformation of Adult Provider")]
    assert row.source_locator.tolist() == ["page 5 row 10 - page 6 row 1"]
    lines = row.summary.iloc[0].strip().split("\n")
    assert lines[-3:] == [
        "Link to ongoing work for quality improvement and best practice;",
        "Link to building assets analysis;",
        "Report on findings and recommendations for required changes",
    ]


def test_headings_between_tables_are_assigned_to_the_rows_after_them(pdf_rows):
    titles = pdf_rows.drop_duplicates("priority_number").set_index("priority_number").priority_title
    assert titles[1] == "Where strong & safe communities can shape their future"
    assert (
        titles[4] == "With a thriving, inclusive economy with opportunities for people and business"
    )
    assert pdf_rows.groupby("priority_number").size().to_dict() == {
        1: 49,
        2: 60,
        3: 39,
        4: 24,
        5: 34,
        6: 33,
    }


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (FIXTURES / "no-plan-table.pdf", "no plan table found"),
        (FIXTURES / "password-protected.pdf", "password-protected"),
        (FIXTURES / "producers" / "scanned-plan.pdf", "no text on any of its 2 page"),
        (
            FIXTURES / "producers" / "unmapped-fonts-plan.pdf",
            "its text cannot be read: on all 2 pages the characters are codes its fonts give "
            "no letters for",
        ),
        # Calc's print of a sheet wider than its page: a page of columns at a time
        (
            FIXTURES / "producers" / "spreadsheet-printed-page-by-page.pdf",
            r"its table's columns are split over pages \(page 1: Priority, Focus, Delivery; "
            r"page 2: Key Objective, Headline Action; page 3: Summary, Partnership/ "
            r"Organisation; page 4: Lead Officer/ Organisation, Timescale\)",
        ),
    ],
)
def test_pdf_that_cannot_give_a_plan_is_refused(labels, path, message):
    with pytest.raises(InputError, match=message):
        extract_document(path, labels)


def test_truncated_pdf_is_refused(labels, tmp_path):
    truncated = tmp_path / "plan.pdf"
    truncated.write_bytes(PLAN_PDF.read_bytes()[:60000])
    with pytest.raises(InputError, match="damaged or truncated PDF"):
        extract_document(truncated, labels)


def test_locators_are_pages_and_rows(pdf_rows):
    assert pdf_rows.source_locator.iloc[0] == "page 1 row 1"
    assert all(locator.startswith("page ") for locator in pdf_rows.source_locator)
    assert Path(pdf_rows.source_file.iloc[0]).name == PLAN_PDF.name


def test_input_error_crosses_a_process_boundary_intact():
    import pickle

    error = pickle.loads(pickle.dumps(InputError("plan.pdf", "a damaged page", "page 7")))
    assert (error.source, error.reason, error.where) == ("plan.pdf", "a damaged page", "page 7")
    assert str(error) == "plan.pdf, page 7: a damaged page"


def borderless_line(top, *cells):
    """Words of one line of a table with no rules: (x0, text) per cell, 9 pt."""
    line = []
    for x0, text in cells:
        for text_word in text.split():
            line.append(word(text_word, x0, top))
            x0 += 6 * len(text_word) + 3
    return tuple(line)


COLUMN_STARTS = (40, 100, 160, 240, 340, 560, 650, 740)
HEADER_FIRST_LINE = (
    "Focus",
    "Delivery",
    "Key",
    "Headline Action",
    "Summary",
    "Partnership/",
    "Lead Officer/",
    "Timescale",
)


def across(top, cells):
    """A borderless line with one cell in each column, left to right."""
    return borderless_line(top, *zip(COLUMN_STARTS, cells, strict=True))


def test_a_table_without_rules_takes_its_columns_from_the_header_labels(labels):
    from pipeline.extract.pdf import _borderless_rows

    lines = (
        across(100, HEADER_FIRST_LINE),
        borderless_line(110, (160, "Objective"), (560, "Organisation"), (650, "Organisation")),
        across(
            126,
            (
                "Internal",
                "Strategic",
                "Strong",
                "Community Asset",
                "Implementation plan",
                "KMBC - C&N",
                "Andrea Cooper",
                "Mar-23",
            ),
        ),
        borderless_line(137, (160, "community"), (240, "Transfers"), (650, "(KMBC)")),
        borderless_line(500, (420, "2")),  # a page number at the foot
    )
    rows, columns, _, _ = _borderless_rows(lines, None, labels)
    assert columns.header.fields[2] == "key_objective"
    assert columns.header.fields[5] == "organisation_raw"
    assert rows[1] == ROW
    assert len(rows) == 2


def test_a_line_that_opens_or_closes_two_pages_at_one_height_is_a_running_header():
    from pipeline.extract.pdf import _Block, _running_lines

    def page(number, body):
        header = borderless_line(35, (43, "Knowsley 2030 Delivery Plan"))
        footer = borderless_line(548, (43, f"OFFICIAL Page {number}"))
        return [_Block(35, lines=(header, borderless_line(100, (43, body)), footer))]

    furniture = _running_lines([page(1, "Internal"), page(2, "External")])
    assert furniture == {
        (35, "Knowsley # Delivery Plan"),
        (548, "OFFICIAL Page #"),
    }  # numbers aside


def test_text_past_a_gap_below_a_table_without_rules_is_left_out_and_said(labels):
    from pipeline.extract.pdf import _borderless_rows

    header = across(100, HEADER_FIRST_LINE)
    wrapped = borderless_line(110, (160, "Objective"), (560, "Organisation"), (650, "Organisation"))
    row = across(126, ROW)
    note = borderless_line(300, (40, "Note: figures are provisional"))
    rows, _, _, left_out = _borderless_rows((header, wrapped, row, note), None, labels)
    assert rows[1:] == [ROW]
    assert left_out == "Note: figures are provisional"


def test_text_above_the_header_of_a_table_without_rules_is_left_out_and_said(labels):
    from pipeline.extract.pdf import _borderless_rows

    title = borderless_line(60, (40, "Delivery Plan, Quarter 3"))
    running = borderless_line(35, (40, "OFFICIAL"))  # a running header, on every page
    header = across(100, HEADER_FIRST_LINE)
    lines = (running, title, header, across(126, ROW))
    rows, _, before, _ = _borderless_rows(lines, None, labels, {(35, "OFFICIAL")})
    assert rows[1:] == [ROW]
    assert before == "Delivery Plan, Quarter 3"


def test_a_page_of_prose_before_any_table_without_rules_is_said(labels):
    from pipeline.extract.pdf import _borderless_rows

    lines = (borderless_line(60, (40, "Introduction")), borderless_line(500, (420, "1")))
    assert _borderless_rows(lines, None, labels) == ([], None, "Introduction", "")


@pytest.mark.parametrize(
    ("colour", "expected"),
    [
        ((0.0, 0.6901960784, 0.3137254901), "00B050"),  # LibreOffice's print of Office green
        ((1.0, 0.7529411764, 0.0), "FFC000"),
        ((0.5,), "808080"),  # grey
        ((0.0, 1.0, 1.0, 0.0), "FF0000"),  # CMYK red
        ((1.0, 1.0, 1.0), None),  # white is no shading
        ("P0", None),  # a pattern
    ],
)
def test_a_cells_fill_colour_in_hex(colour, expected):
    assert _hex({"non_stroking_color": colour}) == expected


def test_the_heading_words_reach_the_page_reader():
    """A PDF's headings are matched in the page workers with the reference's words: with
    only "Theme" listed, a plan headed "Priority 1:" has no heading."""
    column_labels = load_column_labels()
    column_labels["priority"] = ["Theme"]
    with pytest.raises(InputError, match="no 'Theme N: title' heading"):
        extract_document(PRODUCERS / "notes-and-furniture.pdf", label_index(column_labels))


def test_a_raised_note_mark_on_a_heading_is_no_word_of_its_title():
    words = [word("Priority", 40, 100), word("1:", 94, 100), word("Safe", 110, 100)]
    words.append(mark_after(words[-1], "1"))
    ((_, heading, marks),), taken = _headings([words], 1, heading_pattern(["Priority"]))
    assert (heading.number, heading.title, marks, taken) == (1, "Safe", (("1", "Safe"),), {0})


@pytest.mark.parametrize("printed", ["struck-dates.pdf", "struck-dates-browser.pdf"])
def test_words_struck_through_on_the_page_are_listed_with_their_words(labels, printed):
    """LibreOffice strikes with a line, Chromium with a thin filled bar, a little above
    the baseline (an underline is below it): the struck words are in no cell, and the
    review entry says which they were."""
    extraction = extract_document(PRODUCERS / printed, labels)
    struck = extraction.review[extraction.review.reason == "struck_text"]
    assert [d.split(" (")[0] for d in struck.detail] == [
        "struck-through text 'Mar-26'",
        "struck-through text 'Consultation due to close in May.'",
        "struck-through text 'Dec-26'",
    ]
    assert extraction.rows.timescale_raw.tolist() == ["Sep-26", "2026/27", "Complete"]
