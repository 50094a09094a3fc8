"""Quality gates: each stage's output checked against its suite in expectations/.

A suite is a Great Expectations 1.x suite file. Each expectation carries a
``severity``: ``critical`` blocks the run, ``warning`` is reported and the run
goes on (a warning that names rows sends them to the review list), and a
``meta.why`` saying why it exists. ``meta.table`` picks which of the stage's
tables it checks (default: the stage's first table). Values known only at run
time (the last release's size, the registry's ids) come in as suite parameters.

An expectation that cannot be evaluated counts as failed: a gate never passes
because a check broke.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
import math
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from pipeline.forking import WorkFailed, alongside
from pipeline.schema import COLUMN_GROUPS

BLOCKING = "critical"
WARNING = "warning"


class SuiteError(ValueError):
    """A suite file that cannot be used as written."""


class GateFailed(Exception):
    """A stage's output failed a blocking expectation; nothing may be published."""

    def __init__(self, report: GateReport) -> None:
        self.report = report
        super().__init__(report.failure_message())


@dataclass(frozen=True)
class Failure:
    """One offending value, and where it came from."""

    value: str
    action_id: str | None = None
    source_file: str | None = None
    source_locator: str | None = None


@dataclass(frozen=True)
class Outcome:
    """One expectation's result, in the terms the reports and the review list use."""

    table: str
    expectation: str
    kwargs: dict
    why: str
    blocking: bool
    success: bool
    observed: object = None
    unexpected_count: int = 0
    failures: tuple[Failure, ...] = ()
    error: str = ""

    @property
    def name(self) -> str:
        """``expect_x(column)``: how messages and the review list name it."""
        column = self.kwargs.get("column") or ",".join(
            str(self.kwargs[k]) for k in ("column_A", "column_B") if k in self.kwargs
        )
        return f"{self.expectation}({column})" if column else self.expectation


@dataclass
class GateReport:
    stage: str
    suite_file: str
    parameters: dict
    outcomes: list[Outcome] = field(default_factory=list)
    basis: dict[str, str] = field(default_factory=dict)  # where each parameter comes from
    facts: dict = field(default_factory=dict)  # counts a person checks the stage by

    @property
    def success(self) -> bool:
        return not self.blocking_failures

    @property
    def blocking_failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.blocking and not o.success]

    @property
    def warnings(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.blocking and not o.success]

    def failure_message(self) -> str:
        """A few lines naming each failed blocking expectation and its first offending values."""
        lines = [f"{self.stage} gate failed: {len(self.blocking_failures)} blocking expectation(s)"]
        for outcome in self.blocking_failures:
            detail = outcome.error or _observed_text(outcome)
            lines.append(f"  {outcome.table}: {outcome.name} - {outcome.why} {detail}".rstrip())
            for failure in outcome.failures[:3]:
                where = ", ".join(filter(None, [failure.action_id, failure.source_locator]))
                lines.append(f"      {failure.value[:80]}" + (f"  at {where}" if where else ""))
            if outcome.unexpected_count > 3:
                lines.append(f"      ... {outcome.unexpected_count} in all")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "stage": self.stage,
            "suite": self.suite_file,
            "success": self.success,
            "parameters": self.parameters,
            "basis": self.basis,
            "facts": self.facts,
            "results": [_outcome_dict(o) for o in self.outcomes],
        }


def load_suite(path: Path) -> dict:
    """A suite file, checked: every expectation must be one GX can run.

    GX 1.x logs and skips an expectation it does not know instead of raising,
    so the number it builds is compared with the number in the file.
    """
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise SuiteError(f"{path}: cannot be read as JSON ({error})") from None
    expectations = spec.get("expectations") or []
    for number, expectation in enumerate(expectations, 1):
        if expectation.get("severity") not in (BLOCKING, WARNING):
            raise SuiteError(f"{path}: expectation {number} needs severity critical or warning")
        if not (expectation.get("meta") or {}).get("why"):
            raise SuiteError(f"{path}: expectation {number} needs meta.why saying why it exists")
    expectations = [
        each
        for number, expectation in enumerate(expectations, 1)
        for each in _per_column(expectation, f"{path}: expectation {number}")
    ]
    spec = {**spec, "expectations": expectations}
    built = _build_suite(spec, path)
    if len(built.expectations) != len(expectations):
        raise SuiteError(
            f"{path}: {len(expectations)} expectations in the file but GX built "
            f"{len(built.expectations)}; an expectation type is misspelt or unknown"
        )
    return spec


