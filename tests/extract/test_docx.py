"""The Word reader on small documents made here with python-docx."""

import io
import zipfile

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline.errors import InputError
from pipeline.extract.docx import read_word
from pipeline.extract.layout import label_index
from pipeline.reference import load_column_labels
from tests.conftest import HEADER, PROJECT, ROW

PRODUCERS = PROJECT / "tests" / "fixtures" / "producers"


def docx_bytes(build) -> bytes:
    document = Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_table(document, rows, header=HEADER):
    table = document.add_table(rows=1, cols=len(header))
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        cell.text = label
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    return table


def test_heading_then_table_gives_rows_with_table_and_row_locators(labels):
    def build(document):
        document.add_heading("Knowsley 2030 Strategy", level=0)
        document.add_heading(
            "Priority 1: Where strong & safe communities can shape their future", 1
        )
        plan_table(document, [ROW, (*ROW[:3], "Other", *ROW[4:])])
        document.add_heading("Priority 2: Health", 1)
        plan_table(document, [ROW])

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert rows.priority_number.tolist() == [1, 1, 2]
    assert rows.priority_title[0] == "Where strong & safe communities can shape their future"
    assert rows.source_locator.tolist() == ["table 1 row 2", "table 1 row 3", "table 2 row 2"]
    assert rows.headline_action.tolist() == [
        "Community Asset Transfers",
        "Other",
        "Community Asset Transfers",
    ]


def test_a_heading_word_listed_as_a_priority_label_heads_a_table():
    def build(document):
        document.add_paragraph("Outcome 3: Where people are healthy and well")
        plan_table(document, [ROW])

    labels = load_column_labels()
    labels["priority"].append("Outcome")
    row = read_word(docx_bytes(build), "plan.docx", label_index(labels)).rows.iloc[0]
    assert (row.priority_number, row.priority_title) == (3, "Where people are healthy and well")


def test_list_paragraphs_in_a_cell_become_lines(labels):
    def build(document):
        document.add_heading("Priority 1: Safe", 1)
        table = plan_table(document, [ROW])
        cell = table.rows[1].cells[4]
        cell.text = "Includes:"
        cell.add_paragraph("Develop the Playing Pitch Strategy", style="List Bullet")
        cell.add_paragraph("Update the Environmental\tPolicy", style="List Bullet")

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert (
        rows.summary[0]
        == "Includes:\nDevelop the Playing Pitch Strategy\nUpdate the Environmental Policy"
    )


def test_merged_cells(labels):
    def build(document):
        document.add_heading("Priority 1: Safe", 1)
        table = plan_table(document, [ROW, (*ROW[:3], "Second", *ROW[4:])])
        # Focus merged down two rows; Summary merged across Summary and Organisation.
        # merge() gathers both cells' text into the top one; a merged cell holds one value.
        table.cell(1, 0).merge(table.cell(2, 0)).text = "Internal"
        merged = table.cell(1, 4).merge(table.cell(1, 5))
        merged.text = "One summary across two columns"

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert rows.focus.tolist() == ["Internal", "Internal"]
    assert rows.summary[0] == "One summary across two columns"
    assert rows.organisation_raw[0] == ""
    assert rows.headline_action.tolist() == ["Community Asset Transfers", "Second"]


def test_table_without_a_timescale_column(labels):
    def build(document):
        document.add_heading("Priority 4: Economy", 1)
        plan_table(document, [ROW[:7]], header=HEADER[:7])

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert rows.timescale_raw[0] is None


def test_document_that_is_not_a_plan_gives_no_rows(labels):
    rows = read_word(docx_bytes(lambda d: d.add_paragraph("Dear colleague")), "x.docx", labels).rows
    assert rows.empty


def test_unreadable_word_file_is_an_input_error(labels):
    with pytest.raises(InputError, match="not a readable Word document"):
        read_word(b"PK\x03\x04 not really a zip", "plan.docx", labels)


