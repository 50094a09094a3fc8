"""The shipped Knowsley plan, end to end: counts and hand-checked rows.

Expected values were read off raw/knowsley-2030-delivery-plan.txt by eye; the
line numbers in the names are the file's.
"""

import collections
import re

import pandas as pd
import pytest

from pipeline.publish.write import read_parquet
from pipeline.schema import (
    ACTION_ORGANISATIONS,
    ACTIONS,
    CELL_FIELDS,
    MILESTONES,
    ORGANISATIONS,
    REVIEW,
)
from tests.conftest import SHIPPED_PLAN
from tests.normalise.test_timescales import FALLBACK, SHIPPED_TIMESCALES, is_fallback

RAW_LINES = SHIPPED_PLAN.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def release(shipped):
    return shipped / "processed"


@pytest.fixture(scope="module")
def actions(release) -> pd.DataFrame:
    return pd.read_parquet(release / "actions.parquet").set_index("source_locator", drop=False)


@pytest.fixture(scope="module")
def review(release) -> pd.DataFrame:
    return pd.read_csv(release / "review.csv", keep_default_na=False, dtype=str)


def _independent_count() -> collections.Counter:
    """Rows per priority counted straight off the file: lines that open with a Focus value,
    less lines repeated verbatim under the same priority."""
    counts, seen, priority = collections.Counter(), set(), None
    for line in RAW_LINES:
        heading = re.match(r"\*\*Priority (\d+)", line)
        if heading:
            priority = int(heading.group(1))
        elif line.split("\t")[0] in {"Internal", "External", "Partnership"}:
            if (priority, line) not in seen:
                counts[priority] += 1
            seen.add((priority, line))
    return counts


def test_every_row_of_the_document_is_accounted_for(actions):
    expected = {1: 48, 2: 60, 3: 39, 4: 24, 5: 34, 6: 33}
    assert _independent_count() == expected
    assert actions.groupby("priority_number").size().to_dict() == expected
    assert len(actions) == 238
    assert actions.action_id.is_unique


def test_every_action_traces_back_to_its_line(actions):
    for action in actions.itertuples():
        first = int(re.match(r"line (\d+)", action.source_locator).group(1))
        cells = RAW_LINES[first - 1].split("\t")
        assert cells[0] == action.focus
        assert action.headline_action.startswith(cells[3].strip())


def test_priority_titles_with_wrapped_headings(actions):
    titles = actions.drop_duplicates("priority_number").set_index("priority_number").priority_title
    assert titles[1] == "Where strong & safe communities can shape their future"
    assert (
        titles[4] == "With a thriving, inclusive economy with opportunities for people and business"
    )
    assert titles[6] == "Climate change and achieving net zero"


def test_row_whose_summary_continues_after_a_page_break(actions):
    # Lines 27-29, "Operation Target".
    row = actions.loc["line 27-29"]
    assert row.headline_action == "Operation Target"
    assert row.summary.endswith(
        "or those u25 most at risk of becoming a victim of serious violence"
    )
    assert row.timescale_raw == "2022-23"
    assert row.lead_officer_raw == "Supt Phil Mullally (Merpol)"


def test_row_with_a_nested_html_list(actions):
    # Line 124: SEND milestones, a bullet item with three "o" sub-items.
    row = actions.loc["line 124"]
    assert row.summary.split("\n") == [
        "We will deliver the key milestones in our Special Educational Needs & Disabilities "
        "action plan with the intention of removing the Statement of Action. The work of the ICB "
        "here is focused on:",
        "Improving the neuro-development pathway so that the backlog waits for children and "
        "families are cleared by January 2023 and overall waiting times reduced to 30 weeks or less",
        "Supporting the Local Authority and Wirral Community Health and Care (WCHC) NHS Foundation "
        "Trust to improve the 0-25 service",
        "We will work with the Local Authority on the development of Children's Hubs in the "
        "Borough to support children and families to get the best start in life",
    ]
    assert row.organisation_raw == "Partnership - Knowsley Healthier Together Board"


def test_priority_4_row_has_no_timescale_column(actions):
    # Line 239, Priority 4's seven-column table.
    row = actions.loc["line 239"]
    assert (row.priority_number, row.headline_action) == (4, "Court Hey")
    assert row.organisation_raw == "Partnership - One Knowsley"
    assert row.lead_officer_raw == "Nicola Schaefer (One Knowsley)"
    assert pd.isna(row.timescale_raw)
    assert actions[actions.priority_number == 4].timescale_raw.isna().all()
    # elsewhere only the 13 empty cells: missing is one thing, null (the gap is in review)
    assert actions[actions.priority_number != 4].timescale_raw.isna().sum() == 13


