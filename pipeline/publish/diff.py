"""What changed between two releases: the change report a data team reads first.

Actions are matched by ``action_id``. Those left on both sides are then paired
by similarity of headline, summary and organisation; a confident pair is one
action *reworded* (its id moved with its headline), not a removal plus an
addition. Fields are compared by meaning: the canonical organisations, the
officers' names, and the timescale's status and dates. So an organisation
respelled to one of its aliases, or a timescale rewritten to the same dates,
is no change.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from pipeline.publish.write import to_csv_text
from pipeline.schema import ACTIONS, CHANGES, COMPARED_COLUMNS, timescale_read_from

REWORDED_THRESHOLD = 75.0  # pair score (0-100) from which two unmatched actions are one reworded
_PAIRED_BY = ("headline_action", "summary", "lead_org_id", "organisation_raw", "priority_number")
# What the comparison reads of an actions table, as its CSV holds it: the id, the compared
# fields and what rewordings are paired by. The other columns are never made into text.
_READ = dataclasses.replace(
    ACTIONS,
    columns=tuple(
        c for c in ACTIONS.columns if c.name == "action_id" or c.compared or c.name in _PAIRED_BY
    ),
)


def compare_actions(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """CHANGES between two actions tables: added, removed, reworded, changed (field by field).

    Text is compared with its spacing and line breaks collapsed: a summary
    written as paragraphs one quarter and as one paragraph the next says the
    same. The values reported are as each release's CSV holds them.
    """
    old_text = to_csv_text(old, _READ).set_index("action_id", drop=False)
    new_text = to_csv_text(new, _READ).set_index("action_id", drop=False)
    common = new_text.index[new_text.index.isin(old_text.index)]
    removed = old_text.index[~old_text.index.isin(new_text.index)].tolist()
    added = new_text.index[~new_text.index.isin(old_text.index)].tolist()
    fields = list(COMPARED_COLUMNS)
    before = old_text.loc[common, fields].to_numpy()
    after = new_text.loc[common, fields].to_numpy()
    differ = _collapsed(before) != _collapsed(after)
    changes = [  # action by action in the new order, fields in COMPARED_COLUMNS order
        _change(common[row], "changed", fields[col], before[row, col], after[row, col])
        for row, col in zip(*np.nonzero(differ), strict=True)
    ]
    for old_id, new_id in _pair_rewordings(old_text.loc[removed], new_text.loc[added]):
        removed.remove(old_id)
        added.remove(new_id)
        changes.append(_change(new_id, "reworded", "action_id", old_id, new_id))
        changes += _field_changes(old_text.loc[old_id], new_text.loc[new_id], "reworded")
    new_headline, old_headline = new_text["headline_action"], old_text["headline_action"]
    changes += [_change(i, "added", "", "", h) for i, h in new_headline[added].items()]
    changes += [_change(i, "removed", "", h, "") for i, h in old_headline[removed].items()]
    headlines = {**old_headline.to_dict(), **new_headline.to_dict()}
    return _in_order(
        CHANGES.frame(
            [change | {"headline_action": headlines[change["action_id"]]} for change in changes]
        )
    )


def _in_order(changes: pd.DataFrame) -> pd.DataFrame:
    """Reworded, changed, added, removed; by action id within each, fields as listed."""
    order = {"reworded": 0, "changed": 1, "added": 2, "removed": 3}
    return changes.sort_values(
        ["change", "action_id"],
        key=lambda s: s.map(order) if s.name == "change" else s,
        kind="stable",
    ).reset_index(drop=True)


def delivery_status_changes(
    old_progress: pd.DataFrame | None, new_progress: pd.DataFrame | None
) -> pd.DataFrame:
    """CHANGES rows for each action in both releases whose delivery status changed: what
    went from on track to delayed, or to complete, is what the board asks first. None
    for a release from before delivery tracking: no rows."""
    if old_progress is None or new_progress is None:
        return CHANGES.frame([])
    old = dict(zip(old_progress["action_id"], old_progress["delivery_status"], strict=True))
    return CHANGES.frame(
        [
            _change(action_id, "changed", "delivery_status", old[action_id], status)
            | {"headline_action": headline}
            for action_id, status, headline in zip(
                new_progress["action_id"],
                new_progress["delivery_status"],
                new_progress["headline_action"],
                strict=True,
            )
            if action_id in old and old[action_id] != status
        ]
    )


def with_status_changes(comparison: Comparison, status_changes: pd.DataFrame) -> Comparison:
    """The comparison with the delivery status changes among its changes."""
    if status_changes.empty:
        return comparison
    changes = _in_order(pd.concat([comparison.changes, status_changes], ignore_index=True))
    return dataclasses.replace(comparison, changes=changes)


def _change(action_id: str, change: str, field: str, old: str, new: str) -> dict:
    return {"action_id": action_id, "change": change, "field": field, "old": old, "new": new}


def _field_changes(old: pd.Series, new: pd.Series, change: str) -> list[dict]:
    return [
        _change(new["action_id"], change, field, old[field], new[field])
        for field in COMPARED_COLUMNS
        if " ".join(old[field].split()) != " ".join(new[field].split())
    ]


def _collapsed(values: np.ndarray) -> np.ndarray:
    """Cell texts with runs of spaces and line breaks as one space."""
    return np.array([[" ".join(v.split()) for v in row] for row in values], dtype=object).reshape(
        values.shape
    )


def _pair_rewordings(old: pd.DataFrame, new: pd.DataFrame) -> list[tuple[str, str]]:
    """Best-first pairs of an unmatched old and new action alike enough to be one action."""
    scored = sorted(
        (
            (_pair_score(o, n), o["action_id"], n["action_id"])
            for _, o in old.iterrows()
            for _, n in new.iterrows()
        ),
        reverse=True,
    )
    pairs, used_old, used_new = [], set(), set()
    for score, old_id, new_id in scored:
        if score < REWORDED_THRESHOLD:
            break
        if old_id not in used_old and new_id not in used_new:
            pairs.append((old_id, new_id))
            used_old.add(old_id)
            used_new.add(new_id)
    return pairs


def _pair_score(old: pd.Series, new: pd.Series) -> float:
    headline = fuzz.token_set_ratio(old["headline_action"], new["headline_action"])
    summary = fuzz.token_set_ratio(old["summary"], new["summary"])
    same_lead = old["lead_org_id"] == new["lead_org_id"] and old["lead_org_id"] != ""
    organisation = (
        100.0 if same_lead else fuzz.ratio(old["organisation_raw"], new["organisation_raw"])
    )
    score = 0.5 * headline + 0.3 * summary + 0.2 * organisation
    return score - (10 if old["priority_number"] != new["priority_number"] else 0)


def callouts(changes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The changes worth reading first: completions, later end dates, new lead
    organisations, and delivery statuses that changed."""
    moved = changes[changes.change.isin(["changed", "reworded"])]
    return {
        "Now complete": moved[(moved.field == "status") & (moved.new == "complete")],
        "End date later": moved[
            (moved.field == "end_date")
            & (moved.old != "")
            & (moved.new != "")
            & (moved.new > moved.old)
        ],
        "New lead organisation": moved[moved.field == "lead_org_id"],
        "Delivery status changed": moved[moved.field == "delivery_status"],
    }


