"""progress.md and its chart: the plan's delivery as the board reads it.

Counts by delivery status per priority and per lead organisation, the actions
that slipped or were completed this period, and delivery status counts per
period drawn as a chart (pipeline/publish/chart.py).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.publish.chart import Panel, save_png, stacked_panels, to_svg
from pipeline.schema import DELIVERY_STATUSES, RATED_COMPLETE

CHART = "progress"  # progress.png and progress.svg
CHART_PIXELS = (1200, 700)
_COLOURS = dict(
    zip(
        DELIVERY_STATUSES,
        ("#1b7837", "#7fbf7b", "#fdb863", "#e66101", "#b2182b", "#bababa"),
        strict=True,
    )
)


def status_counts(progress: pd.DataFrame, by: str) -> pd.DataFrame:
    """Actions per delivery status (columns, in the vocabulary's order) for each value of
    ``by``, with a total row and column."""
    labels = progress[by].map(lambda v: "none" if pd.isna(v) else _label(by, v))
    table = pd.crosstab(labels, progress["delivery_status"]).reindex(
        columns=list(DELIVERY_STATUSES), fill_value=0
    )
    table["all"] = table.sum(axis=1)
    table.loc["all"] = table.sum()
    return table


def progress_summary(over_time: pd.DataFrame, progress: pd.DataFrame, period: str) -> dict:
    """What progress.md and the validation report's summary say, as plain data: counts
    by status per priority, per lead organisation and per period, and the actions that
    slipped or were completed in the live ``period``."""
    live = over_time[over_time["period"] == period]
    previous = _previous_ends(over_time, period)
    order = ["priority_number", "action_id"]
    return {
        "period": period,
        "as_of": progress["as_of"].iloc[0].isoformat() if len(progress) else None,
        "actions": len(progress),
        # statuses that rest on a timescale the pipeline was unsure of: not to be read as
        # fact (one the report rates complete rests on its rating instead)
        "unsure": int(
            ((progress["confidence"] != "high") & (progress["rag_status"] != RATED_COMPLETE)).sum()
        ),
        "by_priority": _counts(status_counts(progress, "priority_number")),
        "by_lead_organisation": _counts(status_counts(progress, "lead_org_id")),
        "per_period": _counts(_counts_per_period(over_time)),
        "slipped": [
            {
                "action_id": a.action_id,
                "headline": a.headline_action,
                "said": f"{previous.get(a.action_id, '?')} to {a.end_date}, "
                f"{a.slip_months} month(s) after the original {a.original_end_date}",
            }
            for a in live[live["moved_later"]].sort_values(order).itertuples()
        ],
        "completed": [
            {
                "action_id": a.action_id,
                "headline": a.headline_action,
                "said": f"first reported complete in {period}",
            }
            for a in live[live["completed_period"] == period].sort_values(order).itertuples()
        ],
    }


def progress_markdown(summary: dict) -> str:
    """progress.md, from progress_summary."""
    as_of = f" ({summary['as_of']})" if summary["as_of"] else ""
    lines = [
        f"# Delivery progress: {summary['period']}",
        "",
        f"{summary['actions']} actions, each judged at the end of the period{as_of} against "
        "the first target end date any period gave it. The statuses and their rules are in "
        "the README (Delivery tracking).",
        "",
        f"{summary['unsure']} of these statuses rest on a timescale read with low or no "
        "confidence (column confidence): each such timescale is in review.csv, one by one "
        "or, for a table without a Timescale column, once for the table.",
        "",
        "## By priority",
        "",
        *_markdown_table(summary["by_priority"], "priority"),
        "",
        "## By lead organisation",
        "",
        *_markdown_table(summary["by_lead_organisation"], "lead organisation"),
        "",
        f"## Slipped this period ({len(summary['slipped'])})",
        "",
        "Target end date later than the one the period before gave.",
        "",
        *_action_list(summary["slipped"]),
        "",
        f"## Completed this period ({len(summary['completed'])})",
        "",
        *_action_list(summary["completed"]),
        "",
        "## Over time",
        "",
        f"![Delivery status counts per period, by priority]({CHART}.png) ([SVG]({CHART}.svg))",
        "",
        *_markdown_table(summary["per_period"], "period"),
        "",
    ]
    return "\n".join(lines)


def draw_progress_chart(over_time: pd.DataFrame, folder: Path) -> list[Path]:
    """progress.png and progress.svg: delivery status counts per period, stacked, one
    panel per priority (and one for actions without a priority, when there are any)."""
    periods = list(dict.fromkeys(over_time.sort_values("period_order")["period"]))
    panels = []
    for priority, mine in over_time.groupby("priority_number", dropna=False, sort=True):
        counts = pd.crosstab(mine["period"], mine["delivery_status"])
        bars = {
            period: {
                status: int(counts.at[period, status])
                for status in DELIVERY_STATUSES
                if period in counts.index and status in counts.columns
            }
            for period in periods
        }
        title = "No priority" if pd.isna(priority) else f"Priority {int(priority)}"
        panels.append(Panel(title, periods, bars))
    shapes = stacked_panels(
        "Delivery status of the plan's actions at the end of each period",
        panels or [Panel("No actions", periods, {p: {} for p in periods})],
        _COLOURS,
        CHART_PIXELS,
        "actions",
    )
    written = [folder / f"{CHART}.png", folder / f"{CHART}.svg"]
    save_png(shapes, CHART_PIXELS, written[0])
    written[1].write_text(to_svg(shapes, CHART_PIXELS), encoding="utf-8")
    return written


def _counts_per_period(over_time: pd.DataFrame) -> pd.DataFrame:
    ordered = over_time.sort_values("period_order")
    table = pd.crosstab(ordered["period"], ordered["delivery_status"]).reindex(
        index=list(dict.fromkeys(ordered["period"])), columns=list(DELIVERY_STATUSES), fill_value=0
    )
    table["all"] = table.sum(axis=1)
    return table


def _previous_ends(over_time: pd.DataFrame, period: str) -> dict:
    """Each live action's end date as the period before the live one gave it."""
    orders = over_time.loc[over_time["period"] == period, "period_order"]
    if orders.empty:
        return {}
    before = over_time[over_time["period_order"] == orders.iloc[0] - 1]
    return dict(zip(before["action_id"], before["end_date"], strict=True))


def _label(by: str, value) -> str:
    return f"Priority {int(value)}" if by == "priority_number" else str(value)


def _counts(table: pd.DataFrame) -> dict[str, dict[str, int]]:
    """A count table as {row label: {column: count}}, JSON-ready, in its order."""
    return {
        str(label): {str(column): int(v) for column, v in zip(table.columns, row, strict=True)}
        for label, row in zip(table.index, table.to_numpy(), strict=True)
    }


def _markdown_table(counts: dict[str, dict[str, int]], first: str) -> list[str]:
    header = [first, *DELIVERY_STATUSES, "all"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += [
        "| " + " | ".join([label, *(str(row[c]) for c in header[1:])]) + " |"
        for label, row in counts.items()
    ]
    return lines


def _action_list(actions: list[dict]) -> list[str]:
    if not actions:
        return ["None."]
    return [f"- `{a['action_id']}` {a['headline']}: {a['said']}" for a in actions]
