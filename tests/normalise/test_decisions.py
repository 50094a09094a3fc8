"""Decisions made on the review list are applied every run, and reported."""

import datetime as dt

import pandas as pd
import pytest
import yaml

from pipeline.cli import main
from pipeline.extract import extract_document
from pipeline.normalise import NormaliseConfig, normalise_rows
from pipeline.normalise.decisions import DecisionError
from pipeline.reference import (
    REFERENCE_DIR,
    load_decisions,
    load_rag_ratings,
    load_registry_records,
    load_timescale_words,
    load_vocabulary,
)
from tests.conftest import SHIPPED_PLAN

MERPEL = {
    "kind": "alias",
    "spelling": "Merpel",
    "org_id": "merseyside-police",
    "by": "A. Analyst",
    "why": "typo for Merpol",
}


def config_with(*decisions):
    return NormaliseConfig.from_reference(
        load_registry_records(),
        load_vocabulary(),
        load_timescale_words(),
        80.0,
        load_rag_ratings(),
        list(decisions),
    )


@pytest.fixture(scope="module")
def extraction(labels):
    return extract_document(SHIPPED_PLAN, labels)


def normalised(extraction, *decisions):
    return normalise_rows(extraction.rows, extraction.review, config_with(*decisions))


def test_accepted_spelling_resolves_exactly_and_leaves_the_review_list(extraction):
    before = normalised(extraction)
    after = normalised(extraction, MERPEL)
    assert (before.review.reason == "organisation_similarity").sum() == 3
    assert (after.review.reason == "organisation_similarity").sum() == 0
    links = after.action_organisations
    assert set(links[links.spelling == "Merpel"].match) == {"exact"}
    assert after.overrides == [
        {
            **{k: MERPEL[k] for k in ("kind", "by", "why")},
            "target": "Merpel",
            "value": "merseyside-police",
            "applied": True,
            "note": "",
        }
    ]


def test_timescale_decided_by_hand_replaces_the_reading_and_keeps_the_cell(extraction):
    """decisions.yaml's example: "May 2022 to March 2023" is one period (A5), not two deadlines."""
    action_id = normalised(extraction).actions.set_index("source_locator").action_id["line 69"]
    decided = normalised(
        extraction,
        {
            "kind": "timescale",
            "action_id": action_id,
            "timescale": "May 2022 to March 2023",
            "by": "A. Analyst",
            "why": "the 2022/23 season of Operation Rain",
        },
    )
    row = decided.actions.set_index("action_id").loc[action_id]
    assert row.timescale_raw == "May 22-23"
    assert (row.status, row.start_date, row.end_date, row.confidence, row.timescale_rule) == (
        "scheduled",
        dt.date(2022, 5, 1),
        dt.date(2023, 3, 31),
        "high",
        "decision",
    )
    assert action_id not in set(decided.milestones.action_id)
    assert action_id not in set(decided.review.action_id)
    assert list(row.decided) == ["status", "start_date", "end_date", "confidence", "timescale_rule"]
    others = decided.actions[decided.actions.action_id != action_id]
    assert others.decided.isna().all()  # no other action was touched


def test_organisations_decided_by_hand_fill_an_empty_cell(extraction):
    action_id = normalised(extraction).actions.set_index("source_locator").action_id["line 177"]
    decided = normalised(
        extraction,
        {
            "kind": "organisation",
            "action_id": action_id,
            "org_ids": ["kmbc", "one-knowsley"],
            "by": "A. Analyst",
            "why": "confirmed",
        },
    )
    row = decided.actions.set_index("action_id").loc[action_id]
    assert (row.lead_org_id, row.org_ids, row.organisation_raw) == (
        "kmbc",
        ["kmbc", "one-knowsley"],
        None,  # the cell was empty
    )
    assert row.name == action_id  # the id does not move with the decision
    review = decided.review[decided.review.action_id == action_id]
    assert "no_organisation" not in set(review.reason)
    links = decided.action_organisations[decided.action_organisations.action_id == action_id]
    assert links[["org_id", "role", "match"]].values.tolist() == [
        ["kmbc", "lead", "decision"],
        ["one-knowsley", "partner", "decision"],
    ]
    assert list(row.decided) == ["delivery_mode", "lead_org_id", "org_ids"]


