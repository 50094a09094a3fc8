"""Decisions a person made reading the review list, applied by every run.

Kept in reference/decisions.yaml so they are reviewed like code and never
asked for again next quarter:

- ``alias``: a spelling the review list showed becomes an alias of a registry
  organisation (``spelling``, ``org_id``);
- ``timescale``: one action's timescale is read from the text given instead of
  the cell (``action_id``, ``timescale``); the cell stays in timescale_raw;
- ``organisation``: one action's organisations are set (``action_id``,
  ``org_ids``, lead first); the cell stays in organisation_raw;
- ``accept``: one action's review entries of a ``reason`` are accepted as the
  values stand (``action_id``, ``reason``);
- ``acknowledge``: a gap in the document's shape is acknowledged once for a
  whole priority (``priority``, ``reason``: "Priority 4 has no Timescale
  column", ``missing_column``).

Accepted and acknowledged entries stay in the review list, marked, after the
open ones, and leave its count.

Each says ``by`` whom and ``why``. A decision that names an action or a
spelling the plan no longer has is reported, not silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.normalise.organisations import Mention, OrganisationReading
from pipeline.normalise.registry import fold_name
from pipeline.normalise.timescales import TimescaleReading, TimescaleWords, parse_timescale
from pipeline.schema import assign_objects

# The published action columns each kind of decision sets, for the ``decided`` column.
SETS = {
    "timescale": ("status", "start_date", "end_date", "confidence", "timescale_rule"),
    "organisation": ("delivery_mode", "lead_org_id", "org_ids"),
    "alias in organisation": ("lead_org_id", "org_ids"),
    "alias in officer": ("lead_officer_org_ids",),
}
KINDS = {
    "alias": ("spelling", "org_id"),
    "timescale": ("action_id", "timescale"),
    "organisation": ("action_id", "org_ids"),
    "accept": ("action_id", "reason"),
    "acknowledge": ("priority", "reason"),
}
REVIEW_KINDS = ("accept", "acknowledge")  # settle review entries; change no value


class DecisionError(ValueError):
    """An entry of decisions.yaml that cannot be applied as written."""


@dataclass(frozen=True)
class Decision:
    number: int  # position in the file, from 1, for messages
    kind: str
    target: str  # the spelling, or the action id
    value: object  # org id, timescale text, or tuple of org ids
    by: str
    why: str

    def describe(self) -> dict:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {
            "kind": self.kind,
            "target": self.target,
            "value": value,
            "by": self.by,
            "why": self.why,
        }


def parse_decisions(records: list[dict], registry_ids: set[str]) -> list[Decision]:
    """Decisions from the file's entries, checked against the registry."""
    decisions = []
    for number, record in enumerate(records, 1):
        kind = record.get("kind")
        if kind not in KINDS:
            raise DecisionError(f"entry {number}: kind must be one of {', '.join(KINDS)}")
        missing = [key for key in (*KINDS[kind], "by", "why") if not record.get(key)]
        if missing:
            raise DecisionError(f"entry {number} ({kind}): needs {', '.join(missing)}")
        target_key, value_key = KINDS[kind]
        value = record[value_key]
        if kind == "organisation":
            value = tuple(value) if isinstance(value, list) else (value,)
        target = str(record[target_key])
        if kind == "acknowledge":
            target = target.casefold().removeprefix("priority").strip()
            if not target.isdigit():
                raise DecisionError(f"entry {number} (acknowledge): priority must be a number")
        named = {"alias": [value], "organisation": list(value)}.get(kind, [])
        unknown = [org_id for org_id in named if org_id not in registry_ids]
        if unknown:
            raise DecisionError(
                f"entry {number} ({kind}): {', '.join(unknown)} not in the registry"
            )
        decisions.append(
            Decision(number, kind, target, value, str(record["by"]), str(record["why"]))
        )
    return decisions


def with_aliases(registry_records: list[dict], decisions: list[Decision]) -> list[dict]:
    """The registry's entries with every accepted spelling added to its organisation's aliases."""
    added: dict[str, list[str]] = {}
    for decision in decisions:
        if decision.kind == "alias":
            added.setdefault(decision.value, []).append(decision.target)
    return [
        {**record, "aliases": [*(record.get("aliases") or []), *added.get(record["id"], [])]}
        for record in registry_records
    ]


