"""The review list: everything the pipeline was unsure of, gathered from every stage."""

from __future__ import annotations

import pandas as pd

from pipeline.schema import REVIEW


def review_entries(records: list[dict]) -> pd.DataFrame:
    """Review rows from dicts keyed by REVIEW's columns (missing keys stay empty)."""
    return REVIEW.frame(records)


def combine_review(*frames: pd.DataFrame) -> pd.DataFrame:
    """All review rows, in stage order."""
    non_empty = [frame for frame in frames if not frame.empty]
    if not non_empty:
        return review_entries([])
    return pd.concat(non_empty, ignore_index=True)