def _per_column(expectation: dict, where: str) -> list[dict]:
    """An expectation whose column is ``{"$COLUMNS": group}`` stands for one per column
    of that group in pipeline/schema.py (COLUMN_GROUPS), "{column}" in its why naming
    each: a field declared there is checked without editing the suite."""
    column = expectation["kwargs"].get("column")
    if not isinstance(column, dict) or "$COLUMNS" not in column:
        return [expectation]
    group = column["$COLUMNS"]
    if group not in COLUMN_GROUPS:
        raise SuiteError(f"{where}: no column group {group!r} ({', '.join(COLUMN_GROUPS)})")
    return [
        {
            **expectation,
            "kwargs": {**expectation["kwargs"], "column": name},
            "meta": {**expectation["meta"], "why": expectation["meta"]["why"].format(column=name)},
        }
        for name in COLUMN_GROUPS[group]
    ]


def run_gate(
    stage: str, tables: dict[str, pd.DataFrame], suite: dict, parameters: dict, suite_file: str
) -> GateReport:
    """Validate ``tables`` (name -> frame) against ``suite`` through GX.

    GX spends most of a gate's time setting up each expectation, on one core, so
    expectations that differ only in their column are set up once (see
    _stacked_outcomes) and the work is shared between two processes. Never
    raises on a failed expectation: the report says what failed.
    """
    default_table = next(iter(tables))
    jobs = [(_table_of(e, default_table), e) for e in suite["expectations"]]
    jobs.sort(key=lambda job: list(tables).index(job[0]))
    units = _units(jobs, tables)
    evaluated = _evaluate_on_two_cores(
        tables, [[jobs[n] for n in unit] for unit in units], parameters
    )
    placed = {
        n: outcome
        for unit, found in zip(units, evaluated, strict=True)
        for n, outcome in zip(unit, found, strict=True)
    }
    report = GateReport(stage, suite_file, parameters)
    report.outcomes = [placed[n] for n in range(len(jobs))]
    return report


Job = tuple[str, dict]  # a table, and an expectation on it


# Expectations judged value by value, with no observed value of their own: the same
# expectation on several columns can be judged on the columns stacked into one.
_STACKABLE = frozenset(
    {
        "expect_column_values_to_be_null",
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_not_match_regex",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_not_be_in_set",
        "expect_column_value_lengths_to_be_between",
    }
)
_STACKABLE_KWARGS = frozenset({"column", "regex", "value_set", "min_value", "max_value"})


def _units(jobs: list[Job], tables: dict[str, pd.DataFrame]) -> list[list[int]]:
    """The positions in ``jobs`` GX evaluates together: one each, except expectations that
    differ only in their column (of any table), which go together. One with a ``mostly``
    or a row condition judges its column as a whole, and one on a column the table lacks
    is GX's to report missing: those stay apart, as do tables too long to gain by it."""
    units: dict[object, list[int]] = {}
    for n, (table, expectation) in enumerate(jobs):
        kwargs = expectation["kwargs"]
        stackable = (
            expectation["type"] in _STACKABLE
            and set(kwargs) <= _STACKABLE_KWARGS
            and isinstance(kwargs.get("column"), str)
            and kwargs["column"] in tables[table].columns
            and len(tables[table]) <= _STACKED_ROWS
        )
        others = {k: v for k, v in kwargs.items() if k != "column"}
        key = (expectation["type"], json.dumps(others, sort_keys=True)) if stackable else n
        units.setdefault(key, []).append(n)
    return list(units.values())


# Setting an expectation up costs GX about as long as judging this many cells (15 ms,
# against 1.5 to 2.5 microseconds a cell on the 100-times corpus).
_SETUP_CELLS = 10_000
# Judging a stack costs GX more a cell than judging its columns one by one (it hashes
# and factorises one long column): on the 100-times corpus's 23,900 rows stacking
# lost more than it saved, while on the 239 of a real plan it saves a quarter of the gates.
_STACKED_ROWS = 5_000


def _cells(tables: dict[str, pd.DataFrame], unit: list[Job]) -> int:
    """How many cells GX judges for ``unit``: a row of its table for each expectation."""
    return sum(len(tables[table]) for table, _ in unit)


