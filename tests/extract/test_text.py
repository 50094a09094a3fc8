"""The text export's quirks, one snippet each, as they appear in the Knowsley plan."""

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.extract import extract_document
from pipeline.extract.layout import label_index
from pipeline.extract.text import decode_text, read_text_export
from pipeline.reference import load_column_labels
from tests.conftest import HEADER, ROW, tsv

PRODUCERS = Path(__file__).resolve().parents[1] / "fixtures" / "producers"


def read(text: str, labels):
    return read_text_export(text.encode("utf-8"), "plan.txt", labels)


def test_bold_heading_that_wraps_onto_a_second_line(labels):
    text = tsv(
        "**Priority 1: Where strong & safe communities  ",
        "can shape their future**",
        "",
        HEADER,
        ROW,
    )
    row = read(text, labels).rows.iloc[0]
    assert row.priority_number == 1
    assert row.priority_title == "Where strong & safe communities can shape their future"


def test_heading_on_one_line(labels):
    text = tsv("**Priority 6: Climate change and achieving net zero**", "", HEADER, ROW)
    row = read(text, labels).rows.iloc[0]
    assert (row.priority_number, row.priority_title) == (6, "Climate change and achieving net zero")


def test_characters_that_show_nothing_hide_no_heading_and_no_focus(labels):
    # text pasted from a PDF or a web page: a soft hyphen, a zero-width space, a BOM
    row = list(ROW)
    row[:2] = ["Internal\u200b", "Strate\u00adgic"]
    text = tsv("\ufeffPrior\u00adity 1: Sa\u00adfe", HEADER, row)
    extraction = read(text, labels)
    assert extraction.rows[
        ["priority_number", "priority_title", "focus", "delivery"]
    ].values.tolist() == [[1, "Safe", "Internal", "Strategic"]]
    assert extraction.review.empty


def test_focus_and_delivery_in_another_case_are_read_as_the_contract_lists_them(labels, tmp_path):
    # a table style in capitals prints "INTERNAL"; a typist writes "strategic"
    rows = [list(ROW), list(ROW)]
    rows[0][:2] = ["INTERNAL", "strategic"]
    rows[1][:2] = ["Internalised", "STRATEGIC"]  # no listed value: the gate says so
    rows[1][3] = "Another action"
    plan = tmp_path / "plan.txt"
    plan.write_text(tsv("Priority 1: Safe", HEADER, *rows), encoding="utf-8")
    extracted = extract_document(plan, labels).rows
    assert extracted[["focus", "delivery"]].values.tolist() == [
        ["Internal", "Strategic"],
        ["Internalised", "Strategic"],
    ]


@pytest.mark.parametrize("again", ["Safe (continued)", "Safe - cont'd", "Safe cont.", "Safe"])
def test_a_priority_heading_repeated_over_a_split_table_keeps_its_first_title(labels, again):
    other = (*ROW[:3], "Second", *ROW[4:])
    text = tsv("**Priority 1: Safe**", HEADER, ROW, f"**Priority 1: {again}**", HEADER, other)
    extraction = read(text, labels)
    assert extraction.rows.priority_title.tolist() == ["Safe", "Safe"]
    listed = extraction.review[extraction.review.reason == "heading_repeated"]
    assert listed.value.tolist() == ([] if again == "Safe" else [again])  # its words kept


def test_a_priority_numbered_again_under_another_title_is_listed(labels):
    other = (*ROW[:3], "Second", *ROW[4:])
    text = tsv("**Priority 1: Safe**", HEADER, ROW, "**Priority 1: Healthy**", HEADER, other)
    extraction = read(text, labels)
    assert extraction.rows.priority_title.tolist() == ["Safe", "Healthy"]
    (entry,) = extraction.review.itertuples()
    assert (entry.reason, entry.value) == ("priority_title_differs", "Healthy")
    assert "titled 'Safe' before" in entry.detail


@pytest.mark.parametrize(
    ("heading", "number"),
    [
        ("Strategic Priority 4: Economy", 4),
        ("Corporate Priority 4 - Economy", 4),
        ("**Priority Four: Economy**", 4),
        ("Priority twelve. Economy", 12),
    ],
)
def test_heading_spelt_other_ways(labels, heading, number):
    row = read(tsv(heading, HEADER, ROW), labels).rows.iloc[0]
    assert (row.priority_number, row.priority_title) == (number, "Economy")


