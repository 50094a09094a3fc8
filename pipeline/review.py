"""The review list: everything the pipeline was unsure of, gathered from every stage."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.schema import REVIEW, assign_objects


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


# A table lacks a column its kind of plan normally has (pipeline/schema.py, ``expected``)
MISSING_COLUMN = "missing_column"

# The decide command that settles an entry, by its reason; capitals are for the
# person to fill in (see `python -m pipeline decide --help`).
_DECIDE = "python -m pipeline decide"
_SETTLE = {
    "organisation_similarity": _DECIDE + ' alias "{value}" ORG_ID',
    "organisation_unresolved": _DECIDE + ' alias "{value}" ORG_ID',
    "no_organisation": _DECIDE + " organisation {action_id} ORG_IDS",
    "timescale_low_confidence": _DECIDE + ' timescale {action_id} "TIMESCALE"',
    "timescale_not_understood": _DECIDE + ' timescale {action_id} "TIMESCALE"',
    "missing_timescale": _DECIDE + ' timescale {action_id} "TIMESCALE"',
}
_ACCEPT = _DECIDE + " accept {action_id} {reason}"
_ACKNOWLEDGE = _DECIDE + ' acknowledge "Priority {priority_number}" {reason}'
_WHO = ' --by WHO --why "WHY"'


def with_actions(review: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """Each entry with its action's priority and headline, and the decide command that
    would settle it: a reading for a value, acceptance for the rest, and for a table
    that lacks a column (Priority 4's Timescale) one acknowledgement for the priority."""
    by_id = actions.set_index("action_id")
    known = by_id.index
    priority = [
        int(by_id.at[a, "priority_number"]) if a in known else given
        for a, given in zip(review["action_id"], review["priority_number"], strict=True)
    ]
    headline = [by_id.at[a, "headline_action"] if a in known else None for a in review["action_id"]]
    commands = []
    for entry, number in zip(review.itertuples(index=False), priority, strict=True):
        fields = {**entry._asdict(), "priority_number": number}
        if entry.action_id in known:
            template = _SETTLE.get(entry.reason, _ACCEPT)
        elif entry.reason == MISSING_COLUMN and number is not None:
            template = _ACKNOWLEDGE
        else:
            template = None
        commands.append(template.format(**fields) + _WHO if template else None)
    return assign_objects(
        review, priority_number=priority, headline_action=headline, decide=commands
    )


REVIEW_KEY = ["action_id", "field", "reason", "value"]  # the same entry in two releases


def mark_new(review: pd.DataFrame, last_period: pd.DataFrame | None) -> pd.DataFrame:
    """``new_since_last_period``: whether the last period's list lacked the entry (same
    action, field, reason and value); unknown (None) when there is no last period."""
    if last_period is None:
        return assign_objects(review, new_since_last_period=[None] * len(review))
    seen = {_key(entry) for entry in last_period[REVIEW_KEY].itertuples(index=False, name=None)}
    new = [
        _key(entry) not in seen for entry in review[REVIEW_KEY].itertuples(index=False, name=None)
    ]
    return assign_objects(review, new_since_last_period=new)


def _key(entry: tuple) -> tuple:
    """An entry's key with every kind of missing alike: None, pandas' NaN for a null read
    from Parquet, and "" (releases before 2.0.0 wrote it where there was no value)."""
    return tuple(None if v == "" or pd.isna(v) else v for v in entry)
