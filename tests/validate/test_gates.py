"""Each suite on data that passes (the shipped plan) and on data broken for each blocking check."""

import copy
import datetime as dt
import json
import os
import shutil
from unittest import mock

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.publish.write import read_parquet, write_parquet
from pipeline.reference import load_registry_records
from pipeline.review import review_entries
from pipeline.schema import CELL_FIELDS, COLUMN_GROUPS, REQUIRED_FIELDS
from pipeline.stages import PUBLISHED_TABLES
from pipeline.validate import extract_parameters, gates, normalise_parameters, publish_parameters
from pipeline.validate.gates import SuiteError, load_suite, outcomes_to_review, run_gate
from pipeline.validate.release_check import FILES_TABLE, release_check_tables
from tests.conftest import CONFIG, write_as_published
from tests.validate.conftest import EXPECTATIONS


def suite(stage, only=None):
    """A stage's suite; with ``only``, just the expectation of that key (see _key)."""
    spec = load_suite(EXPECTATIONS / f"{stage}.json")
    if only:
        spec["expectations"] = [e for e in spec["expectations"] if _spec_key(e, stage) == only]
        assert spec["expectations"], only
    return spec


def _key(name: str, table: str, kwargs: dict, stage: str) -> str:
    """An expectation told apart from every other in its suite: its table (publish checks
    several), its name, and whether it is the share-of-rows ("mostly") form."""
    prefix = f"{table}:" if stage == "publish" else ""
    return prefix + name + (" mostly" if "mostly" in kwargs else "")


def _spec_key(spec, stage):
    column = spec["kwargs"].get("column") or ",".join(
        spec["kwargs"][k] for k in ("column_A", "column_B") if k in spec["kwargs"]
    )
    name = f"{spec['type']}({column})" if column else spec["type"]
    table = spec["meta"].get("table", {"extract": "rows", "normalise": "actions"}.get(stage))
    return _key(name, table, spec["kwargs"], stage)


def blocking_names(stage):
    return {
        _spec_key(spec, stage)
        for spec in suite(stage)["expectations"]
        if spec["severity"] == "critical"
    }


def failed_keys(report):
    return {_key(o.name, o.table, o.kwargs, report.stage) for o in report.blocking_failures}


def extract_gate(rows, only=None, unplaced_words=()):
    """The extract gate on ``rows`` and, as the reader would report them, words in no cell."""
    parameters = extract_parameters(rows)
    unplaced = review_entries(
        [
            {"source_locator": where, "value": words, "reason": "words_not_placed"}
            for where, words in unplaced_words
        ]
    )
    tables = {"rows": rows, "unplaced_words": unplaced}
    return run_gate("extract", tables, suite("extract", only), parameters.values, "extract.json")


def normalise_gate(actions, only=None):
    parameters = normalise_parameters(
        [r["id"] for r in load_registry_records()],
        ["amber", "blue", "green", "red"],
        CONFIG.max_doubtful_timescale_share,
    )
    spec = suite("normalise", only)
    return run_gate("normalise", {"actions": actions}, spec, parameters.values, "normalise.json")


def set_cell(frame, row, column, value):
    broken = frame.copy()
    broken[column] = broken[column].astype(object)
    broken.at[row, column] = value
    return broken


# How to break the shipped rows for each blocking expectation of the extract suite.
EXTRACT_BREAKS = {
    "expect_column_distinct_values_to_equal_set(priority_number)": lambda rows: rows[
        rows.priority_number != 3
    ],
    **{
        f"expect_column_values_to_not_be_null({column})": (
            lambda rows, column=column: set_cell(rows, 5, column, None)
        )
        for column in REQUIRED_FIELDS
    },
    "expect_column_values_to_be_in_set(focus)": lambda rows: set_cell(rows, 5, "focus", "Internel"),
    "expect_column_values_to_be_in_set(delivery)": lambda rows: set_cell(
        rows, 5, "delivery", "Tactical"
    ),
    **{
        f"expect_column_values_to_not_match_regex({column})": (
            lambda rows, column=column: set_cell(rows, 5, column, "-----")
        )
        for column in CELL_FIELDS
    },
}