def test_a_heading_word_is_one_of_the_priority_labels_a_data_person_lists(tmp_path):
    """A plan grouped by "Theme 1:" is refused with the word expected, and read once
    "Theme" is listed under priority in columns.yaml, as a Theme column would be."""
    text = tsv("Knowsley plan", "Theme 1: Safe", HEADER, ROW, "Theme 2: Healthy", HEADER, ROW)
    (tmp_path / "plan.txt").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="no 'Priority N: title' heading before them") as caught:
        extract_document(tmp_path / "plan.txt", label_index(load_column_labels()))
    assert "priority labels in reference/columns.yaml" in caught.value.reason
    labels = load_column_labels()
    labels["priority"].append("Theme")
    rows = read(text, label_index(labels)).rows
    assert rows[["priority_number", "priority_title"]].values.tolist() == [
        [1, "Safe"],
        [2, "Healthy"],
    ]


def test_prose_that_mentions_a_priority_is_not_a_heading(labels):
    text = tsv("**Priority 1: Safe**", "Priority 2 actions are reviewed yearly.", HEADER, ROW)
    assert read(text, labels).rows.iloc[0].priority_number == 1


def test_columns_are_read_by_header_label_not_position(labels):
    header = (
        "Headline Action",
        "Focus",
        "Timescale",
        "Summary",
        "Delivery",
        "Key Objective",
        "Lead Officer",
        "Partnership / Organisation",
    )
    row = (
        "Community Asset Transfers",
        "Internal",
        "Mar-23",
        "Implementation plan",
        "Strategic",
        "Strong community",
        "Andrea Cooper (KMBC)",
        "KMBC - C&N",
    )
    got = read(tsv("**Priority 1: Safe**", header, row), labels).rows.iloc[0]
    assert got.headline_action == "Community Asset Transfers"
    assert got.focus == "Internal"
    assert got.timescale_raw == "Mar-23"
    assert got.organisation_raw == "KMBC - C&N"


def test_table_without_a_timescale_column_leaves_it_null(labels):
    # Priority 4's table has seven columns and no Timescale.
    text = tsv(
        "**Priority 4: With a thriving, inclusive economy**",
        HEADER[:7],
        (
            "External",
            "Strategic",
            "Diverse mix of industries",
            "Court Hey",
            "Incubation of social trading enterprises",
            "Partnership - One Knowsley",
            "Nicola Schaefer (One Knowsley)",
        ),
    )
    row = read(text, labels).rows.iloc[0]
    assert row.timescale_raw is None
    assert row.lead_officer_raw == "Nicola Schaefer (One Knowsley)"


def test_empty_cells_stay_empty_strings(labels):
    text = tsv(
        "**Priority 3: Skills**",
        HEADER,
        (
            "External",
            "Strategic",
            "Digital Inclusion",
            "Digital inclusion",
            "Development of a plan",
            "",
            "",
            "",
        ),
    )
    row = read(text, labels).rows.iloc[0]
    assert (row.organisation_raw, row.lead_officer_raw, row.timescale_raw) == ("", "", "")


def test_a_vertical_tab_in_a_cell_is_a_line_break(labels):
    # how Word's own text writes a manual line break (Shift+Enter), kept by some exports
    summary = "Develop the strategy\vAdopt it"
    text = tsv("Priority 1: Safe", HEADER, (*ROW[:4], summary, *ROW[5:]))
    assert read(text, labels).rows.summary.tolist() == ["Develop the strategy\nAdopt it"]


def test_continuation_line_goes_into_the_cell_at_its_tab_position(labels):
    # Line 71-73 of the plan: the wrapped headline continues three tabs in.
    text = tsv(
        "**Priority 1: Safe**",
        HEADER,
        (
            "External",
            "Operational",
            "Strong community",
            "Support capacity building of the voluntary and community sector through bitesize and",
            "Knowsley Community College - One Knowsley",
            "Knowsley Community College",
            "Simon Pierce/Mark Doyle (StH&KCC)",
            "2022/23",
        ),
        ("", "", "", "flexible learning opportunities", "", "", "", ""),
    )
    row = read(text, labels).rows.iloc[0]
    assert row.headline_action == (
        "Support capacity building of the voluntary and community "
        "sector through bitesize and flexible learning opportunities"
    )
    assert row.summary == "Knowsley Community College - One Knowsley"
    assert row.source_locator == "line 3-4"