@dataclass(frozen=True)
class Comparison:
    """A release compared with an earlier one (``old_release`` None: there was none)."""

    changes: pd.DataFrame
    old_actions: pd.DataFrame
    old_release: dict | None


def compare_releases(old: tuple[pd.DataFrame, dict] | None, new: pd.DataFrame) -> Comparison:
    """``new`` actions against an earlier release's (actions, descriptor), or against none."""
    old_actions, old_release = old if old else (ACTIONS.frame([]), None)
    return Comparison(compare_actions(old_actions, new), old_actions, old_release)


_TIMESCALE_READINGS = (
    "status",
    "start_date",
    "end_date",
)  # shown with the words they were read from
_LONG_TEXT = 80  # characters: a longer value is shown as the words that changed
_LEGEND = (
    "A timescale reading is shown with the words it was read from; a long text with only "
    "the words that changed and four either side: ~~removed~~, **added**, ^ where words "
    "were added. Full values are in changes.csv."
)


def changes_to_markdown(
    new: pd.DataFrame,
    new_release: dict,
    since: Comparison,
    corrections: Comparison | None = None,
) -> str:
    """changes.md: what changed since ``since`` (the last quarter), for people, the callouts
    first; then, when this period was published before, the corrections made since then."""
    lines = [f"# Changes in release {new_release.get('id', '')}", ""]
    lines += [f"- this release: {_describe(new_release)}"]
    if since.old_release is None:
        lines += ["- previous release: none"]
    else:
        lines += [
            f"- compared with release {since.old_release.get('id', '')}, the last of the "
            f"previous period: {_describe(since.old_release)}"
        ]
    if corrections is not None:
        lines += [
            f"- corrections since this period's release {corrections.old_release.get('id', '')}"
            f" ({len(corrections.changes)} change(s)): listed at the end"
        ]
    lines += ["", _LEGEND, ""]
    if since.old_release is None:
        lines += [f"No previous release: all {len(new)} actions are new.", ""]
    else:
        lines += _counts(since.changes)
        lines += ["## Called out", ""]
        for title, rows in callouts(since.changes).items():
            lines.append(f"### {title} ({len(rows)})")
            lines += [
                f"- {r.headline_action} (`{r.action_id}`): {r.old or '-'} -> {r.new or '-'}"
                for r in rows.itertuples()
            ] or ["- none"]
            lines.append("")
        lines += _sections(since, new, level="##")
    if corrections is not None:
        period = new_release.get("period") or "this period"
        lines += [
            f"## Corrections within {period} since release {corrections.old_release.get('id', '')}",
            "",
            "Changes made by re-running this period (settled review entries, a corrected "
            "document): already in the figures above, listed here on their own.",
            "",
            *_counts(corrections.changes),
            *_sections(corrections, new, level="###"),
        ]
    return "\n".join(lines)