def test_words_in_no_cell_stop_the_extract_gate_with_the_words_and_where(shipped_rows):
    name = "expect_column_values_to_be_null(value)"
    report = extract_gate(shipped_rows, name, [("page 1 row 3", "Partnership Strategic")])
    (failure,) = report.blocking_failures
    assert failure.table == "unplaced_words"
    assert (failure.failures[0].value, failure.failures[0].source_locator) == (
        "Partnership Strategic",
        "page 1 row 3",
    )


def test_every_blocking_extract_expectation_has_a_break():
    # the words-in-no-cell check has its own test above: it breaks a table, not a row
    assert blocking_names("extract") == {*EXTRACT_BREAKS, "expect_column_values_to_be_null(value)"}


def test_extract_suite_passes_on_the_shipped_plan(shipped_rows):
    report = extract_gate(shipped_rows)
    assert report.success and not report.warnings
    assert len(report.outcomes) == len(suite("extract")["expectations"])


# A break is shown to be caught by running its expectation alone (the whole suite takes
# 20 times as long); the whole suite runs on the clean plan above and in test_release.py.
@pytest.mark.parametrize("name", sorted(EXTRACT_BREAKS))
def test_extract_suite_stops_each_break(shipped_rows, name):
    report = extract_gate(EXTRACT_BREAKS[name](shipped_rows), only=name)
    assert name in failed_keys(report)
    assert not report.success


def test_a_cell_no_one_could_read_as_written_is_caught_and_a_line_break_is_not(shipped_rows):
    name = "expect_column_values_to_not_match_regex(summary)"
    cells = {
        5: "split\tcell",  # a row split into the wrong columns
        6: "\x01\x02\x03 \x04\x05",  # glyph numbers a PDF's font gives no letters for
        7: "Mar-(cid:23)",  # the same as pdfminer writes one
        8: "one\r\ntwo\nthree",  # line breaks are no control codes
    }
    rows = shipped_rows
    for row, cell in cells.items():
        rows = set_cell(rows, row, "summary", cell)
    (failure,) = extract_gate(rows, only=name).blocking_failures
    assert failure.name == name
    assert sorted(f.source_locator for f in failure.failures) == sorted(
        shipped_rows.source_locator[row] for row in (5, 6, 7)
    )


def _doubtful(actions):
    broken = actions.copy()
    broken["confidence"] = ["none"] * 100 + list(broken["confidence"][100:])
    return broken


NORMALISE_BREAKS = {
    "expect_column_values_to_not_be_null(action_id)": lambda a: set_cell(a, 3, "action_id", None),
    "expect_column_values_to_be_unique(action_id)": lambda a: set_cell(
        a, 3, "action_id", a.action_id[4]
    ),
    "expect_column_values_to_be_in_set(lead_org_id)": lambda a: set_cell(
        a, 3, "lead_org_id", "not-in-registry"
    ),
    "expect_column_values_to_be_in_set(delivery_mode)": lambda a: set_cell(
        a, 3, "delivery_mode", "joint"
    ),
    "expect_column_values_to_be_in_set(status)": lambda a: set_cell(a, 3, "status", "late"),
    "expect_column_values_to_be_in_set(confidence)": lambda a: set_cell(
        a, 3, "confidence", "certain"
    ),
    "expect_column_values_to_be_in_set(confidence) mostly": _doubtful,
    "expect_column_values_to_not_be_null(timescale_rule)": lambda a: set_cell(
        a, 3, "timescale_rule", None
    ),
    "expect_column_values_to_not_be_null(end_date)": lambda a: set_cell(
        a, int(a.index[a.status == "scheduled"][0]), "end_date", None
    ),
    "expect_column_pair_values_a_to_be_greater_than_b(end_date,start_date)": lambda a: set_cell(
        set_cell(a, 3, "start_date", dt.date(2024, 1, 1)), 3, "end_date", dt.date(2023, 1, 1)
    ),
    **{
        f"expect_column_values_to_not_match_regex({column})": (
            lambda a, column=column: set_cell(a, 3, column, "text <b>with</b> markup")
        )
        for column in (*COLUMN_GROUPS["line_text"], *COLUMN_GROUPS["paragraph_text"])
    },
    "expect_column_values_to_be_in_set(rag_status)": lambda a: set_cell(
        a, 3, "rag_status", "purple"
    ),
}


