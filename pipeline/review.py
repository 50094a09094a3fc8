"""The review list: everything the pipeline was unsure of, gathered from every stage."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.schema import REVIEW


@dataclass(frozen=True)
class Doubt:
    """A value resolved by guesswork or not at all: one review row once its action is known."""

    field: str
    value: str
    reason: str
    detail: str


def doubts_to_review(actions: pd.DataFrame, doubts: list[list[Doubt]]) -> pd.DataFrame:
    """Review rows for each action's doubts (``doubts`` runs parallel to ``actions``)."""
    return review_entries(
        [
            {
                "action_id": action.action_id,
                "source_file": action.source_file,
                "source_locator": action.source_locator,
                "field": doubt.field,
                "value": doubt.value,
                "reason": doubt.reason,
                "detail": doubt.detail,
            }
            for action, action_doubts in zip(actions.itertuples(index=False), doubts, strict=True)
            for doubt in action_doubts
        ]
    )


def review_entries(records: list[dict]) -> pd.DataFrame:
    """Review rows from dicts keyed by REVIEW's columns (missing keys stay empty)."""
    return REVIEW.frame(records)


def combine_review(*frames: pd.DataFrame) -> pd.DataFrame:
    """All review rows, in stage order."""
    non_empty = [frame for frame in frames if not frame.empty]
    if not non_empty:
        return review_entries([])
    return pd.concat(non_empty, ignore_index=True)