def test_continuation_after_a_page_break(labels):
    # Lines 27-29: the summary's tail comes after a blank line.
    text = tsv(
        "**Priority 1: Safe**",
        HEADER,
        (
            "External",
            "Operational",
            "Knowsley is and feels safe",
            "Operation Target",
            "... or those u25 most at",
            "Merseyside Police",
            "Supt Phil Mullally (Merpol)",
            "2022-23",
        ),
        "",
        "",
        ("", "", "", "", "risk of becoming a victim of serious violence", "", "", ""),
        ROW,
    )
    rows = read(text, labels).rows
    assert len(rows) == 2
    assert (
        rows.iloc[0].summary
        == "... or those u25 most at risk of becoming a victim of serious violence"
    )
    assert rows.iloc[0].source_locator == "line 3-6"
    assert rows.iloc[1].source_locator == "line 7"


def test_continuation_of_several_cells_at_once(labels):
    text = tsv(
        "**Priority 1: Safe**",
        HEADER,
        (
            "Internal",
            "Strategic",
            "Objective",
            "Headline",
            "Summary starts",
            "KMBC -",
            "Officer",
            "2022",
        ),
        ("", "", "", "", "and ends", "C&N", "", ""),
    )
    row = read(text, labels).rows.iloc[0]
    assert (row.summary, row.organisation_raw) == ("Summary starts and ends", "KMBC - C&N")


def test_page_break_continuation_that_opens_a_paragraph_continues_the_sentence(labels):
    # Lines 395-397: "... Implement the" / "<p>Government's Resource and Waste Strategy ...</p>".
    text = tsv(
        "**Priority 6: Climate**",
        HEADER,
        (
            "Internal",
            "Strategic",
            "Objective",
            "Knowsley Zero Waste",
            "Support the strategy. Implement the",
            "KMBC - C&N",
            "Denise Best (KMBC)",
            "Ongoing",
        ),
        "",
        (
            "",
            "",
            "",
            "",
            "<p>Government's Strategy including:</p> <ul><li>a) Kerbside</li></ul>",
            "",
            "",
            "",
        ),
    )
    row = read(text, labels).rows.iloc[0]
    assert row.summary == (
        "Support the strategy. Implement the Government's Strategy "
        "including:</p> <ul><li>a) Kerbside</li></ul>"
    )


def test_markdown_rule_rows_are_ignored(labels):
    text = tsv(
        "**Priority 2: Health**",
        HEADER,
        ROW,
        ("-------------", "-----------", "----", "----", "----", "----", "----", "---------"),
        "",
        (*ROW[:3], "Another action", *ROW[4:]),
        ("--",) * 8,
    )
    rows = read(text, labels).rows
    assert rows.headline_action.tolist() == ["Community Asset Transfers", "Another action"]


def test_html_stays_in_the_raw_cell(labels):
    summary = '<ul style="list-style-type: none"> <li>• Update the Environmental Policy</li> </ul>'
    text = tsv("**Priority 1: Safe**", HEADER, (*ROW[:4], summary, *ROW[5:]))
    assert read(text, labels).rows.iloc[0].summary == summary


def test_row_repeated_verbatim_within_a_priority_is_marked(labels):
    # Lines 25 and 74: "Merseyside Police Operating Model Review" twice in Priority 1.
    text = tsv("**Priority 1: Safe**", HEADER, ROW, (*ROW[:3], "Other", *ROW[4:]), ROW)
    rows = read(text, labels).rows
    assert rows.duplicate_of.tolist() == [None, None, "line 3"]


def test_same_row_under_another_priority_is_not_a_repeat(labels):
    text = tsv("**Priority 1: Safe**", HEADER, ROW, "**Priority 5: Places**", HEADER, ROW)
    assert read(text, labels).rows.duplicate_of.isna().all()


def test_same_headline_for_a_different_organisation_is_not_a_repeat(labels):
    # Priority 4 has "Local job opportunities for local people" for KMBC, Police and Livv.
    text = tsv("**Priority 4: Economy**", HEADER, ROW, (*ROW[:5], "Livv", *ROW[6:]))
    assert read(text, labels).rows.duplicate_of.isna().all()


