"""Delivery tracking across quarters: each action's history, its slip against the first
target given for it, and the delivery status councils report to cabinet and scrutiny.

Plain functions from tables to tables; stages.py reads the earlier releases and
writes what these return. The rules, each once (the README's assumptions repeat
them for readers):

- a period is represented by its newest release among the live release and the
  ones it replaced, so re-running a quarter corrects it and a rolled-back release
  drops out;
- the original target is the first end date any period gave the action (where a
  monitoring version's Revised Timescale column replaced its Timescale, the
  Timescale's), and the slip is the current end date less it, in days and in whole
  calendar months (a month end to a month end counts whole: 31 March to 30 June is 3);
- the target moved when a period's end date differs from the last one given
  before it, or, in the first period giving one, from the Timescale its Revised
  Timescale replaced (a period giving none does not count as a move);
- the delivery status at a period's end is, in this order: ``complete`` when the
  period says so (its timescale, or a monitoring version's RAG rating of blue); ``no
  target`` when it gives no end date; ``overdue`` when the end date is before the
  period's end; ``delayed (3 months or more)`` when it slipped 3
  whole months or more; ``delayed (under 3 months)`` when it slipped at all; else
  ``on track``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from pipeline.schema import (
    ACTION_HISTORY,
    ACTION_PROGRESS,
    DELIVERY_STATUSES,
    RATED_COMPLETE,
    assign_objects,
)

NOT_GIVEN = "not given"  # the period of a run that named none
_PERIOD = re.compile(r"^(\d{4})/(\d{2})(?: Q([1-4]))?$")
_QUARTER_END = {1: (0, 6, 30), 2: (0, 9, 30), 3: (0, 12, 31), 4: (1, 3, 31)}  # years on


@dataclass(frozen=True)
class PeriodRelease:
    """The release that stands for one plan period, and its actions."""

    period: str
    release_id: str
    made: dt.date  # the day the release was made
    actions: pd.DataFrame


def period_end(period: str, made: dt.date) -> dt.date:
    """The last day of a financial year or quarter ('2022/23' is 31 March 2023, its Q3
    31 December 2022); for a label that names neither, the day its release was made."""
    found = _PERIOD.match(period)
    if not found:
        return made
    years_on, month, day = _QUARTER_END[int(found[3] or 4)]
    return dt.date(int(found[1]) + years_on, month, day)


def history_table(periods: list[PeriodRelease]) -> pd.DataFrame:
    """ACTION_HISTORY: every action of every period, periods in date order."""
    ordered = sorted(periods, key=lambda p: (period_end(p.period, p.made), p.made))
    frames = [
        p.actions.assign(
            period=p.period,
            period_order=order,
            period_end=period_end(p.period, p.made),
            release_id=p.release_id,
        )
        for order, p in enumerate(ordered, start=1)
    ]
    if not frames:
        return ACTION_HISTORY.frame([])
    # each frame's columns are already Python objects (None for missing): concatenated as is
    return pd.concat([f[ACTION_HISTORY.names] for f in frames], ignore_index=True)


def progress_over_time(history: pd.DataFrame) -> pd.DataFrame:
    """Every history row with the action's standing at that period's end: the original
    target, the slip, how often the target moved, when it was first complete, and its
    delivery status. The rows of the live period make action_progress."""
    h = history.sort_values(["action_id", "period_order"], kind="stable").reset_index(drop=True)
    action = pd.Series(pd.factorize(h["action_id"])[0])  # integer groups: quicker to group by
    end = h["end_date"]
    revised_from = h["end_date_before_revision"]  # a Revised Timescale column's original
    given = revised_from.where(revised_from.notna(), end)  # the first end the period gave
    has_given = given.notna()
    first_given = has_given & (has_given.astype(int).groupby(action).cumsum() == 1)
    original = given.where(first_given).groupby(action).ffill()
    original_period = h["period"].where(first_given).groupby(action).ffill()
    last_given = end.groupby(action).ffill()
    before = last_given.groupby(action).shift()
    before = before.where(before.notna(), revised_from)  # revised in the first period it has
    moved = end.notna() & before.notna() & (end != before)
    complete = (h["status"] == "complete") | (h["rag_status"] == RATED_COMPLETE)
    first_complete = complete & (complete.astype(int).groupby(action).cumsum() == 1)
    ends, originals, befores = _objects(end), _objects(original), _objects(before)
    slip_days = [
        (e - o).days if e is not None and o is not None else None
        for e, o in zip(ends, originals, strict=True)
    ]
    slip_months = [
        whole_months(o, e) if e is not None and o is not None else None
        for e, o in zip(ends, originals, strict=True)
    ]
    later = [e is not None and b is not None and e > b for e, b in zip(ends, befores, strict=True)]
    return assign_objects(
        h,
        original_end_date=originals,
        original_period=_objects(original_period),
        current_end_date=ends,
        slip_days=slip_days,
        slip_months=slip_months,
        first_period=h.groupby(action)["period"].transform("first"),
        completed_period=_objects(h["period"].where(first_complete).groupby(action).ffill()),
        as_of=h["period_end"],
        delivery_status=[
            delivery_status("complete" if done else status, e, as_of, months, days)
            for status, done, e, as_of, months, days in zip(
                h["status"], complete, ends, h["period_end"], slip_months, slip_days, strict=True
            )
        ],
    ).assign(
        times_moved=moved.astype(int).groupby(action).cumsum(),
        moved_later=moved & pd.Series(later),
    )


def progress_table(over_time: pd.DataFrame, period: str) -> pd.DataFrame:
    """ACTION_PROGRESS: the live period's actions as they stand at its end."""
    live = over_time[over_time["period"] == period].assign(last_period=period)
    return live[ACTION_PROGRESS.names].reset_index(drop=True)


def delivery_status(
    status: str | None,
    end: dt.date | None,
    as_of: dt.date,
    slip_months: int | None,
    slip_days: int | None,
) -> str:
    """The module docstring's rule, in its order."""
    complete, on_track, under_3, over_3, overdue, no_target = DELIVERY_STATUSES
    if status == "complete":
        return complete
    if end is None:
        return no_target
    if end < as_of:
        return overdue
    if slip_months is not None and slip_months >= 3:
        return over_3
    if slip_days is not None and slip_days > 0:
        return under_3
    return on_track


def whole_months(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (negative when ``end`` is earlier);
    ending on a month's last day counts that month whole."""
    if end < start:
        return -whole_months(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    month_end = end.day == calendar.monthrange(end.year, end.month)[1]
    return months - 1 if end.day < start.day and not month_end else months


def _objects(values: pd.Series) -> list:
    """Values as Python objects, pandas' NaN and NaT as None."""
    missing = values.isna().tolist()
    return [None if m else v for v, m in zip(values.tolist(), missing, strict=True)]
