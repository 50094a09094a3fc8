"""Rows into actions: repeats collapsed, ids that survive a refresh."""

import datetime as dt

import pandas as pd

from pipeline.normalise.actions import assign_action_ids, identity_key, rows_to_actions
from pipeline.normalise.timescales import parse_timescale
from pipeline.schema import ACTIONS, ROWS


def rows(*overrides: dict) -> pd.DataFrame:
    base = {
        "source_file": "plan.txt",
        "table_number": 1,
        "priority_number": 4,
        "priority_title": "With a thriving, inclusive economy",
        "focus": "Internal",
        "delivery": "Operational",
        "key_objective": "Extensive range of jobs",
        "headline_action": "Local job opportunities for local people",
        "summary": "Creation of graduate and apprentice roles",
        "organisation_raw": "KMBC - all",
        "lead_officer_raw": "James Duncan (KMBC)",
        "timescale_raw": None,
        "duplicate_of": None,
    }
    records = [
        {**base, "source_locator": f"line {n}", "row_order": n, **override}
        for n, override in enumerate(overrides, 1)
    ]
    return ROWS.frame(records)


def ids(frame: pd.DataFrame) -> list[str]:
    return assign_action_ids(rows_to_actions(frame))[0].action_id.tolist()


def test_repeat_is_collapsed_and_its_locator_kept():
    actions = rows_to_actions(rows({}, {"duplicate_of": "line 1"}))
    assert len(actions) == 1
    assert actions.iloc[0].duplicate_locators == ["line 2"]
    assert actions.columns.tolist() == ACTIONS.names


def test_id_survives_changes_to_summary_timescale_and_officer():
    before = ids(rows({}))
    after = ids(
        rows(
            {
                "summary": "New summary",
                "timescale_raw": "Mar-24",
                "lead_officer_raw": "Someone Else (KMBC)",
            }
        )
    )
    assert before == after


def test_id_survives_respacing_and_recasing_of_headline_and_organisation():
    before = ids(rows({}))
    after = ids(
        rows(
            {
                "headline_action": "Local  job opportunities for Local People",
                "organisation_raw": "KMBC – ALL",
            }
        )
    )
    assert before == after


def test_invisible_characters_copied_in_from_a_pdf_change_no_value_and_no_id():
    """A soft hyphen, a zero-width space or a stray byte order mark shows nothing, so
    the cell means what it shows: the same text, the same action id."""
    before = rows_to_actions(rows({"timescale_raw": "Mar-24"}))
    after = rows_to_actions(
        rows(
            {
                "headline_action": "Local job oppor\u00adtunities for local people",
                "organisation_raw": "KMBC\u200b - all",
                "lead_officer_raw": "\ufeffJames Duncan (KMBC)",
                "timescale_raw": "Mar\u00ad-24",
            }
        )
    )
    fields = ["headline_action", "organisation_raw", "lead_officer_raw", "timescale_raw"]
    assert after[fields].values.tolist() == before[fields].values.tolist()
    assert ids(rows({"headline_action": "Local job oppor\u00adtunities for local people"})) == ids(
        rows({})
    )


def test_a_ligature_in_a_timescale_is_its_letters_so_the_half_is_not_dropped(config):
    # "\ufb01rst" read as an unknown word, a label: the whole year, with high confidence
    cell = rows_to_actions(rows({"timescale_raw": "\ufb01rst half of 2027/28"})).timescale_raw[0]
    reading = parse_timescale(cell, config.timescale_words)
    assert (reading.start, reading.end, reading.confidence) == (
        dt.date(2027, 4, 1),
        dt.date(2027, 9, 30),
        "high",
    )


def test_same_headline_under_two_priorities_or_two_organisations_gets_two_ids():
    assert len(set(ids(rows({}, {"priority_number": 3})))) == 2
    assert (
        len(
            set(
                ids(
                    rows(
                        {}, {"organisation_raw": "Merseyside Police"}, {"organisation_raw": "Livv"}
                    )
                )
            )
        )
        == 3
    )


def test_resolved_lead_organisation_outranks_the_cell_wording():
    frame = rows_to_actions(rows({}, {"organisation_raw": "Knowsley Council - all"}))
    frame["lead_org_id"] = "kmbc"
    first, second = assign_action_ids(frame)[0].action_id
    assert first == second.removesuffix("-2")


def test_actions_that_cannot_be_told_apart_get_numbered_and_reviewed():
    actions, review = assign_action_ids(rows_to_actions(rows({}, {"summary": "Different"})))
    first, second = actions.action_id
    assert second == f"{first}-2"
    assert review.reason.tolist() == ["ambiguous_identity", "ambiguous_identity"]
    assert review.source_locator.tolist() == ["line 1", "line 2"]


def test_id_shape():
    (action_id,) = ids(rows({}))
    assert action_id.startswith("P4-") and len(action_id) == len("P4-") + 12


def test_identity_key():
    assert identity_key("Culture & Creativity  Strategy!") == "culture and creativity strategy"
    assert identity_key(None) == ""
