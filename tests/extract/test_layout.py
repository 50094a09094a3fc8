"""What every reader shares: header labels, columns kept, and one continuation rule.

Each quirk is a snippet of a text export or a Word table made here with
python-docx, as a monitoring version of a plan lays it out.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.extract import extract_document
from pipeline.extract.docx import read_word
from pipeline.extract.layout import header_fields, heading_pattern, match_priority_heading
from pipeline.extract.text import read_text_export
from tests.conftest import HEADER, ROW, tsv
from tests.extract.test_docx import docx_bytes, plan_table


def read(text: str, labels):
    return read_text_export(text.encode("utf-8"), "plan.txt", labels)


def entries(extraction, reason):
    review = extraction.review
    return review[review.reason == reason]


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Target date", "timescale_raw"),
        ("Due Date", "timescale_raw"),
        ("Deadline", "timescale_raw"),
        ("Completion date", "timescale_raw"),
        ("Lead organisation(s)", "organisation_raw"),
        ("Lead Partner(s)", "organisation_raw"),
        ("Responsible officer", "lead_officer_raw"),
        ("Action description", "summary"),
        ("Ref", "action_ref"),
        ("Action No.", "action_ref"),
        ("RAG", "rag_status_raw"),
        ("RAG status", "rag_status_raw"),
        ("Status rating", "rag_status_raw"),
        ("Q3 Progress Update", "progress_update"),
        ("Progress update Q4 2023/24", "progress_update"),
        ("Quarter 2 commentary", "progress_update"),
    ],
)
def test_spellings_councils_use_name_their_field(labels, label, field):
    assert labels.read(label) == (field, False)


@pytest.mark.parametrize(
    ("label", "field"),
    [("Timscale", "timescale_raw"), ("Lead Oficer", "lead_officer_raw"), ("Sumary", "summary")],
)
def test_a_misspelt_label_is_read_as_the_field_it_is_close_to(labels, label, field):
    assert labels.read(label) == (field, True)


@pytest.mark.parametrize("cell", ["Internal", "Strategic", "Mar-23", "KMBC", "Status", "Budget"])
def test_cells_that_are_no_label_name_no_field(labels, cell):
    assert labels.read(cell) == (None, False)


@given(st.lists(st.sampled_from((*ROW, "Green", "1.01", "ongoing", "")), min_size=8, max_size=12))
def test_a_data_row_is_never_a_header(labels, cells):
    assert header_fields(cells, labels) is None


def test_a_misspelt_header_label_is_read_and_listed_once(labels):
    header = (*HEADER[:7], "Timscale")
    extraction = read(
        tsv("**Priority 1: Safe**", header, ROW, (*ROW[:3], "Other", *ROW[4:])), labels
    )
    assert extraction.rows.timescale_raw.tolist() == ["Mar-23", "Mar-23"]
    (entry,) = entries(extraction, "header_close_match").itertuples()
    assert (entry.value, entry.field, entry.source_locator) == (
        "Timscale",
        "timescale_raw",
        "line 2",
    )
    assert "column 8 read as timescale_raw" in entry.detail


def test_monitoring_columns_are_fields_and_an_unknown_one_is_kept(labels):
    header = ("Ref", *HEADER, "RAG", "Q3 Progress Update", "Budget")
    text = tsv(
        "**Priority 1: Safe**",
        header,
        ("1.01", *ROW, "Green", "Two transfers done.", "£45k"),
        ("1.02", *ROW[:3], "Second action", *ROW[4:], "Amber", "Bid submitted.", ""),
        "**Priority 2: Healthy**",
        header,
        ("2.01", *ROW, "Red", "Delayed.", "£5k"),
    )
    extraction = read(text, labels)
    rows = extraction.rows
    assert rows.action_ref.tolist() == ["1.01", "1.02", "2.01"]
    assert rows.rag_status_raw.tolist() == ["Green", "Amber", "Red"]
    assert rows.progress_update.tolist() == ["Two transfers done.", "Bid submitted.", "Delayed."]
    assert rows.other_columns.tolist() == [{"Budget": "£45k"}, None, {"Budget": "£5k"}]
    # named once per table, not once per row
    unknown = entries(extraction, "unknown_column")
    assert unknown.value.tolist() == ["Budget", "Budget"]
    assert unknown.source_locator.tolist() == ["line 2", "line 6"]


def test_a_column_without_label_or_values_is_ignored_and_said_once(labels):
    text = tsv("**Priority 1: Safe**", (*HEADER, ""), (*ROW, ""), (*ROW[:3], "B", *ROW[4:], ""))
    extraction = read(text, labels)
    assert extraction.rows.other_columns.isna().all()
    (entry,) = entries(extraction, "empty_column").itertuples()
    assert "column 9 has no label and no values" in entry.detail


def test_a_column_without_label_but_with_values_is_kept_by_position(labels):
    text = tsv("**Priority 1: Safe**", (*HEADER, ""), (*ROW, "x"))
    extraction = read(text, labels)
    assert extraction.rows.other_columns.tolist() == [{"(column 9)": "x"}]
    assert (
        entries(extraction, "unknown_column").detail.str.contains("'(column 9)'", regex=False).all()
    )


def test_a_second_column_of_one_field_is_kept_not_dropped(labels):
    text = tsv("**Priority 1: Safe**", (*HEADER, "Timescale"), (*ROW, "Jun-23"))
    rows = read(text, labels).rows
    assert rows.timescale_raw.tolist() == ["Mar-23"]
    assert rows.other_columns.tolist() == [{"Timescale (column 9)": "Jun-23"}]


def test_a_second_column_of_one_field_is_said_to_be_one_not_an_unknown_label(labels):
    """ "RAG" and "RAG Status" side by side: both are listed labels, so the advice to add
    the second to columns.yaml would be no help; the entry names the column it repeats."""
    text = tsv("**Priority 1: Safe**", (*HEADER, "RAG", "RAG Status"), (*ROW, "Green", "Amber"))
    extraction = read(text, labels)
    assert extraction.rows.other_columns.tolist() == [{"RAG Status": "Amber"}]
    (entry,) = entries(extraction, "unknown_column").itertuples()
    assert "column 10 names rag_status_raw again (column 9 is read as it)" in entry.detail
    assert "columns.yaml" not in entry.detail


# One continuation rule for every format: Focus and Delivery empty, and the row
# not standing as a row of its own (headline and two of organisation, officer,
# timescale), or following a page break.
SECOND_ACTION = (
    "",
    "",
    "Strong community",
    "Second action",
    "",
    "KMBC",
    "Jo Bloggs (KMBC)",
    "Jun-23",
)
WRAPPED_TAIL = ("", "", "", "", "and more of the summary", "", "", "")


def test_text_a_row_that_stands_alone_is_an_action_and_listed(labels):
    extraction = read(tsv("**Priority 1: Safe**", HEADER, ROW, SECOND_ACTION), labels)
    rows = extraction.rows
    assert rows.headline_action.tolist() == ["Community Asset Transfers", "Second action"]
    assert rows.timescale_raw.tolist() == ["Mar-23", "Jun-23"]
    (entry,) = entries(extraction, "row_without_focus_delivery").itertuples()
    assert (entry.source_locator, entry.value) == ("line 4", "Second action")


def test_text_a_wrapped_tail_still_continues_its_row(labels):
    rows = read(tsv("**Priority 1: Safe**", HEADER, ROW, WRAPPED_TAIL), labels).rows
    assert rows.summary.tolist() == ["Implementation plan and more of the summary"]


def test_word_reads_the_same_two_rows_as_the_text_export(labels):
    data = docx_bytes(
        lambda d: (
            d.add_paragraph("Priority 1: Safe"),
            plan_table(d, [ROW, WRAPPED_TAIL, SECOND_ACTION]),
        )
    )
    extraction = read_word(data, "plan.docx", labels)
    rows = extraction.rows
    assert rows.headline_action.tolist() == ["Community Asset Transfers", "Second action"]
    assert rows.summary.tolist()[0] == "Implementation plan and more of the summary"
    assert rows.source_locator.tolist() == ["table 1 row 2-3", "table 1 row 4"]
    assert len(entries(extraction, "row_without_focus_delivery")) == 1


def test_a_header_that_cannot_be_read_is_named_with_the_labels_expected(labels, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(tsv("**Priority 1: Safe**", ("Ref", "Activity", "Owner", "Due"), ROW[:4]))
    with pytest.raises(InputError) as raised:
        extract_document(path, labels)
    message = str(raised.value)
    assert (
        "the first row under a priority heading (line 2) reads 'Ref | Activity | Owner | Due'"
        in message
    )
    assert "Headline Action and two more of: Focus, Delivery, Key Objective" in message


def test_rows_without_any_priority_heading_say_so(labels, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(tsv(HEADER, ROW))
    with pytest.raises(InputError, match="table rows but no 'Priority N: title' heading"):
        extract_document(path, labels)


def test_a_priority_column_instead_of_headings_says_each_rows_priority(labels):
    header = ("Priority", *HEADER)
    text = tsv(
        "Delivery plan",
        header,
        ("Priority 1: Safe communities", *ROW),
        ("Priority 1: Safe communities", *ROW[:3], "Second action", *ROW[4:]),
        ("2. Healthy lives", *ROW[:3], "Third action", *ROW[4:]),
        ("3", *ROW[:3], "Fourth action", *ROW[4:]),
    )
    extraction = read(text, labels)
    rows = extraction.rows
    assert rows.priority_number.tolist() == [1, 1, 2, 3]
    assert rows.priority_title.tolist() == ["Safe communities"] * 2 + ["Healthy lives", ""]
    assert rows.other_columns.isna().all()
    assert not (extraction.review.reason == "no_priority_heading").any()


def test_a_priority_cell_that_names_no_priority_is_listed_not_dropped(labels):
    # the tail of a title printed past a page break, or a note typed in the column
    header = ("Priority", *HEADER)
    text = tsv(
        "Delivery plan",
        header,
        ("Priority 1: Safe", *ROW),
        ("see note below", *ROW[:3], "Second action", *ROW[4:]),
    )
    extraction = read(text, labels)
    assert extraction.rows.priority_number.tolist() == [1, 1]
    listed = extraction.review[extraction.review.reason == "priority_not_read"]
    assert listed[["source_locator", "value"]].values.tolist() == [["line 4", "see note below"]]


def test_a_note_merged_across_a_table_is_listed_not_read_as_an_action(labels):
    def build(document):
        document.add_paragraph("Priority 1: Safe")
        table = plan_table(document, [ROW, ("", *ROW[1:])])
        note = table.rows[2].cells
        note[0].merge(note[-1]).text = "Note: actions marked * are new this quarter"

    extraction = read_word(docx_bytes(build), "plan.docx", labels)
    assert extraction.rows.headline_action.tolist() == ["Community Asset Transfers"]
    (note,) = extraction.review[extraction.review.reason == "note_in_table"].itertuples()
    assert (note.source_locator, note.value) == (
        "table 1 row 3",
        "Note: actions marked * are new this quarter",
    )


def test_word_priority_column_merged_down_its_rows(labels):
    def build(document):
        table = plan_table(
            document,
            [("Priority 1: Safe", *ROW), ("", *ROW[:3], "Second action", *ROW[4:])],
            header=("Priority", *HEADER),
        )
        table.cell(1, 0).merge(table.cell(2, 0))

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert rows.priority_number.tolist() == [1, 1]
    assert rows.headline_action.tolist() == ["Community Asset Transfers", "Second action"]


# "Lead" over "Organisation" and "Officer": a grouped column's header in two rows.
GROUPED = (*HEADER[:5], "Lead", "", HEADER[7])
PARTS = ("", "", "", "", "", "Organisation", "Officer", "")


def test_a_header_in_two_rows_names_each_part_of_a_grouped_column(labels):
    extraction = read(tsv("**Priority 1: Safe**", GROUPED, PARTS, ROW), labels)
    (row,) = extraction.rows.itertuples()
    assert (row.organisation_raw, row.lead_officer_raw, row.other_columns) == (
        "KMBC - C&N",
        "Andrea Cooper (KMBC)",
        None,
    )
    assert extraction.review.empty  # no unknown column, no stray row


@given(st.lists(st.text(max_size=30), min_size=8, max_size=8))
def test_a_row_with_a_cell_that_is_no_label_never_completes_a_header(labels, cells):
    from pipeline.extract.layout import join_subheader

    def a_label(cell: str) -> bool:
        return any(
            labels.read(joined.strip())[0]
            for group in ("", *GROUPED)
            for joined in (f"{group} {cell}", f"{cell} {group}")
        )

    header = header_fields(list(GROUPED), labels)
    if any(cell.strip() and not a_label(cell) for cell in cells):
        assert join_subheader(header, cells, labels) is None


def test_a_data_row_under_a_header_is_no_second_header_row(labels):
    from pipeline.extract.layout import join_subheader

    assert join_subheader(header_fields(list(GROUPED), labels), ROW, labels) is None


def test_original_and_revised_under_timescale_are_the_timescale_and_its_revision(labels):
    # a monitoring version's grouped header: the part's word comes before the group's
    grouped = (*HEADER[:7], "Timescale", "")
    parts = ("",) * 7 + ("Original", "Revised")
    row = (*ROW[:7], "Mar-26", "Sep-26")
    extraction = read(tsv("**Priority 1: Safe**", grouped, parts, row), labels)
    (read_row,) = extraction.rows.itertuples()
    assert (read_row.timescale_raw, read_row.revised_timescale_raw) == ("Mar-26", "Sep-26")
    assert extraction.review.empty


def test_a_revised_timescale_column_takes_the_place_of_a_missing_timescale_column(labels):
    # a monitoring version that gives only the current date: no "no Timescale column" note
    header = (*HEADER[:7], "Revised Target Date")
    extraction = read(tsv("**Priority 1: Safe**", header, (*ROW[:7], "Sep-26")), labels)
    (row,) = extraction.rows.itertuples()
    assert (row.timescale_raw, row.revised_timescale_raw) == (None, "Sep-26")
    assert entries(extraction, "missing_column").empty


def test_a_second_header_row_whose_labels_name_no_column_stops_the_run(labels):
    # "Timescale" over "Start" and "End": the start would be read as the deadline
    grouped = (*HEADER[:7], "Timescale", "")
    parts = ("",) * 7 + ("Start", "End")
    row = (*ROW[:7], "Apr 2024", "Mar 2025")
    extraction = read(tsv("**Priority 1: Safe**", grouped, parts, row), labels)
    (entry,) = entries(extraction, "words_not_placed").itertuples()  # the extract gate stops
    assert (entry.source_locator, entry.value) == ("line 3", " |  |  |  |  |  |  | Start | End")


def test_a_short_first_row_under_labelled_columns_is_no_header_row(labels):
    extraction = read(tsv("**Priority 1: Safe**", HEADER, ("Internal", "Strategic")), labels)
    assert entries(extraction, "words_not_placed").empty


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Priority 1: Safe communities ........................ 3", False),  # contents, dots
        ("Priority 2: Healthy lives\t14", False),  # Word's contents: a tab to the page
        ("Priority 3: Growth…………… 7", False),
        ("Priority 4: Net zero by 2040", True),  # a number in the title is no page
        ("Priority 5: Homes... and more", True),
    ],
)
def test_a_contents_entry_names_a_heading_but_is_none(line, heading):
    found = match_priority_heading(line, heading_pattern(["Priority"]))
    assert (found is not None) is heading