def test_table_numbers_and_row_order(labels):
    text = tsv(
        "**Priority 1: Safe**",
        HEADER,
        ROW,
        (*ROW[:3], "Other", *ROW[4:]),
        "**Priority 2: Health**",
        HEADER,
        ROW,
    )
    rows = read(text, labels).rows
    assert rows.table_number.tolist() == [1, 1, 2]
    assert rows.row_order.tolist() == [1, 2, 3]


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ((HEADER, ROW), "no_priority_heading"),
        (("**Priority 1: Safe**", ROW), "no_header_row"),
        (("**Priority 1: Safe**", HEADER, (*ROW, "surplus")), "too_many_cells"),
        (("**Priority 1: Safe**", HEADER, ROW[:5]), "too_few_cells"),
        (
            ("**Priority 1: Safe**", HEADER, ("", "", "", "", "orphan tail", "", "", "")),
            "orphan_continuation",
        ),
    ],
)
def test_rows_that_cannot_be_placed_go_to_review(labels, lines, reason):
    extraction = read(tsv(*lines), labels)
    assert extraction.rows.empty
    assert extraction.review.reason.tolist() == [reason]
    assert extraction.review.source_file.tolist() == ["plan.txt"]
    assert extraction.review.source_locator.iloc[0].startswith("line ")


def test_trailing_empty_cells_beyond_the_header_are_harmless(labels):
    text = tsv("**Priority 1: Safe**", HEADER, (*ROW, "", ""))
    assert len(read(text, labels).rows) == 1


def test_byte_order_mark_and_crlf_read_like_the_clean_file(labels):
    text = tsv(
        "**Priority 1: Where strong & safe communities  ",
        "can shape their future**",
        HEADER,
        ROW,
        ("", "", "", "", "tail", "", "", ""),
    )
    clean = read(text, labels).rows
    windows = read_text_export(
        b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), "plan.txt", labels
    ).rows
    assert windows.equals(clean)


def test_windows_1252_text_keeps_pound_signs_and_curly_quotes():
    data = "Delivery of £29.19m for the “Year One” plan".encode("cp1252")
    assert decode_text(data, "plan.txt") == "Delivery of £29.19m for the “Year One” plan"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b" \n\t\n", "the file is empty"),
        (b"%PDF-1.7\x00\x01", "binary content"),
    ],
)
def test_unreadable_files_fail_with_the_reason(data, reason):
    with pytest.raises(InputError, match=reason) as caught:
        decode_text(data, "plan.txt")
    assert caught.value.source == "plan.txt"


def test_continuation_is_known_by_empty_focus_and_delivery_wherever_they_stand(labels):
    # Headline first: its wrapped tail opens the line, yet Focus and Delivery are empty.
    header = (
        "Headline Action",
        "Focus",
        "Delivery",
        "Summary",
        "Partnership/ Organisation",
        "Lead Officer",
        "Timescale",
        "Key Objective",
    )
    text = tsv(
        "**Priority 1: Safe**",
        header,
        (
            "Support capacity building through bitesize and",
            "External",
            "Operational",
            "Summary",
            "Knowsley Community College",
            "Mark Doyle (StH&KCC)",
            "2022/23",
            "Strong community",
        ),
        ("flexible learning opportunities", "", "", "", "", "", "", ""),
    )
    rows = read(text, labels).rows
    assert rows.headline_action.tolist() == [
        "Support capacity building through bitesize and flexible learning opportunities"
    ]


def test_prose_outside_tables_is_listed_once_per_run_of_lines(labels):
    text = tsv(
        "Knowsley 2030 Strategy",
        "Delivery Plan, Quarter 3",
        "",
        "**Priority 1: Safe**",
        HEADER,
        ROW,
    )
    extraction = read(text, labels)
    (entry,) = extraction.review[extraction.review.reason == "text_outside_tables"].itertuples()
    assert (entry.source_locator, entry.value) == (
        "line 1-2",
        "Knowsley 2030 Strategy Delivery Plan, Quarter 3",
    )
    assert len(extraction.rows) == 1


# Text exports with no tabs, made by other tools (make_tool_exports.py), and where a
# person reading them sees the table's header.
@pytest.mark.parametrize(
    ("export", "where", "layout"),
    [
        ("libreoffice-text-of-word.txt", "line 3-10", "labels stand one per line"),
        ("libreoffice-text-of-action-cards.txt", "line 3-26", "laid out as cards"),
        ("pdftotext-of-browser-pdf.txt", "line 3-20", "labels stand one per line"),
        ("pdftotext-layout-of-browser-pdf.txt", "line 3", "lined up with spaces"),
    ],
)
def test_an_export_without_tabs_is_refused_naming_where_its_header_stands(
    labels, export, where, layout
):
    with pytest.raises(InputError, match="no plan table found") as caught:
        read_text_export((PRODUCERS / export).read_bytes(), export, labels)
    assert caught.value.where == where
    assert layout in caught.value.reason
    assert "read the Word or PDF document itself" in caught.value.reason