def _evaluate_on_two_cores(
    tables: dict[str, pd.DataFrame], units: list[list[Job]], parameters: dict
) -> list[list[Outcome]]:
    """Units dealt between this process and a forked one by what they cost, the costliest
    first to whichever has less to do; each process evaluates its own in order."""
    if len(units) < 2:
        return _evaluate(tables, units, parameters)
    halves: tuple[list[int], list[int]] = ([], [])
    load = [0, 0]
    costs = [_SETUP_CELLS + _cells(tables, unit) for unit in units]
    for n in sorted(range(len(units)), key=lambda n: -costs[n]):
        side = 0 if load[0] <= load[1] else 1
        halves[side].append(n)
        load[side] += costs[n]
    ours, theirs = (sorted(half) for half in halves)
    _batch_definition()  # made once, before the fork, for both processes
    with alongside(_evaluate, tables, [units[n] for n in theirs], parameters) as evaluated:
        found = dict(
            zip(ours, _evaluate(tables, [units[n] for n in ours], parameters), strict=True)
        )
        try:
            others = evaluated()
        except WorkFailed:  # evaluated here instead, so a check that broke fails as itself
            others = _evaluate(tables, [units[n] for n in theirs], parameters)
    found |= dict(zip(theirs, others, strict=True))
    return [found[n] for n in range(len(units))]


def _evaluate(
    tables: dict[str, pd.DataFrame], units: list[list[Job]], parameters: dict
) -> list[list[Outcome]]:
    """The outcomes of each unit, in order: single expectations in one batch per table,
    each stack in a batch of its own."""
    evaluated: dict[int, list[Outcome]] = {}
    singles = [(n, unit[0]) for n, unit in enumerate(units) if len(unit) == 1]
    for table, grouped in itertools.groupby(singles, key=lambda single: single[1][0]):
        numbered = [(n, expectation) for n, (_, expectation) in grouped]
        expectations = [expectation for _, expectation in numbered]
        frame = tables[table].reset_index(drop=True)
        checked = _gate_frame(frame[_columns_checked(expectations, list(frame.columns))])
        results = _validate(table, checked, expectations, parameters)
        for (n, expectation), result in zip(numbered, results, strict=True):
            evaluated[n] = [_outcome(table, expectation, result, frame, checked)]
    for n, unit in enumerate(units):
        if len(unit) > 1:
            evaluated[n] = _stacked_outcomes(tables, unit, parameters)
    return [evaluated[n] for n in range(len(units))]


_STACKED = "stacked"


def _stacked_outcomes(
    tables: dict[str, pd.DataFrame], unit: list[Job], parameters: dict
) -> list[Outcome]:
    """Expectations that differ only in their column, judged by GX once on those columns
    stacked into one and split back by the rows each offending value came from: GX still
    judges every value, but sets the expectation up once instead of once per column.

    A stack GX could not evaluate, or whose offending values it did not list one by one,
    is evaluated column by column instead, so each outcome is its column's own.
    """
    frames = [tables[table].reset_index(drop=True) for table, _ in unit]
    columns = [expectation["kwargs"]["column"] for _, expectation in unit]
    judged = [_gate_frame(frame[[c]]) for frame, c in zip(frames, columns, strict=True)]
    stack = pd.concat([j[c] for j, c in zip(judged, columns, strict=True)], ignore_index=True)
    first = unit[0][1]
    spec = {**first, "kwargs": {**first["kwargs"], "column": _STACKED}}
    (result,) = _validate(unit[0][0], pd.DataFrame({_STACKED: stack}), [spec], parameters)
    details = result.result or {}
    indexes = [int(i) for i in details.get("unexpected_index_list") or []]
    count = int(details.get("unexpected_count") or 0)
    listed = len(indexes) == count and bool(result.success) == (count == 0)
    if _error_text(result.exception_info) or not listed:
        return [found for (found,) in _evaluate(tables, [[job] for job in unit], parameters)]
    starts = list(itertools.accumulate((len(frame) for frame in frames), initial=0))
    offending: list[list[int]] = [[] for _ in unit]
    for index in indexes:
        member = bisect.bisect_right(starts, index) - 1
        offending[member].append(index - starts[member])
    evaluated = {k: v for k, v in result.expectation_config.kwargs.items() if k != "batch_id"}
    return [
        Outcome(
            table=table,
            expectation=expectation["type"],
            kwargs={k: column if k == "column" else v for k, v in evaluated.items()},
            why=expectation["meta"]["why"],
            blocking=expectation["severity"] == BLOCKING,
            success=not rows,
            unexpected_count=len(rows),
            failures=_failures(frame, seen[[column]], rows),
        )
        for (table, expectation), frame, seen, column, rows in zip(
            unit, frames, judged, columns, offending, strict=True
        )
    ]


