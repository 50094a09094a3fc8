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

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from pipeline.publish.write import to_csv_text
from pipeline.schema import ACTIONS, CHANGES, COMPARED_COLUMNS

REWORDED_THRESHOLD = 75.0  # pair score (0-100) from which two unmatched actions are one reworded


def compare_actions(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """CHANGES between two actions tables: added, removed, reworded, changed (field by field)."""
    old_text = to_csv_text(old, ACTIONS).set_index("action_id", drop=False)
    new_text = to_csv_text(new, ACTIONS).set_index("action_id", drop=False)
    common = new_text.index[new_text.index.isin(old_text.index)]
    removed = old_text.index[~old_text.index.isin(new_text.index)].tolist()
    added = new_text.index[~new_text.index.isin(old_text.index)].tolist()
    fields = list(COMPARED_COLUMNS)
    before = old_text.loc[common, fields].to_numpy()
    after = new_text.loc[common, fields].to_numpy()
    changes = [  # action by action in the new order, fields in COMPARED_COLUMNS order
        _change(common[row], "changed", fields[col], before[row, col], after[row, col])
        for row, col in zip(*np.nonzero(before != after), strict=True)
    ]
    for old_id, new_id in _pair_rewordings(old_text.loc[removed], new_text.loc[added]):
        removed.remove(old_id)
        added.remove(new_id)
        changes.append(_change(new_id, "reworded", "action_id", old_id, new_id))
        changes += _field_changes(old_text.loc[old_id], new_text.loc[new_id], "reworded")
    new_headline, old_headline = new_text["headline_action"], old_text["headline_action"]
    changes += [_change(i, "added", "", "", h) for i, h in new_headline[added].items()]
    changes += [_change(i, "removed", "", h, "") for i, h in old_headline[removed].items()]
    order = {"reworded": 0, "changed": 1, "added": 2, "removed": 3}
    frame = CHANGES.frame(changes)
    return frame.sort_values(
        ["change", "action_id"],
        key=lambda s: s.map(order) if s.name == "change" else s,
        kind="stable",
    ).reset_index(drop=True)


def _change(action_id: str, change: str, field: str, old: str, new: str) -> dict:
    return {"action_id": action_id, "change": change, "field": field, "old": old, "new": new}


def _field_changes(old: pd.Series, new: pd.Series, change: str) -> list[dict]:
    return [
        _change(new["action_id"], change, field, old[field], new[field])
        for field in COMPARED_COLUMNS
        if old[field] != new[field]
    ]


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
    """The changes worth reading first: completions, later end dates, new lead organisations."""
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
    }


def changes_to_markdown(
    changes: pd.DataFrame, new: pd.DataFrame, old_release: dict | None, new_release: dict
) -> str:
    """changes.md: what changed, for people; the callouts first."""
    headlines = dict(zip(new["action_id"], new["headline_action"], strict=True))
    lines = [f"# Changes in release {new_release.get('id', '')}", ""]
    lines += [f"- this release: {_describe(new_release)}"]
    if old_release is None:
        lines += [
            "- previous release: none",
            "",
            f"No previous release: all {len(new)} actions are new.",
            "",
        ]
        return "\n".join(lines)
    lines += [f"- previous release {old_release.get('id', '')}: {_describe(old_release)}", ""]
    counts = changes.drop_duplicates(["action_id", "change"]).change.value_counts()
    lines += [
        "| added | removed | reworded | changed |",
        "| --- | --- | --- | --- |",
        "| {} | {} | {} | {} |".format(
            *(int(counts.get(k, 0)) for k in ("added", "removed", "reworded", "changed"))
        ),
        "",
        "## Called out",
        "",
    ]
    for title, rows in callouts(changes).items():
        lines.append(f"### {title} ({len(rows)})")
        lines += [
            f"- {headlines.get(r.action_id, r.action_id)} (`{r.action_id}`): {r.old or '-'} -> {r.new or '-'}"
            for r in rows.itertuples()
        ] or ["- none"]
        lines.append("")
    for change in ("reworded", "changed", "added", "removed"):
        rows = changes[changes.change == change]
        lines += [f"## {change.capitalize()} ({rows.action_id.nunique()})", ""]
        if rows.empty:
            lines += ["None.", ""]
            continue
        lines += ["| action | field | old | new |", "| --- | --- | --- | --- |"]
        lines += [
            f"| `{r.action_id}` | {r.field} | {_cell(r.old)} | {_cell(r.new)} |"
            for r in rows.itertuples()
        ]
        lines.append("")
    return "\n".join(lines)


def _describe(release: dict) -> str:
    sources = ", ".join(
        f"{s['path']} (sha256 {s['sha256'][:12]})" for s in release.get("sources", [])
    )
    period = release.get("period") or "period not stated"
    return f"{sources or 'source not recorded'}, {period}"


def _cell(value: str) -> str:
    text = value.replace("\n", " / ").replace("|", "\\|")
    return text if len(text) <= 160 else text[:157] + "..."