def test_an_accepted_spelling_marks_every_action_whose_cells_name_it(extraction):
    actions = normalised(extraction, MERPEL).actions
    named = actions.organisation_raw.str.contains(
        "Merpel", na=False
    ) | actions.lead_officer_raw.str.contains("Merpel", na=False)
    assert named.sum() >= 1
    for action in actions[named].itertuples():
        expected = []
        if "Merpel" in (action.organisation_raw or ""):
            expected += ["lead_org_id", "org_ids"]
        if "Merpel" in (action.lead_officer_raw or ""):
            expected += ["lead_officer_org_ids"]
        assert list(action.decided) == expected, action.source_locator
    assert actions[~named].decided.isna().all()
    assert normalised(extraction).actions.decided.isna().all()  # no decisions, none set


def test_decisions_that_no_longer_match_are_reported_not_applied(extraction):
    result = normalised(
        extraction,
        {**MERPEL, "spelling": "Merpool"},
        {
            "kind": "timescale",
            "action_id": "P9-000000000000",
            "timescale": "Mar-24",
            "by": "A. Analyst",
            "why": "since dropped",
        },
    )
    assert [(o["applied"], o["note"]) for o in result.overrides] == [
        (False, "the plan no longer has this spelling"),
        (False, "no action has this id any more"),
    ]


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        ({"kind": "rename", "by": "x", "why": "y"}, "kind must be one of"),
        ({"kind": "alias", "spelling": "Merpel", "org_id": "merseyside-police"}, "needs by, why"),
        ({**MERPEL, "org_id": "no-such-org"}, "no-such-org not in the registry"),
        (
            {
                "kind": "organisation",
                "action_id": "P1-x",
                "org_ids": ["kmbc", "nope"],
                "by": "x",
                "why": "y",
            },
            "nope not in the registry",
        ),
    ],
)
def test_a_decision_that_cannot_apply_is_refused_with_its_entry(decision, message):
    with pytest.raises(DecisionError, match=message):
        config_with(decision)


def test_shipped_decisions_file_is_valid_and_empty():
    # comments only: no "[]" that entries appended below it would break
    assert yaml.safe_load((REFERENCE_DIR / "decisions.yaml").read_text()) is None
    assert load_decisions(REFERENCE_DIR / "decisions.yaml") == []


@pytest.mark.slow
def test_run_reports_overrides_and_warns_about_stale_ones(tmp_path, capsys):
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text(yaml.safe_dump([MERPEL, {**MERPEL, "spelling": "Merpool"}]))
    out = tmp_path / "processed"
    assert main(["run", str(SHIPPED_PLAN), "--out", str(out), "--decisions", str(decisions)]) == 0
    captured = capsys.readouterr()
    assert "1 of 2 decision(s) applied" in captured.out
    assert (
        "decision (alias 'Merpool') not applied: the plan no longer has this spelling"
        in captured.err
    )
    page = (out / "validation" / "index.html").read_text()
    assert "Overrides: decisions applied by hand" in page and "NOT APPLIED" in page
    assert "organisation_similarity" not in set(pd.read_csv(out / "review.csv").reason)


@pytest.mark.slow
def test_strict_stops_the_run_on_a_decision_that_no_longer_applies(tmp_path, capsys):
    decisions = tmp_path / "decisions.yaml"
    stale = {"kind": "accept", "action_id": "P1-85e86ec49bfa", "reason": "no_organisation"}
    decisions.write_text(yaml.safe_dump([MERPEL, {**stale, "by": "A. Analyst", "why": "x"}]))
    out = tmp_path / "processed"
    args = ["run", str(SHIPPED_PLAN), "--out", str(out), "--decisions", str(decisions)]
    assert main([*args, "--strict"]) == 2
    (line,) = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error")]
    assert "1 decision(s) no longer apply, the first (accept 'P1-85e86ec49bfa')" in line
    assert not out.exists()
    assert main(args) == 0  # without --strict: a warning, and the release


def test_a_broken_decisions_file_stops_the_run_with_its_name(tmp_path, capsys):
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text(yaml.safe_dump([{**MERPEL, "org_id": "no-such-org"}]))
    assert (
        main(
            ["run", str(SHIPPED_PLAN), "--out", str(tmp_path / "p"), "--decisions", str(decisions)]
        )
        == 2
    )
    assert (
        f"{decisions}: entry 1 (alias): no-such-org not in the registry" in capsys.readouterr().err
    )


def test_a_review_entry_is_new_unless_the_last_period_listed_it():
    from pipeline.review import mark_new, review_entries

    def entries(*values):
        return review_entries(
            [
                {"action_id": "P1-a", "field": "timescale_raw", "reason": "r", "value": v}
                for v in values
            ]
        )

    marked = mark_new(entries("Mar-23", "May 22-23"), entries("May 22-23"))
    assert marked.new_since_last_period.tolist() == [True, False]
    assert mark_new(entries("Mar-23"), None).new_since_last_period.tolist() == [None]