def test_every_blocking_normalise_expectation_has_a_break():
    assert blocking_names("normalise") == set(NORMALISE_BREAKS)


def test_normalise_suite_passes_on_the_shipped_plan(shipped_actions):
    report = normalise_gate(shipped_actions)
    assert report.success and not report.warnings
    assert len(report.outcomes) == len(suite("normalise")["expectations"])


@pytest.mark.parametrize("name", sorted(NORMALISE_BREAKS))
def test_normalise_suite_stops_each_break(shipped_actions, name):
    report = normalise_gate(NORMALISE_BREAKS[name](shipped_actions), only=name)
    assert name in failed_keys(report)


def test_summary_with_a_rule_line_is_caught(shipped_actions):
    actions = set_cell(shipped_actions, 3, "summary", "first item\n-----\nsecond")
    assert [o.name for o in normalise_gate(actions).blocking_failures] == [
        "expect_column_values_to_not_match_regex(summary)"
    ]


def test_row_level_warning_sends_the_row_to_review_named_by_the_expectation(shipped_actions):
    actions = shipped_actions
    row = int(actions.index[actions.organisation_raw == "Livv"][0])
    report = normalise_gate(set_cell(actions, row, "lead_org_id", None))
    assert report.success
    (entry,) = outcomes_to_review(report)
    assert entry["reason"] == "normalise:expect_column_values_to_not_be_null(lead_org_id)"
    assert (entry["action_id"], entry["source_locator"]) == (
        actions.action_id[row],
        actions.source_locator[row],
    )


def test_date_outside_the_century_is_a_warning_with_its_row(shipped_actions):
    actions = set_cell(shipped_actions, 3, "end_date", dt.date(2202, 3, 31))
    report = normalise_gate(actions)
    assert report.success
    assert [o.name for o in report.warnings] == ["expect_column_values_to_match_regex(end_date)"]
    assert report.warnings[0].failures[0].value == "2202-03-31"


def publish_gate(folder, only=None, accept_fewer=False):
    """The publish gate as after a release of the shipped plan's 238 actions, given only
    the columns its suite reads, as the publish stage gives it."""
    spec = suite("publish", only)
    columns = gates.columns_checked(spec, FILES_TABLE)
    tables = release_check_tables(folder, list(PUBLISHED_TABLES.values()), columns=columns)
    parameters = publish_parameters(238, CONFIG.min_share_of_last_release, accept_fewer)
    return run_gate("publish", tables, spec, parameters.values, "publish.json")


def test_publish_suite_passes_on_the_shipped_release(shipped_files):
    report = publish_gate(shipped_files)
    assert report.success and not report.warnings


def test_the_release_check_keeps_what_the_suite_reads_and_what_names_a_row(shipped_files):
    # every column is compared between the files; only these stay in memory for the gate
    tables = release_check_tables(
        shipped_files,
        list(PUBLISHED_TABLES.values()),
        columns=lambda table, names: ["period"] if table == "action_history" else [],
    )
    assert list(tables["action_history"].columns) == ["action_id", "period"]
    kept = ["action_id", "source_file", "source_locator", "progress_given"]
    assert list(tables["actions"].columns) == kept
    assert tables[FILES_TABLE]["same_values"].all()


def _edit_csv(folder, table, edit):
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    edit(frame).to_csv(folder / f"{table}.csv", index=False, lineterminator="\n")


