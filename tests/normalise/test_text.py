"""Cell text into plain text, on the markup the Knowsley export carries."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalise.text import cell_to_items, cell_to_text, html_to_items, summary_to_text


def test_html_list_becomes_one_item_per_line_without_bullets():
    # Line 13 of the plan.
    cell = (
        '<ul style="list-style-type: none"> <li>• Develop and adopt the Knowsley Playing '
        "Pitch Strategy</li> <li>• Update the Environmental Policy</li> </ul>"
    )
    assert summary_to_text(cell) == (
        "Develop and adopt the Knowsley Playing Pitch Strategy\nUpdate the Environmental Policy"
    )


def test_nested_list_comes_out_flat_parent_first_and_sub_bullet_o_is_stripped():
    # Line 127: a bullet item with a nested list of "o" items.
    cell = (
        '<ul style="list-style-type: none"> <li>• Specific deliverables for 22/23: '
        '<ul style="list-style-type: none"> <li>o Recruit a project manager</li> '
        "<li>o Produce an asset map of Northwood</li> </ul> </li> </ul>"
    )
    assert cell_to_items(cell) == [
        "Specific deliverables for 22/23:",
        "Recruit a project manager",
        "Produce an asset map of Northwood",
    ]


def test_paragraphs_before_a_list_keep_their_own_line_and_numbering_is_kept():
    # Line 100: <p> text, then an <ol> whose items carry their own numbers.
    cell = (
        "<p>Work led by Cheshire &amp; Merseyside:</p> <ol> <li>1. Cost of living</li> "
        "<li>2. Physical activity</li> </ol>"
    )
    assert cell_to_items(cell) == [
        "Work led by Cheshire & Merseyside:",
        "1. Cost of living",
        "2. Physical activity",
    ]


def test_inline_bullets_in_plain_text_become_items():
    # Line 363: bullets run inline in a cell with no markup.
    cell = "Strategy to achieve • Zero avoidable waste by 2040; • Eliminating food waste;"
    assert cell_to_items(cell) == [
        "Strategy to achieve",
        "Zero avoidable waste by 2040;",
        "Eliminating food waste;",
    ]


def test_line_breaks_in_a_cell_separate_items_and_leading_dashes_are_bullets():
    assert cell_to_items("Intro:\n- first\n\n– second\n-5% target") == [
        "Intro:",
        "first",
        "second",
        "-5% target",
    ]


def test_entities_are_decoded_but_a_bare_ampersand_is_left_alone():
    assert cell_to_text("KMBC - C&N") == "KMBC - C&N"
    assert cell_to_text("Cheshire &amp; Merseyside") == "Cheshire & Merseyside"


def test_one_line_cells_lose_markup_and_extra_spaces():
    assert cell_to_text("  <p>Net   Zero</p>\n<p>Plan</p> ") == "Net Zero Plan"
    assert cell_to_text(None) is None
    assert summary_to_text(None) is None
    assert summary_to_text("") == ""


def test_characters_that_show_nothing_are_taken_out_and_ligatures_are_letters():
    # soft hyphen, zero-width space and joiners, word joiner, byte order mark
    assert cell_to_text("Knows\u00adley\u200b Coun\u2060cil\ufeff") == "Knowsley Council"
    # text copied from a PDF: "fi", "ffi" as one character each
    assert cell_to_text("\ufb01rst half, O\ufb03ce") == "first half, Office"
    assert summary_to_text("<li>Zero\u200c waste</li><li>Net\u200d Zero</li>") == (
        "Zero waste\nNet Zero"
    )


def test_script_content_never_shows_as_text():
    assert html_to_items("<p>Plan</p><script>alert(1)</script><style>p{}</style>") == ["Plan"]


@pytest.mark.parametrize("cell", ["a < b and c > d", "u25 <30 years"])
def test_angle_brackets_that_are_not_tags_are_text(cell):
    assert cell_to_text(cell) == cell


@given(st.text())
def test_any_text_gives_clean_items(cell):
    for item in cell_to_items(cell):
        assert item == item.strip() and item
        assert "\n" not in item and "\t" not in item


@given(
    st.lists(
        st.sampled_from(
            [
                "<ul>",
                "</ul>",
                "<li>",
                "</li>",
                "<p>",
                "</p>",
                "• ",
                "o ",
                "text",
                "&amp;",
                " ",
                "<br/>",
                "<script>",
                "</script>",
            ]
        )
    )
)
def test_any_mix_of_list_markup_leaves_no_tags(parts):
    for item in cell_to_items("".join(parts)):
        assert "<" not in item and ">" not in item
        assert not item.startswith("•")
