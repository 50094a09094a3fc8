"""Tables shaped otherwise than a plan table (reshape.py, cards.py): action cards, one
small table per action with each label beside its value, and a priority column with no
label. Snippets as a tab-separated export gives them (a table row to a line); the Word
and PDF prints are in tests/fixtures/producers/action-cards* and priority-merged-*."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.assemble import HeaderRow, Heading, Span, TableRow
from pipeline.extract.layout import header_fields
from pipeline.extract.reshape import reshaped
from pipeline.extract.text import read_text_export
from pipeline.schema import CELL_FIELDS
from tests.conftest import HEADER, ROW, tsv

HEADING = "Priority 1: Safe"


def card(ref: str, headline: str, timescale: str = "Mar-27", **more: str) -> list[tuple]:
    return [
        ("Ref", ref),
        ("Focus", "Internal", "Delivery", "Strategic"),
        ("Headline Action", headline),
        ("Lead Officer", "Jane Smith (KMBC)"),
        ("Timescale", timescale),
        *more.items(),
    ]


def read(*lines, labels):
    return read_text_export(tsv(*lines).encode(), "cards.txt", labels)


def test_each_card_is_one_action_and_its_labels_one_header(labels):
    extraction = read(
        HEADING, *card("1.01", "Hub"), *card("1.02", "Fund", "Q3 2026/27"), labels=labels
    )
    rows = extraction.rows
    assert rows[
        ["action_ref", "focus", "delivery", "headline_action", "timescale_raw"]
    ].values.tolist() == [
        ["1.01", "Internal", "Strategic", "Hub", "Mar-27"],
        ["1.02", "Internal", "Strategic", "Fund", "Q3 2026/27"],
    ]
    assert rows.source_locator.tolist() == ["line 2-6", "line 7-11"]
    noted = extraction.review[extraction.review.reason == "action_cards"]
    assert noted.source_locator.tolist() == ["line 2"]
    assert noted.value.tolist() == [
        "Ref | Focus | Delivery | Headline Action | Lead Officer | Timescale"
    ]


def test_a_card_that_leaves_out_a_label_reads_it_as_empty(labels):
    second = [line for line in card("1.02", "Fund") if line[0] != "Lead Officer"]
    rows = read(HEADING, *card("1.01", "Hub"), *second, labels=labels).rows
    assert rows.lead_officer_raw.tolist() == ["Jane Smith (KMBC)", ""]


def test_a_label_the_vocabulary_does_not_know_is_kept_in_other_columns(labels):
    extraction = read(HEADING, *card("1.01", "Hub", Budget="£20k"), labels=labels)
    assert extraction.rows.other_columns.tolist() == [{"Budget": "£20k"}]
    unknown = extraction.review[extraction.review.reason == "unknown_column"]
    assert unknown.value.tolist() == ["Budget"]


def test_a_value_going_on_under_an_empty_label_or_its_label_again_is_one_value(labels):
    # a value broken over a page (no label on the second part), and a label merged down
    # two rows (Word repeats it in each)
    lines = [*card("1.01", "Hub"), ("", "second part"), ("Timescale", "then ongoing")]
    rows = read(HEADING, *lines, labels=labels).rows
    assert rows.timescale_raw.tolist() == ["Mar-27 second part then ongoing"]


def test_a_label_of_the_card_again_starts_the_next_card(labels):
    # cards with no space between them, as a PDF reader sees two tables one below the other
    rows = read(HEADING, *card("1.01", "Hub"), *card("1.02", "Fund"), labels=labels).rows
    assert rows.headline_action.tolist() == ["Hub", "Fund"]


def test_labels_that_make_no_card_stay_rows_and_are_reviewed(labels):
    # a Timescale and its value alone name no headline: not a card, and not dropped
    extraction = read(
        HEADING, ("Timescale", "Mar-27"), ("Lead Officer", "Jane Smith"), labels=labels
    )
    assert extraction.rows.empty
    review = extraction.review
    assert review.value.tolist() == ["Timescale | Mar-27", "Lead Officer | Jane Smith"]
    assert set(review.reason) == {"no_header_row"}


def test_a_title_row_above_a_card_is_kept_as_its_title(labels):
    titled = [("Action 1.01: Hub", ""), *card("1.01", "Hub"), ("Action 1.02: Fund", "")]
    extraction = read(HEADING, *titled, *card("1.02", "Fund"), labels=labels)
    rows = extraction.rows
    assert rows.other_columns.tolist() == [
        {"(card title)": "Action 1.01: Hub"},
        {"(card title)": "Action 1.02: Fund"},
    ]
    assert rows.source_locator.tolist() == ["line 2-7", "line 8-13"]
    assert extraction.review.reason.tolist() == ["action_cards", "unknown_column"]
    assert "the cards have a title row above their labels" in extraction.review.detail[1]


def test_a_row_of_one_cell_under_no_card_stays_a_row(labels):
    # a note row across a table, with no card under it, is not a title
    extraction = read(HEADING, *card("1.01", "Hub"), ("Figures are provisional", ""), labels=labels)
    assert extraction.rows.other_columns.tolist() == [None]
    last = extraction.review.iloc[-1]
    assert (last.source_locator, last.value, last.reason) == (
        "line 7",
        "Figures are provisional",
        "note_in_table",
    )


def test_a_plan_table_is_read_as_before_beside_cards(labels):
    header = ("Focus", "Delivery", "Headline Action", "Lead Officer", "Timescale")
    table = [header, ("Internal", "Strategic", "Hall", "Jane Smith", "Sep-26")]
    rows = read(HEADING, *table, "Priority 2: Healthy", *card("2.01", "Hub"), labels=labels).rows
    assert rows.headline_action.tolist() == ["Hall", "Hub"]
    assert rows.priority_number.tolist() == [1, 2]


def test_a_column_with_no_label_whose_cells_name_priorities_gives_the_priority(labels):
    # one cell merged down each priority's rows: its text in the first row only
    header = ("", "Focus", "Delivery", "Headline Action", "Lead Officer", "Timescale")
    rows = [
        ("Priority 1: Safe", "Internal", "Strategic", "Hub", "Jane Smith", "Sep-26"),
        ("", "Internal", "Strategic", "Fund", "Jane Smith", "Mar-27"),
        ("Priority 2: Healthy", "Internal", "Strategic", "Parks", "Jane Smith", "Jan-27"),
    ]
    extraction = read("Knowsley delivery plan", header, *rows, labels=labels)
    assert extraction.rows[["priority_number", "priority_title"]].values.tolist() == [
        [1, "Safe"],
        [1, "Safe"],
        [2, "Healthy"],
    ]
    assert extraction.rows.other_columns.tolist() == [None] * 3


def test_a_column_naming_a_priority_in_one_cell_and_other_words_in_another_is_kept(labels):
    header = ("Notes", "Focus", "Delivery", "Headline Action", "Lead Officer", "Timescale")
    rows = [
        ("Priority 2: see below", "Internal", "Strategic", "Hub", "Jane Smith", "Sep-26"),
        ("Funded", "Internal", "Strategic", "Fund", "Jane Smith", "Mar-27"),
    ]
    extraction = read(HEADING, header, *rows, labels=labels)
    assert extraction.rows.priority_number.tolist() == [1, 1]
    assert extraction.rows.other_columns.tolist() == [
        {"Notes": "Priority 2: see below"},
        {"Notes": "Funded"},
    ]


# Words with a digit in them: never a column label, a heading or a bullet.
_WORD = st.from_regex(r"[a-z]{0,4}[0-9][a-z0-9]{0,3}", fullmatch=True)
_FILLED = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)
_CELL = st.lists(_WORD, max_size=4).map(" ".join)
# Focus, Delivery and the headline filled (a row leaving Focus and Delivery empty
# continues the one above, in a table), the other cells anything
_ROWS = st.lists(
    st.tuples(_FILLED, _FILLED, _CELL, _FILLED, _CELL, _CELL, _CELL, _CELL), min_size=1, max_size=5
)


@given(_ROWS)
@settings(max_examples=12, deadline=None)
def test_actions_as_cards_read_as_the_same_rows_as_a_plan_table(labels, rows):
    table = read(HEADING, HEADER, *rows, labels=labels).rows
    cards = [pair for row in rows for pair in zip(HEADER, row, strict=True)]
    read_as_cards = read(HEADING, *cards, labels=labels).rows
    fields = list(CELL_FIELDS)
    assert read_as_cards[fields].to_dict("records") == table[fields].to_dict("records")
    assert len(read_as_cards) == len(rows)


def test_a_label_broken_over_a_page_is_one_label_though_its_tail_is_a_label(labels):
    # "Lead Officer/" at a page foot, "Organisation" (itself a label) at the next top
    first = [*card("1.01", "Hub")[:3], ("Lead Officer/", "Jane Smith"), ("Organisation", "(KMBC)")]
    rows = read(HEADING, *first, ("Timescale", "Mar-27"), *card("1.02", "Fund"), labels=labels).rows
    assert rows[["headline_action", "lead_officer_raw", "organisation_raw"]].values.tolist() == [
        ["Hub", "Jane Smith (KMBC)", None],
        ["Fund", "Jane Smith (KMBC)", None],
    ]


def test_a_card_with_no_timescale_does_not_take_the_next_cards_first_label(labels):
    # "Lead Officer" then "Focus" is within a typo of no label as listed: two cards
    first = [line for line in card("1.01", "Hub") if line[0] != "Timescale"]
    rows = read(HEADING, *first, *card("1.02", "Fund"), labels=labels).rows
    assert rows.focus.tolist() == ["Internal", "Internal"]
    assert rows.lead_officer_raw.tolist() == ["Jane Smith (KMBC)", "Jane Smith (KMBC)"]


def test_a_card_whose_labels_run_out_of_order_stops_the_extract_gate_on_its_words(labels):
    # two cards' halves read as one: its labels run in another order than the first card's
    shuffled = [card("1.02", "Fund")[n] for n in (3, 4, 0, 1, 2)]
    extraction = read(HEADING, *card("1.01", "Hub"), *shuffled, labels=labels)
    assert extraction.rows.headline_action.tolist() == ["Hub"]
    (stopped,) = extraction.review[extraction.review.reason == "words_not_placed"].itertuples()
    assert stopped.source_locator == "line 7-11"
    assert "Headline Action: Fund" in stopped.value
    assert "another order than the first card's" in stopped.detail


def test_a_header_typed_over_two_rows_is_one_header(labels):
    upper = ("Focus", "Delivery", "Key", "Headline", "Lead Officer/", "Timescale")
    lower = ("", "", "Objective", "Action", "Organisation", "")
    row = ("Internal", "Strategic", "Safe", "Hub", "Jane Smith", "Sep-26")
    # the upper row again, as a PDF repeats the header on a new page
    extraction = read(HEADING, upper, lower, row, upper, lower, row, labels=labels)
    rows = extraction.rows
    assert (
        rows[["key_objective", "headline_action", "lead_officer_raw"]].values.tolist()
        == [["Safe", "Hub", "Jane Smith"]] * 2
    )
    assert extraction.review.empty


def test_a_pdf_page_counts_its_rows_under_a_header_typed_over_two_rows(labels):
    """A PDF's rows are counted under each page's header; the header's upper row, taken
    for a row until the row below showed it to be half the header, is not counted."""
    upper = ("Focus", "Delivery", "Key", "Headline", "Lead Officer/", "Timescale")
    lower = ("", "", "Objective", "Action", "Organisation", "")
    page_1, page_2 = (
        ("Internal", "Strategic", "Safe", "Hub", "Jane Smith", "Sep-26"),
        ("External", "Strategic", "Safe", "Fund", "Tom Brown", "Mar-27"),
    )

    lower_header = header_fields(list(lower), labels)  # "Objective", "Action" name columns

    def at(page: int, row: int) -> Span:
        return Span("page", (page, row), (page, row))

    events = [
        Heading(1, "Safe", at(1, 0)),
        TableRow(upper, at(1, 1)),
        HeaderRow(lower_header, at(1, 0)),
        TableRow(page_1, at(1, 2)),
        TableRow(upper, at(2, 1)),  # the upper row repeated over the new page
        HeaderRow(lower_header, at(2, 0)),
        TableRow(page_2, at(2, 2)),
    ]
    rows = [event for event in reshaped(events, labels) if isinstance(event, TableRow)]
    assert [(str(row.span), row.cells[3]) for row in rows] == [
        ("page 1 row 1", "Hub"),
        ("page 2 row 1", "Fund"),
    ]


def test_a_row_above_a_header_that_adds_no_column_stays_a_row(labels):
    # a title row over the table is no part of its header
    extraction = read(
        HEADING, ("Summary of actions", "", "", "", ""), HEADER[:5], ROW[:5], labels=labels
    )
    assert extraction.rows.headline_action.tolist() == [ROW[3]]
    assert extraction.review.value[0] == "Summary of actions |  |  |  | "
    assert extraction.review.reason[0] == "no_header_row"
