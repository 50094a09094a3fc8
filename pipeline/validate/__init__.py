"""Validate: the quality gate after each stage, and what each gate is told at run time."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.review import review_entries
from pipeline.schema import DELIVERY_STATUSES, DOCUMENT_FIELDS
from pipeline.validate import gates
from pipeline.validate.gates import (
    GateFailed,
    GateReport,
    gates_loaded,
    load_suite,
    outcomes_to_review,
    run_gate,
)

__all__ = [
    "GateFailed",
    "Parameters",
    "check_stage",
    "columns_checked",
    "extract_parameters",
    "gate_review",
    "gates_loaded",
    "normalise_parameters",
    "publish_parameters",
]


@dataclass(frozen=True)
class Parameters:
    """A gate's run-time values, and where each comes from in words, for the report:
    a threshold an auditor cannot trace back to its baseline proves nothing."""

    values: dict
    basis: dict[str, str]


def check_stage(
    stage: str,
    tables: dict[str, pd.DataFrame],
    parameters: Parameters,
    expectations: Path,
    facts: dict | None = None,
) -> GateReport:
    """Run ``expectations/STAGE.json`` on the stage's tables; raise GateFailed on a blocking
    failure. ``facts`` (counts a person checks the run by) go into the report either way."""
    suite_file = expectations / f"{stage}.json"
    shown = f"{expectations.name}/{suite_file.name}"
    report = run_gate(stage, tables, load_suite(suite_file), parameters.values, shown)
    report.basis, report.facts = parameters.basis, facts or {}
    if not report.success:
        raise GateFailed(report)
    return report


def columns_checked(
    stage: str, expectations: Path, default_table: str
) -> Callable[[str, list[str]], list[str]]:
    """Which of a table's columns the stage's suite reads: ``(table, columns) -> names``."""
    return gates.columns_checked(load_suite(expectations / f"{stage}.json"), default_table)


def extract_parameters(rows: pd.DataFrame) -> Parameters:
    """The extract gate's run-time values.

    ``priority_numbers``: 1 to the highest priority read, so a gap shows;
    ``FIELD_values``: a cell's values where the contract lists them.
    """
    highest = int(rows["priority_number"].max()) if len(rows) else 0
    listed = [field for field in DOCUMENT_FIELDS if field.values]
    return Parameters(
        {
            "priority_numbers": list(range(1, highest + 1)),
            **{f"{field.name}_values": list(field.values) for field in listed},
        },
        {
            "priority_numbers": f"1 to the highest priority the document has ({highest})",
            **{
                f"{field.name}_values": "the values pipeline/schema.py lists for the field"
                for field in listed
            },
        },
    )


def normalise_parameters(
    registry_ids: list[str], rag_ratings: list[str], max_doubtful_share: float
) -> Parameters:
    return Parameters(
        {
            "registry_ids": registry_ids,
            "rag_ratings": rag_ratings,
            "min_high_confidence_share": 1 - max_doubtful_share,
        },
        {
            "registry_ids": f"the {len(registry_ids)} organisations of the registry "
            "(reference/organisations.yaml)",
            "rag_ratings": "the ratings reference/rag_ratings.yaml spells",
            "min_high_confidence_share": f"1 - max_doubtful_timescale_share ({max_doubtful_share})"
            " in the params file",
        },
    )


def publish_parameters(
    last_release_actions: int | None,
    min_share: float,
    accept_fewer: bool,
    last_release: str = "the live release",
) -> Parameters:
    """The publish gate's run-time values (the rest it reads from the staged files).

    ``min_rows``: ``min_share`` of the last release's actions, so a plan that
    lost pages stops the run; 0 when told to accept fewer or there is no last
    release. ``last_release`` names that release in the report.
    """
    statuses = Parameters(
        {"delivery_statuses": list(DELIVERY_STATUSES)},
        {"delivery_statuses": "the vocabulary in pipeline/schema.py (DELIVERY_STATUSES)"},
    )
    if accept_fewer:
        floor = Parameters({"min_rows": 0}, {"min_rows": "0: told to accept fewer rows"})
    elif not last_release_actions:
        floor = Parameters({"min_rows": 0}, {"min_rows": "0: no release has been published"})
    else:
        floor = Parameters(
            {"min_rows": math.ceil(last_release_actions * min_share)},
            {
                "min_rows": f"min_share_of_last_release ({min_share}) of the "
                f"{last_release_actions} actions of {last_release}, rounded up"
            },
        )
    return Parameters(floor.values | statuses.values, floor.basis | statuses.basis)


def gate_review(report: GateReport) -> pd.DataFrame:
    """Review rows for a gate's row-level warnings, the expectation as the reason."""
    return review_entries(outcomes_to_review(report))
