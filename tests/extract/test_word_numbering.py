"""Numbers Word draws before numbered paragraphs, on small documents made here: a
person reads "Priority 1:" and "1.2" though the paragraphs hold neither."""

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline.extract.docx import read_word
from pipeline.extract.word_numbering import list_numbers
from tests.conftest import HEADER, ROW
from tests.extract.test_docx import docx_bytes, plan_table


def _element(tag: str, **attributes):
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def define_list(document, abstract_id: int, levels, restart_at: dict | None = None) -> int:
    """A list of ``levels`` ((format, text) per level) and an instance of it; returns
    the instance's numId. ``restart_at`` gives levels the instance restarts."""
    numbering = document.part.numbering_part.element
    abstract = _element("w:abstractNum", abstractNumId=abstract_id)  # the template has 0-8
    for level, (number_format, text) in enumerate(levels):
        lvl = _element("w:lvl", ilvl=level)
        lvl.append(_element("w:start", val=1))
        lvl.append(_element("w:numFmt", val=number_format))
        lvl.append(_element("w:lvlText", val=text))
        abstract.append(lvl)
    numbering.insert(0, abstract)
    return add_instance(document, abstract_id, restart_at)


def add_instance(document, abstract_id: int, restart_at: dict | None = None) -> int:
    numbering = document.part.numbering_part.element
    num_id = 200 + len(numbering.findall(qn("w:num")))
    num = _element("w:num", numId=num_id)
    num.append(_element("w:abstractNumId", val=abstract_id))
    for level, start in (restart_at or {}).items():
        override = _element("w:lvlOverride", ilvl=level)
        override.append(_element("w:startOverride", val=start))
        num.append(override)
    numbering.append(num)
    return num_id


def number(paragraph, num_id: int, level: int = 0) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def numbered_rows(document, table, num_id: int, level: int) -> None:
    """Number the first cell of each row after the header."""
    for row in table.rows[1:]:
        number(row.cells[0].paragraphs[0], num_id, level)


REF_HEADER = ("Ref", *HEADER)


def test_headings_numbered_by_their_style_and_refs_by_its_second_level(labels):
    # Word's multi-level heading numbering: "Priority %1:" on Heading 1, the Ref
    # cells its second level, restarting under each heading
    def build(document):
        plan = define_list(document, 91, [("decimal", "Priority %1:"), ("decimal", "%1.%2")])
        style = document.styles["Heading 1"].element.get_or_add_pPr().get_or_add_numPr()
        style.get_or_add_numId().val = plan
        document.add_heading("Safe communities", 1)
        numbered_rows(document, plan_table(document, [("", *ROW)] * 2, REF_HEADER), plan, 1)
        document.add_heading("Healthy lives", 1)
        numbered_rows(document, plan_table(document, [("", *ROW)], REF_HEADER), plan, 1)

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert rows.priority_number.tolist() == [1, 1, 2]
    assert rows.priority_title.tolist() == ["Safe communities"] * 2 + ["Healthy lives"]
    assert rows.action_ref.tolist() == ["1.1", "1.2", "2.1"]


def test_two_instances_of_a_list_count_on_unless_one_restarts(labels):
    def build(document):
        document.add_heading("Priority 1: Safe", 1)
        first = define_list(document, 92, [("decimal", "%1.")])
        numbered_rows(document, plan_table(document, [("", *ROW)] * 2, REF_HEADER), first, 0)
        going_on = add_instance(document, 92)
        numbered_rows(document, plan_table(document, [("", *ROW)], REF_HEADER), going_on, 0)
        document.add_heading("Priority 2: Healthy", 1)
        restarted = add_instance(document, 92, restart_at={0: 1})
        numbered_rows(document, plan_table(document, [("", *ROW)], REF_HEADER), restarted, 0)

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert rows.action_ref.tolist() == ["1.", "2.", "3.", "1."]


def test_a_lettered_list_in_a_summary_keeps_its_letters_and_bullets_stay_unwritten(labels):
    def build(document):
        document.add_heading("Priority 1: Safe", 1)
        letters = define_list(document, 93, [("lowerLetter", "%1)")])
        table = plan_table(document, [ROW])
        summary = table.rows[1].cells[HEADER.index("Summary")]
        summary.text = "Develop the strategy"
        number(summary.paragraphs[0], letters)
        number(summary.add_paragraph("Adopt it"), letters)
        summary.add_paragraph("Review yearly", style="List Bullet")

    rows = read_word(docx_bytes(build), "plan.docx", labels).rows
    assert rows.summary.tolist() == ["a) Develop the strategy\nb) Adopt it\nReview yearly"]


def test_numbering_turned_off_on_a_paragraph_of_a_numbered_style(labels):
    def build(document):
        plan = define_list(document, 94, [("decimal", "Priority %1:")])
        style = document.styles["Heading 1"].element.get_or_add_pPr().get_or_add_numPr()
        style.get_or_add_numId().val = plan
        title = document.add_heading("Delivery plan", 1)
        number(title, 0)  # numId 0: this heading is not numbered
        document.add_heading("Safe communities", 1)
        plan_table(document, [ROW])

    extraction = read_word(docx_bytes(build), "plan.docx", labels)
    assert extraction.rows.priority_number.tolist() == [1]
    outside = extraction.review[extraction.review.reason == "text_outside_tables"]
    assert outside.value.tolist() == ["Delivery plan"]


@pytest.mark.parametrize(
    ("number_format", "text", "expected"),
    [
        ("upperRoman", "%1.", ["I.", "II.", "III.", "IV."]),
        ("lowerRoman", "(%1)", ["(i)", "(ii)", "(iii)", "(iv)"]),
        ("upperLetter", "%1", ["A", "B", "C", "D"]),
        ("decimalZero", "%1", ["01", "02", "03", "04"]),
        ("ordinal", "%1 stage", ["1st stage", "2nd stage", "3rd stage", "4th stage"]),
        ("bullet", "•", []),
        ("none", "", []),
    ],
)
def test_each_format_is_written_as_word_draws_it(number_format, text, expected):
    document = Document()
    items = define_list(document, 95, [(number_format, text)])
    paragraphs = [document.add_paragraph(f"item {n}") for n in range(4)]
    for paragraph in paragraphs:
        number(paragraph, items)
    numbers = list_numbers(document, (p._p for p in paragraphs))
    assert [numbers[p._p].strip() for p in paragraphs if p._p in numbers] == expected


def test_a_document_with_no_numbering_part_gets_none_added():
    document = Document()  # python-docx's template has a numbering part: take it out
    numbering = [r for r, rel in document.part.rels.items() if rel.reltype.endswith("/numbering")]
    for r_id in numbering:
        document.part.drop_rel(r_id)
    document.add_paragraph("plain")
    had = {rel.reltype for rel in document.part.rels.values()}
    assert numbering and not any(kind.endswith("/numbering") for kind in had)
    assert list_numbers(document, (p._p for p in document.paragraphs)) == {}
    assert {rel.reltype for rel in document.part.rels.values()} == had