def test_duplicated_row_is_one_action_with_the_repeat_recorded(actions):
    # Lines 25 and 74: "Merseyside Police Operating Model Review", identical.
    matches = actions[actions.headline_action == "Merseyside Police Operating Model Review"]
    assert matches.source_locator.tolist() == ["line 25"]
    assert list(matches.iloc[0].duplicate_locators) == ["line 74"]
    assert matches.iloc[0].timescale_raw == "Autumn 2022"


def test_row_with_empty_cells(actions):
    # Line 177: "Digital inclusion" names no organisation, officer or timescale.
    row = actions.loc["line 177"]
    assert row.headline_action == "Digital inclusion"
    assert row.summary == "Development of a plan to address digital inclusion in Knowsley"
    assert row[["organisation_raw", "lead_officer_raw", "timescale_raw"]].isna().all()


def test_wrapped_headline_and_organisation_cells(actions):
    # Lines 357-359 (headline wraps) and 65-67 (organisation wraps after a page break).
    assert actions.loc["line 357-359"].headline_action == (
        "Private sector investment into zero carbon initiatives"
    )
    assert (
        actions.loc["line 65-67"].organisation_raw == "Partnership - One Knowsley Knowsley Council"
    )


def test_paragraph_split_by_a_page_break_reads_as_one_sentence(actions):
    # Lines 395-397: "... Implement the" then "<p>Government's Resource and Waste Strategy".
    lines = actions.loc["line 395-397"].summary.split("\n")
    assert lines[0].endswith("Implement the Government's Resource and Waste Strategy including:")
    assert lines[1:] == [
        "a) Improve kerbside recycling rates - increasing the amount of material that is recycled",
        "b) The collection of food waste from homes",
        "c) Support the removal of plastics from the waste stream",
    ]


def test_no_markup_tabs_or_bullets_left_in_any_text(actions):
    text_columns = ["priority_title", *CELL_FIELDS]
    for column in text_columns:
        values = actions[column].dropna()
        assert not values.str.contains(r"<[a-z/]|&amp;|\t|•", regex=True).any(), column
    assert set(actions.focus) == {"Internal", "External", "Partnership"}
    assert set(actions.delivery) == {"Strategic", "Operational"}


def test_normalised_columns_of_a_hand_checked_row(actions):
    # Lines 27-29: Merseyside Police, "Supt Phil Mullally (Merpol)", "2022-23".
    row = actions.loc["line 27-29"]
    assert (row.delivery_mode, row.lead_org_id, list(row.org_ids)) == (
        "single",
        "merseyside-police",
        ["merseyside-police"],
    )
    assert list(row.lead_officers) == ["Phil Mullally"]
    assert dict(row.lead_officer_titles) == {"Phil Mullally": "Supt"}  # a map: name to title
    assert list(row.lead_officer_org_ids) == ["merseyside-police"]
    assert (row.status, str(row.start_date), str(row.end_date), row.confidence) == (
        "scheduled",
        "2022-04-01",
        "2023-03-31",
        "high",
    )


def test_partnership_row_with_a_lead_and_partners(actions):
    # Line 14: "Partnership - KMBC - C&N, Children's with One Knowsley, Merseyside Youth Association".
    row = actions.loc["line 14"]
    assert row.delivery_mode == "partnership"
    assert list(row.org_ids) == [
        "kmbc-cn",
        "kmbc-childrens",
        "one-knowsley",
        "merseyside-youth-association",
    ]
    assert row.lead_org_id == "kmbc-cn"


def test_every_action_gets_the_reading_its_timescale_cell_should_have(actions):
    # Each action's raw cell looked up in the hand-written table of the spec's readings;
    # Priority 4's table has no Timescale column, so its actions are unknown.
    for action in actions.itertuples():
        if action.priority_number == 4:
            assert (action.status, action.confidence) == ("unknown", "none")
            continue
        expected = SHIPPED_TIMESCALES["" if pd.isna(action.timescale_raw) else action.timescale_raw]
        if expected == FALLBACK:
            assert is_fallback(action.status, action.confidence, action.timescale_rule)
            continue
        status, start, end, confidence = expected
        assert (action.status, action.confidence) == (status, confidence), action.source_locator
        assert (action.start_date, action.end_date) == (start, end), action.source_locator