@dataclass(frozen=True)
class Applied:
    """Readings with the decisions applied, what became of each, and what each action got."""

    organisations: list[OrganisationReading]
    timescales: list[TimescaleReading]
    outcomes: list[dict]
    decided: list[list[str]]  # per action, the published columns a decision set


def apply_to_actions(
    action_ids: list[str],
    organisation_cells: list[str | None],
    officer_cells: list[str | None],
    organisation_readings: list[OrganisationReading],
    timescale_readings: list[TimescaleReading],
    decisions: list[Decision],
    words: TimescaleWords,
) -> Applied:
    """The per-action decisions applied to the readings; every decision's outcome.

    The cells tell which actions an accepted spelling reached, and whether it
    still appears anywhere.
    """
    organisations, timescales = list(organisation_readings), list(timescale_readings)
    position = {action_id: n for n, action_id in enumerate(action_ids)}
    folded = {
        "alias in organisation": [f" {fold_name(c or '')} " for c in organisation_cells],
        "alias in officer": [f" {fold_name(c or '')} " for c in officer_cells],
    }
    decided: list[list[str]] = [[] for _ in action_ids]
    outcomes = []
    for decision in decisions:
        if decision.kind in REVIEW_KINDS:
            continue  # settled on the review list: acknowledge_review
        applied, note = True, ""
        if decision.kind == "alias":
            spelling = f" {fold_name(decision.target)} "
            reached = [
                (n, where)
                for where, cells in folded.items()
                for n, cell in enumerate(cells)
                if spelling in cell
            ]
            if not reached:
                applied, note = False, "the plan no longer has this spelling"
            for n, where in reached:
                decided[n] += SETS[where]
        elif decision.target not in position:
            applied, note = False, "no action has this id any more"
        elif decision.kind == "timescale":
            reading = parse_timescale(decision.value, words)
            timescales[position[decision.target]] = TimescaleReading(
                reading.status,
                reading.start,
                reading.end,
                reading.confidence,
                reading.milestones,
                note=f"decided by {decision.by}: {decision.value!r} read by {reading.rule}"
                + (f"; {reading.note}" if reading.note else ""),
                rule="decision",
            )
            decided[position[decision.target]] += SETS["timescale"]
        else:
            current = organisations[position[decision.target]]
            mentions = tuple(
                Mention(org, "(decision)", "decision", n) for n, org in enumerate(decision.value)
            )
            organisations[position[decision.target]] = OrganisationReading(
                current.delivery_mode or "single", mentions, ()
            )
            decided[position[decision.target]] += SETS["organisation"]
        outcomes.append({**decision.describe(), "applied": applied, "note": note})
    decided = [list(dict.fromkeys(columns)) for columns in decided]  # once each, in order
    return Applied(organisations, timescales, outcomes, decided)


def acknowledge_review(
    review: pd.DataFrame, decisions: list[Decision]
) -> tuple[pd.DataFrame, list[dict]]:
    """The review list with each entry an ``accept`` or ``acknowledge`` decision settles
    marked in ``acknowledged`` (who and why), open entries first; and each such
    decision's outcome (one that settles no entry any more is reported)."""
    acknowledged = list(review["acknowledged"])
    outcomes = []
    for decision in decisions:
        if decision.kind not in REVIEW_KINDS:
            continue
        if decision.kind == "accept":
            hits = (review["action_id"] == decision.target) & (review["reason"] == decision.value)
        else:
            hits = (review["priority_number"] == int(decision.target)) & (
                review["reason"] == decision.value
            )
        for position in hits[hits].index:
            acknowledged[review.index.get_loc(position)] = f"{decision.by}: {decision.why}"
        applied = bool(hits.any())
        note = "" if applied else "no review entry of this reason is there any more"
        outcomes.append({**decision.describe(), "applied": applied, "note": note})
    marked = assign_objects(review, acknowledged=acknowledged)
    order = marked["acknowledged"].notna().to_numpy().argsort(kind="stable")
    return marked.iloc[order].reset_index(drop=True), outcomes