def outcomes_to_review(report: GateReport) -> list[dict]:
    """Review rows for the rows a warning names, with the expectation as the reason."""
    return [
        {
            "action_id": failure.action_id,
            "source_file": failure.source_file,
            "source_locator": failure.source_locator,
            "field": outcome.kwargs.get("column"),
            "value": failure.value,
            "reason": f"{report.stage}:{outcome.name}",
            "detail": outcome.why,
        }
        for outcome in report.warnings
        for failure in outcome.failures
        if failure.source_locator
    ]


_SCALARS = {str, int, float, bool, type(None)}
_COLUMN_KWARGS = ("column", "column_A", "column_B", "column_list")


def columns_checked(suite: dict, default_table: str) -> Callable[[str, list[str]], list[str]]:
    """Which of a table's columns the suite's expectations read (see _columns_checked);
    ``default_table`` is the one an expectation naming none checks."""

    def checked(table: str, columns: list[str]) -> list[str]:
        return _columns_checked(
            [e for e in suite["expectations"] if _table_of(e, default_table) == table], columns
        )

    return checked


def _table_of(expectation: dict, default_table: str) -> str:
    return (expectation.get("meta") or {}).get("table", default_table)


def _columns_checked(expectations: list[dict], columns: list[str]) -> list[str]:
    """The columns the expectations name, in the table's order: GX converts and hashes
    every column it is given, which on a large plan cost more than the checks. An
    expectation about the table's columns themselves gets them all."""
    named = set()
    for expectation in expectations:
        kwargs = expectation["kwargs"]
        condition = kwargs.get("row_condition")
        if expectation["type"].startswith("expect_table_column") or isinstance(condition, str):
            return columns  # a condition as text may name any column
        named.update(_named_columns(kwargs), _condition_columns(condition))
    # a name not in the table stays out, so GX reports it missing as it would have
    kept = [name for name in columns if name in named]
    return kept or columns[:1]  # a row count needs the rows, not their cells


def _named_columns(kwargs: dict) -> list[str]:
    """The columns an expectation's kwargs name, in their order."""
    named = []
    for key in _COLUMN_KWARGS:
        value = kwargs.get(key)
        named += value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return named


def _condition_columns(condition) -> set[str]:
    """The columns a structured row_condition compares: each ``{"column": {"name": ...}}``."""
    if isinstance(condition, list):
        return set().union(*map(_condition_columns, condition))
    if not isinstance(condition, dict):
        return set()
    found = set()
    for key, value in condition.items():
        if key == "column" and isinstance(value, dict) and isinstance(value.get("name"), str):
            found.add(value["name"])
        else:
            found |= _condition_columns(value)
    return found