@pytest.mark.parametrize(
    ("text", "where", "layout"),
    [  # a label may wrap onto the next line, with blank lines between labels
        (
            "**Priority 1: Safe**\nFocus\n\nHeadline\nAction\n\nLead Officer/\nOrganisation\n",
            "line 2-8",
            "one per line",
        ),
        (
            "Priority 1: Safe\n  Focus   Headline Action    Timescale\n  Internal  Hub  Mar-23\n",
            "line 2",
            "lined up with spaces",
        ),
    ],
)
def test_header_without_tabs_snippets(labels, text, where, layout):
    with pytest.raises(InputError, match=layout) as caught:
        read(text, labels)
    assert caught.value.where == where


def test_prose_naming_columns_without_tabs_is_no_header(labels):
    # labels in a sentence, or fewer than a header needs, are prose: "no plan table" as usual
    text = "Each Headline Action has a Focus and a Timescale.\nFocus\nTimescale\n"
    extraction = read(text, labels)
    assert extraction.rows.empty
    assert extraction.review.reason.tolist() == ["text_outside_tables"]


def test_a_csv_is_read_a_record_at_a_time(labels):
    text = (
        "Delivery Plan\n"
        "Priority 1: Safe\n"
        "Focus,Headline Action,Summary,Lead Officer,Timescale\n"
        'Internal,"Hub, phase 1","Plan,\nthen build",Jo Bloggs,Mar-23\n'
    )
    extraction = read(text, labels)
    (row,) = extraction.rows.itertuples()
    assert (row.source_locator, row.headline_action, row.summary, row.timescale_raw) == (
        "line 4-5",
        "Hub, phase 1",
        "Plan,\nthen build",
        "Mar-23",
    )
    assert extraction.review[["reason", "value"]].values.tolist() == [
        ["text_outside_tables", "Delivery Plan"]
    ]


def test_a_markdown_pipe_table_is_read_a_row_to_a_line(labels):
    # as pandoc and Google Docs write a table into Markdown: a rule row, escapes undone
    text = "\n".join(
        [
            "Priority 1: Safe",
            "",
            "| " + " | ".join(HEADER) + " |",
            "|" + "---|" * len(HEADER),
            "| " + " | ".join((*ROW[:4], "Plan \\| deliver \\*now\\*", *ROW[5:])) + " |",
        ]
    )
    extraction = read(text, labels)
    assert extraction.rows.summary.tolist() == ["Plan | deliver *now*"]
    assert extraction.rows.source_locator.tolist() == ["line 5"]


def test_words_struck_through_in_a_markdown_table_are_listed_not_read(labels):
    cells = (*ROW[:7], "~~Mar-26~~ Sep-26")
    text = "\n".join(
        ["Priority 1: Safe", "| " + " | ".join(HEADER) + " |", "| " + " | ".join(cells) + " |"]
    )
    extraction = read(text, labels)
    assert extraction.rows.timescale_raw.tolist() == ["Sep-26"]
    (struck,) = extraction.review[extraction.review.reason == "struck_text"].itertuples()
    assert (struck.field, struck.value) == ("timescale_raw", "Sep-26")
    assert "'Mar-26'" in struck.detail


def test_html_in_a_cell_of_a_tab_separated_export_is_no_html_table(labels):
    # a continuation line whose cell opens with markup, after the tabs of empty cells
    text = tsv(
        "Priority 1: Safe", HEADER, ROW, ("", "", "", "", "<table><tr><td>x</td></tr></table>")
    )
    assert len(read(text, labels).rows) == 1


def test_a_table_written_as_html_in_a_text_export_is_refused_naming_its_line(labels):
    # pandoc's Markdown of a table whose summary holds a list (make_tool_exports.py)
    export = "ref-and-blank-column-pandoc.md"
    with pytest.raises(InputError, match="a table is written as HTML") as caught:
        read_text_export((PRODUCERS / export).read_bytes(), export, labels)
    assert caught.value.where == "line 5"