def test_text_of_a_table_nested_in_a_cell_is_read_not_dropped(labels):
    def build(document):
        document.add_paragraph("Priority 1: Safe")
        table = plan_table(document, [ROW])
        nested = table.rows[1].cells[4].add_table(rows=1, cols=2)
        nested.rows[0].cells[0].text, nested.rows[0].cells[1].text = "Phase 1", "Pilot in Huyton"

    (summary,) = read_word(docx_bytes(build), "plan.docx", labels).rows.summary
    assert summary == "Implementation plan\nPhase 1\nPilot in Huyton"


def _wrap(element, tag: str, **attributes):
    """Put a run (or a wrapper) inside a Word element: a tracked change, a content control."""
    wrapper = OxmlElement(tag)
    for name, value in attributes.items():
        wrapper.set(qn(name), value)
    element.addprevious(wrapper)
    wrapper.append(element)
    return wrapper


def _delete(run) -> None:
    _wrap(run, "w:del", **{"w:id": "1", "w:author": "Jo Bloggs", "w:date": "2023-01-10T09:00:00Z"})
    for text in run.iter(qn("w:t")):
        text.tag = qn("w:delText")


def test_pending_tracked_changes_read_as_accepted_and_listed_with_their_words(labels):
    def build(document):
        document.add_paragraph("Priority 1: Safe")
        cell = plan_table(document, [ROW]).rows[1].cells[7]  # Timescale, "Mar-23"
        _delete(cell.paragraphs[0].runs[0]._r)
        _wrap(cell.paragraphs[0].add_run("Mar-24")._r, "w:ins", **{"w:id": "2", "w:author": "Al"})

    extraction = read_word(docx_bytes(build), "plan.docx", labels)
    assert extraction.rows.timescale_raw.tolist() == ["Mar-24"]
    (entry,) = extraction.review.itertuples()
    assert (entry.reason, entry.source_locator, entry.field, entry.value) == (
        "tracked_change",
        "table 1 row 2",
        "timescale_raw",
        "Mar-24",
    )
    assert "(by Al, Jo Bloggs on 2023-01-10)" in entry.detail
    assert entry.detail.endswith("read as accepted; inserted: 'Mar-24'; deleted: 'Mar-23'")


def test_a_row_deleted_with_tracking_is_no_action_but_its_words_are_listed(labels):
    def build(document):
        document.add_paragraph("Priority 1: Safe")
        row = plan_table(document, [ROW, (*ROW[:3], "Gone", *ROW[4:])]).rows[2]
        row._tr.get_or_add_trPr().append(OxmlElement("w:del"))
        for cell in row.cells:
            _delete(cell.paragraphs[0].runs[0]._r)

    extraction = read_word(docx_bytes(build), "plan.docx", labels)
    assert extraction.rows.headline_action.tolist() == ["Community Asset Transfers"]
    (entry,) = extraction.review.itertuples()
    assert entry.value == " | ".join((*ROW[:3], "Gone", *ROW[4:]))
    assert entry.detail.endswith("not yet accepted or rejected: read as deleted")


def test_text_inside_controls_smart_tags_and_fields_is_read(labels):
    def build(document):
        heading = document.add_paragraph("Priority 2: Health")
        table = plan_table(document, [ROW])
        cells = table.rows[1].cells
        _wrap(_wrap(cells[6].paragraphs[0].runs[0]._r, "w:sdtContent"), "w:sdt")
        _wrap(cells[5].paragraphs[0].runs[0]._r, "w:smartTag", **{"w:element": "place"})
        _wrap(cells[4].paragraphs[0].runs[0]._r, "w:fldSimple", **{"w:instr": "DOCPROPERTY x"})
        control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
        control.append(content)  # a block content control round the heading and table
        heading._p.addprevious(control)
        content.append(heading._p)
        content.append(table._tbl)

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert rows.priority_number.tolist() == [2]
    assert rows[["summary", "organisation_raw", "lead_officer_raw"]].values.tolist() == [
        list(ROW[4:7])
    ]


