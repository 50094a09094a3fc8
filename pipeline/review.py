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


def attach_action_ids(review: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """Fill a missing action_id where the entry's source location is an action's.

    Rows that were never placed (quarantined) match no action and stay empty.
    """
    ids = {
        (source_file, locator): action_id
        for source_file, locator, action_id in zip(
            actions["source_file"], actions["source_locator"], actions["action_id"], strict=True
        )
    }
    filled = [
        action_id or ids.get((source_file, locator))
        for action_id, source_file, locator in zip(
            review["action_id"], review["source_file"], review["source_locator"], strict=True
        )
    ]
    return review.assign(action_id=pd.Series(filled, index=review.index, dtype=object))
