"""Normalise: extracted rows into the actions table and its companions."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.normalise.actions import assign_action_ids, rows_to_actions
from pipeline.review import combine_review


@dataclass
class Normalised:
    actions: pd.DataFrame
    review: pd.DataFrame


def normalise_rows(rows: pd.DataFrame, review: pd.DataFrame) -> Normalised:
    """Actions from extracted rows; ``review`` (the extract stage's) is carried on and added to."""
    actions = rows_to_actions(rows)
    actions, identity_review = assign_action_ids(actions)
    return Normalised(actions, combine_review(review, identity_review))