def test_paragraphs_outside_tables_are_listed_once_per_run(labels):
    def build(document):
        document.add_paragraph("Knowsley 2030 Strategy")
        document.add_paragraph("Delivery Plan, Quarter 3")
        document.add_paragraph("Priority 1: Safe")
        document.add_paragraph("")
        document.add_paragraph("Actions in italics are new this quarter.")
        plan_table(document, [ROW])
        document.add_paragraph("Owner: Policy Team")

    extraction = read_word(docx_bytes(build), "plan.docx", labels)
    assert len(extraction.rows) == 1
    review = extraction.review
    assert review[["reason", "source_locator", "value"]].values.tolist() == [
        ["text_outside_tables", "paragraph 1-2", "Knowsley 2030 Strategy Delivery Plan, Quarter 3"],
        ["text_outside_tables", "paragraph 5", "Actions in italics are new this quarter."],
        ["text_outside_tables", "paragraph 6", "Owner: Policy Team"],
    ]


def test_the_summary_counts_a_documents_pending_tracked_changes(labels):
    from pipeline.extract.assemble import document_notes

    document = PRODUCERS / "tracked-changes.docx"
    review = read_word(document.read_bytes(), document.name, labels).review
    assert document_notes(review) == [
        "tracked-changes.docx: 4 cell(s) or row(s) with changes tracked and not yet accepted "
        "or rejected, read as accepted; each is in the review list (tracked_change)"
    ]


ANNOTATED = PRODUCERS / "notes-comments-text-boxes.docx"  # LibreOffice's Word save


def test_footnotes_and_endnotes_are_listed_beside_their_cell_with_their_words(labels):
    review = read_word(ANNOTATED.read_bytes(), ANNOTATED.name, labels).review
    notes = review[review.reason == "footnote"]
    assert {(e.source_locator, e.field): e.detail for e in notes.itertuples()} == {
        ("paragraph 1", None): "a footnote on this paragraph: 'Agreed by the Knowsley "
        "Partnership Board in December.'; not read into the paragraph",
        ("table 1 row 2", "timescale_raw"): "a footnote on this cell: 'Subject to the asset "
        "review reporting in February.'; not read into the cell",
        ("table 1 row 3", "summary"): "an endnote on this cell: 'The policy was last updated "
        "in 2019.'; not read into the cell",
    }


def test_comments_are_listed_beside_their_cell_with_who_wrote_them(labels):
    review = read_word(ANNOTATED.read_bytes(), ANNOTATED.name, labels).review
    comments = review[review.reason == "comment"]
    assert {(e.source_locator, e.field): e.detail for e in comments.itertuples()} == {
        ("table 1 row 2", "summary"): "a comment on this cell: 'Is this still the plan after "
        "the asset review?' (by Jo Bloggs on 2025-01-10); not read into the cell",
        ("table 2 row 2", "organisation_raw"): "a comment on this cell: 'Should the NHS be "
        "named as a partner?' (by Sam Patel on 2025-01-12); not read into the cell",
    }


def test_a_text_box_is_read_once_though_word_keeps_a_second_copy(labels):
    """Word writes a text box twice (DrawingML, and VML in mc:Fallback for older readers)."""
    document = ANNOTATED.read_bytes()
    with zipfile.ZipFile(io.BytesIO(document)) as package:
        assert package.read("word/document.xml").count(b"<mc:Fallback") == 2  # both boxes
    extraction = read_word(document, ANNOTATED.name, labels)
    assert extraction.rows.lead_officer_raw[1] == "Andrea Cooper (KMBC)\nInterim lead"
    outside = extraction.review[extraction.review.reason == "text_outside_tables"]
    assert "Figures are provisional until audited." in outside.value.tolist()[1]


