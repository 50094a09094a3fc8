"""Recording a decision from the command line: checked, previewed, then appended.

A person settling a review entry should not have to hand-edit YAML and learn
from the next run whether it took. ``propose`` checks a decision against the
registry and the live release (an unknown organisation or action gets the
nearest known ones), says how the pipeline will read it, and gives the entry
as it will be written; ``append_decision`` adds it to the decisions file with
who, when and why, keeping the file's comments and earlier entries, and
proves the file still loads before leaving it changed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from pipeline.errors import InputError
from pipeline.normalise.decisions import KINDS, REVIEW_KINDS, parse_decisions
from pipeline.normalise.timescales import HIGH, parse_timescale
from pipeline.reference import Reference, load_decisions


@dataclass(frozen=True)
class Proposal:
    """A decision as it will be written, how it will be read, and what to look at first."""

    record: dict
    preview: list[str]
    warnings: list[str]


def propose(
    kind: str,
    target: str,
    value: str,
    by: str,
    why: str,
    on: str,  # the date the decision is made, ISO
    reference: Reference,
    actions: pd.DataFrame | None,
    review: pd.DataFrame | None = None,
) -> Proposal:
    """The decision ``kind`` on ``target`` (a spelling, an action id, or for acknowledge a
    priority) with ``value`` (an organisation id, a timescale text, organisation ids lead
    first and comma-separated, or for accept and acknowledge a review reason).

    Raises InputError naming the argument and the nearest known values when it
    names an organisation, an action or a review entry that does not exist.
    """
    if kind not in KINDS:
        raise InputError("decide", f"kind must be one of {', '.join(KINDS)}")
    if not by.strip() or not why.strip():
        raise InputError("decide", "say who decides (--by) and why (--why)")
    registry = reference.normalise.registry.organisations
    preview, warnings = [], []
    if kind in REVIEW_KINDS:
        stored = value
        preview.append(_settles(kind, target, value, review, warnings))
    elif kind == "alias":
        org = _known_organisation(value, registry)
        preview.append(
            f"{target!r} will be read as {org} ({registry[org].name}) wherever an organisation "
            "or officer cell names it"
        )
        if actions is not None and not _spelling_in_plan(target, actions):
            warnings.append(f"no cell of the live release names {target!r}")
        stored: object = org
    else:
        action = _known_action(target, actions, warnings)
        headline = f" ({action})" if action else ""
        if kind == "timescale":
            reading = parse_timescale(value, reference.normalise.timescale_words)
            dates = f"{reading.start or '-'} to {reading.end or '-'}"
            preview.append(
                f"{target}{headline}: {value!r} will be read as {reading.status}, {dates} "
                f"({reading.confidence}, {reading.rule})"
            )
            if reading.confidence != HIGH:
                warnings.append(f"not every word is explained by a rule: {reading.note}")
            stored = value
        else:
            orgs = [_known_organisation(o.strip(), registry) for o in value.split(",") if o.strip()]
            named = ", ".join(f"{o} ({registry[o].name})" for o in orgs)
            preview.append(f"{target}{headline}: organisations will be {named}, the first leading")
            stored = orgs
    target_key, value_key = KINDS[kind]
    record = {"kind": kind, target_key: target, value_key: stored, "by": by, "why": why}
    record["date"] = on
    return Proposal(record, preview, warnings)


def append_decision(path: Path, record: dict, registry_ids: set[str]) -> int:
    """Add ``record`` to the decisions file; return its entry number.

    The file's text is kept as it is and the entry appended as YAML (so a colon
    in ``why`` is quoted); a file that holds only comments and ``[]`` (an empty
    list, as shipped) has the ``[]`` taken out first, since entries after it
    would not parse. The file is read back and every entry checked; if that
    fails it is restored and InputError says why.
    """
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    entries = load_decisions(path) if path.exists() else []
    lines = before.splitlines()
    kept = before if entries else "\n".join(line for line in lines if line.strip() != "[]")
    text = kept.rstrip("\n") + "\n\n" if kept.strip() else ""
    text += yaml.safe_dump([record], sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
    try:
        parse_decisions(load_decisions(path), registry_ids)
    except (InputError, ValueError) as error:
        path.write_text(before, encoding="utf-8")
        raise InputError(
            str(path), f"left as it was: the new entry would not load ({error})"
        ) from None
    return len(entries) + 1


def _settles(kind: str, target: str, reason: str, review: pd.DataFrame | None, warnings) -> str:
    """What an accept or acknowledge decision takes off the live review list."""
    if review is None:
        warnings.append("no published review list to check the entries against")
        return f"{kind} {target} {reason}: entries will be marked acknowledged"
    if kind == "accept":
        hits = review[(review["action_id"] == target) & (review["reason"] == reason)]
        place = f"action {target}"
        reasons = review.loc[review["action_id"] == target, "reason"]
    else:
        number = target.casefold().removeprefix("priority").strip()
        if not number.isdigit():
            raise InputError(
                "decide", f"acknowledge takes a priority ('Priority 4'), not {target!r}"
            )
        by_priority = review["priority_number"] == int(number)
        hits = review[by_priority & (review["reason"] == reason)]
        place = f"Priority {number}"
        reasons = review.loc[by_priority, "reason"]
    if hits.empty:
        known = ", ".join(sorted(set(reasons))) or "none"
        raise InputError("decide", f"no {reason!r} entry for {place} in the review list ({known})")
    return f"{len(hits)} {reason} entr{'y' if len(hits) == 1 else 'ies'} of {place} will leave the review count, marked acknowledged"


def _known_organisation(org: str, registry: dict) -> str:
    if org in registry:
        return org
    by_name = {o.name.casefold(): o.id for o in registry.values()}
    if org.casefold() in by_name:
        return by_name[org.casefold()]
    nearest = difflib.get_close_matches(org, list(registry) + list(by_name), n=5, cutoff=0.5)
    ids = list(dict.fromkeys(by_name.get(n, n) for n in nearest))[:3]
    hint = f"; did you mean {', '.join(ids)}?" if ids else ""
    raise InputError("decide", f"no organisation {org!r} in the registry{hint}")


def _known_action(action_id: str, actions: pd.DataFrame | None, warnings: list[str]) -> str:
    """The action's headline, or "" when there is no live release to check it against."""
    if actions is None:
        warnings.append("no published release to check the action id against")
        return ""
    headlines = dict(zip(actions["action_id"], actions["headline_action"], strict=True))
    if action_id in headlines:
        return headlines[action_id]
    nearest = difflib.get_close_matches(action_id, list(headlines), n=3, cutoff=0.6)
    by_headline = [i for i, h in headlines.items() if action_id.casefold() in h.casefold()][:3]
    hints = [f"{i} ({headlines[i]})" for i in dict.fromkeys(nearest + by_headline)]
    hint = f"; did you mean {', '.join(hints)}?" if hints else ""
    raise InputError("decide", f"no action {action_id!r} in the live release{hint}")


def _spelling_in_plan(spelling: str, actions: pd.DataFrame) -> bool:
    wanted = " ".join(spelling.casefold().split())
    cells = pd.concat([actions["organisation_raw"], actions["lead_officer_raw"]]).dropna()
    return any(wanted in " ".join(cell.casefold().split()) for cell in cells)