def _gate_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as GX can compare it: dates as ISO text, lists joined, objects as JSON,
    None kept."""

    def plain(value):
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return ";".join(map(str, value))
        if hasattr(value, "tolist") and not isinstance(value, str):
            return ";".join(map(str, value.tolist()))
        return value

    def column(values: pd.Series) -> pd.Series:
        cells = values.tolist()
        if set(map(type, cells)) <= _SCALARS:  # most columns: nothing to convert
            return pd.Series(cells, dtype=object)
        return pd.Series([plain(v) for v in cells], dtype=object)

    return pd.DataFrame({name: column(frame[name]) for name in frame.columns})


_LOADING: list[float] = []  # how long importing GX and making its context took, once done


def gates_loaded() -> float:
    """How long importing GX and making its context took: 0 until something needed GX."""
    return _LOADING[0] if _LOADING else 0.0


@cache
def _context():
    started = time.perf_counter()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from tqdm import tqdm

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    # GX's bars are tqdm's, which starts a thread to watch even hidden ones; a process
    # forked (run_gate forks) while that thread holds tqdm's lock would wait for ever
    tqdm.monitor_interval = 0
    _LOADING.append(time.perf_counter() - started)
    return context


def _build_suite(spec: dict, path: object):
    _context()  # GX reads its analytics switch on import
    from great_expectations.core.expectation_suite import ExpectationSuite

    try:
        return ExpectationSuite(
            name=str(spec.get("name") or path), expectations=spec["expectations"]
        )
    except Exception as error:  # GX raises pydantic, KeyError or its own errors for bad kwargs
        raise SuiteError(f"{path}: {type(error).__name__}: {error}".splitlines()[0]) from None


@cache
def _batch_definition():
    """One data frame asset for every table: each asset added costs GX a config save."""
    asset = _context().data_sources.add_pandas("gates").add_dataframe_asset("table")
    return asset.add_batch_definition_whole_dataframe("whole")


def _validate(table: str, frame: pd.DataFrame, expectations: list[dict], parameters):
    """GX's result for each expectation, in order.

    Every expectation runs with the BASIC result format (observed values and
    counts: what the reports show of a clean check); those that fail or find any
    offending value (a ``mostly`` check can pass with some) run again with
    COMPLETE, which adds every offending row's index so the reports and the
    review list can name where each came from. Those are few, so this costs
    about half of running everything with COMPLETE.
    """
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    results = _run_suite(batch, table, expectations, "BASIC", parameters)
    failed = [
        n
        for n, result in enumerate(results)
        if not result.success or (result.result or {}).get("unexpected_count")
    ]
    if failed:
        detailed = _run_suite(
            batch, table, [expectations[n] for n in failed], "COMPLETE", parameters
        )
        for n, result in zip(failed, detailed, strict=True):
            results[n] = result
    return results


def _run_suite(batch, name: str, expectations: list[dict], result_format: str, parameters):
    """Results in the order of ``expectations`` (GX orders them its own way; ids tell)."""
    numbered = [{**expectation, "id": str(uuid.uuid4())} for expectation in expectations]
    suite = _build_suite({"name": name, "expectations": numbered}, name)
    validated = batch.validate(
        suite, result_format={"result_format": result_format}, expectation_parameters=parameters
    )
    by_id = {result.expectation_config.id: result for result in validated.results}
    return [by_id[expectation["id"]] for expectation in numbered]


def _outcome(table: str, spec: dict, result, frame: pd.DataFrame, judged: pd.DataFrame) -> Outcome:
    """An expectation's outcome from GX's result on ``judged`` (``frame`` as GX saw it)."""
    error = _error_text(result.exception_info)
    details = result.result or {}
    indexes = [int(i) for i in details.get("unexpected_index_list") or []]
    named = [name for name in _named_columns(spec["kwargs"]) if name in judged.columns]
    # The kwargs as evaluated: suite parameters replaced by their run-time values.
    kwargs = {k: v for k, v in result.expectation_config.kwargs.items() if k != "batch_id"}
    return Outcome(
        table=table,
        expectation=spec["type"],
        kwargs=kwargs,
        why=spec["meta"]["why"],
        blocking=spec["severity"] == BLOCKING,
        success=bool(result.success) and not error,
        observed=_jsonable(details.get("observed_value")),
        unexpected_count=int(details.get("unexpected_count") or 0),
        failures=_failures(frame, judged[named], indexes) if named else (),
        error=error,
    )


def _failures(frame: pd.DataFrame, judged: pd.DataFrame, indexes: list[int]) -> tuple[Failure, ...]:
    """Each offending row's value (its cells as GX judged them) with the action and source
    line of its row. GX lists every offending row but at most 200 of their values, so the
    values are read from the rows: a warning sends every row it names to the review list."""
    if not indexes:
        return ()
    where = {
        name: frame[name].tolist() if name in frame.columns else None
        for name in ("action_id", "source_file", "source_locator")
    }
    cells = [judged.iloc[:, k].tolist() for k in range(judged.shape[1])]  # A and B may be one

    def shown(index: int) -> str:
        values = [None if _missing(column[index]) else column[index] for column in cells]
        if len(values) > 1:
            return str(tuple(values))
        return "(empty)" if values[0] is None else str(values[0])

    return tuple(
        Failure(shown(index), *(None if c is None else c[index] for c in where.values()))
        for index in indexes
    )


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _error_text(exception_info) -> str:
    if not exception_info:
        return ""
    infos = (
        exception_info.values() if "raised_exception" not in exception_info else [exception_info]
    )
    messages = [
        i.get("exception_message")
        for i in infos
        if isinstance(i, dict) and i.get("raised_exception")
    ]
    return f"could not be evaluated: {messages[0]}" if messages else ""


def _observed_text(outcome: Outcome) -> str:
    limits = ", ".join(
        f"{k} {v}" for k, v in outcome.kwargs.items() if k in ("min_value", "max_value", "mostly")
    )
    if outcome.observed is not None:
        return f"(observed: {outcome.observed}" + (f"; expected {limits})" if limits else ")")
    if outcome.unexpected_count:
        return f"({outcome.unexpected_count} row(s))"
    return ""


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


def _outcome_dict(outcome: Outcome) -> dict:
    return {
        "table": outcome.table,
        "expectation": outcome.expectation,
        "kwargs": _jsonable(outcome.kwargs),
        "why": outcome.why,
        "blocking": outcome.blocking,
        "success": outcome.success,
        "observed": outcome.observed,
        "unexpected_count": outcome.unexpected_count,
        "failing_values": [failure.__dict__ for failure in outcome.failures],
        "error": outcome.error,
    }