PUBLISH_BREAKS = {
    "release_files:expect_column_values_to_be_in_set(csv_columns_match)": lambda f: _edit_csv(
        f, "actions", lambda t: t.rename(columns={"focus": "Focus"})
    ),
    "release_files:expect_column_values_to_be_in_set(parquet_schema_matches)": lambda f: (
        lambda p: p.write_text(p.read_text().replace('"name": "kind"', '"name": "type_of"'))
    )(f / "datapackage.json"),
    "release_files:expect_column_pair_values_to_be_equal(csv_rows,parquet_rows)": lambda f: (
        _edit_csv(f, "milestones", lambda t: t.iloc[:-1])
    ),
    "release_files:expect_column_values_to_be_in_set(same_values)": lambda f: _edit_csv(
        f, "actions", lambda t: t.assign(status="unknown")
    ),
    # written past write_as_published, which would make them null: how a careless writer would
    "release_files:expect_column_values_to_be_in_set(missing_is_null)": lambda f: _write_parquet(
        f, "milestones", lambda t: t.assign(label="")
    ),
    "release_files:expect_column_values_to_be_in_set(list_items_unsplit)": lambda f: _write_parquet(
        f, "organisations", lambda t: t.assign(aliases=[["Knowsley; KMBC"]] * len(t))
    ),
    "action_history:expect_compound_columns_to_be_unique": lambda f: _rewrite(
        f, "action_history", lambda t: pd.concat([t, t.iloc[:1]], ignore_index=True)
    ),
    "action_progress:expect_column_values_to_be_in_set(action_published)": lambda f: _rewrite(
        f, "action_progress", lambda t: t.assign(action_id="P9-orphan")
    ),
    "action_progress:expect_column_values_to_be_unique(action_id)": lambda f: _rewrite(
        f, "action_progress", lambda t: pd.concat([t, t.iloc[:1]], ignore_index=True)
    ),
    "action_progress:expect_column_values_to_be_in_set(slip_consistent)": lambda f: _rewrite(
        f,
        "action_progress",
        lambda t: t.assign(
            original_end_date=t.current_end_date, slip_days=[7] * len(t), slip_months=[0] * len(t)
        ),
    ),
    "action_progress:expect_column_values_to_be_in_set(delivery_status)": lambda f: _rewrite(
        f, "action_progress", lambda t: t.assign(delivery_status="slipping a bit")
    ),
    "actions:expect_column_values_to_be_in_set(progress_given)": lambda f: _rewrite(
        f, "action_progress", lambda t: t.iloc[1:]
    ),
    "milestones:expect_column_values_to_be_in_set(action_published)": lambda f: _rewrite(
        f, "milestones", lambda t: t.assign(action_id="P9-orphan")
    ),
    "action_organisations:expect_column_values_to_be_in_set(action_published)": lambda f: _rewrite(
        f, "action_organisations", lambda t: t.assign(action_id="P9-orphan")
    ),
    "review:expect_column_values_to_be_in_set(action_published)": lambda f: _rewrite(
        f, "review", lambda t: t.assign(action_id="P9-orphan")
    ),
    "action_organisations:expect_column_values_to_be_in_set(organisation_described)": lambda f: (
        _rewrite(f, "action_organisations", lambda t: t.assign(org_id="unknown-org"))
    ),
    "actions:expect_table_row_count_to_be_between": lambda f: _rewrite(
        f, "actions", lambda t: t.iloc[:100]
    ),
    "organisations:expect_column_values_to_be_unique(org_id)": lambda f: _rewrite(
        f, "organisations", lambda t: pd.concat([t, t.iloc[:1]], ignore_index=True)
    ),
}