def test_the_summary_counts_a_documents_notes_and_comments(labels):
    from pipeline.extract.assemble import document_notes

    review = read_word(ANNOTATED.read_bytes(), ANNOTATED.name, labels).review
    assert document_notes(review) == [
        "notes-comments-text-boxes.docx: 3 footnote(s) or endnote(s), their words not read "
        "into the cell or paragraph; each is in the review list (footnote)",
        "notes-comments-text-boxes.docx: 2 comment(s), their words not read into the cell "
        "or paragraph; each is in the review list (comment)",
    ]


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def test_an_empty_rag_cell_shaded_a_colour_reads_as_that_colour_and_only_there(labels):
    def build(document):
        document.add_paragraph("Priority 1: Safe")
        table = plan_table(
            document,
            [(*ROW, "", "On track"), (*ROW[:3], "Second", *ROW[4:], "Amber", "Slipping")],
            header=(*HEADER, "RAG", "Progress Update"),
        )
        _shade(table.rows[1].cells[8], "00b050")  # lower case, as some tools write it
        _shade(table.rows[2].cells[8], "FF0000")  # the word wins over the colour
        _shade(table.rows[1].cells[0], "D9D9D9")  # a grey Focus cell is decoration
        _shade(table.rows[0].cells[8], "FFC000")  # and so is a coloured header

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert rows.rag_status_raw.tolist() == ["fill #00B050", "Amber"]
    assert rows.focus.tolist() == ["Internal", "Internal"]


def test_words_word_does_not_show_are_listed_not_read(labels):
    """Text formatted hidden, and a content control still showing its placeholder."""

    def build(document):
        document.add_paragraph("Priority 1: Safe")
        cells = plan_table(document, [ROW]).rows[1].cells
        old = cells[7].paragraphs[0].insert_paragraph_before().add_run("Mar-22")  # Timescale
        old._r.get_or_add_rPr().append(OxmlElement("w:vanish"))
        summary = cells[4].paragraphs[0].runs[0]._r
        summary.find(qn("w:t")).text = "Click or tap here to enter text."
        control = _wrap(_wrap(summary, "w:sdtContent"), "w:sdt")
        control.insert(0, OxmlElement("w:sdtPr"))
        control[0].append(OxmlElement("w:showingPlcHdr"))

    extraction = read_word(docx_bytes(build), "plan.docx", labels)
    row = extraction.rows.iloc[0]
    assert (row.summary, row.timescale_raw.strip()) == ("", "Mar-23")
    review = extraction.review.set_index("reason")
    assert "hidden text 'Mar-22'" in review.detail["hidden_text"]
    assert "placeholder 'Click or tap here to enter text.'" in review.detail["placeholder_text"]


def test_words_struck_through_are_listed_not_read(labels):
    """A monitoring report strikes the old date out and types the new one after it;
    a double strike is a strike, and a strike switched off is none."""

    def build(document):
        document.add_paragraph("Priority 1: Safe")
        cells = plan_table(document, [ROW]).rows[1].cells
        timescale = cells[7].paragraphs[0]
        timescale.runs[0].text = ""
        for words, kind in (("Mar-", "w:strike"), ("23 ", "w:dstrike"), ("Sep-23", None)):
            run = timescale.add_run(words)
            if kind:
                run._r.get_or_add_rPr().append(OxmlElement(kind))
        kept = cells[4].paragraphs[0].add_run(" Still standing.")
        toggle = OxmlElement("w:strike")
        toggle.set(qn("w:val"), "false")
        kept._r.get_or_add_rPr().append(toggle)

    extraction = read_word(docx_bytes(build), "plan.docx", labels)
    row = extraction.rows.iloc[0]
    assert row.timescale_raw == "Sep-23"
    assert row.summary.endswith("Still standing.")
    (entry,) = extraction.review[extraction.review.reason == "struck_text"].itertuples()
    assert (entry.field, entry.value) == ("timescale_raw", "Sep-23")
    assert "struck-through text 'Mar-23'" in entry.detail


def test_a_row_inside_a_content_control_is_read(labels):
    """A repeating section holds each of its rows in a content control."""

    def build(document):
        document.add_paragraph("Priority 1: Safe")
        table = plan_table(document, [ROW, (*ROW[:3], "Second", *ROW[4:])])
        _wrap(_wrap(table.rows[2]._tr, "w:sdtContent"), "w:sdt")

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert rows.headline_action.tolist() == ["Community Asset Transfers", "Second"]
