"""Validate: the quality gate after each stage, and what each gate is told at run time."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from pipeline.review import review_entries
from pipeline.validate.gates import (
    GateFailed,
    GateReport,
    load_suite,
    outcomes_to_review,
    prepare_gates,
    run_gate,
)

__all__ = [
    "GateFailed",
    "check_stage",
    "extract_parameters",
    "gate_review",
    "normalise_parameters",
    "prepare_gates",
    "publish_parameters",
]


def check_stage(
    stage: str, tables: dict[str, pd.DataFrame], parameters: dict, expectations: Path
) -> GateReport:
    """Run ``expectations/STAGE.json`` on the stage's tables; raise GateFailed on a blocking failure."""
    suite_file = expectations / f"{stage}.json"
    shown = f"{expectations.name}/{suite_file.name}"
    report = run_gate(stage, tables, load_suite(suite_file), parameters, shown)
    if not report.success:
        raise GateFailed(report)
    return report


def extract_parameters(rows: pd.DataFrame) -> dict:
    """The extract gate's run-time values.

    ``priority_numbers``: 1 to the highest priority read, so a gap shows.
    """
    highest = int(rows["priority_number"].max()) if len(rows) else 0
    return {"priority_numbers": list(range(1, highest + 1))}


def normalise_parameters(
    registry_ids: list[str], rag_ratings: list[str], max_doubtful_share: float
) -> dict:
    return {
        "registry_ids": registry_ids,
        "rag_ratings": rag_ratings,
        "min_high_confidence_share": 1 - max_doubtful_share,
    }


def publish_parameters(
    last_release_actions: int | None, min_share: float, accept_fewer: bool
) -> dict:
    """The publish gate's run-time values (the rest it reads from the staged files).

    ``min_rows``: ``min_share`` of the last release's actions, so a plan that
    lost pages stops the run; 0 when told to accept fewer or there is no last
    release.
    """
    if accept_fewer or not last_release_actions:
        return {"min_rows": 0}
    return {"min_rows": math.ceil(last_release_actions * min_share)}


def gate_review(report: GateReport) -> pd.DataFrame:
    """Review rows for a gate's row-level warnings, the expectation as the reason."""
    return review_entries(outcomes_to_review(report))