def test_accepting_fewer_actions_lets_a_shrunken_plan_through(shipped_files, tmp_path):
    folder = tmp_path / "release"
    shutil.copytree(shipped_files, folder)
    PUBLISH_BREAKS["actions:expect_table_row_count_to_be_between"](folder)
    name = "actions:expect_table_row_count_to_be_between"
    assert publish_parameters(238, CONFIG.min_share_of_last_release, True).values["min_rows"] == 0
    assert publish_parameters(None, CONFIG.min_share_of_last_release, False).values["min_rows"] == 0
    basis = publish_parameters(238, 0.8, False, "release R (2022/23)").basis["min_rows"]
    assert (
        basis
        == "min_share_of_last_release (0.8) of the 238 actions of release R (2022/23), rounded up"
    )
    assert publish_gate(folder, only=name, accept_fewer=True).success


def _rewrite(folder, table_name, edit):
    table = PUBLISHED_TABLES[table_name]
    write_as_published(edit(read_parquet(table, folder / f"{table_name}.parquet")), table, folder)


def _write_parquet(folder, table_name, edit):
    table = PUBLISHED_TABLES[table_name]
    path = folder / f"{table_name}.parquet"
    write_parquet(edit(read_parquet(table, path)), table, path)


def test_every_blocking_publish_expectation_has_a_break():
    assert blocking_names("publish") == set(PUBLISH_BREAKS)


@pytest.mark.parametrize("name", sorted(PUBLISH_BREAKS))
def test_publish_suite_stops_each_break(shipped_files, tmp_path, name):
    folder = tmp_path / "release"
    shutil.copytree(shipped_files, folder)
    PUBLISH_BREAKS[name](folder)
    report = publish_gate(folder, only=name)
    assert name in failed_keys(report)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda s: s["expectations"].append(
                {**s["expectations"][0], "type": "expect_it_to_be_nice"}
            ),
            "GX built",
        ),
        (lambda s: s["expectations"][0].pop("severity"), "needs severity"),
        (lambda s: s["expectations"][0]["meta"].pop("why"), "needs meta.why"),
        (lambda s: s["expectations"][0]["kwargs"].update(colum="x"), "ValidationError"),
    ],
)
def test_a_broken_suite_file_is_refused_with_the_reason(tmp_path, edit, message):
    spec = copy.deepcopy(suite("normalise"))
    edit(spec)
    path = tmp_path / "normalise.json"
    path.write_text(json.dumps(spec))
    with pytest.raises(SuiteError, match=message):
        load_suite(path)


def test_a_check_that_cannot_be_evaluated_fails_instead_of_passing(shipped_actions):
    spec = {
        "expectations": [
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "end_date", "min_value": "2000-01-01"},
                "severity": "critical",
                "meta": {"why": "dates compared with text cannot be evaluated"},
            }
        ]
    }
    report = run_gate("normalise", {"actions": shipped_actions}, spec, {}, "x")
    (outcome,) = report.blocking_failures
    assert outcome.error.startswith("could not be evaluated")


def _expect_in_set(kwargs: dict) -> dict:
    return {
        "type": "expect_column_values_to_be_in_set",
        "kwargs": {"column": "focus", "value_set": ["Internal"], **kwargs},
        "severity": "critical",
        "meta": {"why": "x"},
    }


def test_gx_sees_the_columns_a_check_or_its_row_condition_names_and_no_others():
    # GX is given only the columns named (a 23,800-row plan's other columns cost more
    # to convert and hash than the checks); a row condition's column must come along
    table = pd.DataFrame(
        {
            "focus": ["Internal", "Other", "Other"],
            "status": ["", "", "kept"],
            "unnamed": [{"a": object()}] * 3,  # would not survive conversion
        }
    )
    condition = {
        "type": "comparison",
        "column": {"name": "status"},
        "operator": "!=",
        "parameter": "",
    }
    spec = {"expectations": [_expect_in_set({}), _expect_in_set({"row_condition": condition})]}
    report = run_gate("extract", {"rows": table}, spec, {}, "x")
    everywhere, where_kept = report.outcomes
    assert everywhere.unexpected_count == 2 and where_kept.unexpected_count == 1
    missing = {"expectations": [_expect_in_set({"column": "not_there"})]}
    (outcome,) = run_gate("extract", {"rows": table}, missing, {}, "x").outcomes
    assert not outcome.success and "not_there" in outcome.error