def test_every_organisation_named_resolves(actions):
    named = actions[actions.organisation_raw.fillna("") != ""]
    assert named.lead_org_id.notna().all()
    assert actions[actions.organisation_raw.fillna("") == ""].source_locator.tolist() == [
        "line 177"
    ]


def test_each_review_entry_says_its_priority_headline_and_how_to_settle_it(review):
    merpel = review[review.value == "Merpel"].iloc[0]
    assert (merpel.priority_number, merpel.headline_action) == (
        "1",
        "Business Watch, Kirkby Industrial Park",
    )
    assert merpel.decide == ('python -m pipeline decide alias "Merpel" ORG_ID --by WHO --why "WHY"')
    rain = review[review.headline_action == "Operation Rain"].iloc[0]
    assert rain.decide.startswith('python -m pipeline decide timescale P1-85e86ec49bfa "TIMESCALE"')
    # Priority 4's table has no Timescale column: one entry says so, one acknowledgement
    priority_4 = review[(review.priority_number == "4") & review.reason.str.startswith("missing")]
    assert priority_4[["source_locator", "reason", "action_id"]].values.tolist() == [
        ["line 238", "missing_column", ""]
    ]
    assert priority_4.decide.tolist() == [
        'python -m pipeline decide acknowledge "Priority 4" missing_column --by WHO --why "WHY"'
    ]
    assert (review.acknowledged == "").all()
    assert (review.new_since_last_period == "").all()  # the first release: no last period


def test_review_lists_exactly_the_doubtful_values(review):
    listed = collections.Counter(zip(review.source_locator, review.reason, strict=True))
    no_timescale = {
        "line 62",
        "line 63",
        "line 64",
        "line 65-67",
        "line 177",
        "line 213",
        "line 214",
        "line 215",
        "line 216-218",
        "line 320",
        "line 321",
        "line 366",
        "line 369",
    }
    expected = collections.Counter(
        [(locator, "missing_timescale") for locator in no_timescale]
        # Priority 4's header row: its table has no Timescale column, said once
        + [("line 238", "missing_column")]
        + [("line 69", "timescale_low_confidence"), ("line 228", "timescale_low_confidence")]
        # "(Merpel)" for "(Merpol)" on lines 56, 136 and 137
        + [(locator, "organisation_similarity") for locator in ("line 56", "line 136", "line 137")]
        + [("line 177", "no_organisation")]
    )
    assert listed == expected
    assert (review.action_id != "").sum() == len(review) - 1  # all but the table's entry


def test_milestones_of_a_phased_timescale(release, actions):
    milestones = pd.read_csv(release / "milestones.csv", keep_default_na=False, dtype=str)
    phased = milestones[milestones.source_locator == "line 159"]
    assert phased[["seq", "label", "start_date", "end_date", "kind"]].values.tolist() == [
        ["1", "Phase 1", "", "2023-06-30", "due"],
        ["2", "Phase 2", "", "2023-10-31", "due"],
        ["3", "Phase 3 engagement", "2023-03-01", "", "starts"],
    ]
    assert set(phased.action_id) == {actions.loc["line 159"].action_id}


def test_every_table_is_written_twice_with_the_same_rows(release):
    for table in (ACTIONS, MILESTONES, ORGANISATIONS, ACTION_ORGANISATIONS, REVIEW):
        parquet = read_parquet(table, release / f"{table.name}.parquet")
        csv = pd.read_csv(release / f"{table.name}.csv", keep_default_na=False, dtype=str)
        assert csv.columns.tolist() == table.names
        assert len(csv) == len(parquet), table.name
        key = table.names[0]
        assert csv[key].tolist() == [
            str(value) if value is not None else "" for value in parquet[key]
        ]


def test_long_tables_only_name_published_actions_and_organisations(release, actions):
    links = pd.read_parquet(release / "action_organisations.parquet")
    milestones = pd.read_parquet(release / "milestones.parquet")
    organisations = pd.read_parquet(release / "organisations.parquet")
    assert set(links.action_id) | set(milestones.action_id) <= set(actions.action_id)
    assert set(links.org_id) <= set(organisations.org_id)
    assert set(organisations.parent_org_id.dropna()) <= set(organisations.org_id)
    leads = links[links.role == "lead"].set_index("action_id").org_id
    assert leads.to_dict() == actions.set_index("action_id").lead_org_id.dropna().to_dict()