def _counts(changes: pd.DataFrame) -> list[str]:
    counts = changes.drop_duplicates(["action_id", "change"]).change.value_counts()
    return [
        "| added | removed | reworded | changed |",
        "| --- | --- | --- | --- |",
        "| {} | {} | {} | {} |".format(
            *(int(counts.get(k, 0)) for k in ("added", "removed", "reworded", "changed"))
        ),
        "",
    ]


def _sections(comparison: Comparison, new: pd.DataFrame, level: str) -> list[str]:
    """A table per kind of change: the action by headline and id, the old and new values,
    a timescale reading with the words it was read from, long text as its changed words."""
    raw = {
        "old": dict(
            zip(
                comparison.old_actions["action_id"],
                timescale_read_from(comparison.old_actions),
                strict=True,
            )
        ),
        "new": dict(zip(new["action_id"], timescale_read_from(new), strict=True)),
    }
    old_id = {  # a reworded action's old id, for its old timescale words
        r.action_id: r.old for r in comparison.changes.itertuples() if r.field == "action_id"
    }
    lines = []
    for change in ("reworded", "changed", "added", "removed"):
        rows = comparison.changes[comparison.changes.change == change]
        lines += [f"{level} {change.capitalize()} ({rows.action_id.nunique()})", ""]
        if rows.empty:
            lines += ["None.", ""]
            continue
        lines += ["| action | field | old | new |", "| --- | --- | --- | --- |"]
        for r in rows.itertuples():
            old, new_value = r.old, r.new
            if r.field in _TIMESCALE_READINGS:
                old = (old or "-") + _read_from(
                    raw["old"].get(old_id.get(r.action_id, r.action_id))
                )
                new_value = (new_value or "-") + _read_from(raw["new"].get(r.action_id))
            elif max(len(old), len(new_value)) > _LONG_TEXT:
                old, new_value = word_difference(old, new_value)
            action = f"{_cell(r.headline_action)} (`{r.action_id}`)"
            lines.append(f"| {action} | {r.field} | {_cell(old)} | {_cell(new_value)} |")
        lines.append("")
    return lines


def _read_from(words: str | None) -> str:
    return f" (from “{' '.join(words.split())}”)" if words and words.strip() else ""


_CONTEXT = 4  # words shown either side of a change


def word_difference(old: str, new: str) -> tuple[str, str]:
    """The two texts cut to their changed words and a few words around each change: the old
    with removed words ~~struck~~, the new with added words **bold**. Spacing and line
    breaks do not count as a change."""
    before, after = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    parts: dict[str, list[str]] = {"old": [], "new": []}
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for side, words, start, end, mark in (
            ("old", before, a0, a1, "~~"),
            ("new", after, b0, b1, "**"),
        ):
            left = " ".join(words[max(start - _CONTEXT, 0) : start])
            changed = " ".join(words[start:end])
            right = " ".join(words[end : end + _CONTEXT])
            marked = f"{mark}{changed}{mark}" if changed else "^"
            parts[side].append(" ".join(filter(None, [left, marked, right])))
    return " … ".join(parts["old"]) or old, " … ".join(parts["new"]) or new


def _describe(release: dict) -> str:
    sources = ", ".join(
        f"{s['path']} (sha256 {s['sha256'][:12]})" for s in release.get("sources", [])
    )
    period = release.get("period") or "period not stated"
    return f"{sources or 'source not recorded'}, {period}"


def _cell(value: str) -> str:
    return value.replace("\n", " / ").replace("|", "\\|")