def _shared_out_gate() -> tuple[dict, dict]:
    """Two tables and five checks, each finding a different number of offending rows."""
    rows = pd.DataFrame(
        {
            "focus": ["Internal", "External", "Partnership", "Other"],
            "source_locator": ["line 1", "line 2", "line 3", "line 4"],
        }
    )
    words = pd.DataFrame({"value": ["stray"], "source_locator": ["line 9"]})
    kept = [["Internal"], ["Internal", "External"], ["Internal", "External", "Partnership"]]
    spec = {
        "expectations": [
            *(_expect_in_set({"value_set": value_set}) for value_set in kept),
            {
                "type": "expect_table_row_count_to_equal",
                "kwargs": {"value": 0},
                "severity": "warning",
                "meta": {"why": "x", "table": "unplaced_words"},
            },
            _expect_in_set({"value_set": []}),
        ]
    }
    return {"rows": rows, "unplaced_words": words}, spec


def _found(report) -> list[tuple]:
    return [
        (o.table, o.unexpected_count, o.observed, [f.source_locator for f in o.failures])
        for o in report.outcomes
    ]


def test_checks_shared_with_a_forked_process_come_back_each_as_its_own():
    # about half the checks are evaluated by a forked process: each outcome must still
    # be its own expectation's, in the suite's order by table, naming its own rows
    tables, spec = _shared_out_gate()
    assert _found(run_gate("extract", tables, spec, {}, "x")) == [
        ("rows", 3, None, ["line 2", "line 3", "line 4"]),
        ("rows", 2, None, ["line 3", "line 4"]),
        ("rows", 1, None, ["line 4"]),
        ("rows", 4, None, ["line 1", "line 2", "line 3", "line 4"]),
        ("unplaced_words", 0, 1, []),
    ]


def test_when_the_forked_process_dies_its_checks_are_evaluated_here(monkeypatch):
    tables, spec = _shared_out_gate()
    expected = _found(run_gate("extract", tables, spec, {}, "x"))
    here, evaluate = os.getpid(), gates._evaluate

    def dies_when_forked(*arguments):
        if os.getpid() != here:
            os._exit(1)
        return evaluate(*arguments)

    monkeypatch.setattr(gates, "_evaluate", dies_when_forked)
    assert _found(run_gate("extract", tables, spec, {}, "x")) == expected


def _expect(kind: str, column: str | None = None, **kwargs) -> dict:
    return {
        "type": kind,
        "kwargs": ({"column": column} if column else {}) | kwargs,
        "severity": "warning",
        "meta": {"why": f"why {column}"},
    }


STACKABLE_CHECKS = [
    ("expect_column_values_to_not_be_null", {}),
    ("expect_column_values_to_be_null", {}),
    ("expect_column_values_to_match_regex", {"regex": "^[a-z]+$"}),
    ("expect_column_values_to_not_match_regex", {"regex": "\\t|^x"}),
    ("expect_column_values_to_be_in_set", {"value_set": ["a", "b", 3, True]}),
    ("expect_column_values_to_not_be_in_set", {"value_set": ["a", ""]}),
    ("expect_column_value_lengths_to_be_between", {"min_value": 1, "max_value": 2}),
]

# Cells of every kind a gate frame holds: text, empty text, None, NaN, numbers, flags, a tab.
AWKWARD_CELLS = ["a", "b", "", None, float("nan"), 3, 3.5, True, False, "x\ty", "xyz", "A"]


def _outcomes_alone(tables: dict, spec: dict) -> list:
    """What GX gives each expectation set up on its own column, in the suite's order."""
    units = [[(gates._table_of(e, next(iter(tables))), e)] for e in spec["expectations"]]
    return [found for (found,) in gates._evaluate(tables, units, {})]


@pytest.mark.parametrize(("kind", "kwargs"), STACKABLE_CHECKS, ids=[k for k, _ in STACKABLE_CHECKS])
def test_one_check_on_several_columns_is_judged_once_and_reported_per_column(kind, kwargs):
    # GX sets the check up once on the columns stacked into one; each column's outcome
    # must be the one GX gives that column alone: the same count, values and rows
    cells = AWKWARD_CELLS
    table = pd.DataFrame(
        {
            "first": cells,
            "second": cells[::-1],
            "third": ["a"] * len(cells),
            "source_locator": [f"line {n}" for n in range(len(cells))],
        }
    )
    spec = {"expectations": [_expect(kind, c, **kwargs) for c in ("first", "second", "third")]}
    tables = {"rows": table}
    with mock.patch.object(gates, "_validate", wraps=gates._validate) as validate:
        outcomes = run_gate("extract", tables, spec, {}, "x").outcomes
    (judged,) = {tuple(call.args[1].columns) for call in validate.call_args_list}
    assert judged == (gates._STACKED,)  # once, on the stack, in the run's process
    assert any(o.unexpected_count for o in outcomes)
    assert outcomes == _outcomes_alone(tables, spec)


def test_a_stack_keeps_the_suites_order_and_leaves_out_what_judges_a_column_whole():
    table = pd.DataFrame({"a": ["x", None], "b": [None, "y"], "c": ["z", "z"]})
    spec = {
        "expectations": [
            _expect("expect_column_values_to_not_be_null", "a"),
            _expect("expect_column_values_to_be_unique", "c"),
            _expect("expect_column_values_to_not_be_null", "b", mostly=0.4),  # judged whole
            _expect("expect_column_values_to_not_be_null", "not_there"),  # GX says missing
            _expect("expect_column_values_to_not_be_null", "c"),
            _expect("expect_column_values_to_not_be_null", "b"),
        ]
    }
    jobs = [("rows", e) for e in spec["expectations"]]
    assert gates._units(jobs, {"rows": table}) == [[0, 4, 5], [1], [2], [3]]
    outcomes = run_gate("extract", {"rows": table}, spec, {}, "x").outcomes
    assert [(o.kwargs["column"], o.success, o.unexpected_count) for o in outcomes] == [
        ("a", False, 1),
        ("c", False, 2),
        ("b", True, 1),
        ("not_there", False, 0),
        ("c", True, 0),
        ("b", False, 1),
    ]
    assert "not_there" in outcomes[3].error
    assert outcomes == _outcomes_alone({"rows": table}, spec)


def test_a_stack_gx_cannot_evaluate_is_evaluated_column_by_column():
    table = pd.DataFrame({"a": ["x"], "b": ["y"]})
    spec = {
        "expectations": [
            _expect("expect_column_values_to_match_regex", c, regex="(unclosed") for c in "ab"
        ]
    }
    outcomes = run_gate("extract", {"rows": table}, spec, {}, "x").outcomes
    assert all(o.error.startswith("could not be evaluated") for o in outcomes)
    assert outcomes == _outcomes_alone({"rows": table}, spec)


@settings(deadline=None, max_examples=25)
@given(
    kind=st.sampled_from(STACKABLE_CHECKS),
    columns=st.lists(
        st.lists(st.sampled_from(AWKWARD_CELLS), min_size=0, max_size=4), min_size=2, max_size=3
    ),
)
def test_a_stack_reports_what_each_column_alone_would(kind, columns):
    rows = min(map(len, columns))
    table = pd.DataFrame({f"c{n}": cells[:rows] for n, cells in enumerate(columns)})
    spec = {"expectations": [_expect(kind[0], c, **kind[1]) for c in table.columns]}
    assert run_gate("extract", {"rows": table}, spec, {}, "x").outcomes == _outcomes_alone(
        {"rows": table}, spec
    )


def test_one_check_on_columns_of_several_tables_names_each_tables_rows():
    # the publish gate asks "all true" of a column in each of seven tables
    tables = {
        "files": pd.DataFrame({"same": [True, False], "source_locator": ["f1", "f2"]}),
        "empty": pd.DataFrame({"published": pd.Series([], dtype=object)}),
        "links": pd.DataFrame({"published": [False, True, False], "action_id": ["A", "B", "C"]}),
    }
    checks = [("files", "same"), ("empty", "published"), ("links", "published")]
    spec = {
        "expectations": [
            {
                **_expect("expect_column_values_to_be_in_set", c, value_set=[True]),
                "meta": {"why": "x", "table": t},
            }
            for t, c in checks
        ]
    }
    jobs = [(t, e) for (t, _), e in zip(checks, spec["expectations"], strict=True)]
    assert gates._units(jobs, tables) == [[0, 1, 2]]
    outcomes = run_gate("publish", tables, spec, {}, "x").outcomes
    assert [
        (o.table, o.unexpected_count, [(f.action_id, f.source_locator) for f in o.failures])
        for o in outcomes
    ] == [
        ("files", 1, [(None, "f2")]),
        ("empty", 0, []),
        ("links", 2, [("A", None), ("C", None)]),
    ]
    assert outcomes == _outcomes_alone(tables, spec)


@pytest.mark.parametrize("columns", [["focus"], ["focus", "delivery"]], ids=["alone", "stacked"])
def test_every_offending_row_is_named_though_gx_lists_200_values(columns):
    # GX lists every offending row's index but at most 200 of the values; a warning
    # sends each row it names to the review list, so none may be dropped
    rows = 500  # every other cell empty: 250 offend each check
    table = pd.DataFrame(
        {
            **{c: ["Other", None] * (rows // 2) for c in columns},
            "source_locator": [f"line {n}" for n in range(rows)],
        }
    )
    spec = {
        "expectations": [
            *(_expect("expect_column_values_to_be_in_set", c, value_set=["In"]) for c in columns),
            *(_expect("expect_column_values_to_not_be_null", c) for c in columns),
        ]
    }
    report = run_gate("extract", {"rows": table}, spec, {}, "x")
    for outcome, first in zip(
        report.outcomes, [0] * len(columns) + [1] * len(columns), strict=True
    ):
        assert outcome.unexpected_count == 250
        assert [f.source_locator for f in outcome.failures] == [
            f"line {n}" for n in range(first, rows, 2)
        ]
        assert {f.value for f in outcome.failures} == {"(empty)" if first else "Other"}
    assert len(outcomes_to_review(report)) == len(spec["expectations"]) * 250


def test_a_pair_that_differs_is_shown_as_both_cells():
    table = pd.DataFrame({"csv": ["1", None, "3"], "parquet": ["1", "2", float("nan")]})
    spec = {
        "expectations": [
            _expect("expect_column_pair_values_to_be_equal", column_A="csv", column_B="parquet"),
            _expect("expect_column_values_to_not_be_null", "parquet"),
        ]
    }
    pair, nulls = run_gate("publish", {"files": table}, spec, {}, "x").outcomes
    assert [f.value for f in pair.failures] == ["(None, '2')", "('3', None)"]
    assert [f.value for f in nulls.failures] == ["(empty)"]  # NaN is as empty as None


def test_a_table_too_long_to_gain_is_judged_column_by_column():
    # on a long table GX's hashing of one long stacked column costs more than the set-ups
    # it saves; a real plan's few hundred rows are far below the limit
    checks = [_expect("expect_column_values_to_not_be_null", c) for c in ("a", "b")]
    for rows, units in [(gates._STACKED_ROWS, [[0, 1]]), (gates._STACKED_ROWS + 1, [[0], [1]])]:
        table = pd.DataFrame({"a": ["x"] * rows, "b": ["y"] * rows})
        assert gates._units([("rows", e) for e in checks], {"rows": table}) == units
